"""Where the project's files are. One place, so tests and tools can point elsewhere."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = Path(os.environ.get("SPRO_DATA_DIR", ROOT / "data"))
VAR_DIR = Path(os.environ.get("SPRO_VAR_DIR", ROOT / "var"))


def private_sqlite(path: Path) -> str:
    """The URL of a SQLite file readable by its owner only (mode 600, in a 700 folder).

    These files hold conversations, editors' password hashes or their sessions; created by
    SQLite with the default umask they would be world-readable (issue 14). SQLite gives its
    journal files the database's mode.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    return f"sqlite:///{path}"
