"""The structure directory: where it lives, how it is loaded, how the bot finds « the » structure.

Queries are written in SQLAlchemy 2.0 style (``select()``), which the 1.4 release Rasa pins
supports, so that the module survives Rasa's eventual upgrade.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, delete, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.directory.csvio import parse_csv, write_csv
from bot.directory.models import CSV_FIELDS, Base, StructureRow, TerritoryRow
from bot.geo.data import REGION_DEPARTMENTS, read_territories
from bot.geo.territories import Territory
from bot.orientation.model import Structure
from bot.orientation.vocabulary import vocabulary
from bot.paths import DATA_DIR, VAR_DIR, private_sqlite

STRUCTURES_FILE = DATA_DIR / "directory" / "structures.csv"
REGION = "region"


def database_url() -> str:
    """``DATABASE_URL`` when set (PostgreSQL in production), else a SQLite file under ``var/``."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url.replace("postgres://", "postgresql://", 1)
    return private_sqlite(VAR_DIR / "spro.db")


class Directory:
    """Read and write access to the structures, by door and territory."""

    def __init__(self, engine: Engine, territories: list[Territory] | None = None) -> None:
        self.engine = engine
        self.territories = {t.id: t for t in (territories or read_territories())}

    @classmethod
    def from_url(cls, url: str | None = None) -> Directory:
        return cls(create_engine(url or database_url(), future=True, pool_pre_ping=True))

    # -- schema and loading -------------------------------------------------------------------

    def create_schema(self) -> None:
        """Create the tables if needed and copy the territory list in."""
        Base.metadata.create_all(self.engine)
        with Session(self.engine) as session, session.begin():
            session.execute(delete(TerritoryRow))
            session.add_all(
                TerritoryRow(id=t.id, name=t.name, department=t.department, seats=" ".join(t.seats))
                for t in self.territories.values()
            )

    def is_empty(self) -> bool:
        with Session(self.engine) as session:
            return session.scalar(select(func.count()).select_from(StructureRow)) == 0

    def import_csv(self, path: Path) -> int:
        """Replace the whole directory with the file's rows, in one transaction.

        Raises ``InvalidDirectoryFile`` (nothing written) when any row is wrong.
        """
        rows = parse_csv(
            path.read_text(encoding="utf-8"),
            doors=vocabulary().doors,
            territories=self.territories,
            departments=REGION_DEPARTMENTS,
        )
        self.create_schema()
        with Session(self.engine) as session, session.begin():
            session.execute(delete(StructureRow))
            session.add_all(StructureRow(position=n, **row) for n, row in enumerate(rows))
        return len(rows)

    def export_csv(self, path: Path) -> int:
        with Session(self.engine) as session:
            rows = session.scalars(select(StructureRow).order_by(StructureRow.position)).all()
            write_csv(({f: getattr(r, f) for f in CSV_FIELDS} for r in rows), path)
            return len(rows)

    # -- what the bot asks --------------------------------------------------------------------

    def find(self, door: str, territory: str | None) -> Structure | None:
        """The structure of ``door`` serving ``territory``: the territory's own first, then one
        serving its whole department, then a regional one. ``None`` when there is none."""
        areas = [REGION]
        if territory in self.territories:
            areas = [territory, self.territories[territory].department, REGION]
        with Session(self.engine) as session:
            rows = session.scalars(
                select(StructureRow)
                .where(StructureRow.door == door, StructureRow.territory.in_(areas))
                .order_by(StructureRow.position)
            ).all()
        if not rows:
            return None
        best = min(rows, key=lambda r: (areas.index(r.territory), r.position))
        return _structure(best)

    def needs_territory(self, door: str) -> bool:
        """Whether knowing the commune changes the answer for this door (else: don't ask it)."""
        with Session(self.engine) as session:
            local = session.scalar(
                select(func.count())
                .select_from(StructureRow)
                .where(StructureRow.door == door, StructureRow.territory != REGION)
            )
        return bool(local)

    def get(self, structure_id: str) -> Structure | None:
        with Session(self.engine) as session:
            row = session.get(StructureRow, structure_id)
            return _structure(row) if row else None

    def stats(self) -> dict[str, Any]:
        """Counts per door and per area, and the doors each territory still lacks."""
        with Session(self.engine) as session:
            rows = session.execute(select(StructureRow.door, StructureRow.territory)).all()
        by_door = Counter(door for door, _ in rows)
        by_area = Counter(area for _, area in rows)
        missing = {
            t.id: sorted(d for d in vocabulary().doors if self.find(d, t.id) is None) for t in self.territories.values()
        }
        return {
            "structures": len(rows),
            "by_door": dict(sorted(by_door.items())),
            "by_territory": dict(sorted(by_area.items())),
            "doors_without_structure": sorted(d for d in vocabulary().doors if d not in by_door),
            "missing_by_territory": missing,
        }


def _structure(row: StructureRow) -> Structure:
    return Structure(
        id=row.id,
        name=row.name,
        door=row.door,
        address=row.address,
        postal_code=row.postal_code,
        city=row.city,
        phone=row.phone,
        email=row.email,
        url=row.url,
        area=row.territory,
    )


def ensure_loaded(directory: Directory, path: Path = STRUCTURES_FILE) -> bool:
    """Create the schema and load the committed file into an empty directory (``make setup``).

    A directory that already holds structures is left alone: editors may have imported the real,
    current one, and setup must never overwrite it.
    """
    directory.create_schema()
    if directory.is_empty():
        directory.import_csv(path)
        return True
    return False
