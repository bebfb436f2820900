"""The studio's « Annuaire » pages, through the real studio server: oldest first with source and
date, an edit the bot gives at once, « vérifiée aujourd'hui », and who changed what, when."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
import requests

from bot.directory import Directory
from bot.directory.store import STRUCTURES_FILE
from tests.studio.conftest import copy_project, running_studio
from tests.studio.test_server import csrf_of, log_in


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Directory]]:
    root = tmp_path_factory.mktemp("studio-annuaire")
    project = copy_project(root / "projet", git=True)
    url = f"sqlite:///{root / 'annuaire.db'}"
    directory = Directory.from_url(url)
    directory.import_csv(STRUCTURES_FILE)
    env = {"DATABASE_URL": url}
    with running_studio(project, root / "var", "--conversations", f"sqlite:///{root / 'c.db'}", env=env) as studio_url:
        yield studio_url, directory


def test_the_list_shows_the_oldest_structures_first_with_source_and_date(studio: tuple[str, Directory]) -> None:
    url, _ = studio
    page = log_in(url).get(f"{url}/annuaire").text
    assert '<a href="/annuaire" aria-current="page">Annuaire</a>' in page
    assert '<th scope="col">Source</th>' in page and "<caption>171 structures" in page
    dates = re.findall(r"</td><td>(\d{4}(?:-\d\d){0,2}|inconnue)</td><td>(?:non|\d{4}-\d\d-\d\d)</td>", page)
    assert dates[0].startswith("2006") and dates == sorted(dates)
    assert "DILA, Annuaire de l&#39;administration" in page


def test_an_editor_edits_a_structure_and_marks_it_checked_with_history(studio: tuple[str, Directory]) -> None:
    url, directory = studio
    session = log_in(url)
    path = f"{url}/annuaire/cio-36088-01"
    page = session.get(path).text
    assert '<label for="phone">Téléphone</label>' in page
    fields = dict(re.findall(r'<input id="([a-z_]+)" name="[a-z_]+" value="([^"]*)"', page))
    fields = {k: v.replace("&#39;", "'") for k, v in fields.items()}

    wrong = session.post(path, data={"csrf": csrf_of(page), **fields, "phone": "02 54"}, headers={"Origin": url})
    assert wrong.status_code == 422 and "téléphone « 02 54 » invalide" in wrong.text
    assert next(r for r in directory.records() if r["id"] == "cio-36088-01")["phone"] == "02 38 83 49 44"

    new = {
        **fields,
        "phone": "02 54 21 00 00",
        "contact_source": "Appel à la structure",
        "contact_updated_at": "2026-12-01",
    }
    saved = session.post(path, data={"csrf": csrf_of(page), **new}, headers={"Origin": url})
    assert "La structure est enregistrée" in saved.text
    record = next(r for r in directory.records() if r["id"] == "cio-36088-01")
    assert (record["phone"], record["contact_updated_at"]) == ("02 54 21 00 00", "2026-12-01")

    checked = session.post(f"{path}/verifiee", data={"csrf": csrf_of(saved.text)}, headers={"Origin": url})
    assert "vérifiée aujourd&#39;hui" in checked.text
    record = next(r for r in directory.records() if r["id"] == "cio-36088-01")
    assert record["checked_at"] == date.today().isoformat()
    history = checked.text.split("Historique de cette structure")[1]
    assert history.count("Marie Dupont") == 2 and "Téléphone" in history
    assert '<th scope="row">annuaire</th>' in session.get(f"{url}/historique").text


def test_structure_pages_need_a_session(studio: tuple[str, Directory]) -> None:
    url, _ = studio
    assert requests.get(f"{url}/annuaire", allow_redirects=False).status_code == 303
    assert requests.post(f"{url}/annuaire/cio-36088-01/verifiee", data={"csrf": "x"}).status_code in (401, 403)


def test_an_unknown_structure_is_not_found(studio: tuple[str, Directory]) -> None:
    url, _ = studio
    assert log_in(url).get(f"{url}/annuaire/inexistante").status_code == 404
