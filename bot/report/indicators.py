"""The indicators of the SPRO team's report, computed from the conversation records.

Every figure counts conversations (sessions, ``bot.stores.events``) whose first message falls in
the period, except the fallback rate, which counts typed messages. Definitions, as the report's
readers see them, are in ``docs/indicateurs.md``.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.geo import gazetteer
from bot.report.conversations import Conversation

TOP_UNRECOGNISED = 20


@dataclass(frozen=True)
class Period:
    """``[start, end)``, both timezone-aware."""

    start: datetime
    end: datetime

    @property
    def days(self) -> list[date]:
        first, last = self.start.date(), (self.end - timedelta(microseconds=1)).date()
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@dataclass(frozen=True)
class Funnel:
    started: int  # the person wrote at least once
    qualified: int  # the need is known (or the person chose not to give it)
    recommended: int  # the bot recommended a door


@dataclass(frozen=True)
class Indicators:
    period: Period
    conversations: int
    persons: int  # distinct pseudonyms: a person may come back several times
    per_day: dict[date, Counter[str]]  # every day of the period, conversations per channel
    channels: Counter[str]
    needs: Counter[str]  # conversations in which each need was expressed
    doors_by_territory: Counter[tuple[str | None, str]]  # (territory, door) → conversations
    funnel: Funnel
    typed_messages: int
    unrecognised_messages: int
    top_unrecognised: list[tuple[str, int]]  # redacted text, occurrences
    turns: Counter[int]  # messages sent up to the first recommendation → conversations

    @property
    def fallback_rate(self) -> float | None:
        return self.unrecognised_messages / self.typed_messages if self.typed_messages else None

    @property
    def doors_by_department(self) -> Counter[tuple[str | None, str]]:
        territories = gazetteer().territories
        grid: Counter[tuple[str | None, str]] = Counter()
        for (territory, door), count in self.doors_by_territory.items():
            department = territories[territory].department if territory in territories else None
            grid[department, door] += count
        return grid

    @property
    def turns_median(self) -> float | None:
        values = list(self.turns.elements())
        return statistics.median(values) if values else None


def compute(conversations: Sequence[Conversation], period: Period, top: int = TOP_UNRECOGNISED) -> Indicators:
    per_day: dict[date, Counter[str]] = {day: Counter() for day in period.days}
    unrecognised: Counter[str] = Counter()
    needs: Counter[str] = Counter()
    doors: Counter[tuple[str | None, str]] = Counter()
    turns: Counter[int] = Counter()
    for c in conversations:
        per_day.setdefault(c.started_at.date(), Counter())[c.channel] += 1
        unrecognised.update(c.unrecognised)
        needs.update(c.needs)
        doors.update((r.territory, r.door) for r in c.recommendations)
        if c.turns_to_recommendation is not None:
            turns[c.turns_to_recommendation] += 1
    return Indicators(
        period=period,
        conversations=len(conversations),
        persons=len({c.person for c in conversations}),
        per_day=per_day,
        channels=Counter(c.channel for c in conversations),
        needs=needs,
        doors_by_territory=doors,
        funnel=Funnel(
            started=len(conversations),
            qualified=sum(1 for c in conversations if c.qualified),
            recommended=sum(1 for c in conversations if c.recommendations),
        ),
        typed_messages=sum(c.typed for c in conversations),
        unrecognised_messages=sum(len(c.unrecognised) for c in conversations),
        top_unrecognised=sorted(unrecognised.items(), key=lambda item: (-item[1], item[0]))[:top],
        turns=turns,
    )
