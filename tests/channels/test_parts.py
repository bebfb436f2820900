"""The channels' parts that need no running bot: configuration, signatures, the id store, sends."""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest

from bot.channels.common import HttpSender, unreadable_reply, valid_meta_signature
from bot.channels.dedup import ReceivedMessages
from bot.channels.facebook import MessengerInput
from bot.channels.twilio import TwilioInput
from bot.channels.whatsapp import WhatsAppInput
from bot.privacy import forget_everywhere
from tests.channels.clients import CHANNEL_ENV, meta_signature
from tests.support.recorder import running_recorder


def test_a_channel_without_its_variables_is_off_and_says_so(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    for name in CHANNEL_ENV:
        monkeypatch.delenv(name, raising=False)
    caplog.set_level(logging.INFO, logger="bot.channels.common")
    channel = WhatsAppInput.from_credentials(None)
    assert channel.missing == list(WhatsAppInput.ENV)
    assert "WhatsApp channel off: set WHATSAPP_VERIFY_TOKEN" in caplog.text
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", "AC1")
    assert TwilioInput.from_credentials({}).missing == ["TWILIO_AUTH_TOKEN", "TWILIO_NUMBER"]
    assert "Twilio channel off: TWILIO_AUTH_TOKEN, TWILIO_NUMBER not set" in caplog.text


def test_a_configured_channel_is_on_and_reads_everything_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in CHANNEL_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("GRAPH_API_URL", raising=False)
    messenger = MessengerInput.from_credentials(None)
    assert messenger.missing == [] and messenger.name() == "facebook"
    assert (messenger.fb_verify, messenger.fb_secret) == ("verification-messenger", "secret-application-messenger")
    assert messenger.graph_api == "https://graph.facebook.com/v25.0"
    twilio = TwilioInput.from_credentials(None)
    assert (twilio.account_sid, twilio.twilio_number) == (CHANNEL_ENV["TWILIO_ACCOUNT_SID"], "whatsapp:+33100000000")
    assert twilio.settings["TWILIO_API_URL"] == "https://api.twilio.com"


def test_meta_signature_check() -> None:
    body = b'{"text": "\\u00e9t\\u00e9"}'
    assert valid_meta_signature("secret", body, meta_signature("secret", body))
    assert not valid_meta_signature("secret", body, meta_signature("secret", body).upper())
    assert not valid_meta_signature("secret", body, None)
    assert not valid_meta_signature("secret", body, "sha256=é")  # non-ASCII header: refused, no TypeError
    assert not valid_meta_signature("secret", body + b" ", meta_signature("secret", body))


def test_unreadable_messages_are_answered_in_french() -> None:
    assert unreadable_reply("audio").startswith("Je ne peux pas écouter les messages vocaux.")
    assert unreadable_reply("hologram").startswith("Je ne peux pas lire ce type de message.")


def test_received_ids_are_kept_per_channel_and_forgotten_with_the_sender(database_url: str) -> None:
    # The channels record the scoped sender id (bot/stores/scopes.py), the one an erasure names.
    store = ReceivedMessages(database_url)
    assert store.first_time("whatsapp", "wamid.1", "whatsapp:33612345678")
    assert not store.first_time("whatsapp", "wamid.1", "whatsapp:33612345678")
    assert store.first_time("facebook", "wamid.1", "facebook:psid-1")
    assert store.first_time("whatsapp", "wamid.2", "whatsapp:33612345678")
    assert ReceivedMessages(database_url).first_time("whatsapp", "wamid.1", "whatsapp:33612345678") is False
    assert store.forget_sender("whatsapp:33612345678") == 2
    assert store.first_time("whatsapp", "wamid.1", "whatsapp:33612345678")
    assert store.purge(datetime.utcnow() + timedelta(days=8)) == 2
    store.engine.dispose()


def test_ids_recorded_before_the_scoping_get_their_channel_prefix(database_url: str) -> None:
    store = ReceivedMessages(database_url)
    assert store.first_time("whatsapp", "wamid.1", "33612345678")  # as a channel did before issue 14
    reopened = ReceivedMessages(database_url)  # a replica starting with the new code
    assert reopened.forget_sender("whatsapp:33612345678") == 1
    store.engine.dispose()
    reopened.engine.dispose()


def test_channels_and_replicas_that_start_together_all_get_the_id_table(postgres_url: str) -> None:
    """On PostgreSQL, simultaneous CREATE TABLE clash on the catalogue: a webhook answered 500 (CI)."""
    start = threading.Barrier(6)

    def first_message(number: int) -> bool:
        start.wait()
        store = ReceivedMessages(postgres_url)
        try:
            return store.first_time("whatsapp", f"wamid.{number}", "33612345678")
        finally:
            store.engine.dispose()

    with ThreadPoolExecutor(6) as pool:
        assert list(pool.map(first_message, range(6))) == [True] * 6


async def test_the_erasure_of_a_conversation_forgets_its_message_ids(
    monkeypatch: pytest.MonkeyPatch, sqlite_url: str
) -> None:
    for name, value in CHANNEL_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    channel = WhatsAppInput.from_credentials(None)
    assert channel.received.first_time("whatsapp", "wamid.1", "whatsapp:33612345678")
    assert await forget_everywhere("whatsapp:33612345678") == []
    assert channel.received.first_time("whatsapp", "wamid.1", "whatsapp:33612345678")
    channel.received.engine.dispose()


async def test_a_send_that_times_out_is_logged_and_given_up(caplog: pytest.LogCaptureFixture) -> None:
    with running_recorder() as recorder:
        recorder.delay = 2.0
        sender = HttpSender("Test", timeout=0.3)
        started = time.monotonic()
        assert await sender.post(f"{recorder.url}/v25.0/me/messages", json={"message": {"text": "x"}}) is False
        assert time.monotonic() - started < 1.5
        recorder.delay = 0.0
        assert await sender.post(f"{recorder.url}/v25.0/me/messages", json={"message": {"text": "x"}}) is True
        await sender.close()
    assert "Test: send failed" in caplog.text
