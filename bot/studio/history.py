"""Who changed what, and when: a table in the studio's database, and a git commit per change
signed with the editor's name when the project's data folder is in a git repository."""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from bot.studio.accounts import User
from bot.studio.db import CHANGES

COMMITTER = ("Studio des éditeurs SPRO", "studio@spro.invalid")


@dataclass(frozen=True)
class Change:
    at: datetime
    login: str
    name: str
    action: str
    detail: str


def record(engine: Engine, user: User, action: str, detail: str, project_root: Path, files: list[Path]) -> bool:
    """Record a change; commit ``files`` when the data folder is in git. True when committed."""
    with engine.begin() as conn:
        conn.execute(
            insert(CHANGES).values(at=time.time(), login=user.login, name=user.name, action=action, detail=detail)
        )
    return commit(project_root, files, user, f"Studio : {detail}") if files else False


def in_git(folder: Path) -> bool:
    result = subprocess.run(
        ["git", "-C", str(folder), "rev-parse", "--is-inside-work-tree"], capture_output=True, text=True, check=False
    )
    return result.returncode == 0 and result.stdout.strip() == "true"


def commit(project_root: Path, files: list[Path], user: User, message: str) -> bool:
    """Commit only ``files``, authored by the editor (the studio is the committer)."""
    data = project_root / "data"
    if not in_git(data):
        return False
    git = [
        "git",
        "-C",
        str(project_root),
        "-c",
        f"user.name={COMMITTER[0]}",
        "-c",
        f"user.email={COMMITTER[1]}",
    ]
    paths = [str(f.resolve()) for f in files]
    subprocess.run([*git, "add", "--", *paths], check=True, capture_output=True)
    result = subprocess.run(
        [
            *git,
            "commit",
            "--quiet",
            f"--author={user.name} <{user.login}@studio.spro.invalid>",
            "-m",
            message,
            "--",
            *paths,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode == 0


def changes(engine: Engine, limit: int = 200) -> list[Change]:
    with engine.connect() as conn:
        rows = conn.execute(select(CHANGES).order_by(CHANGES.c.id.desc()).limit(limit)).all()
    return [Change(datetime.fromtimestamp(r.at, timezone.utc), r.login, r.name, r.action, r.detail) for r in rows]
