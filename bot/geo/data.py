"""Reading the committed geographic files (``data/geo/``).

The files are plain CSV so that editors can open them in a spreadsheet; their provenance is in
``data/geo/SOURCES.md``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.geo.territories import Territory
from bot.paths import DATA_DIR

GEO_DIR = DATA_DIR / "geo"
REGION_DEPARTMENTS = ("18", "28", "36", "37", "41", "45")
COMMUNE_FIELDS = ["insee", "name", "postal_codes", "department", "lat", "lon", "territory", "former_names"]


@dataclass(frozen=True)
class Commune:
    """A current commune of the region, with the territory it belongs to."""

    insee: str
    name: str
    postal_codes: tuple[str, ...]
    department: str
    lat: float | None
    lon: float | None
    territory: str
    former_names: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        """The shape of ``geo resolve --json`` (docs/architecture.md § 4)."""
        return {
            "insee": self.insee,
            "name": self.name,
            "postal_codes": list(self.postal_codes),
            "department": self.department,
            "territory": self.territory,
        }


@dataclass(frozen=True)
class OutsidePlace:
    """A commune of another department: enough to say where it is, nothing more."""

    name: str
    department: str
    postal_codes: tuple[str, ...]


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def read_territories(geo_dir: Path = GEO_DIR) -> list[Territory]:
    return [
        Territory(r["id"], r["name"], r["department"], tuple(r["seats"].split()))
        for r in _rows(geo_dir / "territories.csv")
    ]


def read_overrides(geo_dir: Path = GEO_DIR) -> dict[str, str]:
    """INSEE code → territory id, as corrected by editors."""
    path = geo_dir / "territory_overrides.csv"
    return {r["insee"]: r["territory"] for r in _rows(path)} if path.exists() else {}


def read_communes(geo_dir: Path = GEO_DIR) -> list[Commune]:
    overrides = read_overrides(geo_dir)
    return [
        Commune(
            insee=r["insee"],
            name=r["name"],
            postal_codes=tuple(r["postal_codes"].split()),
            department=r["department"],
            lat=float(r["lat"]) if r["lat"] else None,
            lon=float(r["lon"]) if r["lon"] else None,
            territory=overrides.get(r["insee"], r["territory"]),
            former_names=tuple(n for n in r["former_names"].split("|") if n),
        )
        for r in _rows(geo_dir / "communes.csv")
    ]


def read_outside(geo_dir: Path = GEO_DIR) -> list[OutsidePlace]:
    return [
        OutsidePlace(r["name"], r["department"], tuple(r["postal_codes"].split()))
        for r in _rows(geo_dir / "communes_hors_region.csv")
    ]


def read_departments(geo_dir: Path = GEO_DIR) -> dict[str, str]:
    """Department code → name, for the whole of France (to name where an outside place is)."""
    return {r["code"]: r["name"] for r in _rows(geo_dir / "departments.csv")}
