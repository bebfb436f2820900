"""Which structure of a door serves a commune: the one a source says serves it, else the nearest.

Pure (no SQL): built from the directory's structures, the committed service areas
(``data/directory/service_areas.csv``, from the UNML file for the Missions locales) and the
communes' centres, so the bot, the command line and the grid tests share one answer.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from bot.geo.data import Commune
from bot.geo.territories import distance_km
from bot.orientation.model import Place, Structure
from bot.paths import DATA_DIR

SERVICE_AREAS_FILE = DATA_DIR / "directory" / "service_areas.csv"
REGION = "region"


@lru_cache(maxsize=2)
def read_service_areas(path: Path = SERVICE_AREAS_FILE) -> dict[str, str]:
    """INSEE code → id of the structure a source says serves that commune."""
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["insee"]: row["structure_id"] for row in csv.DictReader(fh)}


def commune_place(commune: Commune) -> Place:
    """The place of a resolved commune, as the engine and the lookup read it."""
    return Place(territory=commune.territory, commune=commune.name, department=commune.department, insee=commune.insee)


class Locator:
    """The structure of a door for a place; ``None`` when the directory has none."""

    def __init__(
        self,
        structures: Iterable[Structure],
        communes: Mapping[str, Commune],
        service_areas: Mapping[str, str],
        seats: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.by_id = {s.id: s for s in structures}
        self.by_door: dict[str, list[Structure]] = defaultdict(list)
        for structure in self.by_id.values():
            self.by_door[structure.door].append(structure)
        self.communes = communes
        self.service_areas = service_areas
        self.seats = seats or {}
        self._by_postal_code: dict[str, list[Commune]] = defaultdict(list)
        for commune in communes.values():
            for code in commune.postal_codes:
                self._by_postal_code[code].append(commune)

    def find(self, door: str, place: Place) -> Structure | None:
        """The structure serving the commune, else the nearest local one, else the regional one."""
        serving = self.by_id.get(self.service_areas.get(place.insee or "", ""))
        if serving is not None and serving.door == door:
            return serving
        centre = self.centre(place)
        located = [s for s in self.by_door[door] if s.latitude is not None and s.longitude is not None]
        if centre is not None and located:
            return min(located, key=lambda s: (distance_km(centre, (s.latitude, s.longitude)), s.id))
        regional = [s for s in self.by_door[door] if s.area == REGION]
        return regional[0] if regional else None

    def centre(self, place: Place) -> tuple[float, float] | None:
        """The commune's centre; for a commune without one, the mean of the communes sharing its
        postal code; with only a territory known, its first seat."""
        commune = self.communes.get(place.insee or "")
        if commune is None and place.territory in self.seats:
            commune = self.communes.get(self.seats[place.territory][0])
        if commune is None:
            return None
        if commune.lat is not None and commune.lon is not None:
            return commune.lat, commune.lon
        near = [c for code in commune.postal_codes for c in self._by_postal_code[code] if c.lat is not None]
        if not near:
            return None
        return sum(c.lat for c in near) / len(near), sum(c.lon for c in near) / len(near)
