"""Publication bookkeeping: the replaced model is archived, and a rollback brings it back."""

from __future__ import annotations

from pathlib import Path

from bot.studio.db import open_db
from bot.studio.project import Project
from bot.studio.publish import fingerprint, previous_model, publications, publish


class RecordingServer:
    """Stands for the Rasa server (its HTTP API is exercised in test_browser.py)."""

    def __init__(self) -> None:
        self.loaded: list[Path] = []

    def load(self, model: Path) -> None:
        self.loaded.append(model)


def test_publish_then_roll_back(project_dir: Path, tmp_path: Path) -> None:
    project = Project(project_dir)
    models = project_dir / "models"
    (models / "candidats").mkdir(parents=True)
    (models / "spro.tar.gz").write_bytes(b"model A")
    candidate = models / "candidats" / "candidat-1.tar.gz"
    candidate.write_bytes(b"model B")
    db, server = open_db(tmp_path / "var"), RecordingServer()

    publish(db, project, server, candidate, "marie", macro_f1=0.8, trained_with_project_config=True)
    assert server.loaded == [candidate]
    assert (models / "spro.tar.gz").read_bytes() == b"model B"
    assert (models / "spro.fingerprint").read_text().strip() == fingerprint(project)
    previous = previous_model(project)
    assert previous is not None and previous.read_bytes() == b"model A"

    publish(db, project, server, previous, "admin", macro_f1=None, trained_with_project_config=False, rollback=True)
    assert server.loaded[-1] == previous
    assert (models / "spro.tar.gz").read_bytes() == b"model A"
    assert not (models / "spro.fingerprint").exists()  # make train will retrain for the current data
    assert previous_model(project).read_bytes() == b"model B"  # and one can go forward again
    assert [(p["login"], p["rollback"]) for p in publications(db)] == [("admin", True), ("marie", False)]
