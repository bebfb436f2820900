"""Safety limits every Rasa replica applies, wherever it runs (behind nginx or alone).

- Request size: Sanic refuses bodies above ``SPRO_MAX_REQUEST_BYTES`` (1 MB) with 413 before
  reading them. Below that, a long message reaches the NLU guard, which answers it politely.
- No version banner: Rasa's ``GET /`` says « Hello from Rasa: 3.6.21 », which tells an attacker
  which advisories apply. It answers a neutral sentence instead.
"""

from __future__ import annotations

import os
from typing import Any

from sanic import response
from sanic.request import Request

NEUTRAL_ROOT = "Bot d'orientation du SPRO Centre-Val de Loire."


def limit_request_size(max_bytes: int) -> None:
    """Sanic reads ``SANIC_*`` variables when Rasa creates its app: set them before."""
    os.environ["SANIC_REQUEST_MAX_SIZE"] = str(max_bytes)


async def hide_version(request: Request, answer: Any) -> Any:
    if request.path == "/" and request.method in ("GET", "HEAD"):
        return response.text(NEUTRAL_ROOT)
    if request.path == "/version":
        return response.json({"error": "introuvable"}, status=404)
    return answer


def install(app: Any) -> None:
    """Called by a channel's blueprint when the server starts (the app only exists then)."""
    if hide_version not in app.response_middleware:
        app.register_middleware(hide_version, "response")
