"""The strict REST channel refuses malformed bodies with a French reason, before any NLU runs."""

from __future__ import annotations

from typing import Any

import pytest
from sanic.exceptions import InvalidUsage

from bot.channels.rest import BadRequest, read_body
from bot.nlu.guard import MAX_CHARACTERS


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
