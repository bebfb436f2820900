"""The values the routing engine reads and returns (DESIGN §3), free of Rasa and SQL."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Profile:
    """What the person told us about themselves. ``None`` means « not known yet »."""

    statut: str | None = None
    age: int | None = None
    handicap: bool | None = None
    cadre: bool | None = None
    contrat: str | None = None
    secteur: str | None = None  # of a business to create


@dataclass(frozen=True)
class Place:
    """Where the person lives, reduced to what routing needs: the SPRO territory."""

    territory: str | None = None
    commune: str | None = None
    department: str | None = None


@dataclass(frozen=True)
class Structure:
    """A directory entry as the public sees it. Unknown fields stay ``None``, never guessed."""

    id: str
    name: str
    door: str
    address: str | None = None
    postal_code: str | None = None
    city: str | None = None
    phone: str | None = None
    email: str | None = None
    url: str | None = None
    # The area it serves (territory id, department code or « region »): lets the text say
    # « près de chez vous » only when it is true. Not part of the payload.
    area: str = field(default="", compare=False)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        del data["area"]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Structure:
        """Back from a payload's ``structure`` (which has every field but ``area``)."""
        return cls(**{k: data.get(k) for k in cls.__dataclass_fields__ if k != "area"})


@dataclass(frozen=True)
class Alternative:
    door: str
    reason: str


@dataclass(frozen=True)
class Recommendation:
    """The right door, why, the structure of the territory, the CEP step and what to do next."""

    door: str
    cep_level: int | None
    territory: str | None
    structure: Structure | None
    reason: str
    next_steps: tuple[str, ...]
    alternatives: tuple[Alternative, ...] = ()
    rule: str = field(default="", compare=False)

    def as_payload(self) -> dict[str, Any]:
        """The custom payload sent next to the French text, and printed by ``recommend --json``."""
        return {
            "type": "recommendation",
            "door": self.door,
            "cep_level": self.cep_level,
            "territory": self.territory,
            "structure": self.structure.as_dict() if self.structure else None,
            "alternatives": [asdict(a) for a in self.alternatives],
            "reason": self.reason,
            "next_steps": list(self.next_steps),
        }
