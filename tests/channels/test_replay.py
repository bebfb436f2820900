"""A signed webhook event replayed hours later is dropped (issue 14): the message-id deduplication
forgets ids after 7 days, and a message sent long ago is too late to answer anyway."""

from __future__ import annotations

import time

import pytest

from tests.channels.clients import MessengerUser, WhatsAppUser, user_turns
from tests.support.recorder import Recorder
from tests.support.servers import Stack

pytestmark = pytest.mark.e2e
TWO_HOURS_AGO = time.time() - 2 * 3600


def test_old_whatsapp_and_messenger_events_are_dropped(stack: Stack, recorder: Recorder) -> None:
    whatsapp, messenger = WhatsAppUser(stack, recorder), MessengerUser(stack, recorder)
    old_text = {**whatsapp.message("text", {"body": "bonjour"}), "timestamp": str(int(TWO_HOURS_AGO))}
    assert whatsapp.post(whatsapp.envelope([old_text])).status_code == 200
    old_event = {**messenger.text_event("bonjour"), "timestamp": int(TWO_HOURS_AGO * 1000)}
    assert messenger.post(messenger.envelope(old_event)).status_code == 200
    # A fresh message from each, to know the old ones had their chance to be handled first.
    assert whatsapp.say("bonjour") and messenger.say("bonjour")
    time.sleep(2)
    assert user_turns(stack, whatsapp.conversation_id)[0] == 1
    assert user_turns(stack, messenger.conversation_id)[0] == 1
