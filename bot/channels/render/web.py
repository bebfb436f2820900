"""The web widget's native messages.

One ``bot_uttered`` event per Rasa message: the text (the widget splits paragraphs itself), the
quick replies, and, for a recommendation, a card *instead of* the text. The text of a
recommendation is the plain-text version of the same answer, written for channels without cards;
showing both would say everything twice.

Every string of the card is ready to display (French labels, CEP step in words) and every link
is already checked, so the widget only places text and never decides what is safe.
"""

from __future__ import annotations

from typing import Any

from bot.channels.render import Outgoing
from bot.orientation.vocabulary import Vocabulary, vocabulary
from bot.presentation import Contact, view
from bot.wording import say


def web_event(message: Outgoing, vocab: Vocabulary | None = None) -> dict[str, Any] | None:
    """The payload of one ``bot_uttered`` event, or None when there is nothing to show."""
    event: dict[str, Any] = {}
    if message.recommendation:
        event["card"] = recommendation_card(message.recommendation, vocab or vocabulary())
    elif message.text:
        event["text"] = message.text
    if message.buttons:
        event["quick_replies"] = [{"title": b.title, "payload": b.payload} for b in message.buttons]
    if message.custom:
        event["custom"] = message.custom
    return event or None


def _contact(contact: Contact) -> dict[str, Any]:
    return {
        "name": contact.name,
        "address": contact.address,
        "links": [{"label": link.label, "text": link.text, "href": link.href} for link in contact.links],
        **({"note": contact.note} if contact.note else {}),
    }


def recommendation_card(payload: dict[str, Any], vocab: Vocabulary) -> dict[str, Any]:
    """The recommendation as the widget shows it: the door, why, where, the CEP step, what next."""
    shown = view(payload, vocab)
    card: dict[str, Any] = {"title": shown.title}
    if shown.reason:
        card["text"] = shown.reason
    if shown.contact:
        card["contact"] = _contact(shown.contact)
    if shown.step:
        card["step"] = shown.step
    sections: list[dict[str, Any]] = []
    if shown.next_steps:
        sections.append({"title": say("recommendation.next_steps"), "items": list(shown.next_steps)})
    if shown.alternatives:
        section: dict[str, Any] = {"title": shown.alternatives_title, "items": [a.text for a in shown.alternatives]}
        contacts = [_contact(a.contact) for a in shown.alternatives if a.contact]
        if contacts:
            section["contacts"] = contacts
        sections.append(section)
    card["sections"] = sections
    return card
