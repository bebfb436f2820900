"""The Twilio channel on the real bot: signed form posts in, REST API calls out, numbered choices."""

from __future__ import annotations

import pytest

from tests.channels.clients import CHANNEL_ENV, TwilioUser, user_turns
from tests.channels.conversation import reach_recommendation
from tests.support.recorder import Recorder
from tests.support.servers import Stack

pytestmark = pytest.mark.e2e


def test_unsigned_and_forged_posts_are_refused(stack: Stack, recorder: Recorder) -> None:
    user = TwilioUser(stack, recorder)
    form = user.form(Body="bonjour")
    assert user.post(form, signature="").status_code == 403
    assert user.post(form, signature="dGhpcyBpcyBub3QgaXQ=").status_code == 403
    forged = TwilioUser(stack, recorder, sender_id=user.sender_id, token="pas-le-bon-jeton")
    assert forged.post(form).status_code == 403
    assert user.post({**form, "Body": "autre chose"}, signature=user.signature(form)).status_code == 403
    assert user_turns(stack, user.conversation_id)[0] == 0 and user.sent_to_me() == []


def test_a_signed_post_without_sender_is_a_400(stack: Stack, recorder: Recorder) -> None:
    user = TwilioUser(stack, recorder)
    form = {k: v for k, v in user.form(Body="bonjour").items() if k != "From"}
    assert user.post(form).status_code == 400


def test_media_without_text_and_locations_get_a_polite_answer(stack: Stack, recorder: Recorder) -> None:
    """Rasa's channel crashed with a 500 on a WhatsApp photo without a caption."""
    user = TwilioUser(stack, recorder)
    photo = user.form(Body="", NumMedia="1", MediaContentType0="image/jpeg", MediaUrl0="https://api.twilio.com/m/1")
    assert user.post(photo).status_code == 200
    location = user.form(Body="", Latitude="47.22", Longitude="2.07")
    assert user.post(location).status_code == 200
    first, second = (r.form for r in recorder.wait_for(user.is_to_me, count=2))
    assert first["Body"].startswith("Je ne peux pas voir les images.")
    assert "écrivez son nom ou son code postal" in second["Body"]
    assert first["From"] == CHANNEL_ENV["TWILIO_NUMBER"]
    assert user_turns(stack, user.conversation_id)[0] == 0


def test_a_conversation_reaches_a_recommendation_answering_with_numbers(stack: Stack, recorder: Recorder) -> None:
    user = TwilioUser(stack, recorder)
    replies = reach_recommendation(user)
    text = "\n".join(replies)
    assert "La bonne porte pour vous" in text
    assert "Téléphone" in text or "0 800 222 100" in text
    assert "Site : http" in text
    assert "1. Coordonnées\n2. Une autre question\n3. Parler à quelqu'un" in text
    assert "/ask_contact" not in text and all(len(body) <= 1600 for body in replies)
    assert user.say("1")
    assert user.latest_intent() == "ask_contact"
