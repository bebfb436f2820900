"""Publishing a model: the running Rasa server loads it through its authenticated HTTP API.

Rasa must run with ``--enable-api --auth-token TOKEN`` (``make run`` does, see
``scripts/run.sh``): without a token its API is open to anyone who can reach it. The model file is
given by path, so the studio and the Rasa server share the ``models/`` folder (same machine or
same volume). Each publication archives the model it replaces, for a one-click rollback.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from bot.fingerprint import training_fingerprint
from bot.studio.db import PUBLICATIONS
from bot.studio.project import Project

TOKEN_VARIABLE = "SPRO_RASA_TOKEN"
URL_VARIABLE = "SPRO_RASA_URL"
SERVICE_MODEL = "spro.tar.gz"
DEFAULT_MARGIN = 0.02  # macro-F1 may drop this much (noise of a small test set) without an admin


class PublishError(RuntimeError):
    """A French sentence for the editor."""


def read_token(var_dir: Path) -> str:
    """``SPRO_RASA_TOKEN``, else the token ``make run`` wrote into ``var/rasa-api-token``."""
    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    path = var_dir / "rasa-api-token"
    if not token and path.exists():
        token = path.read_text(encoding="utf-8").strip()
    return token


class RasaServer:
    """The few calls of Rasa's HTTP API the studio needs."""

    def __init__(self, url: str, token: str, timeout: float = 300) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def _call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        try:
            response = requests.request(
                method, f"{self.url}{path}", params={"token": self.token}, timeout=self.timeout, **kwargs
            )
        except requests.RequestException as exc:
            raise PublishError(f"le serveur du bot ne répond pas ({self.url})") from exc
        if response.status_code in (401, 403):
            raise PublishError("le serveur du bot refuse le jeton du studio (SPRO_RASA_TOKEN)")
        if response.status_code >= 400:
            raise PublishError(f"le serveur du bot a répondu {response.status_code} : {response.text[:300]}")
        return response

    def status(self) -> dict[str, Any]:
        return self._call("GET", "/status", timeout=10).json()

    def parse(self, text: str) -> dict[str, Any]:
        return self._call("POST", "/model/parse", json={"text": text}).json()

    def load(self, model: Path) -> None:
        self._call("PUT", "/model", json={"model_file": str(model.resolve())})


@dataclass(frozen=True)
class Publication:
    at: datetime
    login: str
    model: Path
    previous: Path | None
    macro_f1: float | None
    rollback: bool


def fingerprint(project: Project) -> str:
    """What ``scripts/train.sh`` compares to know the model is up to date with the data."""
    return training_fingerprint(project.root)


def _archive(model: Path, archive_dir: Path) -> Path:
    archive_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    target = archive_dir / f"en-service-{stamp}.tar.gz"
    number = 1
    while target.exists():  # two publications in the same second: never overwrite an archive
        number += 1
        target = archive_dir / f"en-service-{stamp}-{number}.tar.gz"
    try:
        os.link(model.resolve(), target)  # same disk: no copy of a large file
    except OSError:
        shutil.copy2(model, target)
    return target


def _install(model: Path, service: Path) -> None:
    tmp = service.with_suffix(".tmp")
    shutil.copy2(model, tmp)
    os.replace(tmp, service)


def publish(
    engine: Engine,
    project: Project,
    server: RasaServer,
    model: Path,
    login: str,
    *,
    macro_f1: float | None,
    trained_with_project_config: bool,
    rollback: bool = False,
) -> Publication:
    """Load ``model`` into the running bot, then make it the model ``make run`` starts with."""
    service = project.models_dir / SERVICE_MODEL
    server.load(model)  # first: when the bot refuses the model, nothing else changes
    previous = _archive(service, project.models_dir / "archives") if service.exists() else None
    _install(model, service)
    stamp = project.models_dir / "spro.fingerprint"
    if trained_with_project_config and not rollback:
        stamp.write_text(fingerprint(project) + "\n", encoding="utf-8")
    else:  # the data no longer matches the model: `make train` will retrain for real
        stamp.unlink(missing_ok=True)
    with engine.begin() as conn:
        conn.execute(
            insert(PUBLICATIONS).values(
                at=time.time(), login=login, model=str(model), macro_f1=macro_f1, rollback=int(rollback)
            )
        )
    row = Publication(datetime.now(timezone.utc), login, model, previous, macro_f1, rollback)
    _remember_previous(project, previous)
    return row


def _remember_previous(project: Project, previous: Path | None) -> None:
    marker = project.models_dir / "archives" / "precedent.txt"
    if previous:
        marker.write_text(str(previous) + "\n", encoding="utf-8")


def previous_model(project: Project) -> Path | None:
    """The model that was in service before the last publication, if still on disk."""
    marker = project.models_dir / "archives" / "precedent.txt"
    if not marker.exists():
        return None
    path = Path(marker.read_text(encoding="utf-8").strip())
    return path if path.exists() else None


def publications(engine: Engine, limit: int = 20) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(select(PUBLICATIONS).order_by(PUBLICATIONS.c.id.desc()).limit(limit)).all()
    return [
        {
            "at": datetime.fromtimestamp(r.at, timezone.utc),
            "login": r.login,
            "model": Path(r.model).name,
            "macro_f1": r.macro_f1,
            "rollback": bool(r.rollback),
        }
        for r in rows
    ]


def drop_refused(candidate: float | None, service: float | None, margin: float) -> bool:
    """Whether publishing would lose more than ``margin`` of macro-F1 (then only an admin may)."""
    return candidate is not None and service is not None and candidate < service - margin
