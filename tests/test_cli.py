"""``python -m bot``: the commands of docs/architecture.md § 4, their JSON, and exit code 2 with one line on bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


def run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )


def test_the_done_when_command_recommends_the_mission_locale_of_vierzon(tmp_path: Path) -> None:
    result = run(
        "recommend",
        "--statut",
        "jeune_sans_activite",
        "--age",
        "19",
        "--commune",
        "Vierzon",
        "--besoin",
        "decrochage",
        "--json",
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert (payload["type"], payload["door"], payload["territory"]) == ("recommendation", "mission_locale", "vierzon")
    assert payload["structure"]["door"] == "mission_locale"
    assert "Vierzon" in payload["structure"]["name"]


def test_recommend_without_json_prints_the_french_answer(tmp_path: Path) -> None:
    result = run(
        "recommend",
        "--statut",
        "scolaire",
        "--age",
        "16",
        "--commune",
        "Châteauroux",
        "--besoin",
        "orientation_scolaire",
        tmp_path=tmp_path,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("La bonne porte pour vous : CIO (centre d'information et d'orientation).")
    assert "Près de chez vous :\nCentre d'information et d'orientation (CIO) de Châteauroux\n" in result.stdout
    assert "Adresse : 26, rue de la Poste, 36020 Châteauroux" in result.stdout


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--commune", "Paris"], "« Paris » est hors de la région Centre-Val de Loire (département 75 – Paris)"),
        (
            ["--commune", "St Amand"],
            "commune ambiguë « St Amand » : Saint-Amand-Longpré (41310), Saint-Amand-Montrond (18200)",
        ),
        (["--commune", "Atlantide"], "commune inconnue dans la région Centre-Val de Loire : « Atlantide »"),
        (["--age", "-3"], "âge invalide : -3"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path: Path, args: list[str], reason: str) -> None:
    result = run("recommend", "--statut", "salarie", "--besoin", "reconversion", *args, tmp_path=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert reason in result.stderr


def test_an_unknown_need_is_a_usage_error(tmp_path: Path) -> None:
    result = run("recommend", "--statut", "salarie", "--besoin", "vacances", tmp_path=tmp_path)
    assert result.returncode == 2
    assert "invalid choice: 'vacances'" in result.stderr


def test_geo_resolve_json(tmp_path: Path) -> None:
    result = run("geo", "resolve", "Vierzone", "--json", tmp_path=tmp_path)
    assert result.returncode == 0
    assert json.loads(result.stdout) == {
        "insee": "18279",
        "name": "Vierzon",
        "postal_codes": ["18100"],
        "department": "18",
        "territory": "vierzon",
    }


def test_geo_resolve_ambiguous_gives_candidates_and_exit_2(tmp_path: Path) -> None:
    result = run("geo", "resolve", "41200", "--json", tmp_path=tmp_path)
    assert result.returncode == 2
    payload = json.loads(result.stdout)
    assert payload["error"] == "ambiguous"
    assert "Romorantin-Lanthenay" in {c["name"] for c in payload["candidates"]}


def test_directory_import_reports_every_error_and_export_round_trips(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    source = (ROOT / "data/directory/structures.csv").read_text(encoding="utf-8").splitlines()
    bad.write_text(
        "\n".join([source[0], source[1].replace("region", "mars"), source[2].replace(",39 49,", ",123,")]) + "\n",
        encoding="utf-8",
    )
    result = run("directory", "import", str(bad), tmp_path=tmp_path)
    assert result.returncode == 2
    assert "ligne 2 : territoire inconnu « mars »" in result.stderr
    assert "ligne 3 : téléphone « 123 » invalide" in result.stderr
    assert result.stderr.strip().endswith("import refusé, rien n'a été écrit : 2 erreur(s) dans le fichier")

    assert run("directory", "import", "data/directory/structures.csv", tmp_path=tmp_path).returncode == 0
    out = tmp_path / "out.csv"
    assert run("directory", "export", str(out), tmp_path=tmp_path).returncode == 0
    assert out.read_bytes() == (ROOT / "data/directory/structures.csv").read_bytes()
    stats = json.loads(run("directory", "stats", "--json", tmp_path=tmp_path).stdout)
    assert stats["structures"] == len(source) - 1


def test_validate_passes_on_the_committed_data(tmp_path: Path) -> None:
    result = run("validate", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr


def test_the_sector_of_a_business_to_create_chooses_the_chamber_of_its_department(tmp_path: Path) -> None:
    args = ("recommend", "--statut", "demandeur_emploi", "--besoin", "creation_entreprise", "--commune", "Chartres")
    crafts = run(*args, "--secteur", "artisanat", "--json", tmp_path=tmp_path)
    assert crafts.returncode == 0, crafts.stderr
    payload = json.loads(crafts.stdout)
    assert payload["door"] == "cma"
    assert payload["structure"]["door"] == "cma" and payload["structure"]["postal_code"].startswith("28")
    farming = json.loads(run(*args, "--secteur", "agriculture", "--json", tmp_path=tmp_path).stdout)
    assert farming["door"] == "chambre_agriculture"
    assert run(*args, "--secteur", "peche", tmp_path=tmp_path).returncode == 2
