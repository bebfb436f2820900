"""A throw-away copy of the project (what the studio edits), so no test ever touches the repository."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.servers import ROOT

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
