"""The training fingerprint: a digest of everything the model is trained from.

``scripts/train.sh`` retrains only when it changes, and the studio writes it beside a model it
publishes so that ``make run`` keeps that model. One definition serves both, so they never disagree.

    python -m bot.fingerprint [ROOT]    # prints the fingerprint of the project at ROOT (default: here)
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from bot.paths import ROOT

TRAINING_DATA = ("data/nlu", "data/stories", "data/rules")
# The SMS spellings the intent classifier spells out (bot/nlu/text.py).
TRAINING_FILES = ("data/sms.yml",)


def training_fingerprint(root: Path = ROOT) -> str:
    """Config, domain, training data and the project's own NLU components (their code shapes the model)."""
    data = sorted(str(p.relative_to(root)) for folder in TRAINING_DATA for p in (root / folder).rglob("*.yml"))
    components = sorted(str(p.relative_to(root)) for p in (root / "bot" / "nlu").glob("*.py"))
    digest = hashlib.sha256()
    for name in ["config.yml", "domain.yml", *data, *TRAINING_FILES, *components]:
        digest.update((root / name).read_bytes())
    return digest.hexdigest()


if __name__ == "__main__":
    print(training_fingerprint(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT))
