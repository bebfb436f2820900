"""The web widget's native messages.

One ``bot_uttered`` event per Rasa message: the text (the widget splits paragraphs itself), the
quick replies, and, for a recommendation, a card *instead of* the text. The text of a
recommendation is the plain-text version of the same answer, written for channels without cards;
showing both would say everything twice.

Every string of the card is ready to display (French labels, CEP step in words) and every link
is already checked, so the widget only places text and never decides what is safe.
"""

from __future__ import annotations

import re
from typing import Any

from bot.channels.render import Outgoing, safe_url
from bot.orientation.vocabulary import Vocabulary, vocabulary


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


def tel_href(phone: str | None) -> str | None:
    """« 02 48 75 12 34 » → ``tel:+33248751234``; short numbers (« 39 49 ») stay as dialled."""
    digits = re.sub(r"[^\d+]", "", phone or "")
    if not re.fullmatch(r"\+?\d{2,15}", digits):
        return None
    if len(digits) == 10 and digits.startswith("0"):
        digits = "+33" + digits[1:]
    return f"tel:{digits}"


def _link(label: str, text: str | None, href: str | None) -> dict[str, str] | None:
    return {"label": label, "text": text, "href": href} if text and href else None


def recommendation_card(payload: dict[str, Any], vocab: Vocabulary) -> dict[str, Any]:
    """The recommendation as the widget shows it: the door, why, where, the CEP step, what next."""
    card: dict[str, Any] = {"title": f"La bonne porte pour vous : {vocab.door_label(payload['door'])}"}
    if payload.get("reason"):
        card["text"] = payload["reason"]
    structure = payload.get("structure")
    if structure:
        place = " ".join(p for p in (structure.get("postal_code"), structure.get("city")) if p)
        email = structure.get("email")
        links = [
            _link("Téléphone", structure.get("phone"), tel_href(structure.get("phone"))),
            _link("E-mail", email, safe_url(f"mailto:{email}") if email else None),
            _link("Site", structure.get("url"), safe_url(structure.get("url"))),
        ]
        card["contact"] = {
            "name": structure.get("name"),
            "address": ", ".join(p for p in (structure.get("address"), place) if p) or None,
            "links": [link for link in links if link],
        }
    if payload.get("cep_level"):
        card["step"] = vocab.cep_levels[payload["cep_level"]]
    sections = []
    if payload.get("next_steps"):
        sections.append({"title": "Prochaines étapes", "items": list(payload["next_steps"])})
    alternatives = payload.get("alternatives") or []
    if alternatives:
        sections.append(
            {
                "title": "Autres possibilités" if len(alternatives) > 1 else "Autre possibilité",
                "items": [f"{vocab.door_short(a['door'])}. {a['reason']}" for a in alternatives],
            }
        )
    card["sections"] = sections
    return card
