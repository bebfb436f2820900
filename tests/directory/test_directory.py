"""The structure directory: all-or-nothing import, exact export, lookup by door and territory,
on SQLite and on the machine's PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.directory import Directory, InvalidDirectoryFile, ensure_loaded
from bot.directory.lookup import commune_place
from bot.directory.models import CSV_FIELDS
from bot.directory.store import STRUCTURES_FILE
from bot.geo import resolve
from bot.orientation import Place

HEADER = ",".join(CSV_FIELDS)
GOOD = "ml-x,Mission locale X,mission_locale,vierzon,1 rue A,18100,Vierzon,02 48 00 00 00,contact@ml.example.fr,https://ml.example.fr,,,test,2026-01-01,,,"


def write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "structures.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_committed_file_round_trips_exactly(database_url: str, tmp_path: Path) -> None:
    directory = Directory.from_url(database_url)
    count = directory.import_csv(STRUCTURES_FILE)
    assert count >= 25
    out = tmp_path / "export.csv"
    assert directory.export_csv(out) == count
    assert out.read_bytes() == STRUCTURES_FILE.read_bytes()


def test_lookup_takes_the_serving_structure_else_the_nearest_else_the_regional_one(
    database_url: str, tmp_path: Path
) -> None:
    directory = Directory.from_url(database_url)
    directory.import_csv(
        write(
            tmp_path,
            HEADER,
            "ft-region,France Travail,france_travail,region,,,,39 49,,,,,test,,,,",
            "ft-vierzon,France Travail Vierzon,france_travail,18,,,,,,,47.2224,2.0686,test,,,,",
            "ft-bourges,France Travail Bourges,france_travail,18,,,,,,,47.1067,2.4093,test,,,,",
            # The UNML file says Mission locale 18279 serves Vierzon (service_areas.csv).
            "mission-locale-18279,Mission locale de Vierzon,mission_locale,18,,,,,,,,,test,,,,",
            "ml-near-vierzon,Mission locale voisine,mission_locale,18,,,,,,,47.2225,2.0687,test,,,,",
        )
    )
    vierzon, mehun, tours = (resolve(name).commune for name in ("Vierzon", "Mehun-sur-Yèvre", "Tours"))
    assert directory.find("mission_locale", commune_place(vierzon)).id == "mission-locale-18279"
    assert directory.find("france_travail", commune_place(vierzon)).id == "ft-vierzon"
    # Mehun-sur-Yèvre is 16 km from Vierzon and 17 km from Bourges.
    assert directory.find("france_travail", commune_place(mehun)).id == "ft-vierzon"
    assert directory.find("france_travail", commune_place(tours)).id == "ft-vierzon"
    assert directory.find("france_travail", Place()).id == "ft-region"
    assert directory.find("cio", commune_place(vierzon)) is None
    assert directory.needs_territory("france_travail")


def test_unknown_fields_stay_empty_never_invented(database_url: str, tmp_path: Path) -> None:
    directory = Directory.from_url(database_url)
    directory.import_csv(write(tmp_path, HEADER, "cio-x,CIO X,cio,region,,,,,,,,,test,,,,"))
    structure = directory.find("cio", Place())
    assert (structure.address, structure.phone, structure.email, structure.url) == (None, None, None, None)


@pytest.mark.parametrize(
    ("row", "error"),
    [
        ("ml-x,Mission locale X,pole_emploi,vierzon,,,,,,,,,test,,,,", "ligne 2 : porte inconnue « pole_emploi »"),
        ("ml-x,Mission locale X,mission_locale,paris,,,,,,,,,test,,,,", "ligne 2 : territoire inconnu « paris »"),
        (
            "ml-x,Mission locale X,mission_locale,vierzon,,1810,,,,,,,test,,,,",
            "ligne 2 : code postal « 1810 » invalide",
        ),
        (
            "ml-x,Mission locale X,mission_locale,vierzon,,,,02 48 00,,,,,test,,,,",
            "ligne 2 : téléphone « 02 48 00 » invalide",
        ),
        (
            "ml-x,Mission locale X,mission_locale,vierzon,,,,+44 20 7946 0000,,,,,test,,,,",
            "ligne 2 : téléphone « +44 20 7946 0000 » invalide",
        ),
        (
            "ml-x,Mission locale X,mission_locale,vierzon,,,,,contact@,,,,test,,,,",
            "ligne 2 : adresse e-mail « contact@ » invalide",
        ),
        (
            "ml-x,Mission locale X,mission_locale,vierzon,,,,,,javascript:alert(1),,,test,,,,",
            "ligne 2 : site web « javascript:alert(1) » invalide",
        ),
        (
            "ml-x,Mission locale X,mission_locale,vierzon,,,,,,,,,test,31/12/2016,,,",
            "ligne 2 : date « 31/12/2016 » invalide",
        ),
        ("ml-x,,mission_locale,vierzon,,,,,,,,,test,,,,", "ligne 2 : « name » est obligatoire"),
        ("ml-x,Mission locale X,mission_locale,vierzon,,,,,,,47.2,,test,,,,", "ligne 2 : latitude et longitude vont"),
        ("ml-x,Mission locale X,mission_locale,vierzon,,,,,,,47°13',2.06,test,,,,", "ligne 2 : latitude « 47°13' »"),
        ("ml-x,Mission locale X,mission_locale,vierzon,,,,,,,,,,,,,", "ligne 2 : « source » est obligatoire"),
        ("ML X,Mission locale X,mission_locale,vierzon,,,,,,,,,test,,,,", "ligne 2 : identifiant « ML X » invalide"),
        ("ml-x,Mission locale, X,mission_locale,vierzon,,,,,,,,,test,,,,", "ligne 2 : trop de cellules"),
    ],
)
def test_each_malformed_row_is_reported_with_its_line(tmp_path: Path, row: str, error: str) -> None:
    directory = Directory.from_url(f"sqlite:///{tmp_path / 'd.db'}")
    with pytest.raises(InvalidDirectoryFile) as caught:
        directory.import_csv(write(tmp_path, HEADER, row))
    assert caught.value.errors[0].startswith(error)


def test_duplicates_are_reported_with_both_lines(tmp_path: Path) -> None:
    directory = Directory.from_url(f"sqlite:///{tmp_path / 'd.db'}")
    other = GOOD.replace("ml-x,", "ml-y,", 1)
    with pytest.raises(InvalidDirectoryFile) as caught:
        directory.import_csv(write(tmp_path, HEADER, GOOD, GOOD, other))
    assert caught.value.errors == [
        "ligne 3 : identifiant « ml-x » déjà utilisé ligne 2",
        "ligne 3 : doublon de la ligne 2 (même nom, même porte, même territoire)",
        "ligne 4 : doublon de la ligne 2 (même nom, même porte, même territoire)",
    ]


def test_a_wrong_header_is_refused() -> None:
    from bot.directory.csvio import parse_csv

    with pytest.raises(InvalidDirectoryFile) as caught:
        parse_csv("id,nom,door\n", doors=[], territories=[], departments=[])
    assert caught.value.errors[0].startswith("ligne 1 : colonnes manquantes : name, territory")
    assert "colonnes inconnues : nom" in caught.value.errors[0]


def test_an_invalid_file_writes_nothing(database_url: str, tmp_path: Path) -> None:
    directory = Directory.from_url(database_url)
    directory.import_csv(STRUCTURES_FILE)
    before = directory.all()
    bad = write(tmp_path, HEADER, GOOD, GOOD.replace("ml-x", "ml-z").replace("vierzon", "atlantis"))
    with pytest.raises(InvalidDirectoryFile) as caught:
        directory.import_csv(bad)
    assert caught.value.errors == [
        "ligne 3 : territoire inconnu « atlantis » (un territoire, un numéro de département ou region)"
    ]
    assert directory.all() == before


def test_setup_loads_an_empty_directory_but_never_overwrites_one(tmp_path: Path) -> None:
    directory = Directory.from_url(f"sqlite:///{tmp_path / 'd.db'}")
    assert ensure_loaded(directory) == "loaded"
    assert ensure_loaded(directory) == "current"
    directory.import_csv(write(tmp_path, HEADER, GOOD))
    newer = write(tmp_path, HEADER, GOOD.replace("Mission locale X", "Mission locale Y"))
    assert ensure_loaded(directory, newer) == "edited"  # an editor's import is never overwritten
    assert [s.name for s in directory.all()] == ["Mission locale X"]


def test_an_upgrade_loads_the_new_committed_file_into_a_directory_nobody_edited(tmp_path: Path) -> None:
    directory = Directory.from_url(f"sqlite:///{tmp_path / 'd.db'}")
    assert ensure_loaded(directory, write(tmp_path, HEADER, GOOD)) == "loaded"
    newer = write(tmp_path, HEADER, GOOD.replace("Mission locale X", "Mission locale Y"))
    assert ensure_loaded(directory, newer) == "loaded"
    assert [s.name for s in directory.all()] == ["Mission locale Y"]


def test_stats_count_doors_and_give_the_age_of_the_data(sqlite_url: str) -> None:
    directory = Directory.from_url(sqlite_url)
    directory.import_csv(STRUCTURES_FILE)
    stats = directory.stats()
    assert stats["by_door"]["mission_locale"] == 20
    assert "cria" in stats["doors_without_structure"]
    assert stats["oldest_date"].startswith("20")
    assert stats["grid"]["share_with_postal_address"] >= 0.95


def test_an_export_never_holds_a_formula_and_keeps_international_numbers(tmp_path: Path) -> None:
    """Issue 14: a cell starting with = + - @ runs as a formula when the export is opened."""
    directory = Directory.from_url(f"sqlite:///{tmp_path / 'annuaire.db'}")
    row = GOOD.replace("Mission locale X", '"=HYPERLINK(""https://evil.example"")"').replace(
        "02 48 00 00 00", "+33 2 48 00 00 00"
    )
    directory.import_csv(write(tmp_path, HEADER, row))
    out = tmp_path / "export.csv"
    directory.export_csv(out)
    exported = out.read_text(encoding="utf-8").splitlines()[1]
    assert '"\'=HYPERLINK(""https://evil.example"")"' in exported
    assert ",+33 2 48 00 00 00," in exported
