"""The report's charts (matplotlib, Agg backend: no display needed), each with its text alternative.

Every chart repeats a table printed right after it on the page, which carries the exact figures;
the alternative text says what the chart shows and its main fact. Colours are the Okabe–Ito
palette (distinguishable with the common colour-vision deficiencies) and the text on the
territory grid is black or white, whichever contrasts more with its cell.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # before pyplot is imported: a server has no display

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from bot.report import tables
from bot.report.indicators import Indicators

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
TEXT = "#1a1a1a"
DPI = 110


@dataclass(frozen=True)
class Chart:
    name: str  # the PNG file's stem
    png: bytes
    alt: str


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    plt.close(figure)
    return buffer.getvalue()


def _style(ax: plt.Axes) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(colors=TEXT)
    ax.title.set_color(TEXT)


def _readable_on(background: tuple[float, ...]) -> str:
    """Black or white, whichever contrasts more with ``background`` (WCAG relative luminance)."""
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in background[:3])
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "white" if 1.05 / (luminance + 0.05) > (luminance + 0.05) / 0.05 else "black"


def per_day(ind: Indicators) -> Chart | None:
    if not ind.conversations:
        return None
    days = list(ind.per_day)
    channels = tables.channels_by_volume(ind)
    figure, ax = plt.subplots(figsize=(10, 4))
    bottom = [0] * len(days)
    for n, channel in enumerate(channels):
        values = [ind.per_day[day][channel] for day in days]
        ax.bar(
            range(len(days)),
            values,
            bottom=bottom,
            color=PALETTE[n % len(PALETTE)],
            label=tables.channel_label(channel),
        )
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    step = max(1, len(days) // 10)
    ax.set_xticks(range(0, len(days), step), [days[i].strftime("%d/%m") for i in range(0, len(days), step)])
    ax.set_ylabel("Conversations")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(frameon=False)
    _style(ax)
    busiest = max(days, key=lambda d: sum(ind.per_day[d].values()))
    alt = (
        f"Histogramme des conversations par jour, du {tables.day_label(days[0])} au {tables.day_label(days[-1])}, "
        f"coloré par canal : {ind.conversations} conversations en tout, au plus "
        f"{sum(ind.per_day[busiest].values())} le {tables.day_label(busiest)}. Le tableau qui suit donne chaque jour."
    )
    return Chart("conversations_par_jour", _png(figure), alt)


def _horizontal_bars(table: tables.Table, column: int) -> Figure:
    """One bar per row of ``table``, from top to bottom, long as the row's cell ``column`` (a count)."""
    labels = [str(row[0]) for row in table.rows]
    values = [int(row[column]) for row in table.rows]
    figure, ax = plt.subplots(figsize=(9, 0.45 * len(labels) + 1.2))
    ax.barh(range(len(labels)), values, color=PALETTE[0])
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.set_xlabel(table.columns[column])
    ax.xaxis.get_major_locator().set_params(integer=True)
    for y, value in enumerate(values):
        ax.annotate(str(value), (value, y), xytext=(4, 0), textcoords="offset points", va="center", color=TEXT)
    _style(ax)
    return figure


def needs(ind: Indicators) -> Chart | None:
    if not ind.needs:
        return None
    table = tables.needs(ind)  # most frequent first
    rows = table.rows
    figure = _horizontal_bars(table, 2)
    alt = (
        f"Barres horizontales des besoins exprimés, du plus au moins fréquent : en tête, "
        f"« {rows[0][0]} » ({rows[0][2]} conversations). Le tableau qui suit donne chaque besoin."
    )
    return Chart("besoins", _png(figure), alt)


def doors_by_territory(ind: Indicators) -> Chart | None:
    if not ind.doors_by_territory:
        return None
    table = tables.doors_by_territory(ind)
    doors = table.columns[2:-1]
    body = [row for row in table.rows if row[0] != "Région"]
    used = [i for i in range(len(doors)) if any(row[2 + i] for row in body)]
    grid = [[int(row[2 + i]) for i in used] for row in body]
    peak = max(max(r) for r in grid)
    figure, ax = plt.subplots(figsize=(1.1 * len(used) + 3.5, 0.4 * len(body) + 1.5))
    image = ax.imshow(grid, cmap="Blues", vmin=0, vmax=peak, aspect="auto")
    ax.set_xticks(range(len(used)), [doors[i] for i in used], rotation=30, ha="right")
    ax.set_yticks(range(len(body)), [str(row[0]) for row in body])
    for y, row in enumerate(grid):
        for x, value in enumerate(row):
            if value:
                ax.text(x, y, str(value), ha="center", va="center", color=_readable_on(image.cmap(image.norm(value))))
    ax.tick_params(colors=TEXT, length=0)
    (territory, door), count = max(ind.doors_by_territory.items(), key=lambda item: item[1])
    alt = (
        f"Grille des portes recommandées (en colonnes) par territoire (en lignes), plus la case est foncée, "
        f"plus il y a de conversations : la case la plus fréquente est {tables.door_label(door)} pour "
        f"{tables.territory_label(territory)} ({count}). Le tableau qui suit donne chaque case."
    )
    return Chart("portes_par_territoire", _png(figure), alt)


def funnel(ind: Indicators) -> Chart | None:
    if not ind.conversations:
        return None
    f = ind.funnel
    figure = _horizontal_bars(tables.funnel(ind), 1)
    alt = (
        f"Entonnoir en trois barres : {f.started} conversations commencées, {f.qualified} où le besoin est connu, "
        f"{f.recommended} avec une recommandation ({tables.percent(f.recommended, f.started)})."
    )
    return Chart("parcours", _png(figure), alt)


def turns(ind: Indicators) -> Chart | None:
    if not ind.turns:
        return None
    counts = sorted(ind.turns)
    figure, ax = plt.subplots(figsize=(8, 3.5))
    ax.bar(counts, [ind.turns[n] for n in counts], color=PALETTE[2])
    ax.set_xlabel("Messages de la personne avant la première recommandation")
    ax.set_ylabel("Conversations")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.yaxis.get_major_locator().set_params(integer=True)
    _style(ax)
    alt = (
        f"Histogramme du nombre de messages avant la première recommandation, de {counts[0]} à {counts[-1]} ; "
        f"médiane : {tables.decimal(ind.turns_median)}. Le tableau qui suit donne chaque valeur."
    )
    return Chart("messages_avant_recommandation", _png(figure), alt)
