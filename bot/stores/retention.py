"""Retention: delete the conversations whose last event is older than the cutoff, and nothing else.

A conversation is one session (``bot.stores.events``): a person who comes back keeps the recent
conversation while the old one expires on its own date. Only rows of the ``events`` table are
deleted, in one transaction; other tables in the same database (the directory…) are not touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Connection, Engine

from bot.stores.events import EVENTS, by_sender, has_events_table, split_sessions

DELETE_BATCH = 500  # ids per DELETE statement: well under every database's parameter limit


@dataclass(frozen=True)
class PurgeResult:
    conversations: int
    events: int


def expired_event_ids(connection: Connection, cutoff: datetime) -> tuple[int, list[int]]:
    """How many conversations ended before ``cutoff``, and the ids of all their events."""
    limit = cutoff.timestamp()
    # Only a sender with some event before the cutoff can have an expired conversation.
    candidates = select(EVENTS.c.sender_id).group_by(EVENTS.c.sender_id).having(func.min(EVENTS.c.timestamp) < limit)
    rows = connection.execute(
        select(EVENTS.c.id, EVENTS.c.sender_id, EVENTS.c.type_name, EVENTS.c.action_name, EVENTS.c.timestamp)
        .where(EVENTS.c.sender_id.in_(candidates))
        .order_by(EVENTS.c.sender_id, EVENTS.c.id)
    )
    conversations, ids = 0, []
    for _, sender_rows in by_sender(rows):
        for session in split_sessions(sender_rows):
            last = max((r.timestamp for r in session if r.timestamp is not None), default=None)
            if last is not None and last < limit:
                conversations += 1
                ids.extend(r.id for r in session)
    return conversations, ids


def purge(engine: Engine, cutoff: datetime, dry_run: bool = False) -> PurgeResult:
    """Delete (or, with ``dry_run``, only count) the conversations whose last event is before ``cutoff``."""
    if not has_events_table(engine):
        return PurgeResult(0, 0)
    with engine.begin() as connection:
        conversations, ids = expired_event_ids(connection, cutoff)
        if not dry_run:
            for start in range(0, len(ids), DELETE_BATCH):
                connection.execute(delete(EVENTS).where(EVENTS.c.id.in_(ids[start : start + DELETE_BATCH])))
    return PurgeResult(conversations, len(ids))
