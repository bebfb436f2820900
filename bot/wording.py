"""The sentences the bot composes itself, read from ``data/orientation/messages.yml``.

Editors own every word the bot says: domain responses for whole answers, this file for the
pieces the code assembles (labels, the freshness note, Etoile Info's number).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bot.paths import DATA_DIR
from bot.yamlio import read_yaml

MESSAGES_FILE = DATA_DIR / "orientation" / "messages.yml"


@dataclass(frozen=True)
class EtoileInfo:
    """The Region's information line: the one place its number and site are written."""

    name: str
    phone: str
    site: str
    source: str
    checked: str

    @property
    def site_name(self) -> str:
        """« orientation.centre-valdeloire.fr », as said in a sentence."""
        return self.site.split("://", 1)[-1].rstrip("/")


@lru_cache(maxsize=1)
def _messages() -> dict[str, Any]:
    return read_yaml(MESSAGES_FILE)


def etoile_info() -> EtoileInfo:
    return EtoileInfo(**_messages()["etoile_info"])


def say(key: str, **values: object) -> str:
    """The sentence ``section.name`` with its ``{placeholders}`` filled (Etoile Info's phone always)."""
    section, name = key.split(".", 1)
    return str(_messages()[section][name]).format(etoile_phone=etoile_info().phone, **values)
