"""Validation, training and evaluation, in the background, one job at a time.

Each step is a subprocess (``rasa data validate``, ``python -m bot validate``, ``rasa train``,
``python -m bot.studio.evaluate``) whose output goes to a log file; the progress the editors see
is read from that log (the component being trained and its epochs). The web application only
starts the job and reads its state, so it stays responsive while a model trains.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bot.paths import ROOT
from bot.studio.project import Project

RASA = Path(sys.executable).with_name("rasa")
TRAINING_DATA = ["data/nlu", "data/stories", "data/rules"]
STEPS = {
    "validation": "Vérification des données",
    "training": "Entraînement du modèle",
    "evaluation": "Évaluation sur le jeu de test",
}
COMPONENT = re.compile(r"Starting to train component '(\w+)'")
EPOCHS = re.compile(r"Epochs:\s+(\d+)%")
ERROR_LINE = re.compile(r"(error|erreur|problème|invalid)", re.IGNORECASE)


@dataclass
class Job:
    id: str
    login: str
    started_at: float
    config: str
    step: str = "validation"
    state: str = "running"  # running, failed, done
    detail: str = ""
    model: str | None = None
    finished_at: float | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def folder_name(self) -> str:
        return self.id

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def progress(log: Path) -> str:
    """What the training is doing now, in French, from the end of its log."""
    if not log.exists():
        return ""
    text = log.read_text(encoding="utf-8", errors="replace")
    components = COMPONENT.findall(text)
    if not components:
        return "Préparation des données…"
    current = components[-1]
    last_component_at = text.rfind(f"Starting to train component '{current}'")
    after = EPOCHS.findall(text[last_component_at:])
    share = f" — {after[-1]} % des passages" if after else ""
    return f"Composant {len(components)} : {current}{share}"


class Trainer:
    """Runs one job at a time for a project; jobs are kept under ``var/studio/jobs``."""

    def __init__(self, project: Project, var_dir: Path, train_config: Path | None, service_url: str, token: str):
        self.project = project
        self.jobs_dir = var_dir / "studio" / "jobs"
        self.train_config = (train_config or project.config_path).resolve()
        self.service_url = service_url
        self.token = token
        self._lock = threading.Lock()
        self._current: Job | None = None

    @property
    def uses_project_config(self) -> bool:
        return self.train_config == self.project.config_path.resolve()

    def folder(self, job_id: str) -> Path:
        if not re.fullmatch(r"[0-9TZ-]+", job_id):
            raise ValueError("identifiant d'entraînement invalide")
        return self.jobs_dir / job_id

    def start(self, login: str) -> Job:
        with self._lock:
            if self._current and self._current.state == "running":
                raise RuntimeError("un entraînement est déjà en cours")
            job_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
            job = Job(job_id, login, time.time(), str(self.train_config))
            self.folder(job.id).mkdir(parents=True, exist_ok=True)
            self._current = job
            self._save(job)
        threading.Thread(target=self._run, args=(job,), daemon=True, name=f"studio-train-{job_id}").start()
        return job

    def _save(self, job: Job) -> None:
        (self.folder(job.id) / "job.json").write_text(json.dumps(job.as_dict(), ensure_ascii=False), encoding="utf-8")

    def jobs(self) -> list[Job]:
        if not self.jobs_dir.exists():
            return []
        found = []
        for path in sorted(self.jobs_dir.glob("*/job.json"), reverse=True):
            job = Job(**json.loads(path.read_text(encoding="utf-8")))
            if job.state == "running" and (not self._current or self._current.id != job.id):
                job.state, job.detail = "failed", "interrompu (le studio a redémarré)"
            found.append(job)
        return found

    def get(self, job_id: str) -> Job | None:
        return next((j for j in self.jobs() if j.id == job_id), None)

    def evaluation(self, job_id: str) -> dict[str, Any] | None:
        path = self.folder(job_id) / "evaluation.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None

    def last_evaluation(self) -> dict[str, Any] | None:
        for job in self.jobs():
            if job.state == "done":
                return self.evaluation(job.id)
        return None

    def live_progress(self, job: Job) -> str:
        if job.state != "running":
            return job.detail
        if job.step == "training":
            return progress(self.folder(job.id) / "training.log")
        return job.detail

    def _env(self) -> dict[str, str]:
        return {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "SPRO_DATA_DIR": str(self.project.root / "data"),
            "SPRO_RASA_TOKEN": self.token,
        }

    def _step(self, job: Job, name: str, command: list[str], log_name: str) -> bool:
        log = self.folder(job.id) / log_name
        with log.open("a", encoding="utf-8") as out:
            out.write(f"$ {' '.join(command)}\n")
            out.flush()
            result = subprocess.run(
                command, cwd=self.project.root, env=self._env(), stdout=out, stderr=subprocess.STDOUT, check=False
            )
        if result.returncode != 0:
            lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
            job.errors = [line for line in lines if ERROR_LINE.search(line)][-15:] or lines[-15:]
            job.state, job.detail = "failed", f"{STEPS[name]} : échec"
            return False
        return True

    def _run(self, job: Job) -> None:
        try:
            self._run_steps(job)
        except Exception as exc:  # the job must end in a state an editor can read
            job.state, job.detail = "failed", f"erreur inattendue : {type(exc).__name__}"
        finally:
            job.finished_at = time.time()
            self._save(job)

    def _run_steps(self, job: Job) -> None:
        python = sys.executable
        job.step, job.detail = "validation", "Vérification des données…"
        self._save(job)
        validate = [str(RASA), "data", "validate", "--data", *TRAINING_DATA, "--domain", "domain.yml"]
        validate += ["--config", str(self.train_config)]
        if not self._step(job, "validation", validate, "validation.log"):
            return
        if not self._step(job, "validation", [python, "-m", "bot", "validate"], "validation.log"):
            return
        job.step, job.detail = "training", "Entraînement…"
        self._save(job)
        out_dir = self.project.models_dir / "candidats"
        name = f"candidat-{job.id}"
        train = [str(RASA), "train", "--config", str(self.train_config), "--domain", "domain.yml"]
        train += ["--data", *TRAINING_DATA, "--out", str(out_dir), "--fixed-model-name", name]
        if not self._step(job, "training", train, "training.log"):
            return
        job.model = str(out_dir / f"{name}.tar.gz")
        job.step, job.detail = "evaluation", "le nouveau modèle et celui en service répondent aux phrases de test…"
        self._save(job)
        evaluate = [python, "-m", "bot.studio.evaluate", "--model", job.model, "--test", str(self.project.test_path)]
        evaluate += ["--out", str(self.folder(job.id)), "--service-url", self.service_url]
        if not self._step(job, "evaluation", evaluate, "evaluation.log"):
            return
        job.state, job.detail = "done", "Modèle prêt à être publié."
