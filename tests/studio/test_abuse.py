"""The studio under abuse (issue 14): password guessing, bodies sent before logging in, forms that
used to break the NLU files or the server."""

from __future__ import annotations

import gzip
import json
import re
import signal
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, insert

from bot.stores.events import EVENTS
from bot.stores.events import metadata as events_metadata
from bot.studio import throttle
from bot.studio.project import Project
from bot.studio.throttle import LoginThrottle
from tests.studio.conftest import PASSWORD, copy_project, running_studio
from tests.studio.test_server import csrf_of, log_in
from tests.support.production import run_nginx
from tests.support.servers import ROOT, free_port, wait_http


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("studio-abuse")
    project = copy_project(root / "projet", git=True)
    with running_studio(project, root / "var", "--conversations", f"sqlite:///{root / 'conversations.db'}") as url:
        yield url, project


def attempt(url: str, login: str, password: str) -> requests.Response:
    session = requests.Session()
    token = csrf_of(session.get(f"{url}/connexion").text)
    return session.post(
        f"{url}/connexion",
        data={"csrf": token, "login": login, "password": password},
        headers={"Origin": url},
        allow_redirects=False,
    )


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_failures_slow_down_then_lock_a_login_and_an_address() -> None:
    clock = Clock()
    guard = LoginThrottle(clock)
    for _ in range(throttle.FREE_FAILURES):
        assert guard.wait_seconds("marie", "10.0.0.1") == 0
        guard.failed("marie", "10.0.0.1")
    delays = []
    for _ in range(throttle.LOCKOUT_FAILURES - throttle.FREE_FAILURES - 1):
        delays.append(guard.wait_seconds("marie", "10.0.0.1"))
        clock.now += delays[-1]
        guard.failed("marie", "10.0.0.1")
    assert delays == sorted(delays) and delays[0] == 1 and delays[-1] == 32
    guard.failed("marie", "10.0.0.1")
    assert guard.locked("marie", "10.0.0.2") and guard.wait_seconds("marie", "10.0.0.2") == throttle.LOCKOUT_SECONDS
    assert guard.wait_seconds("alex", "10.0.0.2") == 0  # another login from elsewhere is not locked
    clock.now += throttle.LOCKOUT_SECONDS
    assert guard.wait_seconds("marie", "10.0.0.1") == 0  # forgotten after the lockout
    for n in range(throttle.ADDRESS_LOCKOUT_FAILURES):
        guard.failed(f"login{n}", "10.0.0.9")
    assert guard.locked("nouveau", "10.0.0.9")


def test_parallel_guesses_are_refused_and_the_right_password_too_once_locked(studio: tuple[str, Path]) -> None:
    """Before: 30 parallel guesses were all checked, and the right password accepted straight after."""
    url, _ = studio
    with ThreadPoolExecutor(30) as pool:
        answers = list(pool.map(lambda n: attempt(url, "marie", f"mauvais {n}").status_code, range(30)))
    checked = answers.count(401)
    assert answers.count(429) == 30 - checked and checked <= throttle.FREE_FAILURES + throttle.MAX_CONCURRENT_HASHES
    refused = attempt(url, "marie", PASSWORD)
    assert refused.status_code == 429 and "Trop d&#39;essais" in refused.text
    assert attempt(url, "admin", PASSWORD).status_code == 303  # another editor still logs in


def test_no_body_is_read_before_the_session_and_compressed_bodies_are_refused(studio: tuple[str, Path]) -> None:
    url, _ = studio
    bomb = gzip.compress(b"csrf=" + b"a" * 5_000_000)
    gzipped = requests.post(
        f"{url}/connexion",
        data=bomb,
        headers={"Content-Encoding": "gzip", "Content-Type": "application/x-www-form-urlencoded", "Origin": url},
    )
    assert gzipped.status_code == 415
    big = requests.post(f"{url}/connexion", data={"csrf": "x" * 100_000}, headers={"Origin": url})
    assert big.status_code == 413
    anonymous = requests.post(f"{url}/intentions/greet/exemples", data={"new": "x" * 400_000}, headers={"Origin": url})
    assert anonymous.status_code == 401


def post_form(url: str, session: requests.Session, page: str, path: str, data: dict) -> requests.Response:
    token = csrf_of(session.get(f"{url}{page}").text)
    return session.post(f"{url}{path}", data={"csrf": token, **data}, headers={"Origin": url})


def test_an_annotation_cannot_break_the_nlu_file_nor_use_a_negative_index(studio: tuple[str, Path]) -> None:
    url, project = studio
    session = log_in(url, "admin")
    before = Project(project).intents()["greet"].examples
    page, path = "/intentions/greet", "/intentions/greet/annoter"
    word = before[0].split()[0]
    broken = post_form(
        url, session, page, path, {"example": "0", "fragment": word, "entity": "commune", "value": "a}b"}
    )
    assert broken.status_code == 422 and "annotation illisible" in broken.text
    last = post_form(url, session, page, path, {"example": "-1", "fragment": word, "entity": "commune"})
    assert last.status_code == 422 and "Choisissez un exemple de la liste" in last.text
    assert Project(project).intents()["greet"].examples == before


def test_a_control_character_is_a_form_error_not_a_500(studio: tuple[str, Path]) -> None:
    url, project = studio
    session = log_in(url, "admin")
    before = Project(project).intents()["greet"].examples
    fields = {f"ex-{i}": example for i, example in enumerate(before)}
    answer = post_form(
        url, session, "/intentions/greet", "/intentions/greet/exemples", {**fields, "new": "salut\x1b[2J"}
    )
    assert answer.status_code == 422 and "caractère invisible" in answer.text
    assert Project(project).intents()["greet"].examples == before


def test_a_multi_line_inbox_message_becomes_one_example(studio: tuple[str, Path]) -> None:
    """Before: each line became an example, past the duplicate check made on the whole text."""
    url, project = studio
    conversations = create_engine(f"sqlite:///{project.parent / 'conversations.db'}")
    events_metadata.create_all(conversations)
    text = "je voudrais\nun   rendez-vous\n\nsvp"
    event = {"event": "user", "text": text, "parse_data": {"intent": {"name": "greet", "confidence": 0.3}}}
    with conversations.begin() as conn:
        conn.execute(
            insert(EVENTS).values(sender_id="rest:s", type_name="user", intent_name="greet", data=json.dumps(event))
        )
    session = log_in(url, "admin")
    before = Project(project).intents()["thank"].examples
    page = session.get(f"{url}/boite").text
    event_id = re.search(r'action="/boite/(\d+)"', page).group(1)
    form = {"csrf": csrf_of(page), "intent": "thank", "action": "assign"}
    shown = session.post(f"{url}/boite/{event_id}", data=form, headers={"Origin": url})
    assert "Confirmer l'ajout" in shown.text and "je voudrais un rendez-vous svp" in shown.text
    assert Project(project).intents()["thank"].examples == before  # nothing before the confirmation
    session.post(f"{url}/boite/{event_id}", data={**form, "confirm": "oui"}, headers={"Origin": url})
    after = Project(project).intents()["thank"].examples
    assert sorted(after) == sorted([*before, "je voudrais un rendez-vous svp"])  # one example, not three lines
    history = session.get(f"{url}/historique").text
    assert f"message n° {event_id} ajouté à thank" in history and "rendez-vous" not in history


def test_the_nginx_template_refuses_compressed_and_large_bodies(studio: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = studio
    port = free_port()
    site = (ROOT / "config" / "nginx" / "studio.conf").read_text(encoding="utf-8")
    site = site.replace("@@LISTEN@@", f"127.0.0.1:{port}").replace("@@STUDIO@@", url.removeprefix("http://"))
    (tmp_path / "studio.conf").write_text(site, encoding="utf-8")
    nginx = run_nginx(tmp_path, tmp_path / "studio.conf")
    try:
        wait_http(f"http://127.0.0.1:{port}/connexion", nginx, tmp_path / "stderr.log", timeout=10)
        front = f"http://127.0.0.1:{port}/connexion"
        assert requests.get(front).status_code == 200
        gzipped = requests.post(front, data=gzip.compress(b"csrf=x"), headers={"Content-Encoding": "gzip"})
        assert gzipped.status_code == 415
        assert requests.post(front, data=b"x" * 600_000).status_code == 413
    finally:
        nginx.send_signal(signal.SIGQUIT)
        nginx.wait(timeout=10)
