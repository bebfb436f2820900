"""The studio's web server, for real (a subprocess), driven with plain HTTP: who may do what."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, insert

from bot.stores.events import EVENTS
from bot.stores.events import metadata as events_metadata
from bot.studio.project import Project
from tests.studio.conftest import PASSWORD, copy_project, running_studio


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("studio-http")
    project = copy_project(root / "projet", git=True)
    conversations = f"sqlite:///{root / 'conversations.db'}"
    with running_studio(project, root / "var", "--conversations", conversations) as url:
        yield url, project


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def log_in(url: str, login: str = "marie") -> requests.Session:
    session = requests.Session()
    token = csrf_of(session.get(f"{url}/connexion").text)
    response = session.post(
        f"{url}/connexion",
        data={"csrf": token, "login": login, "password": PASSWORD},
        headers={"Origin": url},
        allow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return session


def test_pages_need_a_session(studio: tuple[str, Path]) -> None:
    url, _ = studio
    response = requests.get(f"{url}/modele", allow_redirects=False)
    assert response.status_code == 303 and response.headers["Location"] == "/connexion"
    assert requests.post(f"{url}/modele/entrainer", data={"csrf": "x"}).status_code in (401, 403)


def test_a_wrong_password_is_refused(studio: tuple[str, Path]) -> None:
    url, _ = studio
    session = requests.Session()
    token = csrf_of(session.get(f"{url}/connexion").text)
    response = session.post(
        f"{url}/connexion", data={"csrf": token, "login": "marie", "password": "pas le bon"}, headers={"Origin": url}
    )
    assert response.status_code == 401
    assert "Identifiant ou mot de passe incorrect." in response.text


def test_the_session_cookie_is_httponly_and_same_site_strict(studio: tuple[str, Path]) -> None:
    url, _ = studio
    session = requests.Session()
    token = csrf_of(session.get(f"{url}/connexion").text)
    response = session.post(
        f"{url}/connexion",
        data={"csrf": token, "login": "marie", "password": PASSWORD},
        headers={"Origin": url},
        allow_redirects=False,
    )
    cookie = response.headers["Set-Cookie"]
    assert "spro_studio=" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    page = session.get(f"{url}/")
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert '<html lang="fr">' in page.text and 'href="#contenu"' in page.text


def test_a_post_without_the_csrf_token_or_from_another_site_is_refused(studio: tuple[str, Path]) -> None:
    url, project = studio
    session = log_in(url)
    before = (project / "data" / "nlu" / "conversation.yml").read_text(encoding="utf-8")
    form = {"ex-0": "bonjour", "new": "une phrase de pirate"}
    no_token = session.post(f"{url}/intentions/greet/exemples", data=form, headers={"Origin": url})
    assert no_token.status_code == 403
    token = csrf_of(session.get(f"{url}/intentions/greet").text)
    cross = session.post(
        f"{url}/intentions/greet/exemples", data={**form, "csrf": token}, headers={"Origin": "https://pirate.example"}
    )
    assert cross.status_code == 403
    assert "ne vient pas d&#39;une page du studio" in cross.text
    assert (project / "data" / "nlu" / "conversation.yml").read_text(encoding="utf-8") == before


def test_problems_are_shown_and_nothing_is_saved(studio: tuple[str, Path]) -> None:
    url, project = studio
    session = log_in(url)
    token = csrf_of(session.get(f"{url}/nouvelle-intention").text)
    response = session.post(
        f"{url}/nouvelle-intention",
        data={"csrf": token, "name": "Merci encore", "examples": "merci\nmerci beaucoup", "kind": "qa", "answer": ""},
        headers={"Origin": url},
    )
    assert response.status_code == 422
    assert "Écrivez la réponse que le bot donnera" in response.text
    assert "est déjà un exemple de l&#39;intention thank" in response.text
    assert 'aria-invalid="true"' in response.text
    assert not (project / "data" / "nlu" / "questions_reponses.yml").exists()


def test_a_model_that_understands_less_needs_an_admin_who_confirms(studio: tuple[str, Path]) -> None:
    url, project = studio
    # A finished training whose evaluation dropped (what the background job writes).
    job = project.parent / "var" / "studio" / "jobs" / "20260101T000000Z"
    job.mkdir(parents=True)
    model = project / "models" / "candidats" / "candidat-20260101T000000Z.tar.gz"
    model.parent.mkdir(parents=True)
    model.write_bytes(b"not a real model")
    (job / "job.json").write_text(
        json.dumps(
            {
                "id": job.name,
                "login": "marie",
                "started_at": 0,
                "config": str(project / "config.yml"),
                "step": "evaluation",
                "state": "done",
                "detail": "Modèle prêt à être publié.",
                "model": str(model),
                "finished_at": 1,
                "errors": [],
            }
        ),
        encoding="utf-8",
    )
    (job / "evaluation.json").write_text(
        json.dumps(
            {"macro_f1": 0.6, "fallback_rate": 0.1, "examples": 10, "intents": {}, "service": {"macro_f1": 0.8}}
        ),
        encoding="utf-8",
    )
    editor = log_in(url)
    page = editor.get(f"{url}/modele").text
    assert "Seul un administrateur peut le publier" in page
    refused = editor.post(
        f"{url}/modele/publier", data={"csrf": csrf_of(page), "job": job.name, "confirm": "on"}, headers={"Origin": url}
    )
    assert refused.status_code == 409 and "Publication refusée" in refused.text
    admin = log_in(url, "admin")
    page = admin.get(f"{url}/modele").text
    assert "Je confirme la publication malgré la baisse" in page
    # Confirmed by an admin, the studio goes on and asks the bot's server (none runs here).
    attempted = admin.post(
        f"{url}/modele/publier", data={"csrf": csrf_of(page), "job": job.name, "confirm": "on"}, headers={"Origin": url}
    )
    assert attempted.status_code == 502 and "le serveur du bot ne répond pas" in attempted.text


def test_an_inbox_message_already_taught_elsewhere_is_not_saved(studio: tuple[str, Path], tmp_path: Path) -> None:
    url, project = studio
    greeting = Project(project).intents()["greet"].examples[0]
    conversations = create_engine(f"sqlite:///{project.parent / 'conversations.db'}")
    events_metadata.create_all(conversations)
    with conversations.begin() as conn:
        event = {"event": "user", "text": greeting, "parse_data": {"intent": {"name": "greet", "confidence": 0.3}}}
        conn.execute(
            insert(EVENTS).values(sender_id="s", type_name="user", intent_name="greet", data=json.dumps(event))
        )
    session = log_in(url)
    page = session.get(f"{url}/boite").text
    event_id = re.search(r'action="/boite/(\d+)"', page).group(1)
    before = (project / "data" / "nlu" / "conversation.yml").read_text(encoding="utf-8")
    response = session.post(
        f"{url}/boite/{event_id}",
        data={"csrf": csrf_of(page), "intent": "thank", "action": "assign"},
        headers={"Origin": url},
    )
    assert response.status_code == 422
    assert "Rien n&#39;a été enregistré" in response.text and "intention greet" in response.text
    assert (project / "data" / "nlu" / "conversation.yml").read_text(encoding="utf-8") == before


def test_an_editor_creates_an_intent_edits_annotates_and_changes_its_answer(studio: tuple[str, Path]) -> None:
    url, project = studio
    session = log_in(url)

    def post(path: str, data: dict) -> requests.Response:
        page = session.get(f"{url}{path.split('/exemples')[0].split('/annoter')[0].split('/reponse')[0]}").text
        return session.post(f"{url}{path}", data={"csrf": csrf_of(page), **data}, headers={"Origin": url})

    examples = "\n".join(f"où se trouve le CIO de Tours {i}" for i in range(8))
    created = post(
        "/nouvelle-intention", {"name": "Adresse CIO", "examples": examples, "kind": "qa", "answer": "Rue X."}
    )
    assert created.url.endswith("/intentions/adresse_cio?ok=created")
    assert "L&#39;intention est créée" in created.text
    fields = {f"ex-{i}": f"où se trouve le CIO de Tours {i}" for i in range(8)}  # what the browser sends back
    fields.update({"ex-0": "où est le CIO de Tours", "del-1": "on", "new": ""})
    warned = post("/intentions/adresse_cio/exemples", fields)
    assert warned.status_code == 422 and "Seulement 7 exemples" in warned.text  # a warning: confirm to save
    edited = post("/intentions/adresse_cio/exemples", {**fields, "confirm": "on"})
    assert "Les exemples sont enregistrés" in edited.text
    annotated = post("/intentions/adresse_cio/annoter", {"example": "0", "fragment": "Tours", "entity": "commune"})
    assert "L&#39;annotation est enregistrée" in annotated.text
    answered = post("/intentions/adresse_cio/reponse", {"answer": "12 rue de la Paix, Tours."})
    assert "La réponse est enregistrée" in answered.text
    intent = Project(project).intents()["adresse_cio"]
    assert intent.examples[0] == "où est le CIO de [Tours](commune)"
    assert len(intent.examples) == 7
    assert Project(project).answer("adresse_cio") == "12 rue de la Paix, Tours."
    history = session.get(f"{url}/historique").text
    for action in ("création", "exemples", "annotation", "réponse"):
        assert f'<th scope="row">{action}</th>' in history
