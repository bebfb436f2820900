"""Conversation ids scoped by channel: the same string on two channels is two conversations.

Rasa keys a conversation by its sender id whatever the channel. A WhatsApp person's id is their
phone number, a Messenger one's a page-scoped id; the public REST webhook and the widget accept an
id the client chooses. Unscoped, anyone who knows (or guesses) a number could read, continue or
erase that person's conversation through REST. So every channel hands Rasa ``<channel>:<id>``
(``rest:…``, ``socketio:…``, ``facebook:…``, ``whatsapp:…``, ``twilio:…``) and strips the prefix
again when it sends a reply: the platforms only know their own ids.

Conversations stored before the ids were scoped are renamed once, at start-up
(``PrivacySQLTrackerStore``) or by ``python -m bot migrate``: each sender is given the scope of the
channel of its first message. Running it again changes nothing.
"""

from __future__ import annotations

import json
import logging

from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine

from bot.stores.events import EVENTS, has_events_table

logger = logging.getLogger(__name__)

CHANNELS = ("rest", "socketio", "facebook", "whatsapp", "twilio")


def scoped(channel: str, sender_id: str) -> str:
    """The conversation id Rasa stores for ``sender_id`` received on ``channel``."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    return f"{channel}:{sender_id}"


def unscoped(channel: str, conversation_id: str) -> str:
    """The platform's own id, to send a reply; an id without this channel's prefix is kept as is."""
    prefix = f"{channel}:"
    return conversation_id[len(prefix) :] if conversation_id.startswith(prefix) else conversation_id


def migrate(engine: Engine) -> int:
    """Give every stored conversation not yet scoped the scope of its first message's channel.

    Idempotent: a sender whose id already starts with its channel's prefix is left alone (a
    Twilio id ``whatsapp:+33…`` is not mistaken for a scoped WhatsApp one: its channel is
    ``twilio``). A conversation without any message (or from an unknown channel) cannot be
    reached by anyone and is left as it is. Returns the number of conversations renamed.
    """
    if not has_events_table(engine):
        return 0
    first_messages = select(func.min(EVENTS.c.id)).where(EVENTS.c.type_name == "user").group_by(EVENTS.c.sender_id)
    renamed = 0
    with engine.begin() as connection:
        rows = connection.execute(
            select(EVENTS.c.sender_id, EVENTS.c.data).where(EVENTS.c.id.in_(first_messages))
        ).all()
        for sender_id, data in rows:
            try:
                channel = json.loads(data or "{}").get("input_channel")
            except (ValueError, AttributeError):
                channel = None
            if channel not in CHANNELS or sender_id.startswith(f"{channel}:"):
                continue
            connection.execute(
                update(EVENTS).where(EVENTS.c.sender_id == sender_id).values(sender_id=scoped(channel, sender_id))
            )
            renamed += 1
    if renamed:
        logger.info("conversations scoped by channel: %d renamed", renamed)
    return renamed
