"""The report's tables, once: each becomes a CSV file and a table of the HTML page.

Labels are French and come from the vocabulary and the territory list; identifiers stay in the
CSV files next to them, so a spreadsheet can join reports from several periods.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from bot.geo import gazetteer
from bot.geo.data import REGION_DEPARTMENTS
from bot.orientation.vocabulary import vocabulary
from bot.report.indicators import Indicators

Cell = str | int

CHANNELS = {
    "rest": "Site web (API REST)",
    "socketio": "Site web (widget)",
    "facebook": "Messenger",
    "whatsapp": "WhatsApp",
    "twilio": "Twilio (WhatsApp ou SMS)",
    "cmdline": "Terminal (tests)",
}
NOT_GIVEN = "Non précisé"


@dataclass(frozen=True)
class Table:
    name: str  # the CSV file's stem
    caption: str
    columns: list[str]
    rows: list[list[Cell]]  # the first cell of each row is its header


def percent(part: int, whole: int) -> str:
    """« 42,5 % », as French readers write it (no-break space before the sign)."""
    return f"{100 * part / whole:.1f}\u00a0%".replace(".", ",") if whole else "–"


def decimal(value: float) -> str:
    """« 2,5 », « 3 »: a figure as French readers write it."""
    return f"{value:g}".replace(".", ",")


def day_label(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def channel_label(channel: str) -> str:
    return CHANNELS.get(channel, channel)


def need_label(need: str) -> str:
    label = vocabulary().besoins.get(need, {}).get("label", need)
    return label[:1].upper() + label[1:]


def door_label(door: str) -> str:
    doors = vocabulary().doors
    return doors[door]["short"] if door in doors else door


def territory_label(territory: str | None) -> str:
    territories = gazetteer().territories
    return territories[territory].name if territory in territories else NOT_GIVEN


def department_label(department: str | None) -> str:
    return f"{gazetteer().departments[department]} ({department})" if department else NOT_GIVEN


def key_figures(ind: Indicators) -> Table:
    f = ind.funnel
    median = ind.turns_median
    rows: list[list[Cell]] = [
        ["Conversations", f.started, ""],
        ["Personnes différentes", ind.persons, ""],
        ["Conversations où le besoin est connu", f.qualified, percent(f.qualified, f.started)],
        ["Conversations avec une recommandation", f.recommended, percent(f.recommended, f.started)],
        ["Messages écrits", ind.typed_messages, ""],
        [
            "Messages écrits non compris",
            ind.unrecognised_messages,
            percent(ind.unrecognised_messages, ind.typed_messages),
        ],
        ["Messages avant la recommandation (médiane)", "–" if median is None else decimal(median), ""],
    ]
    return Table("synthese", "Chiffres clés de la période", ["Indicateur", "Nombre", "Part"], rows)


def channels_by_volume(ind: Indicators) -> list[str]:
    return sorted(ind.channels, key=lambda c: (-ind.channels[c], c))


def per_day(ind: Indicators) -> Table:
    channels = channels_by_volume(ind)
    rows: list[list[Cell]] = [
        [day_label(day), *(counts[c] for c in channels), sum(counts.values())] for day, counts in ind.per_day.items()
    ]
    rows.append(["Total", *(ind.channels[c] for c in channels), ind.conversations])
    return Table(
        "conversations_par_jour",
        "Conversations par jour et par canal",
        ["Jour", *(channel_label(c) for c in channels), "Total"],
        rows,
    )


def needs(ind: Indicators) -> Table:
    rows: list[list[Cell]] = [
        [need_label(need), need, count, percent(count, ind.conversations)]
        for need, count in sorted(ind.needs.items(), key=lambda item: (-item[1], item[0]))
    ]
    return Table(
        "besoins",
        "Besoins exprimés (une conversation peut en exprimer plusieurs)",
        ["Besoin", "Identifiant", "Conversations", "Part des conversations"],
        rows,
    )


def _grid(name: str, caption: str, first: str, areas: list[tuple[str | None, str]], counts: Counter) -> Table:
    doors = list(vocabulary().doors)
    rows: list[list[Cell]] = []
    for area, label in areas:
        cells = [counts[area, door] for door in doors]
        rows.append([label, area or "", *cells, sum(cells)])
    totals = [sum(counts[area, door] for area, _ in areas) for door in doors]
    rows.append(["Région", "", *totals, sum(totals)])
    return Table(name, caption, [first, "Identifiant", *(door_label(d) for d in doors), "Total"], rows)


def doors_by_territory(ind: Indicators) -> Table:
    areas: list[tuple[str | None, str]] = [
        (t.id, f"{t.name} ({t.department})")
        for t in sorted(gazetteer().territories.values(), key=lambda t: t.department)
    ]
    if any(territory is None for territory, _ in ind.doors_by_territory):
        areas.append((None, NOT_GIVEN))
    return _grid(
        "portes_par_territoire",
        "Portes recommandées par territoire (conversations)",
        "Territoire",
        areas,
        ind.doors_by_territory,
    )


def doors_by_department(ind: Indicators) -> Table:
    grid = ind.doors_by_department
    areas: list[tuple[str | None, str]] = [(d, department_label(d)) for d in REGION_DEPARTMENTS]
    if any(department is None for department, _ in grid):
        areas.append((None, NOT_GIVEN))
    return _grid(
        "portes_par_departement", "Portes recommandées par département (conversations)", "Département", areas, grid
    )


def funnel(ind: Indicators) -> Table:
    f = ind.funnel
    steps = [
        ("Conversation commencée", f.started),
        ("Besoin connu", f.qualified),
        ("Recommandation donnée", f.recommended),
    ]
    return Table(
        "parcours",
        "Parcours des conversations, de la première question à la recommandation",
        ["Étape", "Conversations", "Part des conversations commencées"],
        [[label, count, percent(count, f.started)] for label, count in steps],
    )


def unrecognised(ind: Indicators) -> Table:
    return Table(
        "messages_non_compris",
        f"Les {len(ind.top_unrecognised)} messages non compris les plus fréquents (chiffres, e-mails et téléphones masqués)",
        ["Message", "Occurrences"],
        [[text, count] for text, count in ind.top_unrecognised],
    )


def turns(ind: Indicators) -> Table:
    return Table(
        "messages_avant_recommandation",
        "Nombre de messages de la personne avant la première recommandation",
        ["Messages", "Conversations"],
        [[str(n), ind.turns[n]] for n in sorted(ind.turns)],
    )
