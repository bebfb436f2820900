"""The rule that gives every commune its SPRO territory.

The source document names the territories and their seats but publishes no commune list, so
the rule is geometric and documented in ``docs/territoires.md``: a commune belongs to the
territory whose seat is nearest, among the territories of its own department. A territory may
have several seats (Brenne – Boischaut Sud: Le Blanc and La Châtre; Montargis-Gien). Editors
correct individual communes in ``data/geo/territory_overrides.csv``; those corrections win.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Territory:
    """A SPRO territory: a stable id (used in payloads), a name people read, its seats."""

    id: str
    name: str
    department: str
    seats: tuple[str, ...]


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance; plenty precise for choosing between seats 20 km apart."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def nearest_territory(
    point: tuple[float, float] | None,
    department: str,
    territories: Iterable[Territory],
    seat_coordinates: Mapping[str, tuple[float, float]],
) -> str | None:
    """Territory of the nearest seat in ``department``; ``None`` when it cannot be decided.

    A department with a single territory (Loir-et-Cher) needs no coordinates at all.
    """
    candidates = [t for t in territories if t.department == department]
    if len(candidates) == 1:
        return candidates[0].id
    if point is None or not candidates:
        return None
    best = min(
        ((distance_km(point, seat_coordinates[seat]), t.id) for t in candidates for seat in t.seats),
        default=None,
    )
    return best[1] if best else None
