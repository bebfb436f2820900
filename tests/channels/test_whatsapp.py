"""The WhatsApp Cloud API channel on the real bot: Meta's payloads in, Graph API calls out."""

from __future__ import annotations

import hmac
import json
import time

import pytest
from sqlalchemy import func, select

from bot.channels.dedup import ReceivedMessages, received_messages
from tests.channels.clients import WhatsAppUser, meta_signature, user_turns
from tests.channels.conversation import reach_recommendation
from tests.support.recorder import Recorder
from tests.support.servers import Stack, base_env, start_rasa

pytestmark = pytest.mark.e2e


def test_meta_subscribes_with_the_verify_token(stack: Stack, recorder: Recorder) -> None:
    user = WhatsAppUser(stack, recorder)
    answer = user.subscribe()
    assert (answer.status_code, answer.text) == (200, "1158201444")
    assert user.subscribe(**{"hub.verify_token": "autre"}).status_code == 403
    assert user.subscribe(**{"hub.mode": "unsubscribe"}).status_code == 403


def test_forged_and_malformed_requests_are_refused(stack: Stack, recorder: Recorder) -> None:
    user = WhatsAppUser(stack, recorder)
    payload = user.envelope([user.message("text", {"body": "bonjour"})])
    body = json.dumps(payload).encode()
    assert user.post(payload, signature="").status_code == 403
    assert user.post(payload, signature="sha256=").status_code == 403
    assert user.post(payload, signature=meta_signature("pas-le-bon-secret", body)).status_code == 403
    assert user.post(payload, signature=meta_signature(user.secret, b"autre chose")).status_code == 403
    sha1 = "sha1=" + hmac.new(user.secret.encode(), body, "sha1").hexdigest()
    assert user.post(payload, signature=sha1).status_code == 403
    assert user.post(None, body=b'{"object": "whatsapp_business_account", "entry": [').status_code == 400
    assert user.post(None, body=b"[1, 2]").status_code == 400
    assert user_turns(stack, user.conversation_id)[0] == 0 and user.sent_to_me() == []


def test_text_button_and_list_replies_reach_the_bot_as_text_and_payloads(stack: Stack, recorder: Recorder) -> None:
    user = WhatsAppUser(stack, recorder)
    replies = user.say("Bonjour, je cherche un emploi")
    sent = recorder.matching(user.is_to_me)[-1]
    assert sent.headers["Authorization"] == "Bearer jeton-whatsapp"
    assert sent.json["messaging_product"] == "whatsapp" and sent.json["recipient_type"] == "individual"
    assert replies[-1]["type"] == "interactive"  # a question with its choices as buttons or a list
    reply = {"id": "/ask_other_question", "title": "Une autre question"}
    assert user.send(user.message("interactive", {"type": "button_reply", "button_reply": reply}))
    assert user.latest_intent() == "ask_other_question"
    row = {"id": "/besoin_vae", "title": "Faire une VAE", "description": ""}
    assert user.send(user.message("interactive", {"type": "list_reply", "list_reply": row}))
    assert user.latest_intent() == "besoin_vae"


def test_utf8_bodies_are_verified_on_their_raw_bytes(stack: Stack, recorder: Recorder) -> None:
    user = WhatsAppUser(stack, recorder)
    payload = user.envelope([user.message("text", {"body": "Je voudrais reprendre des études après mon bac"})])
    response = user.post(None, body=json.dumps(payload, ensure_ascii=False).encode())
    assert response.status_code == 200
    assert user.finish_turn()


def test_statuses_reactions_and_unknown_types_are_ignored(stack: Stack, recorder: Recorder) -> None:
    user = WhatsAppUser(stack, recorder)
    status = {"id": "wamid.HBgLMzM2MTIzNDU2NzgVAgARGBI=", "status": "delivered", "timestamp": "1750857384"}
    statuses = user.envelope(statuses=[{**status, "recipient_id": user.sender_id}])
    assert user.post(statuses).status_code == 200
    reaction = user.message("reaction", {"message_id": "wamid.HBgL", "emoji": "👍"})
    unknown = user.message("hologram", {"id": "1"})
    assert user.post(user.envelope([reaction, unknown])).status_code == 200
    assert user.post({"object": "page", "entry": []}).status_code == 200
    assert user.say("bonjour")
    assert user_turns(stack, user.conversation_id)[0] == 1


def test_every_entry_and_message_of_a_batch_is_answered(stack: Stack, recorder: Recorder) -> None:
    first, second = WhatsAppUser(stack, recorder), WhatsAppUser(stack, recorder)
    batch = first.envelope([first.message("text", {"body": "bonjour"})])
    batch["entry"] += second.envelope([second.message("text", {"body": "je veux changer de métier"})])["entry"]
    assert first.post(batch).status_code == 200
    assert first.finish_turn() and second.finish_turn()


def test_photos_voice_messages_and_locations_get_a_polite_french_answer(stack: Stack, recorder: Recorder) -> None:
    user = WhatsAppUser(stack, recorder)
    media = {"id": "1013859600285441", "mime_type": "image/jpeg", "sha256": "abc"}
    messages = [
        user.message("image", media),
        user.message("sticker", {**media, "mime_type": "image/webp", "animated": False}),
        user.message("audio", {**media, "mime_type": "audio/ogg; codecs=opus", "voice": True}),
        user.message("location", {"latitude": 47.22, "longitude": 2.07, "name": "Vierzon"}),
    ]
    assert user.post(user.envelope(messages)).status_code == 200
    bodies = [r.json["text"]["body"] for r in recorder.wait_for(user.is_to_me, count=4)]
    assert bodies[0].startswith("Je ne peux pas voir les images.")
    assert bodies[2].startswith("Je ne peux pas écouter les messages vocaux.")
    assert "écrivez son nom ou son code postal" in bodies[3]
    assert all("Je lis seulement les messages écrits" in b for b in bodies)
    assert user_turns(stack, user.conversation_id)[0] == 0


def test_a_retried_message_is_answered_once(stack: Stack, recorder: Recorder) -> None:
    user = WhatsAppUser(stack, recorder)
    message = user.message("text", {"body": "bonjour"}, message_id="wamid.retry-1")
    assert user.send(message)
    assert user.post(user.envelope([message])).status_code == 200
    assert user.say("je cherche un emploi")
    assert user_turns(stack, user.conversation_id)[0] == 2


def test_a_conversation_reaches_a_recommendation_with_phone_site_and_buttons(stack: Stack, recorder: Recorder) -> None:
    user = WhatsAppUser(stack, recorder)
    replies = reach_recommendation(user)
    body = next(r["text"]["body"] for r in replies if r["type"] == "text" and "La bonne porte" in r["text"]["body"])
    assert "Téléphone" in body or "0 800 222 100" in body
    assert "Site : http" in body
    assert len(body) <= 4096
    buttons = replies[-1]["interactive"]
    assert buttons["type"] == "button"
    assert [b["reply"]["title"] for b in buttons["action"]["buttons"]] == [
        "Coordonnées",
        "Une autre question",
        "Parler à quelqu'un",
    ]
    contact = user.choose(replies, "Coordonnées")
    assert contact and contact[0]["type"] == "text"


def test_erasing_the_conversation_erases_its_message_ids(stack: Stack, recorder: Recorder) -> None:
    user = WhatsAppUser(stack, recorder)
    store = ReceivedMessages(base_env(stack.workdir)["DATABASE_URL"])
    kept = select(func.count()).where(received_messages.c.sender_id == user.conversation_id)
    replies = user.say("/delete_data")
    assert user.question(replies)[1] == ["Oui, tout effacer", "Non, garder"]
    with store.engine.connect() as connection:
        assert connection.execute(kept).scalar_one() == 1
    reply = {"id": "/affirm", "title": "Oui, tout effacer"}
    assert user.post(user.envelope([user.message("interactive", {"type": "button_reply", "button_reply": reply})])).ok
    recorder.wait_for(lambda r: user.is_to_me(r) and "effacé" in r.json.get("text", {}).get("body", ""))
    deadline = time.monotonic() + 30
    while user_turns(stack, user.conversation_id)[0] and time.monotonic() < deadline:
        time.sleep(0.2)
    with store.engine.connect() as connection:
        assert connection.execute(kept).scalar_one() == 0
    store.engine.dispose()


def test_retried_ids_are_still_known_after_a_restart(
    stack: Stack, recorder: Recorder, channel_env: dict[str, str]
) -> None:
    """Restarts the shared Rasa server (same database, same configuration) in the middle of the session."""
    user = WhatsAppUser(stack, recorder)
    message = user.message("text", {"body": "bonjour"}, message_id="wamid.before-restart")
    assert user.send(message)
    old = stack.processes[-1]
    old.terminate()
    old.wait(timeout=30)
    env = base_env(stack.workdir, channel_env)
    process, stack.url, stack.logs["rasa"] = start_rasa(
        stack.workdir, env, stack.workdir / "endpoints.yml", stack.workdir / "credentials.yml", args=("--enable-api",)
    )
    stack.processes[-1] = process
    assert user.post(user.envelope([message])).status_code == 200
    assert user.say("je cherche un emploi")
    assert user_turns(stack, user.conversation_id)[0] == 2
