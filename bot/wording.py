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
    """The sentence ``section.name`` (or a top-level ``name``) with its ``{placeholders}`` filled
    (Etoile Info's phone always)."""
    node: Any = _messages()
    for part in key.split("."):
        node = node[part]
    return str(node).format(etoile_phone=etoile_info().phone, **values)


def section(name: str) -> dict[str, str]:
    """Every sentence of a section, by key (``unreadable``: one answer per kind of message)."""
    return {key: say(f"{name}.{key}") for key in _messages()[name]}
