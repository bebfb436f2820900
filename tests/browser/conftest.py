"""One real bot (action server + Rasa with the project's credentials.yml), the demo host page on
another origin, a second site that is not allowed to embed the bot, and Debian's Chromium.

The directory is the shipped one with two fictitious changes: the Mission locale of Vierzon gets
an address, a phone and a web site (so the card shows them), and the one of Bourges gets markup
in its name (it must show as text).
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

from bot.stores.scopes import scoped
from bot.web.demo_site import demo_site
from tests.support.servers import ROOT, VENV_BIN, Stack, base_env, free_port, running_stack

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "tests" / "artifacts"
# The bot answers in well under a second; the margin is for a machine busy with other test suites.
expect.set_options(timeout=20_000)
XSS_NAME = "Mission locale <img src=x onerror=\"window.__xss='nom'\"><script>window.__xss='script'</script>"
VIERZON = {
    "address": "12 rue de la République",
    "postal_code": "18100",
    "city": "Vierzon",
    "phone": "02 48 00 00 00",
    "url": "https://www.example.org/mission-locale-vierzon",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything here drives the real servers; most of it a real Chromium."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.e2e)


def write_directory(path: Path) -> Path:
    rows = list(csv.DictReader(io.StringIO((ROOT / "data" / "directory" / "structures.csv").read_text("utf-8"))))
    for row in rows:
        if row["id"] == "mission-locale-18279":
            row.update(VIERZON)
        if row["id"] == "mission-locale-18033":
            row["name"] = XSS_NAME
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


@pytest.fixture(scope="package")
def demo_port() -> int:
    return free_port()


@pytest.fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory, demo_port: int) -> Iterator[Stack]:
    workdir = tmp_path_factory.mktemp("webchat")
    env = base_env(workdir)
    csv_path = write_directory(workdir / "structures.csv")
    subprocess.run(
        [str(VENV_BIN / "python"), "-m", "bot", "directory", "import", str(csv_path)], cwd=ROOT, env=env, check=True
    )
    port = free_port()
    with running_stack(
        workdir,
        credentials=(ROOT / "credentials.yml").read_text(encoding="utf-8"),
        env_extra={
            "WEBCHAT_ALLOWED_ORIGINS": f"http://127.0.0.1:{demo_port}",
            "SPRO_PUBLIC_URL": f"http://127.0.0.1:{port}",
        },
        rasa_port=port,
    ) as running:
        yield running


@pytest.fixture(scope="package")
def site(stack: Stack, demo_port: int) -> Iterator[str]:
    """The demo host page, on an origin the bot allows."""
    with demo_site(stack.url, port=demo_port) as url:
        yield url


@pytest.fixture(scope="package")
def other_site(stack: Stack) -> Iterator[str]:
    """The same page on an origin the bot does not allow."""
    with demo_site(stack.url) as url:
        yield url


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    """Package scope, not session: while it lives, Playwright's sync API keeps an asyncio loop
    running in this thread, and the async tests of the other packages would fail to start."""
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: make setup installs it (scripts/system-packages.sh)")
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
    yield browser
    browser.close()


class Session:
    """A browser context (its own sessionStorage: a person at their own computer) and its pages."""

    def __init__(self, browser: Browser, name: str, **options: object) -> None:
        self.context: BrowserContext = browser.new_context(locale="fr-FR", **options)
        self.context.set_default_timeout(30_000)
        self.name = name
        self.problems: list[str] = []
        self.page = self.new_page()

    def new_page(self) -> Page:
        page = self.context.new_page()
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on(
            "console",
            lambda message: self.problems.append(f"console: {message.text}") if message.type == "error" else None,
        )
        return page

    def screenshot(self, label: str = "") -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        stem = re.sub(r"[^\w-]+", "_", f"{self.name}{'-' + label if label else ''}")
        self.page.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=False)


@pytest.fixture
def new_session(browser: Browser, request: pytest.FixtureRequest) -> Iterator:
    """Opens browser contexts for a test; each keeps a screenshot of its last state."""
    sessions: list[Session] = []

    def make(**options: object) -> Session:
        session = Session(browser, f"{request.node.name}-{len(sessions) + 1}", **options)
        sessions.append(session)
        return session

    yield make
    for session in sessions:
        if not session.page.is_closed():
            session.screenshot()
        session.context.close()


@pytest.fixture
def stored_events(stack: Stack) -> Callable[[str], list[dict]]:
    """The conversation as the server keeps it (Rasa's SQL tracker store)."""

    def read(session_id: str) -> list[dict]:
        with sqlite3.connect(stack.workdir / "conversations.db") as db:
            query = "SELECT data FROM events WHERE sender_id = ? ORDER BY id"
            rows = db.execute(query, (scoped("socketio", session_id),)).fetchall()
        return [json.loads(data) for (data,) in rows]

    return read
