"""The report: sections of charts and tables, written as CSV, PNG and one self-contained HTML page.

The page carries everything inside it (styles, and charts as ``data:`` URIs) so it can be sent by
e-mail or opened from the studio. It follows the RGAA: language, headings, a table of contents,
captions and header cells on every table, a text alternative on every chart, contrast above 4.5:1.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot.report import charts, tables
from bot.report.charts import Chart
from bot.report.conversations import Conversation
from bot.report.indicators import Indicators
from bot.report.tables import Table
from bot.spreadsheet import write_rows

TEMPLATES = Path(__file__).parent / "templates"
HTML_FILE = "rapport.html"
CONVERSATIONS_FILE = "conversations.csv"


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    intro: str
    tables: list[Table]
    chart: Chart | None = None
    empty: str | None = None  # said instead of the chart and tables when there is nothing to show


@dataclass(frozen=True)
class Report:
    indicators: Indicators
    conversations: list[Conversation]
    generated_at: datetime
    stable_pseudonyms: bool  # the salt is the configured one: pseudonyms compare across reports
    sections: list[Section]


def build_sections(ind: Indicators) -> list[Section]:
    nothing = "Aucune conversation sur la période." if not ind.conversations else None
    rate = ind.fallback_rate
    return [
        Section(
            "synthese",
            "Chiffres clés",
            "Une conversation commence au premier message d'une personne et se termine après 60 minutes sans message.",
            [tables.key_figures(ind)],
        ),
        Section(
            "conversations",
            "Conversations par jour et par canal",
            "Le jour est celui du premier message, à l'heure de Paris.",
            [tables.per_day(ind)],
            charts.per_day(ind),
            nothing,
        ),
        Section(
            "besoins",
            "Ce que les personnes demandent",
            "Le besoin compris par le bot, une fois par conversation.",
            [tables.needs(ind)],
            charts.needs(ind),
            "Aucun besoin exprimé sur la période." if not ind.needs else None,
        ),
        Section(
            "portes",
            "Où les personnes ont été orientées",
            "La porte recommandée et le territoire de la commune indiquée. « Non précisé » : la porte ne dépend pas "
            "du lieu (Etoile Info, Transitions Pro…) ou la personne n'a pas donné sa commune.",
            [tables.doors_by_territory(ind), tables.doors_by_department(ind)],
            charts.doors_by_territory(ind),
            "Aucune recommandation sur la période." if not ind.doors_by_territory else None,
        ),
        Section(
            "parcours",
            "Du premier message à la recommandation",
            "Combien de conversations arrivent à chaque étape.",
            [tables.funnel(ind)],
            charts.funnel(ind),
            nothing,
        ),
        Section(
            "messages-avant-recommandation",
            "Messages avant la recommandation",
            "Combien de messages (écrits ou boutons) la personne a envoyés jusqu'à la première recommandation.",
            [tables.turns(ind)],
            charts.turns(ind),
            "Aucune recommandation sur la période." if not ind.turns else None,
        ),
        Section(
            "non-compris",
            "Messages non compris",
            "Messages écrits que le bot n'a pas compris : "
            + (
                f"{tables.percent(ind.unrecognised_messages, ind.typed_messages)} des messages écrits."
                if rate is not None
                else "aucun message écrit."
            )
            + " Ils montrent ce qu'il faut lui apprendre.",
            [tables.unrecognised(ind)],
            None,
            "Aucun message non compris sur la période." if not ind.top_unrecognised else None,
        ),
    ]


def write_csv(path: Path, columns: list[str], rows: list[list[tables.Cell]]) -> None:
    """Semicolon-separated UTF-8 with a byte-order mark: what a French spreadsheet opens as is.
    Through ``bot.spreadsheet``: a message typed to the bot must not run as a formula there."""
    write_rows(path, columns, rows, delimiter=";", bom=True)


def conversation_rows(conversations: list[Conversation]) -> list[list[tables.Cell]]:
    """One pseudonymous line per conversation, for the team's own analyses (never a message text)."""
    return [
        [
            c.person,
            c.started_at.date().isoformat(),
            c.channel,
            c.messages,
            c.typed,
            len(c.unrecognised),
            " ".join(c.needs),
            "oui" if c.qualified else "non",
            " ".join(r.door for r in c.recommendations),
            " ".join(r.territory or "" for r in c.recommendations),
            "" if c.turns_to_recommendation is None else c.turns_to_recommendation,
        ]
        for c in conversations
    ]


CONVERSATION_COLUMNS = [
    "personne",
    "jour",
    "canal",
    "messages",
    "messages_ecrits",
    "messages_non_compris",
    "besoins",
    "besoin_connu",
    "portes",
    "territoires",
    "messages_avant_recommandation",
]


def render_html(report: Report) -> str:
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    environment.filters["data_uri"] = lambda png: "data:image/png;base64," + base64.b64encode(png).decode()
    period = report.indicators.period
    days = period.days
    return environment.get_template("rapport.html").render(
        report=report,
        first_day=tables.day_label(days[0]),
        last_day=tables.day_label(days[-1]),
        generated=report.generated_at.strftime("%d/%m/%Y à %H:%M"),
    )


def write_report(report: Report, out: Path) -> list[Path]:
    """Every file of the report in ``out`` (created if needed); returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for section in report.sections:
        for table in section.tables:
            path = out / f"{table.name}.csv"
            write_csv(path, table.columns, table.rows)
            written.append(path)
        if section.chart:
            path = out / f"{section.chart.name}.png"
            path.write_bytes(section.chart.png)
            written.append(path)
    path = out / CONVERSATIONS_FILE
    write_csv(path, CONVERSATION_COLUMNS, conversation_rows(report.conversations))
    written.append(path)
    path = out / HTML_FILE
    path.write_text(render_html(report), encoding="utf-8")
    written.append(path)
    return written
