"""Erasure through a real conversation (real Rasa and action servers, REST channel), on SQLite and on
PostgreSQL: « supprimez mes données », « oui », and no event of that conversation is left; no message
text nor sender id appears in the servers' logs at INFO level."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.stores.events import EVENTS, URL_VARIABLE, open_store
from tests.support.conversation import Conversation
from tests.support.servers import running_stack

pytestmark = pytest.mark.e2e

ERASED = ["je voudrais devenir ébéniste, je m'appelle Zoé Lefebvre", "supprimez mes données", "oui"]
KEPT = ["mon fils a arrêté le lycée", "il a 17 ans", "Vierzon"]


def events_of(url: str, sender: str) -> list[tuple[str, str]]:
    with open_store(url).connect() as connection:
        query = sa.select(EVENTS.c.type_name, EVENTS.c.data).where(EVENTS.c.sender_id == sender)
        return [tuple(row) for row in connection.execute(query)]


@pytest.mark.parametrize("database", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_erasure_through_a_conversation_leaves_no_event(
    database: str, tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(URL_VARIABLE, raising=False)
    env = {"LOG_LEVEL": "INFO"}
    if database == "postgres":
        url = request.getfixturevalue("postgres_url")
        env[URL_VARIABLE] = url
    else:
        url = f"sqlite:///{tmp_path / 'stack' / 'conversations.db'}"  # what running_stack's endpoints.yml says

    with running_stack(tmp_path / "stack", env_extra=env) as stack:
        erased = Conversation(stack, sender=f"erase-{uuid.uuid4().hex}")
        kept = Conversation(stack, sender=f"keep-{uuid.uuid4().hex}")
        for text in KEPT:
            kept.say(text)
        assert "Voulez-vous vraiment effacer" in [erased.say(text) for text in ERASED[:2]][-1].text
        assert events_of(url, erased.sender), "the conversation is stored until it is erased"
        assert "C'est fait" in erased.say(ERASED[2]).text

        assert events_of(url, erased.sender) == []
        assert kept.turns[-1].recommendation and len(events_of(url, kept.sender)) > 20

        # The next message starts afresh: nothing of the erased conversation comes back.
        assert "Bonjour" in erased.say("bonjour").text
        said = [json.loads(data)["text"] for kind, data in events_of(url, erased.sender) if kind == "user"]
        assert said == ["bonjour"]

    logs = {name: path.read_text(encoding="utf-8") for name, path in stack.logs.items()}
    assert "conversation erased on request (" in logs["rasa"], "the logs are at INFO level"
    for name, log in logs.items():
        for secret in [*ERASED[:2], *KEPT, "Zoé", "ébéniste", erased.sender, kept.sender]:
            assert secret not in log, f"{secret!r} in the {name} log"
