"""The SPRO team's indicators, read from the conversation store (``python -m bot report``).

``build_report`` is the whole computation; ``write_report`` and ``render_html`` give it as files
or as one HTML page (for the studio). See ``docs/indicateurs.md``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Engine

from bot.report.conversations import TIMEZONE, read_conversations
from bot.report.indicators import TOP_UNRECOGNISED, Period, compute
from bot.report.page import Report, build_sections, render_html, write_report


def build_report(
    engine: Engine, period: Period, salt: str, stable_pseudonyms: bool, top: int = TOP_UNRECOGNISED
) -> Report:
    conversations = read_conversations(engine, period.start, period.end, salt)
    indicators = compute(conversations, period, top)
    return Report(indicators, conversations, datetime.now(TIMEZONE), stable_pseudonyms, build_sections(indicators))


__all__ = ["TIMEZONE", "Period", "Report", "build_report", "render_html", "write_report"]
