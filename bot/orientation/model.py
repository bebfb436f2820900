"""The values the routing engine reads and returns (docs/architecture.md § 3), free of Rasa and SQL."""

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
    """Where the person lives: the SPRO territory, and the commune (its INSEE code finds the
    structure serving it, or the nearest one)."""

    territory: str | None = None
    commune: str | None = None
    department: str | None = None
    insee: str | None = None


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
    latitude: float | None = None
    longitude: float | None = None
    # Where the fields come from and their date; phone and e-mail may come from an older source.
    source: str | None = None
    updated_at: str | None = None
    contact_source: str | None = None
    contact_updated_at: str | None = None
    # The area it serves (department code or « region »): lets the answer say « près de chez
    # vous » only when it is true.
    area: str = field(default="", compare=False)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Structure:
        """Back from a payload's ``structure``."""
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if data.get(k) is not None})


@dataclass(frozen=True)
class Alternative:
    """Another door worth knowing, with its structure for the person's place when known."""

    door: str
    reason: str
    structure: Structure | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "door": self.door,
            "reason": self.reason,
            "structure": self.structure.as_dict() if self.structure else None,
        }


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
            "alternatives": [a.as_dict() for a in self.alternatives],
            "reason": self.reason,
            "next_steps": list(self.next_steps),
        }
