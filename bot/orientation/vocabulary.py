"""The stable identifiers of docs/architecture.md § 2 and their French labels, read from ``vocabulary.yml``."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.paths import DATA_DIR
from bot.yamlio import read_yaml

VOCABULARY_FILE = DATA_DIR / "orientation" / "vocabulary.yml"


@dataclass(frozen=True)
class Vocabulary:
    doors: dict[str, dict[str, Any]]
    statuts: dict[str, dict[str, Any]]
    besoins: dict[str, dict[str, str]]
    contrats: dict[str, dict[str, str]]
    cep_levels: dict[int, str]
    intents: dict[str, str]
    # The sector of a business to create: it decides the chamber (crafts → CMA…).
    secteurs: dict[str, dict[str, Any]] = field(default_factory=dict)

    def values(self, fact: str) -> set[str]:
        """The identifiers a fact may take (``statut`` → the eight situations…)."""
        tables = {"statut": self.statuts, "besoin": self.besoins, "contrat": self.contrats, "secteur": self.secteurs}
        return set(tables[fact])

    def door_label(self, door: str) -> str:
        return self.doors[door]["label"]

    def door_short(self, door: str) -> str:
        return self.doors[door]["short"]

    def intent_label(self, intent: str) -> str | None:
        """The French button title for an intent (« Vouliez-vous dire… »), None when unknown."""
        if intent.startswith("besoin_") and intent[7:] in self.besoins:
            return self.besoins[intent[7:]]["button"]
        return self.intents.get(intent)


def load_vocabulary(path: Path = VOCABULARY_FILE) -> Vocabulary:
    raw = read_yaml(path)
    return Vocabulary(
        doors=raw["doors"],
        statuts=raw["statuts"],
        besoins=raw["besoins"],
        contrats=raw["contrats"],
        cep_levels={int(k): v for k, v in raw["cep_levels"].items()},
        intents=raw.get("intents") or {},
        secteurs=raw.get("secteurs") or {},
    )


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    return load_vocabulary()
