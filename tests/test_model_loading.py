"""The ``chargement-sans-entrainement`` patch: a model loaded without Rasa's training step has the
same weights and gives the same answers, in less time and memory (bot/rasa_patches.py)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.support.servers import MODEL, ROOT, VENV_BIN, base_env

pytestmark = pytest.mark.e2e

# Loads the trained model twice in one process, as Rasa does, then with the patch; prints what differs.
SCRIPT = """
import asyncio, json, sys
import numpy as np
from rasa.core.agent import Agent

MESSAGES = ["bonjour", "je cherche du travail", "j'ai 24 ans", "Vierzon", "mon fils a arrêté le lycée",
            "je voudrais faire une VAE à Tours", "supprimez mes données", "je suis en CDD jusqu'au 31 décembre"]

def load():
    agent = Agent.load(sys.argv[1])
    models = {name: node._component.model for name, node in agent.processor.graph_runner._instantiated_nodes.items()
              if hasattr(getattr(node._component, "model", None), "variables")}
    parses = [asyncio.run(agent.parse_message(text)) for text in MESSAGES]
    return models, parses

rasa_models, rasa_parses = load()
from bot import rasa_patches
rasa_patches.install()
our_models, our_parses = load()
print(json.dumps({
    "models": sorted(our_models),
    "variables": {name: [len(rasa_models[name].variables), len(our_models[name].variables)] for name in our_models},
    "different": [f"{name}/{i}" for name in our_models
                  for i, (a, b) in enumerate(zip(rasa_models[name].variables, our_models[name].variables))
                  if a.name != b.name or not np.array_equal(a.numpy(), b.numpy())],
    "trained_at_load": [name for name, model in our_models.items() if model.train_function is not None],
    "same_parses": [
        ([(r["name"], round(r["confidence"], 6)) for r in a["intent_ranking"]], [(e["entity"], e["value"]) for e in a["entities"]])
        == ([(r["name"], round(r["confidence"], 6)) for r in b["intent_ranking"]], [(e["entity"], e["value"]) for e in b["entities"]])
        for a, b in zip(rasa_parses, our_parses)
    ],
}))
"""


def test_a_model_loaded_without_training_step_has_rasas_weights_and_answers(tmp_path: Path) -> None:
    if not MODEL.exists():
        pytest.fail("no trained model: run `make train` first")
    result = subprocess.run(
        [str(VENV_BIN / "python"), "-c", SCRIPT, str(MODEL)],
        cwd=ROOT,
        env=base_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=900,
        check=True,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert len(report["models"]) == 2, report  # DIET and TED
    assert all(rasa == ours for rasa, ours in report["variables"].values()), report
    assert report["different"] == []
    assert report["trained_at_load"] == []
    assert all(report["same_parses"]), report
    assert "could not be found in the restored object" not in result.stderr
