"""Rasa's SQL conversation store, with the right to erasure built in.

When a conversation ends with ``action_delete_data`` (the person asked for it and confirmed),
every stored event of that conversation is deleted instead of being saved, and so are the
channels' per-user records; the next message starts a fresh conversation.
"""

from __future__ import annotations

import logging

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)
ERASURE_ACTION = "action_delete_data"


class PrivacySQLTrackerStore(SQLTrackerStore):
    async def save(self, tracker: DialogueStateTracker) -> None:
        if any(isinstance(e, ActionExecuted) and e.action_name == ERASURE_ACTION for e in self._unsaved(tracker)):
            self.erase(tracker.sender_id)
            return
        await super().save(tracker)

    def _unsaved(self, tracker: DialogueStateTracker) -> list:
        with self.session_scope() as session:
            return list(self._additional_events(session, tracker))

    def erase(self, sender_id: str) -> int:
        """Delete every event of one conversation, across all its sessions."""
        with self.session_scope() as session:
            deleted = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id).delete()
            session.commit()
        logger.info("conversation erased on request (%d events)", deleted)
        return deleted
