"""The studio's own database: accounts, sessions, history, inbox decisions and publications.

A SQLite file under ``var/`` by default (``SPRO_STUDIO_URL`` for another database): this is
state of the studio, not training data, so it never goes into the project's git history.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, create_engine
from sqlalchemy.engine import Engine

from bot.paths import private_sqlite

URL_VARIABLE = "SPRO_STUDIO_URL"

metadata = MetaData()
USERS = Table(
    "studio_users",
    metadata,
    Column("login", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("created_at", Float, nullable=False),
)
SESSIONS = Table(
    "studio_sessions",
    metadata,
    # Only a hash of the cookie's token is stored: a copy of the database opens no session.
    Column("token_hash", String(64), primary_key=True),
    Column("login", String(64), nullable=False, index=True),
    Column("csrf", String(64), nullable=False),
    Column("expires_at", Float, nullable=False),
)
CHANGES = Table(
    "studio_changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", Float, nullable=False),
    Column("login", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("action", String(64), nullable=False),
    Column("detail", Text, nullable=False),
)
INBOX_DECISIONS = Table(
    "studio_inbox",
    metadata,
    Column("event_id", Integer, primary_key=True),
    Column("decision", String(16), nullable=False),  # "assigned" or "dismissed"
    Column("intent", String(200)),
    Column("login", String(64), nullable=False),
    Column("at", Float, nullable=False),
)
PUBLICATIONS = Table(
    "studio_publications",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", Float, nullable=False),
    Column("login", String(64), nullable=False),
    Column("model", Text, nullable=False),  # the archived copy of the published model
    Column("macro_f1", Float),
    Column("rollback", Integer, nullable=False, default=0),
)


def studio_url(var_dir: Path) -> str:
    url = os.environ.get(URL_VARIABLE)
    if url:
        return url
    return private_sqlite(var_dir / "studio.db")


def open_db(var_dir: Path) -> Engine:
    """The studio's database, its tables created if needed; errors never quote stored values."""
    engine = create_engine(studio_url(var_dir), future=True, hide_parameters=True)
    metadata.create_all(engine)
    return engine
