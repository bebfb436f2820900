"""The conversation store: where it is, erasure with the channels' records, errors that quote nothing."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, BotUttered, Restarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import privacy
from bot.stores import events
from bot.stores.events import EVENTS, URL_VARIABLE, open_store
from tests.support.store_data import Say, Session, domain, open_tracker_store, write_sessions

UTC_NOON = "2026-10-05T12:00:00+00:00"


def stored_senders(url: str) -> dict[str, int]:
    with open_store(url).connect() as connection:
        rows = connection.execute(sa.select(EVENTS.c.sender_id, sa.func.count()).group_by(EVENTS.c.sender_id))
        return dict(rows.all())


@pytest.fixture(autouse=True)
def no_configured_store(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(URL_VARIABLE, raising=False)
    monkeypatch.setattr(privacy, "_forgetters", {})


def test_our_table_is_rasas_table() -> None:
    ours = {c.name: (type(c.type), c.primary_key, c.nullable) for c in EVENTS.columns}
    rasa = {c.name: (type(c.type), c.primary_key, c.nullable) for c in SQLTrackerStore.SQLEvent.__table__.columns}
    assert ours == rasa


def test_the_environment_variable_wins_over_endpoints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'from-env.db'}"
    monkeypatch.setenv(URL_VARIABLE, url)
    store = open_tracker_store(f"sqlite:///{tmp_path / 'from-endpoints.db'}")
    assert store.engine.url.database == str(tmp_path / "from-env.db")


def test_without_configuration_the_store_is_the_sqlite_file_under_var(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(events, "VAR_DIR", tmp_path / "var")
    store = open_tracker_store(None)
    assert store.engine.url.database == str(tmp_path / "var" / "conversations.db")
    assert events.conversations_url() == f"sqlite:///{tmp_path / 'var' / 'conversations.db'}"


def test_a_postgres_url_from_heroku_style_settings_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(URL_VARIABLE, "postgres://spro@db.example:5432/spro")
    assert events.conversations_url() == "postgresql://spro@db.example:5432/spro"


async def test_erasure_deletes_every_session_of_the_sender_and_its_channel_records(database_url: str) -> None:
    forgotten: list[tuple[str, str]] = []

    async def forget_async(sender_id: str) -> None:
        forgotten.append(("async", sender_id))

    def broken(sender_id: str) -> None:
        raise RuntimeError(f"cannot reach the store of {sender_id}")

    privacy.register_forget("whatsapp-dedup", lambda sender_id: forgotten.append(("sync", sender_id)))
    privacy.register_forget("broken", broken)
    privacy.register_forget("redis", forget_async)

    store = open_tracker_store(database_url)
    start = datetime.fromisoformat(UTC_NOON)
    await write_sessions(
        store,
        [
            Session("alice", start, steps=[Say("je veux changer de métier", "besoin_reconversion")]),
            Session("alice", start.replace(hour=15), steps=[Say("bonjour", "greet")]),
            Session("bob", start, steps=[Say("bonjour", "greet")]),
        ],
    )
    assert set(stored_senders(database_url)) == {"alice", "bob"}

    tracker = await store.retrieve("alice")
    tracker.update(UserUttered("oui", {"name": "affirm", "confidence": 1.0}))
    tracker.update(ActionExecuted("action_delete_data"))
    tracker.update(SlotSet(privacy.ERASURE_SLOT, True))
    tracker.update(BotUttered("C'est fait."))
    tracker.update(Restarted())
    await store.save(tracker)

    assert set(stored_senders(database_url)) == {"bob"}
    assert forgotten == [("sync", "alice"), ("async", "alice")]
    assert await store.retrieve("alice") is None
    assert await store.retrieve_full_tracker("alice") is None


async def test_erasure_is_the_event_not_the_name_of_an_action(database_url: str) -> None:
    store = open_tracker_store(database_url)
    tracker = DialogueStateTracker.from_events("erin", [ActionExecuted("action_listen")], domain().slots)
    tracker.update(UserUttered("bonjour", {"name": "greet", "confidence": 1.0}))
    tracker.update(ActionExecuted("action_delete_data"))  # the action's name alone erases nothing
    await store.save(tracker)
    assert stored_senders(database_url) == {"erin": 3}
    tracker.update(SlotSet(privacy.ERASURE_SLOT, True))
    await store.save(tracker)
    assert stored_senders(database_url) == {}


async def test_an_ordinary_save_forgets_nothing(database_url: str) -> None:
    privacy.register_forget("whatsapp-dedup", lambda sender_id: pytest.fail("nothing to forget"))
    store = open_tracker_store(database_url)
    tracker = DialogueStateTracker.from_events("carol", [ActionExecuted("action_listen")], domain().slots)
    tracker.update(UserUttered("bonjour", {"name": "greet", "confidence": 1.0}))
    await store.save(tracker)
    assert stored_senders(database_url) == {"carol": 2}


def refuse_inserts(engine: sa.engine.Engine) -> None:
    """Make the next insert into ``events`` fail while reads still work."""
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.execute(
                sa.text("CREATE TRIGGER refuse BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'refused'); END")
            )
        else:
            connection.execute(sa.text("ALTER TABLE events ADD CONSTRAINT refuse CHECK (sender_id <> 'dave')"))


async def test_a_database_error_does_not_quote_the_message(database_url: str) -> None:
    tracker = DialogueStateTracker.from_events("dave", [], domain().slots)
    tracker.update(UserUttered("je m'appelle Dave Martin", {"name": "greet", "confidence": 1.0}))

    plain = SQLTrackerStore(domain(), host=database_url)  # Rasa's own store, for comparison
    refuse_inserts(plain.engine)
    with pytest.raises(sa.exc.DBAPIError) as error:
        await plain.save(tracker)
    assert "Dave Martin" in str(error.value)

    store = open_tracker_store(database_url)
    with pytest.raises(sa.exc.DBAPIError) as error:
        await store.save(tracker)
    assert "Dave Martin" not in str(error.value)
    assert "SQL parameters hidden" in str(error.value)
