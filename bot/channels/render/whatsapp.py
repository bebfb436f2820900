"""Bot messages as WhatsApp Cloud API message objects.

Meta's limits decide the shape: up to 3 choices with short titles become reply buttons, up to 10
become a list (a title longer than a row's 24 characters goes whole into the row's description),
more become a numbered text the person answers with a number. A recommendation is text that always
ends with a phone number and a web site, since WhatsApp has no card.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.channels.render import CHOOSE_PROMPT, Button, Outgoing, plain_text, split_text, text_with_contacts

TEXT_LIMIT = 4096
BODY_LIMIT = 1024
MAX_BUTTONS = 3
BUTTON_TITLE_LIMIT = 20
BUTTON_ID_LIMIT = 256
MAX_ROWS = 10
ROW_TITLE_LIMIT = 24
ROW_DESCRIPTION_LIMIT = 72
ROW_ID_LIMIT = 200
LIST_BUTTON = "Voir les choix"


def _fits_buttons(buttons: tuple[Button, ...]) -> bool:
    return len(buttons) <= MAX_BUTTONS and all(
        len(b.title) <= BUTTON_TITLE_LIMIT and len(b.payload) <= BUTTON_ID_LIMIT for b in buttons
    )


def _fits_list(buttons: tuple[Button, ...]) -> bool:
    return len(buttons) <= MAX_ROWS and all(
        len(b.title) <= ROW_DESCRIPTION_LIMIT and len(b.payload) <= ROW_ID_LIMIT for b in buttons
    )


def numbered(message: Outgoing) -> bool:
    """True when the choices go out as a numbered text, so that « 2 » must mean the second one."""
    return bool(message.buttons) and not (_fits_buttons(message.buttons) or _fits_list(message.buttons))


def _text(body: str) -> dict[str, Any]:
    return {"type": "text", "text": {"body": body, "preview_url": False}}


def _row(button: Button) -> dict[str, str]:
    if len(button.title) <= ROW_TITLE_LIMIT:
        return {"id": button.payload, "title": button.title}
    return {"id": button.payload, "title": button.title[: ROW_TITLE_LIMIT - 1] + "…", "description": button.title}


def _interactive(body: str, buttons: tuple[Button, ...]) -> dict[str, Any]:
    if _fits_buttons(buttons):
        action: dict[str, Any] = {
            "buttons": [{"type": "reply", "reply": {"id": b.payload, "title": b.title}} for b in buttons]
        }
        kind = "button"
    else:
        action = {"button": LIST_BUTTON, "sections": [{"rows": [_row(b) for b in buttons]}]}
        kind = "list"
    return {"type": "interactive", "interactive": {"type": kind, "body": {"text": body}, "action": action}}


def render(message: Outgoing) -> list[dict[str, Any]]:
    """The Cloud API message objects, in order, without ``to`` and ``messaging_product``."""
    text = text_with_contacts(message)
    if not message.buttons or numbered(message):
        return [_text(chunk) for chunk in split_text(plain_text(replace(message, text=text)), TEXT_LIMIT)]
    chunks = split_text(text, BODY_LIMIT) or [CHOOSE_PROMPT]
    return [*(_text(chunk) for chunk in chunks[:-1]), _interactive(chunks[-1], message.buttons)]
