"""A throw-away copy of the project (what the studio edits), so no test ever touches the repository."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.servers import ROOT, VENV_BIN, base_env, free_port, wait_http

FAST_CONFIG = Path(__file__).parent / "config_rapide.yml"


def copy_project(target: Path, git: bool = False) -> Path:
    """data/, domain.yml, config.yml and the held-out split, optionally as a git repository."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "data", target / "data", ignore=shutil.ignore_patterns("*.db", "__pycache__"))
    for name in ("domain.yml", "config.yml"):
        shutil.copy2(ROOT / name, target / name)
    (target / "tests" / "nlu").mkdir(parents=True)
    shutil.copy2(ROOT / "tests" / "nlu" / "test_nlu.yml", target / "tests" / "nlu" / "test_nlu.yml")
    if git:
        subprocess.run(["git", "init", "-q", str(target)], check=True)
        identity = ["-c", "user.name=Projet", "-c", "user.email=projet@example.org"]
        subprocess.run(["git", "-C", str(target), "add", "-A"], check=True)
        subprocess.run(["git", "-C", str(target), *identity, "commit", "-qm", "copie"], check=True)
    return target


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "projet", git=True)


PASSWORD = "un mot de passe solide"


@contextmanager
def running_studio(project: Path, var: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """``python -m bot studio`` on a free port, with an editor (marie) and an admin (admin)."""
    environment = base_env(var, env)
    command = [str(VENV_BIN / "python"), "-m", "bot", "studio", "--project", str(project), "--var", str(var)]
    for login, name, role in (("marie", "Marie Dupont", "editor"), ("admin", "Alex Martin", "admin")):
        subprocess.run(
            [*command, "add-user", login, "--name", name, "--role", role, "--password-stdin"],
            input=PASSWORD + "\n",
            text=True,
            cwd=ROOT,
            env=environment,
            check=True,
            capture_output=True,
        )
    port = free_port()
    log = var / f"studio-{port}.log"
    process = subprocess.Popen(
        [*command, "--port", str(port), *args],
        cwd=ROOT,
        env=environment,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{url}/connexion", process, log, timeout=60)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
