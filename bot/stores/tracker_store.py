"""Rasa's SQL conversation store, configured by environment, with the right to erasure built in.

Where: ``SPRO_CONVERSATIONS_URL`` when set (``postgresql://user:password@host:5432/spro``), else
what ``endpoints.yml`` says (``url``, or ``dialect`` and ``db``), else the SQLite file
``var/conversations.db`` — the same database ``python -m bot report`` and ``purge`` read
(``bot.stores.events``).

Erasure: when a conversation's new events contain ``bot.privacy.erasure_event()`` (the person asked
for it and confirmed), every stored event of that sender is deleted instead of being saved, and every
store registered with ``bot.privacy.register_forget`` forgets the sender too; the next message
starts a fresh conversation.

Conversations stored before the ids were scoped by channel (``bot.stores.scopes``) are renamed
when the store opens; that is idempotent, so every replica may do it at each start.

Database errors never quote the stored values (``hide_parameters``): a failed insert would
otherwise print the person's message in the logs.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.orm import sessionmaker

from bot.privacy import forget_everywhere, requests_erasure
from bot.stores.events import URL_VARIABLE, conversations_url
from bot.stores.scopes import migrate

logger = logging.getLogger(__name__)


class PrivacySQLTrackerStore(SQLTrackerStore):
    def __init__(
        self, domain: Domain | None = None, host: str | None = None, db: str | None = None, **kwargs: Any
    ) -> None:
        if os.environ.get(URL_VARIABLE) or not (host or db):
            host = conversations_url()  # a full URL: Rasa then ignores dialect and db
        super().__init__(domain=domain, host=host, db=db or "rasa.db", **kwargs)
        url = self.engine.url.render_as_string(hide_password=False)
        self.engine.dispose()
        # pool_pre_ping: after a database restart, pooled connections are dead; test each before use.
        self.engine = sa.create_engine(url, hide_parameters=True, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sessionmaker(bind=self.engine)
        migrate(self.engine)

    async def save(self, tracker: DialogueStateTracker) -> None:
        if any(requests_erasure(event) for event in self._unsaved(tracker)):
            await self.erase(tracker.sender_id)
            return
        await super().save(tracker)

    def _unsaved(self, tracker: DialogueStateTracker) -> list[Event]:
        with self.session_scope() as session:
            return list(self._additional_events(session, tracker))

    async def erase(self, sender_id: str) -> int:
        """Delete every event of one sender, across all its sessions, then its channel records."""
        with self.session_scope() as session:
            deleted = session.execute(sa.delete(self.SQLEvent).where(self.SQLEvent.sender_id == sender_id)).rowcount
            session.commit()
        failed = await forget_everywhere(sender_id)
        logger.info("conversation erased on request (%d events, %d store(s) failed)", deleted, len(failed))
        return deleted
