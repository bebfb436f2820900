"""Real messages the bot did not understand well, for the editors to teach it.

Read from the conversation store (Rasa's ``events`` table, ``bot.stores.events``): user messages
that fell to the fallback or whose best intent had a low confidence, lowest first. The text is
redacted (``bot.privacy.redact``) before it is shown or saved: an editor never sees a phone number.
Decisions (assigned to an intent, dismissed) live in the studio's database, so the conversation
store is only ever read.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from bot.privacy import redact
from bot.stores.events import EVENTS, has_events_table
from bot.studio.db import INBOX_DECISIONS

FALLBACK = "nlu_fallback"
LOW_CONFIDENCE = 0.6
# Intents set by rules or the guard, not by what a person meant: nothing to teach from them.
IGNORED_INTENTS = {"other_language", "message_too_long"}


@dataclass(frozen=True)
class Message:
    event_id: int
    text: str  # redacted
    intent: str | None  # the best guess, fallback aside
    confidence: float
    fell_back: bool


def _best_guess(parse: dict) -> tuple[str | None, float]:
    for ranked in parse.get("intent_ranking") or []:
        if ranked.get("name") != FALLBACK:
            return ranked.get("name"), float(ranked.get("confidence") or 0)
    intent = parse.get("intent") or {}
    return None, float(intent.get("confidence") or 0)


def pending(
    conversations: Engine, studio: Engine, threshold: float = LOW_CONFIDENCE, limit: int = 200
) -> list[Message]:
    """Messages that fell back or whose best intent is below ``threshold``, least understood first."""
    if not has_events_table(conversations):
        return []
    with studio.connect() as conn:
        decided = {row.event_id for row in conn.execute(select(INBOX_DECISIONS.c.event_id))}
    found: list[Message] = []
    with conversations.connect() as conn:
        rows = conn.execute(
            select(EVENTS.c.id, EVENTS.c.intent_name, EVENTS.c.data).where(EVENTS.c.type_name == "user")
        )
        for row in rows:
            if row.id in decided or row.intent_name in IGNORED_INTENTS:
                continue
            event = json.loads(row.data or "{}")
            text = (event.get("text") or "").strip()
            if not text or text.startswith("/"):  # a button's payload, not words
                continue
            parse = event.get("parse_data") or {}
            fell_back = (parse.get("intent") or {}).get("name") == FALLBACK
            intent, confidence = _best_guess(parse)
            if fell_back or confidence < threshold:
                found.append(Message(row.id, redact(text), intent, confidence, fell_back))
    found.sort(key=lambda m: (m.confidence, m.event_id))
    return found[:limit]


def find(conversations: Engine, studio: Engine, event_id: int, threshold: float = LOW_CONFIDENCE) -> Message | None:
    return next((m for m in pending(conversations, studio, threshold, limit=10**6) if m.event_id == event_id), None)


def decide(studio: Engine, event_id: int, decision: str, login: str, intent: str | None = None) -> None:
    with studio.begin() as conn:
        conn.execute(
            insert(INBOX_DECISIONS).values(
                event_id=event_id, decision=decision, intent=intent, login=login, at=time.time()
            )
        )
