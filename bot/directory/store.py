"""The structure directory: where it lives, how it is loaded, how the bot finds « the » structure.

Queries are written in SQLAlchemy 2.0 style (``select()``), which the 1.4 release Rasa pins
supports, so that the module survives Rasa's eventual upgrade.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, delete, func, inspect, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.directory.csvio import InvalidDirectoryFile, parse_csv, row_problems, write_csv
from bot.directory.lookup import Locator, read_service_areas
from bot.directory.models import CSV_FIELDS, Base, ShippedLoadRow, StructureRow, TerritoryRow
from bot.geo.data import REGION_DEPARTMENTS, read_territories
from bot.geo.territories import Territory
from bot.orientation.model import Place, Structure
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
        self._add_missing_columns()
        with Session(self.engine) as session, session.begin():
            session.execute(delete(TerritoryRow))
            session.add_all(
                TerritoryRow(id=t.id, name=t.name, department=t.department, seats=" ".join(t.seats))
                for t in self.territories.values()
            )

    def _add_missing_columns(self) -> None:
        """A directory created by an older version gains the new (nullable) columns, its rows kept."""
        present = {c["name"] for c in inspect(self.engine).get_columns(StructureRow.__tablename__)}
        with self.engine.begin() as connection:
            for column in StructureRow.__table__.columns:
                if column.name not in present and column.nullable:
                    kind = column.type.compile(dialect=self.engine.dialect)
                    connection.execute(
                        text(f"ALTER TABLE {StructureRow.__tablename__} ADD COLUMN {column.name} {kind}")
                    )

    def rows_digest(self) -> str:
        """A digest of every structure as stored: it changes with any edit."""
        columns = [c.name for c in StructureRow.__table__.columns]
        with Session(self.engine) as session:
            rows = session.scalars(select(StructureRow).order_by(StructureRow.position, StructureRow.id)).all()
            values = [[getattr(row, c) for c in columns] for row in rows]
        return hashlib.sha256(json.dumps(values, ensure_ascii=False).encode()).hexdigest()

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

    def all(self) -> list[Structure]:
        """Every structure, in the editors' order (read on every lookup, so plain rows, no ORM objects)."""
        return [_structure(r) for r in self.records()]

    def records(self) -> list[dict[str, str | None]]:
        """Every structure as its CSV row (what editors see and edit), in the editors' order."""
        table = StructureRow.__table__
        with self.engine.connect() as connection:
            rows = connection.execute(select(*(table.c[f] for f in CSV_FIELDS)).order_by(table.c.position))
            return [dict(row._mapping) for row in rows]

    def update(self, structure_id: str, values: dict[str, str | None]) -> list[str]:
        """Change one structure's fields (not its id); returns the fields changed.

        Checked like a CSV row: raises ``InvalidDirectoryFile`` (nothing written) when a value is wrong.
        """
        with Session(self.engine) as session, session.begin():
            row = session.get(StructureRow, structure_id)
            if row is None:
                raise KeyError(structure_id)
            current = {f: getattr(row, f) for f in CSV_FIELDS}
            new = {**current, **{k: (v or "").strip() or None for k, v in values.items() if k in CSV_FIELDS}}
            new["id"] = structure_id
            areas = set(self.territories) | set(REGION_DEPARTMENTS) | {REGION}
            problems = row_problems(new, set(vocabulary().doors), areas)
            if problems:
                raise InvalidDirectoryFile(problems)
            changed = [f for f in CSV_FIELDS if new[f] != current[f]]
            for field in changed:
                setattr(row, field, new[field])
            return changed

    def locator(self) -> Locator:
        """A snapshot of the directory for lookups (cheap: the directory has a few hundred rows)."""
        from bot.geo import gazetteer

        geo = gazetteer()
        seats = {t.id: t.seats for t in geo.territories.values()}
        return Locator(self.all(), geo.communes, read_service_areas(), seats)

    def find(self, door: str, place: Place) -> Structure | None:
        """The structure of ``door`` for ``place`` (see ``bot.directory.lookup``)."""
        return self.locator().find(door, place)

    def needs_territory(self, door: str) -> bool:
        """Whether knowing the commune changes the answer for this door (else: don't ask it)."""
        with Session(self.engine) as session:
            local = session.scalar(
                select(func.count())
                .select_from(StructureRow)
                .where(StructureRow.door == door, StructureRow.territory != REGION)
            )
        return bool(local)

    def stats(self) -> dict[str, Any]:
        """Counts per door, the age of the data, and what the whole answer grid gets from it."""
        from bot.directory.coverage import coverage
        from bot.geo import gazetteer

        structures = self.all()
        dates = sorted(d for s in structures for d in (s.updated_at, s.contact_updated_at) if d)
        return {
            "structures": len(structures),
            "by_door": dict(sorted(Counter(s.door for s in structures).items())),
            "doors_without_structure": sorted(d for d in vocabulary().doors if d not in {s.door for s in structures}),
            "oldest_date": dates[0] if dates else None,
            "grid": coverage(self.locator(), gazetteer().communes.values()),
        }


def _structure(row: Mapping[str, str | None]) -> Structure:
    return Structure(
        id=row["id"] or "",
        name=row["name"] or "",
        door=row["door"] or "",
        address=row["address"],
        postal_code=row["postal_code"],
        city=row["city"],
        phone=row["phone"],
        email=row["email"],
        url=row["url"],
        latitude=float(row["latitude"]) if row["latitude"] else None,
        longitude=float(row["longitude"]) if row["longitude"] else None,
        source=row["source"],
        updated_at=row["updated_at"],
        contact_source=row["contact_source"],
        contact_updated_at=row["contact_updated_at"],
        area=row["territory"] or "",
    )


def ensure_loaded(directory: Directory, path: Path = STRUCTURES_FILE) -> str:
    """Create the schema and load the committed file when that loses nothing (``make setup``).

    Returns ``loaded`` (an empty directory, or one nobody edited since the previous committed file
    was loaded: an upgrade), ``current`` (nothing to do) or ``edited`` (the committed file changed
    but editors changed the directory since: it is left alone, and ``directory init`` says how
    to load the new file on purpose).
    """
    directory.create_schema()
    file_sha = hashlib.sha256(path.read_bytes()).hexdigest()
    with Session(directory.engine) as session:
        last = session.get(ShippedLoadRow, 1)
        last_load = (last.file_sha256, last.rows_sha256) if last else None
    if not directory.is_empty():
        if last_load is not None and last_load[0] == file_sha:
            return "current"
        if last_load is None or last_load[1] != directory.rows_digest():
            return "edited"
    directory.import_csv(path)
    with Session(directory.engine) as session, session.begin():
        session.merge(ShippedLoadRow(id=1, file_sha256=file_sha, rows_sha256=directory.rows_digest()))
    return "loaded"
