"""What the conversation knows, read from the tracker's slots into the engine's values.

Only validated values reach the slots (actions/forms.py), but this reading is still defensive:
a slot the person set with a typed ``/intent{...}`` must never crash an action.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from bot.directory import Directory, open_directory
from bot.directory.lookup import commune_place
from bot.orientation import Place, Profile, Structure, default_rules
from bot.orientation.facts import parse_age, parse_choice, parse_flag
from bot.orientation.rules import RuleSet
from bot.orientation.vocabulary import vocabulary

logger = logging.getLogger(__name__)
DEFAULT_NEED = "information_generale"  # when the person would not say what they look for


def rules() -> RuleSet:
    return default_rules()


@lru_cache(maxsize=1)
def directory() -> Directory:
    return open_directory()


# A stopped database must not stop the conversation: without the directory the bot still names
# the door and gives the regional line (the engine adds it when the structure is unknown).
def find_structure(door: str, place: Place) -> Structure | None:
    try:
        return directory().find(door, place)
    except SQLAlchemyError:
        logger.warning("directory unavailable: no structure for %s", door)
        return None


def needs_territory(door: str) -> bool:
    try:
        return directory().needs_territory(door)
    except SQLAlchemyError:
        logger.warning("directory unavailable: not asking the commune")
        return False


def declined(slots: Mapping[str, Any]) -> set[str]:
    return {str(f) for f in slots.get("declined") or []}


def besoin(slots: Mapping[str, Any]) -> str | None:
    value = slots.get("besoin")
    if value in vocabulary().besoins:
        return value
    return DEFAULT_NEED if "besoin" in declined(slots) else None


def profile(slots: Mapping[str, Any]) -> Profile:
    return Profile(
        statut=parse_choice("statut", slots.get("statut")),
        age=parse_age(slots.get("age")) if slots.get("age") is not None else None,
        handicap=parse_flag(slots.get("handicap")) or None,
        # « non » to the bot's question is kept: asked again, the person would loop.
        cadre=None if slots.get("cadre") is None else parse_flag(slots.get("cadre")),
        contrat=parse_choice("contrat", slots.get("contrat")),
        secteur=slots.get("secteur") if slots.get("secteur") in vocabulary().secteurs else None,
    )


def place(slots: Mapping[str, Any]) -> Place:
    from bot.geo import gazetteer

    commune = gazetteer().communes.get(slots.get("commune_insee") or "")
    return Place() if commune is None else commune_place(commune)
