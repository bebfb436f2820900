"""Safety limits every Rasa replica applies, wherever it runs (behind nginx or alone).

- Request size: Sanic refuses bodies above ``SPRO_MAX_REQUEST_BYTES`` (1 MB) with 413 before
  reading them. Below that, a long message reaches the NLU guard, which answers it politely.
- No version banner: Rasa's ``GET /`` says « Hello from Rasa: 3.6.21 », which tells an attacker
  which advisories apply. It answers a neutral sentence instead.
- Typed text that looks like a button's payload: Rasa 3.6 reads any message starting with ``/``
  as ``/<intent>@<confidence>{entities}`` and, when that fails (« /je m'appelle Marie Dupont,
  06 12 34 56 78 »), logs a warning quoting the whole message. Here only exactly
  ``/<known intent>`` or ``/<known intent>{JSON object of known entities}`` is a payload;
  anything else is plain text for the NLU, and nothing is logged
  (``plain_text_unless_exact_intent``).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from typing import Any

from rasa.shared.core.domain import Domain
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from sanic import response
from sanic.request import Request

NEUTRAL_ROOT = "Bot d'orientation du SPRO Centre-Val de Loire."
EXACT_PAYLOAD = re.compile(r"/(?P<intent>[A-Za-z0-9_]+)(?P<entities>\{.*\})?", re.DOTALL)


def limit_request_size(max_bytes: int) -> None:
    """Sanic reads ``SANIC_*`` variables when Rasa creates its app: set them before."""
    os.environ["SANIC_REQUEST_MAX_SIZE"] = str(max_bytes)


async def hide_version(request: Request, answer: Any) -> Any:
    if request.path == "/" and request.method in ("GET", "HEAD"):
        return response.text(NEUTRAL_ROOT)
    if request.path == "/version":
        return response.json({"error": "introuvable"}, status=404)
    return answer


def is_exact_payload(text: str, domain: Domain) -> bool:
    """``/<known intent>``, optionally followed by a JSON object whose keys are known entities."""
    match = EXACT_PAYLOAD.fullmatch(text.strip())
    if not match or match.group("intent") not in domain.intents:
        return False
    if match.group("entities") is None:
        return True
    try:
        entities = json.loads(match.group("entities"))
    except (ValueError, RecursionError):
        return False
    return isinstance(entities, dict) and set(entities) <= set(domain.entities)


def plain_text_unless_exact_intent() -> None:
    """Replace Rasa 3.6's ``YAMLStoryReader.unpack_regex_message`` (used by the message
    processor and by the NLU's ``RegexMessageHandler``) with a strict one; idempotent."""
    original: Callable[..., Message] = YAMLStoryReader.unpack_regex_message
    if getattr(original, "spro_strict", False):
        return

    def unpack_regex_message(
        message: Message, domain: Domain | None = None, entity_extractor_name: str | None = None
    ) -> Message:
        text = message.get(TEXT) or ""
        if domain is not None and text.strip().startswith("/") and not is_exact_payload(text, domain):
            return message  # words the person typed: the NLU reads them like any other message
        return original(message, domain, entity_extractor_name)

    unpack_regex_message.spro_strict = True  # type: ignore[attr-defined]
    YAMLStoryReader.unpack_regex_message = staticmethod(unpack_regex_message)  # type: ignore[method-assign]


def install(app: Any) -> None:
    """Called by a channel's blueprint when the server starts (the app only exists then)."""
    plain_text_unless_exact_intent()
    if hide_version not in app.response_middleware:
        app.register_middleware(hide_version, "response")
