"""Tables of the structure directory (SQLAlchemy; SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

from sqlalchemy import Column, Integer, String, Text
from sqlalchemy.orm import declarative_base

Base = declarative_base()

# Column order of the CSV file editors exchange (docs/annuaire.md); the export writes exactly this.
CSV_FIELDS = (
    "id",
    "name",
    "door",
    "territory",
    "address",
    "postal_code",
    "city",
    "phone",
    "email",
    "url",
    "latitude",
    "longitude",
    "source",
    "updated_at",
    "contact_source",
    "contact_updated_at",
    "checked_at",
)


class TerritoryRow(Base):
    """A SPRO territory, copied from ``data/geo/territories.csv`` so SQL reports can join on it."""

    __tablename__ = "territories"

    id = Column(String(64), primary_key=True)
    name = Column(String(200), nullable=False)
    department = Column(String(3), nullable=False, index=True)
    seats = Column(String(200), nullable=False)


class StructureRow(Base):
    """One structure of the directory.

    ``territory`` is the area it serves: a territory id, a department code (every territory of
    that department) or ``region``. ``position`` keeps the editors' order so that an export
    gives back the very file that was imported.
    """

    __tablename__ = "structures"

    id = Column(String(100), primary_key=True)
    position = Column(Integer, nullable=False)
    name = Column(String(300), nullable=False)
    door = Column(String(40), nullable=False, index=True)
    territory = Column(String(64), nullable=False, index=True)
    address = Column(Text)
    postal_code = Column(String(5))
    city = Column(String(200))
    phone = Column(String(40))
    email = Column(String(254))
    url = Column(Text)
    latitude = Column(String(12))
    longitude = Column(String(12))
    source = Column(Text, nullable=False)
    # The date of the source; the phone and e-mail may come from another, older one.
    updated_at = Column(String(10))
    contact_source = Column(Text)
    contact_updated_at = Column(String(10))
    # The day an editor last confirmed the structure by hand (studio « vérifié aujourd'hui »).
    checked_at = Column(String(10))


class ShippedLoadRow(Base):
    """The committed file that ``make setup`` last loaded, and a digest of the rows as it left them.

    A newer committed file then replaces a directory that nobody has edited since (an upgrade),
    never one that editors changed in the studio or by an import.
    """

    __tablename__ = "directory_shipped_load"

    id = Column(Integer, primary_key=True)
    file_sha256 = Column(String(64), nullable=False)
    rows_sha256 = Column(String(64), nullable=False)
