"""YAML reading for the editors' data files (ruamel.yaml, which Rasa already installs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML


def read_yaml(path: Path) -> Any:
    """Plain Python values (safe loader: data files never instantiate objects)."""
    with path.open(encoding="utf-8") as fh:
        return YAML(typ="safe", pure=True).load(fh)
