"""The patched Rasa (bot/rasa_patches.py): what the tests' servers run, and a loud failure when
Rasa changes under the patches."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import requests

from bot import rasa_patches
from tests.support.servers import ROOT, VENV_BIN, base_env, running_stack


@pytest.mark.e2e
def test_the_servers_the_tests_start_run_the_patched_rasa(tmp_path: Path) -> None:
    # Credentials without any project channel: hardening and /health must not depend on them.
    with running_stack(tmp_path / "stack", credentials="rest:\n") as stack:
        health = requests.get(f"{stack.url}/health", timeout=30)
        root = requests.get(f"{stack.url}/", timeout=10)
        version = requests.get(f"{stack.url}/version", timeout=10)
    assert health.json()["patches"] == [patch.name for patch in rasa_patches.PATCHES]
    assert root.text == rasa_patches.NEUTRAL_ROOT and "3.6" not in root.text
    assert version.status_code == 404


def test_an_other_rasa_version_stops_the_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    import rasa

    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    with pytest.raises(RuntimeError, match=r"écrit pour Rasa 3\.6\.x, pas 3\.7\.0"):
        rasa_patches.check()


def test_a_patched_attribute_missing_from_rasa_names_the_patch(monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa.nlu.utils.spacy_utils import SpacyNLP

    monkeypatch.delattr(SpacyNLP, "load_model")
    with pytest.raises(RuntimeError, match=r"« spacy-une-fois » : rasa\.nlu\.utils\.spacy_utils:SpacyNLP\.load_model"):
        rasa_patches.check()


def test_installing_twice_patches_once(tmp_path: Path) -> None:
    script = (
        "import rasa.core.run as run\n"
        "from bot import rasa_patches\n"
        "assert rasa_patches.install() == rasa_patches.install() == [p.name for p in rasa_patches.PATCHES]\n"
        "assert not hasattr(run.configure_app.__wrapped__, '__wrapped__')\n"
    )
    subprocess.run([str(VENV_BIN / "python"), "-c", script], cwd=ROOT, env=base_env(tmp_path), check=True)
