"""The directory of SPRO structures (SQLAlchemy; SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

from functools import lru_cache

from bot.directory.csvio import InvalidDirectoryFile
from bot.directory.store import Directory, database_url, ensure_loaded


@lru_cache(maxsize=4)
def open_directory(url: str | None = None, load: bool = True) -> Directory:
    """The directory for this process; with ``load``, the committed file is loaded when that loses
    nothing (``ensure_loaded``)."""
    directory = Directory.from_url(url)
    if load:
        ensure_loaded(directory)
    return directory


__all__ = ["Directory", "InvalidDirectoryFile", "database_url", "ensure_loaded", "open_directory"]
