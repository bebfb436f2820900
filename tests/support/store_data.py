"""Conversations written into a real conversation store through Rasa's own tracker store API.

Each session is what the bot writes: ``action_session_start``, the greeting, ``session_started``,
then the person's messages with the NLU's intent, the slots the actions set and the bot's answers,
ten seconds apart. The tests that use them know every figure in advance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.stores.tracker_store import PrivacySQLTrackerStore
from tests.conftest import ROOT

STEP = timedelta(seconds=10)


@dataclass(frozen=True)
class Say:
    text: str
    intent: str


@dataclass(frozen=True)
class Slot:
    name: str
    value: Any


@dataclass
class Session:
    sender: str
    start: datetime  # timezone-aware
    channel: str = "rest"
    steps: Sequence[Say | Slot] = ()
    events: list[Event] = field(init=False)

    def __post_init__(self) -> None:
        clock = iter(self.start.timestamp() + n * STEP.total_seconds() for n in range(10_000))
        self.events = [
            ActionExecuted("action_session_start", timestamp=next(clock)),
            BotUttered("Bonjour !", timestamp=next(clock)),
            SessionStarted(timestamp=next(clock)),
            ActionExecuted("action_listen", timestamp=next(clock)),
        ]
        for step in self.steps:
            if isinstance(step, Say):
                intent = {"name": step.intent, "confidence": 0.2 if step.intent == "nlu_fallback" else 0.95}
                parse_data = {"intent": intent, "entities": [], "text": step.text}
                self.events.append(
                    UserUttered(
                        step.text, intent, parse_data=parse_data, input_channel=self.channel, timestamp=next(clock)
                    )
                )
            else:
                self.events.append(SlotSet(step.name, step.value, timestamp=next(clock)))
                self.events.append(BotUttered("Réponse du bot.", timestamp=next(clock)))
        self.events.append(ActionExecuted("action_listen", timestamp=next(clock)))

    @property
    def last(self) -> float:
        return self.events[-1].timestamp


def recommendation(door: str, territory: str | None) -> Slot:
    payload = {
        "type": "recommendation",
        "door": door,
        "cep_level": 2,
        "territory": territory,
        "structure": None,
        "alternatives": [],
        "reason": "…",
        "next_steps": [],
    }
    return Slot("recommendation", payload)


@lru_cache(maxsize=1)
def domain() -> Domain:
    return Domain.load(ROOT / "domain.yml")


def open_tracker_store(url: str) -> PrivacySQLTrackerStore:
    return PrivacySQLTrackerStore(domain=domain(), host=url)


async def write_sessions(store: PrivacySQLTrackerStore, sessions: Sequence[Session]) -> None:
    """Save each sender's sessions, in order, as one tracker (Rasa's ``save`` appends what is new)."""
    by_sender: dict[str, list[Event]] = {}
    for session in sessions:
        by_sender.setdefault(session.sender, []).extend(session.events)
    for sender, events in by_sender.items():
        await store.save(DialogueStateTracker.from_events(sender, events, domain().slots))
