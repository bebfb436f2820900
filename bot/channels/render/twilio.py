"""Bot messages as Twilio message bodies (SMS, or WhatsApp through Twilio).

Twilio's plain messages have no buttons: choices are always a numbered list answered with the
number, and the recommendation is text ending with a phone number and a web site.
"""

from __future__ import annotations

from dataclasses import replace

from bot.channels.render import Outgoing, plain_text, split_text, text_with_contacts

BODY_LIMIT = 1600


def numbered(message: Outgoing) -> bool:
    """Every choice is numbered on Twilio."""
    return bool(message.buttons)


def render(message: Outgoing) -> list[str]:
    """The bodies to send, in order, each within Twilio's 1,600 characters."""
    return split_text(plain_text(replace(message, text=text_with_contacts(message))), BODY_LIMIT)
