"""The Messenger channel on the real bot: Meta's payloads in, Send API calls out."""

from __future__ import annotations

import hmac
import json
import time
import uuid

import pytest
import requests

from tests.channels.clients import MessengerUser, meta_signature, user_turns
from tests.channels.conversation import reach_recommendation
from tests.support.recorder import Recorder
from tests.support.servers import Stack

pytestmark = pytest.mark.e2e


def test_meta_subscribes_with_the_verify_token(stack: Stack, recorder: Recorder) -> None:
    user = MessengerUser(stack, recorder)
    answer = user.subscribe()
    assert (answer.status_code, answer.text) == (200, "1158201444")
    assert user.subscribe(**{"hub.verify_token": "meatyhamhock"}).status_code == 403


def test_only_a_valid_sha256_signature_is_accepted(stack: Stack, recorder: Recorder) -> None:
    """Rasa's own channel accepted the legacy SHA-1 header alone and crashed on « foo=abc »."""
    user = MessengerUser(stack, recorder)
    payload = user.envelope(user.text_event("bonjour"))
    body = json.dumps(payload).encode()
    sha1 = "sha1=" + hmac.new(user.secret.encode(), body, "sha1").hexdigest()
    url = f"{stack.url}/webhooks/facebook/webhook"
    legacy = requests.post(url, data=body, headers={"X-Hub-Signature": sha1}, timeout=10)
    assert legacy.status_code == 403
    assert user.post(payload, signature="").status_code == 403
    assert user.post(payload, signature="foo=abc").status_code == 403
    assert user.post(payload, signature=meta_signature("autre-secret", body)).status_code == 403
    assert user.post(None, body=b"{not json").status_code == 400
    assert user_turns(stack, user.conversation_id)[0] == 0 and user.sent_to_me() == []


def test_every_entry_and_event_of_a_batch_is_handled_and_receipts_are_ignored(stack: Stack, recorder: Recorder) -> None:
    first, second = MessengerUser(stack, recorder), MessengerUser(stack, recorder)
    echo = first.event(message={"mid": "m_echo", "is_echo": True, "app_id": 1517776481860111, "text": "écho"})
    echo["sender"], echo["recipient"] = {"id": "PAGE_ID"}, {"id": first.sender_id}
    read = first.event(read={"watermark": 1458668856253})
    delivery = first.event(delivery={"mids": ["mid.1458668856218:ed81099e15d3f4f233"], "watermark": 1458668856253})
    batch = first.envelope(read, first.text_event("bonjour"), delivery, echo)
    postback = second.event(
        postback={"mid": f"m_{uuid.uuid4().hex}", "title": "Trouver un emploi", "payload": "/besoin_recherche_emploi"}
    )
    batch["entry"] += second.envelope(postback)["entry"]
    assert first.post(batch).status_code == 200
    assert first.finish_turn() and second.finish_turn()
    assert user_turns(stack, first.conversation_id)[0] == 1
    assert second.latest_intent() == "besoin_recherche_emploi"


def test_quick_replies_carry_their_payload(stack: Stack, recorder: Recorder) -> None:
    user = MessengerUser(stack, recorder)
    replies = user.say("bonjour")
    assert len(replies[-1]["quick_replies"]) <= 13
    assert all(len(q["title"]) <= 20 for q in replies[-1]["quick_replies"])
    user.choose(replies, "Faire une VAE")
    assert user.latest_intent() == "besoin_vae"


def test_attachments_get_a_polite_answer(stack: Stack, recorder: Recorder) -> None:
    user = MessengerUser(stack, recorder)
    photo = user.event(
        message={"mid": "m_photo", "attachments": [{"type": "image", "payload": {"url": "https://x/y.jpg"}}]}
    )
    assert user.post(user.envelope(photo)).status_code == 200
    [reply] = recorder.wait_for(user.is_to_me)
    assert reply.json["message"]["text"].startswith("Je ne peux pas voir les images.")
    assert reply.headers["Authorization"] == "Bearer jeton-de-la-page"
    assert reply.json["messaging_type"] == "RESPONSE"


def test_half_an_emoji_is_answered_and_stored_writable(stack: Stack, recorder: Recorder) -> None:
    """JSON allows a lone surrogate; kept as is, it would break the studio's inbox and the report."""
    user = MessengerUser(stack, recorder)
    replies = user.say("Bonjour \ud83d")
    assert replies and all(r.get("text") or r.get("attachment") for r in replies)
    tracker = requests.get(f"{stack.url}/conversations/{user.conversation_id}/tracker", timeout=10).json()
    assert tracker["latest_message"]["text"] == "Bonjour \ufffd"


def test_the_webhook_answers_at_once_even_when_the_send_api_is_slow(stack: Stack, recorder: Recorder) -> None:
    """Rasa's channel sent with blocking ``requests`` inside the event loop, without a timeout."""
    user = MessengerUser(stack, recorder)
    recorder.delay = 3.0
    try:
        started = time.monotonic()
        assert user.post(user.envelope(user.text_event("bonjour"))).status_code == 200
        assert time.monotonic() - started < 1.5
        recorder.wait_for(user.is_to_me, timeout=30)  # the bot's first send now waits for its answer
        started = time.monotonic()
        assert requests.get(f"{stack.url}/webhooks/facebook/", timeout=10).json() == {"status": "ok"}
        assert time.monotonic() - started < 1.5, "the server answers other requests while a send waits"
    finally:
        recorder.delay = 0.0
    user.finish_turn()


def test_a_conversation_reaches_a_recommendation_card(stack: Stack, recorder: Recorder) -> None:
    user = MessengerUser(stack, recorder)
    replies = reach_recommendation(user)
    card = next(r for r in replies if r.get("attachment", {}).get("payload", {}).get("template_type") == "generic")
    [element] = card["attachment"]["payload"]["elements"]
    assert element["title"] and element["subtitle"]
    assert any(b["type"] == "web_url" and b["url"].startswith("https://") for b in element["buttons"])
    assert len(element["buttons"]) <= 3
    template = replies[-1]["attachment"]["payload"]
    assert template["template_type"] == "button"
    assert [b["title"] for b in template["buttons"]] == ["Coordonnées", "Une autre question", "Parler à quelqu'un"]
    assert all(b["type"] == "postback" for b in template["buttons"])
    assert user.choose(replies, "Coordonnées")
