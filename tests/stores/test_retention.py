"""``purge`` deletes exactly the conversations whose last event is older than the period, and nothing else."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from bot.stores.events import EVENTS, URL_VARIABLE, open_store
from bot.stores.retention import purge
from bot.stores.scopes import scoped
from tests.conftest import ROOT
from tests.support.store_data import Say, Session, Slot, open_tracker_store, write_sessions


def ago(days: float) -> datetime:
    return datetime.now(timezone.utc) - timedelta(days=days)


@dataclass
class Store:
    """The sessions, dated when the test starts (the straddling one is within a minute of the cutoff)."""

    url: str
    old: Session
    recent: Session
    mixed_old: Session
    mixed_new: Session
    straddling: Session

    @property
    def sessions(self) -> list[Session]:
        return [self.old, self.recent, self.mixed_old, self.mixed_new, self.straddling]


def remaining(url: str) -> list[tuple[str, float]]:
    with open_store(url).connect() as connection:
        return [tuple(row) for row in connection.execute(sa.select(EVENTS.c.sender_id, EVENTS.c.timestamp))]


def same(rows: list[tuple[str, float]], sessions: list[Session]) -> bool:
    want = sorted((s.sender, round(e.timestamp, 3)) for s in sessions for e in s.events)
    return sorted((sender, round(ts, 3)) for sender, ts in rows) == want


@pytest.fixture
async def store(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.delenv(URL_VARIABLE, raising=False)
    store = Store(
        database_url,
        old=Session("old", ago(200), steps=[Say("je veux changer de métier", "besoin_reconversion")]),
        recent=Session("recent", ago(10), steps=[Say("bonjour", "greet")]),
        mixed_old=Session("mixed", ago(250), steps=[Say("mon fils a arrêté le lycée", "besoin_decrochage")]),
        mixed_new=Session("mixed", ago(5), steps=[Say("j'ai 34 ans", "inform_age"), Slot("besoin", "reconversion")]),
        # Events 10 s apart from 180 days and 20 s ago: the last one, 50 s later, is inside the period.
        straddling=Session("straddling", ago(180) - timedelta(seconds=20), steps=[Say("bonjour", "greet")] * 3),
    )
    await write_sessions(open_tracker_store(database_url), store.sessions)
    with open_store(database_url).begin() as connection:  # another table of the same database
        connection.execute(sa.text("CREATE TABLE structures (id VARCHAR(20) PRIMARY KEY)"))
        connection.execute(sa.text("INSERT INTO structures VALUES ('ml-vierzon')"))
    return store


async def test_purge_deletes_exactly_the_expired_conversations(store: Store) -> None:
    result = purge(open_store(store.url), ago(180))
    assert (result.conversations, result.events) == (2, len(store.old.events) + len(store.mixed_old.events))
    assert same(remaining(store.url), [store.recent, store.mixed_new, store.straddling])
    with open_store(store.url).connect() as connection:
        assert connection.execute(sa.text("SELECT id FROM structures")).scalars().all() == ["ml-vierzon"]


async def test_the_bot_goes_on_with_a_purged_sender(store: Store) -> None:
    purge(open_store(store.url), ago(180))
    tracker = await open_tracker_store(store.url).retrieve(scoped("rest", "mixed"))  # opening the store scoped it
    assert tracker.get_slot("besoin") == "reconversion"
    assert [e.text for e in tracker.events if e.type_name == "user"] == ["j'ai 34 ans"]


async def test_dry_run_counts_and_deletes_nothing(store: Store) -> None:
    result = purge(open_store(store.url), ago(180), dry_run=True)
    assert result.conversations == 2
    assert same(remaining(store.url), store.sessions)


def test_an_empty_store_has_nothing_to_purge(sqlite_url: str) -> None:
    assert purge(open_store(sqlite_url), ago(0)).conversations == 0


def run_purge(url: str, *args: str, retention: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), URL_VARIABLE: url}
    env.pop("SPRO_RETENTION_DAYS", None)
    if retention:
        env["SPRO_RETENTION_DAYS"] = retention
    return subprocess.run(
        [sys.executable, "-m", "bot", "purge", *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )


async def test_the_command_purges_180_days_by_default(store: Store) -> None:
    result = run_purge(store.url)
    assert result.returncode == 0, result.stderr
    events = len(store.old.events) + len(store.mixed_old.events)
    assert result.stdout == f"2 conversation(s) sans message depuis 180 jours supprimée(s) ({events} événements).\n"
    assert same(remaining(store.url), [store.recent, store.mixed_new, store.straddling])


async def test_the_command_follows_spro_retention_days_and_older_than(store: Store) -> None:
    assert run_purge(store.url, "--older-than", "300d").stdout.startswith("0 conversation(s)")
    result = run_purge(store.url, retention="100")
    assert result.stdout.startswith("3 conversation(s) sans message depuis 100 jours supprimée(s)")
    assert same(remaining(store.url), [store.recent, store.mixed_new])


def test_the_command_refuses_a_bad_period(sqlite_url: str) -> None:
    result = run_purge(sqlite_url, "--older-than", "six mois")
    assert result.returncode == 2
    assert "durée invalide : « six mois »" in result.stderr
    result = run_purge(sqlite_url, retention="0")
    assert result.returncode == 2
    assert result.stderr == "Erreur : SPRO_RETENTION_DAYS doit être d'au moins 1 jour, pas 0\n"


def test_a_systemd_timer_runs_the_purge_every_night() -> None:
    """Issue 14: the retention only ran if someone added a cron job."""
    units = ROOT / "deploy" / "systemd"
    service = (units / "spro-purge.service").read_text(encoding="utf-8")
    timer = (units / "spro-purge.timer").read_text(encoding="utf-8")
    assert "ExecStart=/opt/spro/.venv/bin/python -m bot purge\n" in service and "Type=oneshot" in service
    assert "OnCalendar=*-*-* 03:30:00" in timer and "Persistent=true" in timer
    verify = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(units / "spro-purge.timer")], capture_output=True, text=True
    )
    assert "spro-purge" not in verify.stderr, verify.stderr
