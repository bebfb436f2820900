"""Where the project's files are. One place, so tests and tools can point elsewhere."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = Path(os.environ.get("SPRO_DATA_DIR", ROOT / "data"))
VAR_DIR = Path(os.environ.get("SPRO_VAR_DIR", ROOT / "var"))
