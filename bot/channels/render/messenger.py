"""Bot messages as Messenger Send API ``message`` objects.

Up to 3 short choices become a button template, up to 13 become quick replies. Messenger cuts
titles at 20 characters, so choices with longer titles (« Saint-Amand-Montrond (18200) ») are
written as a numbered list in the text with quick replies « 1 », « 2 »…; more than 13 choices stay
a numbered text answered with the number. The recommendation follows its text as a generic
template card with « Site web » and « Appeler » buttons.
"""

from __future__ import annotations

from typing import Any

from bot.channels.render import CHOOSE_PROMPT, Button, Outgoing, plain_text, split_text
from bot.phone import e164
from bot.presentation import view
from bot.wording import etoile_info, say

TEXT_LIMIT = 2000
TEMPLATE_TEXT_LIMIT = 640
MAX_TEMPLATE_BUTTONS = 3
MAX_QUICK_REPLIES = 13
TITLE_LIMIT = 20
PAYLOAD_LIMIT = 1000
CARD_TEXT_LIMIT = 80


def _short_titles(buttons: tuple[Button, ...]) -> bool:
    return all(len(b.title) <= TITLE_LIMIT for b in buttons)


def _choosable(buttons: tuple[Button, ...]) -> bool:
    return len(buttons) <= MAX_QUICK_REPLIES and all(len(b.payload) <= PAYLOAD_LIMIT for b in buttons)


def numbered(message: Outgoing) -> bool:
    """True when the choices are written as « 1. … » lines, so that « 2 » must mean the second one."""
    return bool(message.buttons) and not (_choosable(message.buttons) and _short_titles(message.buttons))


def _text(text: str) -> dict[str, Any]:
    return {"text": text}


def _quick_replies(text: str, replies: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "text": text,
        "quick_replies": [{"content_type": "text", "title": t, "payload": p} for t, p in replies],
    }


def _button_template(text: str, buttons: tuple[Button, ...]) -> dict[str, Any]:
    return {
        "attachment": {
            "type": "template",
            "payload": {
                "template_type": "button",
                "text": text,
                "buttons": [{"type": "postback", "title": b.title, "payload": b.payload} for b in buttons],
            },
        }
    }


def _with_choices(message: Outgoing) -> list[dict[str, Any]]:
    buttons = message.buttons
    if len(buttons) <= MAX_TEMPLATE_BUTTONS and _short_titles(buttons):
        chunks = split_text(message.text, TEMPLATE_TEXT_LIMIT) or [CHOOSE_PROMPT]
        return [*map(_text, chunks[:-1]), _button_template(chunks[-1], buttons)]
    if _short_titles(buttons):
        chunks = split_text(message.text, TEXT_LIMIT) or [CHOOSE_PROMPT]
        replies = [(b.title, b.payload) for b in buttons]
    else:
        chunks = split_text(plain_text(message), TEXT_LIMIT)
        replies = [(str(n), b.payload) for n, b in enumerate(buttons, start=1)]
    return [*map(_text, chunks[:-1]), _quick_replies(chunks[-1], replies)]


def _clip(text: str, limit: int = CARD_TEXT_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def card(recommendation: dict[str, Any]) -> dict[str, Any]:
    """The recommended structure as a card with « Site web » and « Appeler » buttons; what the
    directory does not know is replaced by Etoile Info's regional site and free line."""
    contact = view(recommendation).contact
    etoile = etoile_info()
    phone = contact.phone if contact else etoile.phone
    site = contact.site if contact else None
    subtitle = " · ".join(p for p in (contact and contact.address, phone and f"Tél. {phone}") if p)
    site_title = say("contact.site_button") if site else say("contact.regional_site_button")
    buttons = [{"type": "web_url", "url": site or etoile.site, "title": site_title}]
    if contact is None or contact.phone_e164:
        call = contact.phone_e164 if contact else e164(etoile.phone)
        buttons.append({"type": "phone_number", "title": say("contact.call"), "payload": call})
    elif not contact.phone:
        buttons.append({"type": "phone_number", "title": say("contact.call_etoile"), "payload": e164(etoile.phone)})
    if contact and contact.map_url:
        buttons.append({"type": "web_url", "url": contact.map_url, "title": say("contact.map")})
    element = {
        "title": _clip(contact.name if contact else "Etoile Info"),
        "subtitle": _clip(subtitle or say("contact.etoile_subtitle")),
        "buttons": buttons[:MAX_TEMPLATE_BUTTONS],
    }
    return {"attachment": {"type": "template", "payload": {"template_type": "generic", "elements": [element]}}}


def render(message: Outgoing) -> list[dict[str, Any]]:
    """The Send API ``message`` objects, in order."""
    if message.buttons and _choosable(message.buttons):
        parts = _with_choices(message)
    else:
        parts = [_text(chunk) for chunk in split_text(plain_text(message), TEXT_LIMIT)]
    if message.recommendation:
        parts.append(card(message.recommendation))
    return parts
