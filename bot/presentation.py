"""One view of a recommendation, for every renderer: the text (``bot.messages``), the widget's
card, Messenger's card, WhatsApp's and SMS's text.

It is built from the payload (what channels receive) and decides, once, what a person sees: the
labels, the address on one line, which links are safe to click, the phone as a ``tel:`` link, the
OpenStreetMap link, the year of old details, and the alternatives with their structures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlparse

from bot.orientation.vocabulary import Vocabulary, vocabulary
from bot.phone import display, e164, tel_uri
from bot.wording import say

SAFE_SCHEMES = ("http", "https", "tel", "mailto")
WEB_SCHEMES = ("http", "https")
OLD_AFTER_YEARS = 2
MAP_ZOOM = 17


@dataclass(frozen=True)
class Link:
    label: str
    text: str
    href: str


@dataclass(frozen=True)
class Contact:
    """A structure as people use it; every field ``None`` when the directory does not know it."""

    name: str
    address: str | None
    phone: str | None
    phone_e164: str | None
    email: str | None
    site: str | None
    map_url: str | None
    note: str | None  # « (coordonnées de 2016, à vérifier) » when a detail shown is old

    @property
    def links(self) -> tuple[Link, ...]:
        """Phone, e-mail, site and map, each with its label and a safe ``href``."""
        links = [
            Link(say("contact.phone"), self.phone, tel_uri(self.phone)) if self.phone else None,
            Link(say("contact.email"), self.email, f"mailto:{self.email}") if self.email else None,
            Link(say("contact.site"), self.site, self.site) if self.site else None,
            Link(say("contact.map"), say("contact.map_text"), self.map_url) if self.map_url else None,
        ]
        return tuple(link for link in links if link)

    def lines(self) -> list[str]:
        """« Label : value » lines, in the order people use them, the note last."""
        lines = [self.name]
        if self.address:
            lines.append(f"{say('contact.address')} : {self.address}")
        lines += [f"{link.label} : {link.href if link.href == self.map_url else link.text}" for link in self.links]
        if self.note:
            lines.append(self.note)
        return lines


@dataclass(frozen=True)
class AlternativeView:
    text: str  # « CIO. Pour reprendre des études. »
    contact: Contact | None


@dataclass(frozen=True)
class RecommendationView:
    title: str
    reason: str
    contact_intro: str
    contact: Contact | None
    step: str | None
    next_steps: tuple[str, ...]
    alternatives_title: str
    alternatives: tuple[AlternativeView, ...]


def safe_url(url: str | None, schemes: tuple[str, ...] = SAFE_SCHEMES) -> str | None:
    """Only http, https, tel and mailto links are ever made clickable."""
    if not url:
        return None
    scheme = urlparse(url.strip()).scheme.lower()
    return url.strip() if scheme in schemes else None


def map_url(latitude: object, longitude: object) -> str | None:
    """The OpenStreetMap page centred on the structure, or ``None`` without coordinates."""
    try:
        lat, lon = float(latitude), float(longitude)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map={MAP_ZOOM}/{lat:.5f}/{lon:.5f}"


def _is_old(when: str, today: date) -> bool:
    """``AAAA``, ``AAAA-MM`` or ``AAAA-MM-JJ`` more than two years before today."""
    parts = [int(p) for p in when.split("-")] + [1, 1]
    try:
        then = date(parts[0], parts[1], parts[2])
    except ValueError:
        return False
    return then < today.replace(year=today.year - OLD_AFTER_YEARS)


def freshness_note(structure: dict[str, Any], today: date | None = None) -> str | None:
    """The year of the oldest detail shown, when it is more than two years old."""
    today = today or date.today()
    dates = [structure.get("updated_at")] if structure.get("address") else []
    if structure.get("phone") or structure.get("email"):
        dates.append(structure.get("contact_updated_at") or structure.get("updated_at"))
    old = sorted(d for d in dates if d and _is_old(d, today))
    return say("contact.old", year=old[0][:4]) if old else None


def contact(structure: dict[str, Any] | None, today: date | None = None) -> Contact | None:
    """The structure of a payload as people read it; ``None`` without a name."""
    if not structure or not structure.get("name"):
        return None
    place = " ".join(p for p in (structure.get("postal_code"), structure.get("city")) if p)
    phone = structure.get("phone")
    email = structure.get("email")
    return Contact(
        name=structure["name"],
        address=", ".join(p for p in (structure.get("address"), place) if p) or None,
        phone=display(phone) if phone else None,
        phone_e164=e164(phone) if phone else None,
        email=email if email and safe_url(f"mailto:{email}") else None,
        site=safe_url(structure.get("url"), WEB_SCHEMES),
        map_url=map_url(structure.get("latitude"), structure.get("longitude")),
        note=freshness_note(structure, today),
    )


def view(payload: dict[str, Any], vocab: Vocabulary | None = None, today: date | None = None) -> RecommendationView:
    """What every renderer shows of a recommendation payload."""
    vocab = vocab or vocabulary()
    main = contact(payload.get("structure"), today)
    area = (payload.get("structure") or {}).get("area")
    near = main is not None and bool(payload.get("territory")) and bool(area) and area != "region"
    alternatives = tuple(
        AlternativeView(
            f"{_capitalized(vocab.door_short(a['door']))}. {a['reason']}", contact(a.get("structure"), today)
        )
        for a in payload.get("alternatives") or []
    )
    return RecommendationView(
        title=say("recommendation.title", door=vocab.door_label(payload["door"])),
        reason=payload.get("reason") or "",
        contact_intro=say("recommendation.near" if near else "recommendation.contact"),
        contact=main,
        step=vocab.cep_levels[payload["cep_level"]] if payload.get("cep_level") else None,
        next_steps=tuple(payload.get("next_steps") or ()),
        alternatives_title=say(
            "recommendation.alternatives" if len(alternatives) > 1 else "recommendation.alternative"
        ),
        alternatives=alternatives,
    )


def _capitalized(text: str) -> str:
    """« votre employeur » opens a line as « Votre employeur »."""
    return text[:1].upper() + text[1:]
