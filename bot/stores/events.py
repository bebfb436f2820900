"""The conversation store read without Rasa: where it is, its table, and how it splits into conversations.

The bot (through ``PrivacySQLTrackerStore``) and the commands ``report`` and ``purge`` open the same
database: ``SPRO_CONVERSATIONS_URL`` when set (PostgreSQL in production), else the SQLite file
``var/conversations.db``. The table is Rasa 3.6's ``events`` table, described here so that the
indicators and the purge need not import Rasa; ``tests/stores`` checks the two descriptions agree.

A *conversation* is one Rasa session: it opens with ``action_session_start`` (first message, or
first message after 60 minutes of silence or after « recommencer ») and runs until the next one.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from itertools import groupby
from typing import Any, Protocol

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, create_engine, inspect
from sqlalchemy.engine import Engine

from bot.paths import VAR_DIR, private_sqlite

URL_VARIABLE = "SPRO_CONVERSATIONS_URL"
SESSION_START_ACTION = "action_session_start"

metadata = MetaData()
EVENTS = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    # The action's name on ``action`` events, the slot's name on ``slot`` events.
    Column("action_name", String(255)),
    Column("data", Text),
)


def conversations_url() -> str:
    """``SPRO_CONVERSATIONS_URL`` when set, else the SQLite file under ``var/``."""
    url = os.environ.get(URL_VARIABLE)
    if url:
        return url.replace("postgres://", "postgresql://", 1)
    return private_sqlite(VAR_DIR / "conversations.db")


def open_store(url: str | None = None) -> Engine:
    """An engine on the conversation store whose errors never quote the stored values (messages)."""
    return create_engine(url or conversations_url(), future=True, hide_parameters=True, pool_pre_ping=True)


def has_events_table(engine: Engine) -> bool:
    """False before the bot's first conversation: Rasa creates the table on start-up."""
    return inspect(engine).has_table(EVENTS.name)


class EventRow(Protocol):
    """The columns session splitting needs (a SQLAlchemy row has them)."""

    type_name: str
    action_name: str | None


def starts_session(row: EventRow, current: Sequence[EventRow]) -> bool:
    """Whether ``row`` opens a new conversation after the rows of ``current``.

    Rasa writes ``action_session_start`` first; a ``session_started`` after some user message of
    the current run (trackers written without that action) opens one too.
    """
    if row.type_name == "action" and row.action_name == SESSION_START_ACTION:
        return True
    return row.type_name == "session_started" and any(r.type_name == "user" for r in current)


def split_sessions(rows: Iterable[Any]) -> Iterator[list[Any]]:
    """One sender's rows, in id order, cut into conversations."""
    current: list[Any] = []
    for row in rows:
        if current and starts_session(row, current):
            yield current
            current = []
        current.append(row)
    if current:
        yield current


def by_sender(rows: Iterable[Any]) -> Iterator[tuple[str, Iterator[Any]]]:
    """Rows ordered by sender then id, grouped per sender."""
    return groupby(rows, key=lambda row: row.sender_id)
