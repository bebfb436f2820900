"""One rendering layer for every channel.

A bot message leaves Rasa as a dict (``text``, ``buttons`` or ``quick_replies``, ``custom``).
``normalize`` turns it into an ``Outgoing`` value; each channel's module in this package turns
that into its native elements (web, Messenger, WhatsApp, Twilio), and ``plain_text`` is the
fallback every channel can send: buttons as a numbered list, the recommendation as text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.presentation import view
from bot.wording import etoile_info, say

#: The prompt of a choice whose message has no text of its own (interactive messages need one).
CHOOSE_PROMPT = say("choose")


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


def text_with_contacts(message: Outgoing) -> str:
    """The text, completed with the contact details of the recommendation it does not show yet.

    Channels without cards (WhatsApp, SMS) must still end a recommendation with a phone number
    and a web site: the structure's when the directory knows them, else Etoile Info's regional
    line and site (docs/architecture.md § 3), so that the person always has somewhere to call. A detail counts
    as shown when its value (what follows « : » in its line) is already in the text.
    """
    if not message.recommendation:
        return message.text
    contact = view(message.recommendation).contact
    details = [(line.split(" : ", 1)[-1], line) for line in contact.lines()] if contact else []
    etoile = etoile_info()
    if not (contact and contact.phone):
        details.append((etoile.phone, f"{say('contact.etoile_line')} : {etoile.phone}"))
    if not (contact and contact.site):
        details.append((etoile.site_name, f"{say('contact.site')} : {etoile.site}"))
    missing = [line for value, line in details if value not in message.text]
    return "\n\n".join(part for part in (message.text, "\n".join(missing)) if part)


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


def split_text(text: str, limit: int) -> list[str]:
    """Cut a text into messages of at most ``limit`` characters: between paragraphs if possible,
    else between lines, else between words; a word longer than the limit is cut as a last resort."""
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    separator = next((s for s in ("\n\n", "\n", " ") if s in text), None)
    if separator is None:
        return [text[:limit], *split_text(text[limit:], limit)]
    chunks: list[str] = []
    current = ""
    for part in text.split(separator):
        candidate = f"{current}{separator}{part}" if current else part
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current)
        current = part
        if len(part) > limit:
            chunks.extend(split_text(part, limit))
            current = ""
    if current.strip():
        chunks.append(current.strip())
    return chunks
