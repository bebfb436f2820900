"""The ids of the webhook messages already received, so that a retried delivery is answered once.

Meta re-sends a webhook it thinks failed, for up to 7 days; an in-memory set would forget them at
the first restart and would not be shared by several replicas, so the ids live in the project's
SQL database (``bot.directory.database_url()``: SQLite by default, PostgreSQL in production).
Each row keeps the conversation id (``<channel>:<sender>``, ``bot.stores.scopes``), so that erasing
a conversation (``forget_sender``) erases its rows too (the channels register it with
``bot.privacy``), and rows older than the retry window are purged as new ones arrive. Rows kept
before the ids were scoped are given their channel's prefix when the table is opened.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta, timezone

from sqlalchemy import Column, DateTime, MetaData, String, Table, create_engine, delete, insert, update
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from bot.directory import database_url

logger = logging.getLogger(__name__)

RETENTION = timedelta(days=7)
PURGE_EVERY_SECONDS = 3600
CREATE_ATTEMPTS = 5

metadata = MetaData()
received_messages = Table(
    "channel_received_messages",
    metadata,
    Column("channel", String(32), primary_key=True),
    Column("message_id", String(255), primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("received_at", DateTime, nullable=False, index=True),
)


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class ReceivedMessages:
    """Blocking calls (SQLAlchemy): channels run them in a thread, off the event loop."""

    TABLE = received_messages.name

    def __init__(self, url: str | None = None) -> None:
        self.engine = create_engine(url or database_url(), future=True, pool_pre_ping=True)
        self._next_purge = 0.0
        self._create_table()
        self._scope_old_rows()

    def _create_table(self) -> None:
        """Create the table, tolerating replicas and channels that create it at the same moment.

        On PostgreSQL two concurrent ``CREATE TABLE`` clash on the catalogue (``IntegrityError`` on
        ``pg_type``, or ``ProgrammingError``), and the winner's table is visible only once its
        transaction commits: so try again until it is there. A database that stays unreachable
        is logged here and fails on first use, where the webhook answers 5xx and Meta retries.
        """
        for attempt in range(CREATE_ATTEMPTS):
            try:
                metadata.create_all(self.engine)
                return
            except (IntegrityError, OperationalError, ProgrammingError) as error:
                if attempt == CREATE_ATTEMPTS - 1:
                    logger.warning("channel_received_messages: not created (%s)", type(error).__name__)
                    return
                time.sleep(0.1 * (attempt + 1))

    def _scope_old_rows(self) -> None:
        """Idempotent: a row already starting with its channel's prefix is left alone (a Twilio
        ``whatsapp:+33…`` id does not start with ``twilio:``)."""
        table = received_messages
        prefix = table.c.channel + ":"
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    update(table)
                    .where(~table.c.sender_id.startswith(prefix))
                    .values(sender_id=prefix + table.c.sender_id)
                )
        except (OperationalError, ProgrammingError) as error:
            logger.warning("channel_received_messages: old rows not scoped (%s)", type(error).__name__)

    def first_time(self, channel: str, message_id: str, sender_id: str) -> bool:
        """Record the id; False when it was already there (a retry: do not answer it again)."""
        self._purge_now_and_then()
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    insert(received_messages).values(
                        channel=channel, message_id=message_id, sender_id=sender_id, received_at=_now()
                    )
                )
        except IntegrityError:
            return False
        return True

    def forget_sender(self, sender_id: str) -> int:
        """The right to erasure: delete every id received from this sender, on every channel."""
        with self.engine.begin() as connection:
            result = connection.execute(delete(received_messages).where(received_messages.c.sender_id == sender_id))
        return result.rowcount

    def purge(self, now: datetime | None = None) -> int:
        """Delete the ids older than Meta's retry window: they can no longer come back."""
        cutoff = (now or _now()) - RETENTION
        with self.engine.begin() as connection:
            result = connection.execute(delete(received_messages).where(received_messages.c.received_at < cutoff))
        return result.rowcount

    def _purge_now_and_then(self) -> None:
        if time.monotonic() >= self._next_purge:
            self._next_purge = time.monotonic() + PURGE_EVERY_SECONDS
            self.purge()
