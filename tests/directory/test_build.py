"""The committed directory is exactly what the build script makes from the copied sources."""

from __future__ import annotations

import csv
import subprocess
import sys

from tests.conftest import ROOT


def test_the_committed_directory_is_what_the_sources_give() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/build_directory.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_personal_email_and_no_2016_coordinator_rows() -> None:
    with (ROOT / "data" / "directory" / "structures.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    emails = [r["email"] for r in rows if r["email"]]
    assert emails and not [e for e in emails if e.split("@")[0] in {"farah.loiseau", "combe", "act.cour"}]
    local = [r for r in rows if r["territory"] != "region"]
    assert not [r for r in local if "territoire" in r["name"] or r["source"].startswith("Présentation du SPRO")]
    assert all(r["source"] for r in rows)
