"""An editor, in Chromium, teaches the running bot a new question and publishes it.

Everything is real: the action server and the Rasa server (API enabled with a token, as
``make run`` starts it), the studio (``python -m bot studio``) on a copy of the project, and
Debian's Chromium. Training uses ``config_rapide.yml`` (same pipeline, few DIET/TED epochs): the
intent classifier (a logistic regression, quick to train) decides the intent and RulePolicy gives the answer, so the new
question is answered as with the full configuration, in a fraction of the time.

Playwright runs in a thread of its own (``in_chromium``): its event loop never stays in the main
thread, where later asyncio tests of the session run.

With ``SPRO_DOCS_SCREENSHOTS=1`` the screenshots of ``docs/editeurs.md`` are refreshed.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from ruamel.yaml import YAML

from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS
from tests.browser.test_accessibility import axe_violations
from tests.studio.conftest import FAST_CONFIG, PASSWORD, copy_project, running_studio
from tests.support.servers import MODEL, ROOT, Stack, running_stack

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
ARTIFACTS = ROOT / "tests" / "artifacts"
DOCS_IMAGES = ROOT / "docs" / "img"
# No opening hours here: the studio's guide shows this answer, and the hours are not known.
ANSWER = "Je ne connais pas les horaires d'Etoile Info : appelez le 0 800 222 100 (appel gratuit), ou consultez orientation.centre-valdeloire.fr."
QUESTIONS = [
    "quels sont les horaires d'Etoile Info",
    "à quelle heure ouvre Etoile Info",
    "Etoile Info est ouvert quand ?",
    "les horaires du numéro Etoile Info",
    "jusqu'à quelle heure je peux appeler Etoile Info",
    "Etoile Info ouvre le samedi ?",
    "quand est-ce que je peux appeler Etoile Info",
    "heures d'ouverture d'Etoile Info",
    "Etoile Info c'est ouvert à midi ?",
]
# Words the bot was never taught, with a phone number: the NLU hesitates, they reach the inbox.
# Its classifier is often sure of itself even on these, hence a stricter inbox for this test.
MISUNDERSTOOD = [
    "le truc du machin, rappelez-moi au 06 12 34 56 78",
    "c'est compliqué 06 12 34 56 78",
    "chose bidule 06 12 34 56 78",
    "et alors ? 06 12 34 56 78",
]


def in_chromium(scenario: Callable[[Browser], Any]) -> Any:
    """Run ``scenario(browser)`` with a fresh Playwright and Chromium, in a worker thread."""

    def run() -> Any:
        if not CHROMIUM.exists():
            pytest.fail("Chromium is missing: apt-get install -y chromium (.ci/run does it)")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
            try:
                return scenario(browser)
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def shoot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"studio-{name}.png"), full_page=True)
    if os.environ.get("SPRO_DOCS_SCREENSHOTS"):
        DOCS_IMAGES.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOCS_IMAGES / f"studio-{name}.png"), full_page=False)


def log_in(browser: Browser, url: str, login: str = "marie", **options: Any) -> Page:
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900}, **options)
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto(f"{url}/")
    expect(page.get_by_role("heading", name="Connexion au studio")).to_be_visible()
    page.get_by_label("Identifiant").fill(login)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Intentions du bot")).to_be_visible()
    return page


def shorten_test_split(path: Path, per_intent: int) -> None:
    """Keep a few held-out examples per intent: the evaluation runs the same, in less time."""
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    text = 'version: "3.1"\nnlu:\n'
    for block in data["nlu"]:
        examples = [line for line in block["examples"].splitlines() if line.strip()][:per_intent]
        text += f"- intent: {block['intent']}\n  examples: |\n" + "".join(f"    {e.strip()}\n" for e in examples)
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def token() -> str:
    return secrets.token_urlsafe(24)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, token: str) -> Iterator[Stack]:
    with running_stack(
        tmp_path_factory.mktemp("studio-bot"), rasa_args=("--enable-api", "--auth-token", token)
    ) as running:
        yield running


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("studio-projet") / "projet", git=True)
    shorten_test_split(root / "tests" / "nlu" / "test_nlu.yml", per_intent=4)
    (root / "models").mkdir()
    (root / "models" / "spro.tar.gz").symlink_to(MODEL)  # the model in service; publishing replaces the link
    return root


@pytest.fixture(scope="module")
def studio(stack: Stack, project: Path, token: str) -> Iterator[str]:
    conversations = f"sqlite:///{stack.workdir / 'conversations.db'}"
    with running_studio(
        project,
        project.parent / "var",
        "--rasa-url",
        stack.url,
        "--train-config",
        str(FAST_CONFIG),
        # The light configuration's scores are not comparable with the full model in service:
        # the refusal on a drop is tested in test_server.py.
        "--margin",
        "1",
        "--inbox-threshold",
        "0.95",
        "--conversations",
        conversations,
        env={"SPRO_RASA_TOKEN": token},
    ) as url:
        yield url


def test_without_a_session_or_from_another_site_nothing_is_changed(studio: str, project: Path) -> None:
    before = sorted((p.name, p.stat().st_mtime) for p in (project / "data" / "nlu").iterdir())

    class OtherSite(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            page = (
                f'<!doctype html><html lang="fr"><body><form id="f" method="post" action="{studio}/nouvelle-intention">'
                '<input name="name" value="piratage"><input name="examples" value="a&#10;b">'
                '<input name="kind" value="qa"><input name="answer" value="piraté"></form>'
                "<script>document.getElementById('f').submit()</script></body></html>"
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: object) -> None:
            pass

    other = ThreadingHTTPServer(("127.0.0.1", 0), OtherSite)
    threading.Thread(target=other.serve_forever, daemon=True).start()

    def scenario(browser: Browser) -> None:
        anonymous = browser.new_page(locale="fr-FR")
        anonymous.goto(f"{studio}/modele")
        expect(anonymous.get_by_role("heading", name="Connexion au studio")).to_be_visible()
        shoot(anonymous, "connexion")
        page = log_in(browser, studio)
        page.goto(f"http://127.0.0.1:{other.server_address[1]}/")
        expect(page.get_by_role("heading", name="Demande refusée")).to_be_visible()
        expect(page.get_by_role("alert")).to_contain_text("refusée")

    try:
        in_chromium(scenario)
    finally:
        other.shutdown()
    assert sorted((p.name, p.stat().st_mtime) for p in (project / "data" / "nlu").iterdir()) == before


def test_axe_finds_no_serious_violation_in_the_studio(studio: str) -> None:
    def scenario(browser: Browser) -> dict[str, list]:
        # axe is injected as an inline script, which the studio's CSP rightly forbids.
        page = log_in(browser, studio, bypass_csp=True)
        found = {}
        pages = ("/", "/intentions/inform_situation", "/nouvelle-intention", "/boite", "/modele", "/historique")
        for path in (*pages, "/annuaire", "/annuaire/cio-36088-01"):
            page.goto(f"{studio}{path}")
            found[path] = axe_violations(page)
        page.goto(f"{studio}/nouvelle-intention")
        page.get_by_role("button", name="Créer l'intention").click()  # the browser asks for the required fields
        page.get_by_label("Nom de l'intention").fill("x")
        page.get_by_label("Exemples de questions, un par ligne").fill("merci")
        page.get_by_role("button", name="Créer l'intention").click()
        expect(page.get_by_role("heading", name=re.compile("problème"))).to_be_visible()
        expect(page.get_by_label("Réponse du bot (question-réponse)")).to_have_attribute("aria-invalid", "true")
        found["problèmes"] = axe_violations(page)
        page.goto(f"{studio}/")
        page.keyboard.press("Tab")
        expect(page.get_by_role("link", name="Aller au contenu")).to_be_focused()
        return found

    violations = in_chromium(scenario)
    assert all(v == [] for v in violations.values()), violations


def test_an_inbox_message_becomes_an_example(stack: Stack, studio: str, project: Path) -> None:
    for i, text in enumerate(MISUNDERSTOOD):
        stack.rest(f"inbox-{i}", text)
    chosen: dict[str, str] = {}

    def scenario(browser: Browser) -> None:
        page = log_in(browser, studio)
        page.get_by_role("link", name="Messages à revoir").click()
        rows = page.get_by_role("table").get_by_role("row").filter(has_text="[téléphone]")
        expect(rows.first).to_be_visible()
        expect(page.get_by_text("06 12 34 56 78")).to_have_count(0)
        shoot(page, "boite")
        row = rows.first
        chosen["text"] = row.get_by_role("rowheader").inner_text()
        row.get_by_label("Intention pour").select_option("human_handoff")
        row.get_by_role("button", name="Ajouter comme exemple").click()
        expect(page.locator("blockquote")).to_have_text(chosen["text"])  # what will be kept, redacted
        page.get_by_role("button", name="Confirmer l'ajout").click()
        expect(page.locator("p.succes")).to_contain_text("Le message est devenu un exemple")
        expect(page.get_by_role("rowheader", name=chosen["text"], exact=True)).to_have_count(0)
        page.goto(f"{studio}/intentions/human_handoff")
        examples = page.get_by_role("textbox", name=re.compile(r"^Exemple \d+$"))
        expect(examples.first).to_be_visible()
        assert examples.evaluate_all("boxes => boxes.map(box => box.value)").count(chosen["text"]) == 1

    in_chromium(scenario)
    assert "[téléphone]" in chosen["text"] and not re.search(r"\d", chosen["text"])
    files = "".join(p.read_text(encoding="utf-8") for p in (project / "data" / "nlu").glob("*.yml"))
    assert f"- {chosen['text']}\n" in files
    assert "06 12" not in files


@pytest.mark.timeout(1500)
def test_an_editor_teaches_a_question_trains_publishes_and_the_bot_answers(
    stack: Stack, studio: str, project: Path
) -> None:
    question = "Etoile Info, c'est ouvert à quelle heure ?"
    before = stack.rest("avant", question)
    assert ANSWER not in " ".join(m.get("text", "") for m in before)

    def scenario(browser: Browser) -> None:
        page = log_in(browser, studio)
        shoot(page, "intentions")
        page.get_by_role("link", name="Nouvelle intention", exact=True).click()
        page.get_by_label("Nom de l'intention").fill("Horaires Etoile Info")
        page.get_by_label("Exemples de questions, un par ligne").fill("\n".join(QUESTIONS))
        page.get_by_label("Question-réponse simple").check()
        page.get_by_label("Réponse du bot (question-réponse)").fill(ANSWER)
        shoot(page, "nouvelle-intention")
        page.get_by_role("button", name="Créer l'intention").click()
        expect(page.locator("p.succes")).to_contain_text("L'intention est créée")
        expect(page.get_by_role("heading", name="Intention horaires_etoile_info")).to_be_visible()
        shoot(page, "intention")

        page.get_by_role("link", name="Entraîner et publier").click()
        page.get_by_role("button", name="Vérifier et entraîner un nouveau modèle").click()
        expect(page.locator("#avancement")).to_contain_text("En cours")
        shoot(page, "entrainement")
        # About three minutes on a quiet machine; much more when other test suites share the CPU.
        expect(page.locator("#avancement")).to_contain_text("Terminé", timeout=900_000)
        expect(page.get_by_role("table", name="Précision, rappel et F1 par intention")).to_be_visible()
        image = page.get_by_role("img", name="Matrice de confusion")
        expect(image).to_be_visible()
        assert image.evaluate("img => img.naturalWidth") > 100
        shoot(page, "evaluation")
        # The bot's server loads the model before the page answers: about a minute.
        page.get_by_role("button", name="Publier ce modèle").click(timeout=240_000)
        expect(page.locator("p.succes")).to_contain_text("Le nouveau modèle est en service", timeout=180_000)
        expect(page.get_by_role("button", name="Remettre en service le modèle précédent")).to_be_visible()
        page.get_by_role("link", name="Historique").click()
        expect(page.get_by_role("table")).to_contain_text("nouvelle intention horaires_etoile_info")
        expect(page.get_by_role("table")).to_contain_text("Marie Dupont")
        shoot(page, "historique")

    in_chromium(scenario)
    after = stack.rest("apres", question)
    assert ANSWER in " ".join(m.get("text", "") for m in after)
    author = subprocess.run(
        ["git", "-C", str(project), "log", "--format=%an|%s"], capture_output=True, text=True, check=True
    ).stdout
    assert "Marie Dupont|Studio : nouvelle intention horaires_etoile_info" in author
    assert not (project / "models" / "spro.tar.gz").is_symlink()  # the published model is the service model now
