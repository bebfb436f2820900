"""Conversations stored before the ids were scoped by channel are renamed once, and only once."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime

import sqlalchemy as sa

from bot.stores.events import EVENTS, open_store
from bot.stores.scopes import migrate, scoped, unscoped
from tests.conftest import ROOT
from tests.support.store_data import Say, Session, open_tracker_store, write_sessions

START = datetime.fromisoformat("2026-10-05T12:00:00+00:00")
NUMBER = "33612345678"


def senders(url: str) -> set[str]:
    with open_store(url).connect() as connection:
        return set(connection.execute(sa.select(EVENTS.c.sender_id).distinct()).scalars())


def test_scoping_is_reversible_for_the_platform() -> None:
    assert scoped("twilio", "whatsapp:+33612345678") == "twilio:whatsapp:+33612345678"
    assert unscoped("twilio", "twilio:whatsapp:+33612345678") == "whatsapp:+33612345678"
    assert unscoped("whatsapp", scoped("whatsapp", NUMBER)) == NUMBER


async def test_stored_conversations_get_the_scope_of_their_channel_once(database_url: str) -> None:
    store = open_tracker_store(database_url)
    hello = [Say("bonjour", "greet")]
    await write_sessions(
        store,
        [
            Session(NUMBER, START, channel="whatsapp", steps=hello),
            Session("whatsapp:+33612345678", START, channel="twilio", steps=hello),
            Session("navigateur-0123456789abcdef", START, channel="socketio", steps=hello),
            Session("rest:deja-rangee", START, channel="rest", steps=hello),
            Session("sans-message", START),
        ],
    )
    # The bot opening the store (start-up) renames them.
    open_tracker_store(database_url)
    expected = {
        f"whatsapp:{NUMBER}",
        "twilio:whatsapp:+33612345678",
        "socketio:navigateur-0123456789abcdef",
        "rest:deja-rangee",
        "sans-message",
    }
    assert senders(database_url) == expected
    assert migrate(open_store(database_url)) == 0
    assert senders(database_url) == expected


def test_the_migrate_command_renames_and_says_how_many(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'conversations.db'}"
    with open_store(url).begin() as connection:
        EVENTS.metadata.create_all(connection)
        connection.execute(
            sa.insert(EVENTS).values(
                sender_id=NUMBER, type_name="user", timestamp=0.0, data='{"input_channel": "whatsapp"}'
            )
        )
    command = [sys.executable, "-m", "bot", "migrate", "--database", url]
    first = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    second = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    assert first.stdout.startswith("1 conversation(s)") and second.stdout.startswith("0 conversation(s)")
    assert senders(url) == {f"whatsapp:{NUMBER}"}
