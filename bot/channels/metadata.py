"""The metadata a client may attach to a message: only the host page's address is kept.

Rasa saves a message's metadata with every event and sends it to the action server on every turn.
A client (the widget, or anyone posting to the REST webhook) could send any JSON object: up to a
megabyte per message, stored for months, possibly personal. Both channels keep only this whitelist.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit, urlunsplit

MAX_PAGE_URL_CHARS = 500


def page_url(value: Any) -> str | None:
    """The host page's address, kept for the indicators: http(s) only, without query or fragment,
    which may carry personal data (a search, an e-mail address in a link)."""
    if not isinstance(value, str):
        return None
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))[:MAX_PAGE_URL_CHARS]


def kept_metadata(raw: Any) -> dict[str, str]:
    """What is stored of a message's metadata (a JSON object, or its text): the page address only."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except (ValueError, RecursionError):
            raw = None
    url = page_url(raw.get("page_url")) if isinstance(raw, dict) else None
    return {"page_url": url} if url else {}
