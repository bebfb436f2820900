"""Accounts, history with git commits, the inbox of real messages, the model fingerprint."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from sqlalchemy import create_engine, insert

from bot.stores.events import EVENTS
from bot.stores.events import metadata as events_metadata
from bot.studio import history, inbox
from bot.studio.accounts import AccountError, add_user, authenticate
from bot.studio.db import USERS, open_db
from bot.studio.project import Project
from bot.studio.publish import drop_refused, fingerprint
from tests.support.servers import ROOT


def test_passwords_are_hashed_with_argon2id(tmp_path: Path) -> None:
    db = open_db(tmp_path)
    add_user(db, "marie", "Marie Dupont", "un mot de passe long", "admin")
    with db.connect() as conn:
        stored = conn.execute(USERS.select()).one().password_hash
    assert stored.startswith("$argon2id$") and "un mot de passe" not in stored
    assert authenticate(db, "marie", "un mot de passe long").is_admin
    assert authenticate(db, "marie", "mauvais mot de passe") is None
    assert authenticate(db, "personne", "un mot de passe long") is None
    for bad in (("Marie!", "Marie", "un mot de passe long"), ("paul", "Paul", "court")):
        try:
            add_user(db, *bad)
        except AccountError:
            continue
        raise AssertionError(f"accepted: {bad}")


def test_a_change_is_recorded_and_committed_with_the_editors_name(project_dir: Path, tmp_path: Path) -> None:
    db = open_db(tmp_path / "var")
    editor = add_user(db, "marie", "Marie Dupont", "un mot de passe long")
    project = Project(project_dir)
    path = project.set_examples("thank", ["merci", "merci beaucoup"])
    assert history.record(db, editor, "exemples", "thank : 2 exemples", project_dir, [path])
    log = subprocess.run(
        ["git", "-C", str(project_dir), "log", "-1", "--format=%an|%s", "--name-only"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert log.startswith("Marie Dupont|Studio : thank : 2 exemples")
    assert "data/nlu/conversation.yml" in log
    [change] = history.changes(db)
    assert (change.name, change.action) == ("Marie Dupont", "exemples")


def user_event(text: str, intent: str, confidence: float, ranking: list[tuple[str, float]]) -> dict:
    return {
        "sender_id": "s1",
        "type_name": "user",
        "intent_name": intent,
        "data": json.dumps(
            {
                "event": "user",
                "text": text,
                "parse_data": {
                    "intent": {"name": intent, "confidence": confidence},
                    "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking],
                },
            }
        ),
    }


def test_the_inbox_lists_misunderstood_messages_redacted_least_understood_first(tmp_path: Path) -> None:
    conversations = create_engine(f"sqlite:///{tmp_path / 'conversations.db'}")
    events_metadata.create_all(conversations)
    with conversations.begin() as conn:
        conn.execute(
            insert(EVENTS),
            [
                user_event("bonjour", "greet", 0.98, [("greet", 0.98)]),
                user_event("je suis perdu", "besoin_reconversion", 0.45, [("besoin_reconversion", 0.45)]),
                user_event(
                    "appelez-moi au 06 12 34 56 78 ou paul@example.org",
                    "nlu_fallback",
                    0.4,
                    [("nlu_fallback", 0.4), ("human_handoff", 0.2)],
                ),
                user_event("/greet", "greet", 1.0, [("greet", 1.0)]),
            ],
        )
    studio = open_db(tmp_path / "var")
    pending = inbox.pending(conversations, studio)
    assert [m.text for m in pending] == ["appelez-moi au [téléphone] ou [e-mail]", "je suis perdu"]
    assert pending[0].fell_back and pending[0].intent == "human_handoff"
    inbox.decide(studio, pending[0].event_id, "dismissed", "marie")
    assert [m.text for m in inbox.pending(conversations, studio)] == ["je suis perdu"]


def test_the_fingerprint_is_the_one_make_train_compares(tmp_path: Path) -> None:
    # The line of scripts/train.sh itself, so the test follows the script if it changes.
    train_script = (ROOT / "scripts" / "train.sh").read_text(encoding="utf-8").splitlines()
    want = next(line for line in train_script if line.startswith("want="))
    expected = subprocess.run(
        ["bash", "-c", f'{want}\necho "$want"'], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert fingerprint(Project(ROOT)) == expected.strip()


def test_a_drop_beyond_the_margin_needs_an_admin() -> None:
    assert drop_refused(0.70, 0.80, 0.02)
    assert not drop_refused(0.79, 0.80, 0.02)
    assert not drop_refused(None, 0.80, 0.02)
