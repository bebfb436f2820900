"""The repository is self-contained: what the code and docs cite is inside it (docs/architecture.md)."""

from __future__ import annotations

import re
import subprocess

from bot.paths import ROOT

TEXT_SUFFIXES = {".py", ".md", ".yml", ".yaml", ".sh", ".txt", ".toml", ".html", ".js", ".css", ".conf", ""}
OUTSIDE = re.compile(r"\.\./shared|DESIGN §|research/(channels|domain|anchors)\.md")
CITED_DOC = re.compile(r"\bdocs/[\w.-]+\.md\b")


def tracked_texts() -> dict[str, str]:
    names = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    texts = {}
    for name in names:
        path = ROOT / name
        if path.suffix in TEXT_SUFFIXES and path.is_file() and name != "tests/test_repository.py":
            try:
                texts[name] = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
    return texts


def test_nothing_points_outside_the_repository() -> None:
    found = [f"{name}: {match.group()}" for name, text in tracked_texts().items() for match in OUTSIDE.finditer(text)]
    assert found == []


def test_every_cited_document_exists() -> None:
    cited = {match.group() for text in tracked_texts().values() for match in CITED_DOC.finditer(text)}
    assert "docs/architecture.md" in cited
    assert sorted(doc for doc in cited if not (ROOT / doc).exists()) == []
