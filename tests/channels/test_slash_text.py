"""Typed text that starts with « / » is words, not a payload, unless it is exactly one (issue 14).

Rasa 3.6 read « /je m'appelle Marie Dupont, 06 12 34 56 78 » as a malformed payload and logged a
warning quoting it; logs must hold no message text (docs/confidentialite.md).
"""

from __future__ import annotations

import uuid

import pytest
import requests

from bot.stores.scopes import scoped
from tests.support.servers import Stack

pytestmark = pytest.mark.e2e


def latest_intent(stack: Stack, sender: str) -> str:
    tracker = requests.get(f"{stack.url}/conversations/{scoped('rest', sender)}/tracker", timeout=10).json()
    return tracker["latest_message"]["intent"]["name"]


@pytest.mark.parametrize(
    "text",
    [
        "/je m'appelle Marie Dupont, 06 12 34 56 78",
        "/greet Marie Dupont",
        '/inform_situation{"prenom": "Marie Dupont"}',
        "/inform_situation{Marie Dupont",
        "/intention_inconnue_marie_dupont",
    ],
)
def test_slash_text_is_read_as_words_and_never_logged(stack: Stack, text: str) -> None:
    sender = f"slash-{uuid.uuid4().hex[:8]}"
    log = stack.logs["rasa"]
    before = log.stat().st_size
    assert stack.rest(sender, text)
    assert b"Marie Dupont" not in log.read_bytes()[before:]


def test_exact_payloads_still_work(stack: Stack) -> None:
    sender = f"payload-{uuid.uuid4().hex[:8]}"
    stack.rest(sender, "/besoin_vae")
    assert latest_intent(stack, sender) == "besoin_vae"
    stack.rest(sender, '/inform_situation{"statut": "salarie"}')
    assert latest_intent(stack, sender) == "inform_situation"
