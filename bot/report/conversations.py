"""From the conversation store to one small, anonymous record per conversation.

Only the events the indicators need are read: the person's messages, three slots (``besoin``,
``declined``, ``recommendation``) and the session boundaries — never the bot's answers. The
record keeps no sender id (a keyed pseudonym instead) and no message text, except the redacted
text of the messages the bot did not understand.

Slot values are trusted only when they are identifiers of the vocabulary: a slot filled « from
text » first holds the person's raw words, until the form's validation replaces them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select
from sqlalchemy.engine import Engine

from bot.orientation.vocabulary import vocabulary
from bot.privacy import pseudonym, redact
from bot.stores.events import EVENTS, SESSION_START_ACTION, by_sender, has_events_table, split_sessions

TIMEZONE = ZoneInfo("Europe/Paris")  # the SPRO team's days
FALLBACK_INTENT = "nlu_fallback"
SLOTS = ("besoin", "declined", "recommendation")
MAX_TEXT = 200  # an unrecognised message is cut there: the report lists sentences, not letters


@dataclass(frozen=True)
class Recommended:
    door: str
    territory: str | None


@dataclass
class Conversation:
    """What one conversation tells the indicators."""

    person: str  # pseudonym of the sender id
    started_at: datetime  # the first message, in French local time
    channel: str
    messages: int = 0  # everything the person sent, typed or clicked
    typed: int = 0  # typed messages (a button click starts with « / »)
    unrecognised: list[str] = field(default_factory=list)  # redacted typed messages the NLU did not understand
    needs: list[str] = field(default_factory=list)
    qualified: bool = False  # the need is known, or the person chose not to say it
    recommendations: list[Recommended] = field(default_factory=list)
    turns_to_recommendation: int | None = None  # messages sent up to the first recommendation


def read_conversations(engine: Engine, start: datetime, end: datetime, salt: str) -> list[Conversation]:
    """The conversations whose first message falls in ``[start, end)``, in store order."""
    if not has_events_table(engine):
        return []
    active = (
        select(EVENTS.c.sender_id)
        .where(
            EVENTS.c.type_name == "user", EVENTS.c.timestamp >= start.timestamp(), EVENTS.c.timestamp < end.timestamp()
        )
        .distinct()
    )
    wanted = or_(
        EVENTS.c.type_name.in_(("user", "session_started")),
        and_(EVENTS.c.type_name == "slot", EVENTS.c.action_name.in_(SLOTS)),
        and_(EVENTS.c.type_name == "action", EVENTS.c.action_name == SESSION_START_ACTION),
    )
    query = (
        select(EVENTS.c.sender_id, EVENTS.c.type_name, EVENTS.c.action_name, EVENTS.c.data)
        .where(EVENTS.c.sender_id.in_(active), wanted)
        .order_by(EVENTS.c.sender_id, EVENTS.c.id)
    )
    found = []
    with engine.connect() as connection:
        for sender_id, rows in by_sender(connection.execute(query)):
            person = pseudonym(sender_id, salt)
            for session in split_sessions(rows):
                conversation = summarize(person, (json.loads(r.data) for r in session))
                if conversation and start <= conversation.started_at < end:
                    found.append(conversation)
    return found


def summarize(person: str, events: Iterable[dict[str, Any]]) -> Conversation | None:
    """One session's events (Rasa's serialized form) → its record; ``None`` if the person said nothing."""
    vocab = vocabulary()
    conversation: Conversation | None = None
    for event in events:
        if event.get("event") == "user":
            if conversation is None:
                started = datetime.fromtimestamp(event["timestamp"], TIMEZONE)
                conversation = Conversation(person, started, event.get("input_channel") or "inconnu")
            _count_message(conversation, event)
        elif conversation is not None and event.get("event") == "slot":
            _apply_slot(conversation, event.get("name"), event.get("value"), vocab.besoins)
    return conversation


def _count_message(conversation: Conversation, event: dict[str, Any]) -> None:
    conversation.messages += 1
    text = event.get("text") or ""
    if text.startswith("/"):
        return
    conversation.typed += 1
    intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
    if intent == FALLBACK_INTENT:
        conversation.unrecognised.append(redact(" ".join(text.split()))[:MAX_TEXT])


def _apply_slot(conversation: Conversation, name: str | None, value: Any, besoins: Iterable[str]) -> None:
    if name == "besoin" and value in besoins:
        conversation.qualified = True
        if value not in conversation.needs:
            conversation.needs.append(value)
    elif name == "declined" and isinstance(value, list) and "besoin" in value:
        conversation.qualified = True
    elif name == "recommendation" and isinstance(value, dict) and value.get("type") == "recommendation":
        recommended = Recommended(str(value.get("door")), value.get("territory"))
        if recommended not in conversation.recommendations:
            conversation.recommendations.append(recommended)
        if conversation.turns_to_recommendation is None:
            conversation.turns_to_recommendation = conversation.messages
