"""One rendering layer for every channel.

A bot message leaves Rasa as a dict (``text``, ``buttons`` or ``quick_replies``, ``custom``).
``normalize`` turns it into an ``Outgoing`` value; each channel's module in this package turns
that into its native elements (web, Messenger, WhatsApp, Twilio), and ``plain_text`` is the
fallback every channel can send: buttons as a numbered list, the recommendation as text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from bot.messages import contact_lines
from bot.orientation.model import Structure

SAFE_SCHEMES = ("http", "https", "tel", "mailto")


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Outgoing:
    """What the bot wants to say, independent of any channel."""

    text: str = ""
    buttons: tuple[Button, ...] = ()
    recommendation: dict[str, Any] | None = None
    custom: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def normalize(message: dict[str, Any]) -> Outgoing:
    """Accept Rasa's shapes: ``buttons``, ``quick_replies``, ``custom`` or ``json_message``."""
    raw_buttons = message.get("buttons") or message.get("quick_replies") or []
    buttons = tuple(
        Button(str(b.get("title", "")).strip(), str(b.get("payload", "")).strip())
        for b in raw_buttons
        if isinstance(b, dict) and b.get("title")
    )
    custom = message.get("custom") or message.get("json_message")
    custom = custom if isinstance(custom, dict) else None
    recommendation = custom if custom and custom.get("type") == "recommendation" else None
    return Outgoing(
        text=str(message.get("text") or ""),
        buttons=buttons,
        recommendation=recommendation,
        custom=None if recommendation else custom,
    )


def safe_url(url: str | None) -> str | None:
    """Only http, https, tel and mailto links are ever made clickable."""
    if not url:
        return None
    scheme = urlparse(url.strip()).scheme.lower()
    return url.strip() if scheme in SAFE_SCHEMES else None


def recommendation_lines(payload: dict[str, Any]) -> list[str]:
    """The recommendation card's structure as lines of text, for channels without cards."""
    structure = payload.get("structure") or {}
    if not structure.get("name"):
        return []
    return contact_lines(Structure.from_dict({**structure, "url": safe_url(structure.get("url"))}))


def plain_text(message: Outgoing) -> str:
    """The fallback every channel can send: buttons become « 1. … » lines to answer with a number."""
    parts = [message.text] if message.text else []
    if message.buttons:
        parts.append("\n".join(f"{n}. {b.title}" for n, b in enumerate(message.buttons, start=1)))
        parts.append("Répondez avec le numéro de votre choix.")
    return "\n\n".join(parts)


def button_for_number(text: str, buttons: tuple[Button, ...] | list[Button]) -> Button | None:
    """« 2 » (or « 2. ») answers the second button of a numbered list."""
    stripped = text.strip().rstrip(".)")
    if stripped.isdigit() and 1 <= int(stripped) <= len(buttons):
        return buttons[int(stripped) - 1]
    return None
