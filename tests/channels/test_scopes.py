"""One person's conversation is theirs alone: the reproduction of issue 14, on the real bot.

A WhatsApp person (through the Twilio channel, with a valid signature) tells the bot their age,
situation and commune. Someone who knows their number then writes to the public REST webhook with
that number as ``sender``, with and without Twilio's ``whatsapp:`` prefix. Before conversations
were scoped by channel, REST continued the person's conversation (the Mission locale of Vierzon
came back) and ``/delete_data`` then ``/affirm`` erased it.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.channels.clients import TwilioUser, user_turns
from tests.support.recorder import Recorder
from tests.support.servers import Stack

pytestmark = pytest.mark.e2e


def rest(stack: Stack, sender: str, message: str) -> list[dict[str, Any]]:
    answer = requests.post(
        f"{stack.url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60
    )
    assert answer.status_code == 200
    return answer.json()


def slots(stack: Stack, conversation_id: str) -> dict[str, Any]:
    return requests.get(f"{stack.url}/conversations/{conversation_id}/tracker", timeout=10).json()["slots"]


def test_rest_cannot_read_continue_or_erase_a_whatsapp_conversation(stack: Stack, recorder: Recorder) -> None:
    person = TwilioUser(stack, recorder)
    assert person.say("j'ai 19 ans, j'ai arrêté le lycée et j'habite à Vierzon")
    before = slots(stack, person.conversation_id)
    assert before["commune"] and before["age"]

    number = person.sender_id.removeprefix("whatsapp:")
    for sender in (person.sender_id, number):
        replies = rest(stack, sender, "je cherche du travail")
        text = " ".join(str(reply) for reply in replies)
        assert "Vierzon" not in text and "recommendation" not in text
        assert all(reply["recipient_id"] == sender for reply in replies)
        rest(stack, sender, "/delete_data")
        assert any("effacé" in reply.get("text", "") for reply in rest(stack, sender, "/affirm"))

    assert user_turns(stack, person.conversation_id)[0] == 1
    assert slots(stack, person.conversation_id) == before
    assert all("ont été effacés" not in request.form["Body"] for request in person.sent_to_me())
