"""The « done when » of the directory, over every commune of the region (pure engine + SQLite).

A young person out of school is sent to the Mission locale the UNML file names for their commune,
with its postal address; a pupil to a CIO, a jobseeker to a France Travail agency, both with an
address; doors without local offices give an official site or phone with its source.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.directory import Directory
from bot.directory.coverage import LOCAL_DOORS, TYPICAL
from bot.directory.lookup import Locator, commune_place
from bot.directory.store import STRUCTURES_FILE
from bot.geo import gazetteer, resolve
from bot.geo.data import Commune
from bot.orientation import Place, Profile, Recommendation, default_rules, recommend
from bot.orientation.vocabulary import vocabulary
from tests.conftest import ROOT

UNML_FILE = ROOT / "data" / "directory" / "sources" / "unml-2026" / "zones_cvl_2026.csv"
COMMUNES = sorted(gazetteer().communes.values(), key=lambda c: c.insee)


@pytest.fixture(scope="module")
def locator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Locator]:
    directory = Directory.from_url(f"sqlite:///{tmp_path_factory.mktemp('grid') / 'directory.db'}")
    directory.import_csv(STRUCTURES_FILE)
    yield directory.locator()


def answer(locator: Locator, profile: Profile, besoin: str, commune: Commune) -> Recommendation:
    return recommend(default_rules(), profile, besoin, commune_place(commune), locator.find)


def by_name(commune: Commune) -> Commune:
    """The commune as a person names it; a name shared by two communes needs its postal code."""
    resolution = resolve(commune.name)
    if not resolution.found:
        resolution = resolve(f"{commune.name} {commune.postal_codes[0]}")
    assert resolution.found, commune.name
    return resolution.commune


def test_every_commune_by_name_and_by_insee_code_gets_the_mission_locale_the_unml_names(locator: Locator) -> None:
    with UNML_FILE.open(encoding="utf-8", newline="") as fh:
        unml = {row["Code INSEE"]: row for row in csv.DictReader(fh, delimiter=";")}
    assert len(unml) == len(COMMUNES) == 1754
    young = Profile(statut="jeune_sans_activite", age=19)
    wrong = []
    for commune in COMMUNES:
        expected = unml[commune.insee]
        for found in (by_name(commune), resolve(f"INSEE {commune.insee}").commune):
            rec = answer(locator, young, "insertion_jeune", found)
            structure = rec.structure
            if not (
                found.insee == commune.insee
                and rec.door == "mission_locale"
                and structure is not None
                and structure.id == f"mission-locale-{expected['Code ML']}"
                and structure.address
                and (structure.postal_code, structure.city) == (expected["Code Postal ML"], expected["Ville ML"])
            ):
                wrong.append((commune.insee, commune.name, structure and structure.id))
    assert wrong == []


def test_five_digits_that_are_no_postal_code_are_an_insee_code() -> None:
    assert resolve("18279").commune.name == "Vierzon"  # INSEE code of Vierzon, no postal code
    assert resolve("18100").status.value == "ambiguous"  # the postal code of Vierzon and its neighbours
    assert resolve("INSEE 18100").commune.name == "Genouilly"


@pytest.mark.parametrize(
    ("profile", "besoin", "door"),
    [
        (Profile(statut="scolaire", age=16), "orientation_scolaire", "cio"),
        (Profile(statut="demandeur_emploi", age=35), "recherche_emploi", "france_travail"),
    ],
)
def test_a_pupil_gets_a_cio_and_a_jobseeker_an_agency_with_an_address_everywhere(
    locator: Locator, profile: Profile, besoin: str, door: str
) -> None:
    wrong = []
    for commune in COMMUNES:
        rec = answer(locator, profile, besoin, commune)
        s = rec.structure
        if not (rec.door == door and s and s.door == door and s.area != "region" and s.address and s.postal_code):
            wrong.append(commune.name)
    assert wrong == []


def test_doors_without_local_offices_give_an_official_site_or_phone_with_its_source(locator: Locator) -> None:
    etoile = locator.find("etoile_info", Place())
    assert etoile.phone and etoile.url and etoile.source
    vierzon = resolve("Vierzon").commune
    seen = set()
    handicap = Profile(statut="demandeur_emploi", age=30, handicap=True)
    for profile in (*TYPICAL.values(), handicap):
        for besoin in vocabulary().besoins:
            for place in (Place(), commune_place(vierzon)):
                rec = recommend(default_rules(), profile, besoin, place, locator.find)
                if rec.door in LOCAL_DOORS:
                    continue
                seen.add(rec.door)
                s = rec.structure
                if s is not None:
                    assert (s.phone or s.url) and s.source, rec.door
                elif rec.door == "employeur_public":  # the person's own employer: its HR service
                    assert "ressources humaines" in rec.next_steps[0]
                else:  # no cited source for this door: the answer says who will tell
                    assert any("Etoile Info" in step for step in rec.next_steps), rec.door
    assert {"cep_actifs", "transitions_pro", "vae", "employeur_public", "cria", "cap_emploi"} <= seen


def test_stats_give_the_share_of_answers_with_an_address_and_the_age_of_the_data(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'stats.db'}", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "directory", "stats", "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    grid = stats["grid"]
    assert grid["answers"] == len(TYPICAL) * len(vocabulary().besoins) * 1754
    assert grid["share_with_postal_address"] >= 0.95
    assert grid["oldest_date_used"][:4] <= "2016"
    assert stats["oldest_date"] <= grid["oldest_date_used"]


# The two levels of today's CEP by need (arrêté du 29 mars 2019): 1 accueil individualisé,
# 2 accompagnement personnalisé. Written here independently of data/orientation/rules.yml.
CEP_BY_NEED = {
    "orientation_scolaire": 2,
    "reorientation_etudes": 2,
    "decrochage": 2,
    "insertion_jeune": 2,
    "recherche_emploi": 2,
    "reconversion": 2,
    "bilan_competences": 2,
    "financement_formation": 2,
    "ptp": 2,
    "demission_reconversion": 2,
    "vae": 2,
    "apprentissage": 2,
    "creation_entreprise": 2,
    "information_jeunesse": 1,
    "competences_base": 1,
    "information_generale": 1,
}
CEP_OPERATORS = {"france_travail", "apec", "cap_emploi", "mission_locale", "cep_actifs", "employeur_public"}


def test_cep_level_is_1_or_2_at_an_operators_door_only_and_never_for_pupils_and_students(locator: Locator) -> None:
    profiles = [
        *TYPICAL.values(),
        Profile(statut="demandeur_emploi", age=30, handicap=True),
        Profile(statut="salarie", age=40, cadre=True),
        Profile(statut="scolaire", age=16, handicap=True),
    ]
    levels = set()
    for profile in profiles:
        for besoin in vocabulary().besoins:
            for commune in (None, resolve("Vierzon").commune):
                place = commune_place(commune) if commune else Place()
                rec = recommend(default_rules(), profile, besoin, place, locator.find)
                operator = rec.door in CEP_OPERATORS and profile.statut not in {"scolaire", "etudiant"}
                assert rec.cep_level == (CEP_BY_NEED[besoin] if operator else None), (profile, besoin, rec.door)
                levels.add(rec.cep_level)
    assert levels == {None, 1, 2}
