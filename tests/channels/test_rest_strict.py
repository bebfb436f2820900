"""The strict REST channel refuses malformed bodies with a French reason, before any NLU runs."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from typing import Any

import pytest
from sanic.exceptions import InvalidUsage

from bot.channels.rest import ACCESS_LOG_SALT, BadRequest, access_log, read_body
from bot.nlu.guard import MAX_CHARACTERS
from bot.privacy import pseudonym


class FakeRequest:
    def __init__(self, body: Any, malformed: bool = False) -> None:
        self.body, self.malformed = body, malformed

    @property
    def json(self) -> Any:
        if self.malformed:
            raise InvalidUsage("Failed when parsing body as json")
        return self.body


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ([], "objet JSON"),
        (None, "objet JSON"),
        ({"message": "bonjour"}, "sender"),
        ({"sender": 5, "message": "bonjour"}, "sender"),
        ({"sender": "s" * 129, "message": "bonjour"}, "sender"),
        ({"sender": "a\x00b", "message": "bonjour"}, "contrôle"),
        ({"sender": "a", "message": ["x"]}, "texte"),
        ({"sender": "a", "message": " \t\n"}, "vide"),
        ({"sender": "a", "message": "x", "metadata": "y"}, "metadata"),
        ({"sender": "a", "message": "bonjour \ud83d"}, "invalides"),
    ],
)
def test_malformed_bodies_are_refused_with_a_reason(body: Any, reason: str) -> None:
    with pytest.raises(BadRequest, match=reason):
        read_body(FakeRequest(body))


def test_invalid_json_is_refused() -> None:
    with pytest.raises(BadRequest, match="JSON valide"):
        read_body(FakeRequest(None, malformed=True))


def test_a_long_message_is_kept_long_enough_for_the_guard_to_answer() -> None:
    _, message, _ = read_body(FakeRequest({"sender": "a", "message": "x" * 100_000}))
    assert MAX_CHARACTERS < len(message) < 10_000


def test_only_the_page_address_of_the_metadata_is_kept() -> None:
    """Any JSON object was saved with every event and sent to the action server on every turn."""
    body = {
        "sender": "a",
        "message": "bonjour",
        "metadata": {"page_url": "https://www.exemple.fr/formations?q=marie@exemple.fr", "blob": "x" * 900_000},
    }
    assert read_body(FakeRequest(body))[2] == {"page_url": "https://www.exemple.fr/formations"}
    assert read_body(FakeRequest({"sender": "a", "message": "bonjour", "metadata": {"x": 1}}))[2] == {}


def test_the_access_log_names_a_conversation_by_its_keyed_pseudonym(caplog: pytest.LogCaptureFixture) -> None:
    """Issue 14: an unkeyed SHA-256 of a phone number is reversed by hashing every number."""
    with caplog.at_level(logging.INFO, logger="spro.access"):
        access_log("+33612345678", 200, 7, 1, time.monotonic())
    logged = json.loads(caplog.records[-1].getMessage())["conversation"]
    assert logged == pseudonym("+33612345678", ACCESS_LOG_SALT)
    assert logged != hashlib.sha256(b"+33612345678").hexdigest()[:16]
