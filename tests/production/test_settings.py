"""The launcher's settings: embedded without Redis, and no configuration that loses conversations."""

from __future__ import annotations

import re

import pytest

from bot.production.__main__ import rasa_arguments, resolved_endpoints
from bot.production.nginx import render
from bot.production.settings import EMBEDDED_ENDPOINTS, PRODUCTION_ENDPOINTS, ROOT, Settings

VARIABLES = (
    "SPRO_CONVERSATIONS_URL",
    "SPRO_REDIS_URL",
    "SPRO_RASA_TOKEN",
    "SPRO_CORS_ORIGINS",
    "SPRO_MAX_REQUEST_BYTES",
)


@pytest.fixture(autouse=True)
def clean(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WEBCHAT_ALLOWED_ORIGINS", "https://www.exemple.fr")


def test_production_refuses_to_start_without_the_widget_origins(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 14: unset, the widget fell back to localhost:8080."""
    monkeypatch.delenv("WEBCHAT_ALLOWED_ORIGINS")
    assert any("WEBCHAT_ALLOWED_ORIGINS" in problem for problem in Settings.from_environment().problems())


def test_without_redis_the_bot_stays_embedded_and_the_api_off() -> None:
    settings = Settings.from_environment()
    assert settings.endpoints == EMBEDDED_ENDPOINTS and not settings.problems()
    arguments = rasa_arguments(settings, 5005, EMBEDDED_ENDPOINTS, EMBEDDED_ENDPOINTS)
    assert "--enable-api" not in arguments and "--cors" not in arguments
    assert arguments[arguments.index("--interface") + 1] == "127.0.0.1"


def test_replicas_need_postgresql(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPRO_REDIS_URL", "redis://127.0.0.1:6379/1")
    assert Settings.from_environment().problems()
    monkeypatch.setenv("SPRO_CONVERSATIONS_URL", "postgresql://spro@db/spro")
    settings = Settings.from_environment()
    assert settings.endpoints == PRODUCTION_ENDPOINTS and not settings.problems()


def test_the_api_only_with_its_token_and_cors_only_for_listed_sites(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPRO_RASA_TOKEN", "secret")
    monkeypatch.setenv("SPRO_CORS_ORIGINS", "https://a.fr, https://b.fr")
    arguments = rasa_arguments(Settings.from_environment(), 5005, EMBEDDED_ENDPOINTS, EMBEDDED_ENDPOINTS)
    assert arguments[arguments.index("--enable-api") + 1 : arguments.index("--enable-api") + 3] == [
        "--auth-token",
        "secret",
    ]
    assert arguments[arguments.index("--cors") + 1 :] == ["https://a.fr", "https://b.fr"]


def test_nginx_configuration_lists_every_server() -> None:
    text = render(["10.0.0.1:5005", "10.0.0.2:5005"], ["10.0.0.3:5055"], origins=["https://a.fr"])
    assert "@@" not in text
    assert "server 10.0.0.2:5005" in text and "server 10.0.0.3:5055" in text and '"https://a.fr" 1;' in text
    assert "hash $spro_conversation consistent;" in text and "server_tokens off;" in text


def test_endpoints_variables_are_resolved_by_the_launcher(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rasa 3.6 leaves ``${SPRO_ACTION_SERVER_URL}`` as it is: the launcher must resolve it."""
    monkeypatch.setenv("SPRO_ACTION_SERVER_URL", "http://10.0.0.3:5055")
    resolved = resolved_endpoints(PRODUCTION_ENDPOINTS)
    assert 'url: "http://10.0.0.3:5055/webhook"' in resolved.read_text(encoding="utf-8")
    resolved.unlink()
    monkeypatch.delenv("SPRO_ACTION_SERVER_URL")
    with pytest.raises(SystemExit, match="SPRO_ACTION_SERVER_URL"):
        resolved_endpoints(PRODUCTION_ENDPOINTS)


def test_the_advisory_table_names_the_pinned_versions() -> None:
    """docs/deploiement.md lists the advisories of the packages a public route reaches (issue 14):
    each row must name the version constraints.txt installs, or it describes another program."""
    pins = dict(
        line.split("==") for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines() if "==" in line
    )
    doc = (ROOT / "docs" / "deploiement.md").read_text(encoding="utf-8")
    table = doc[doc.index("#### Avis de sécurité publiés") :].split("\n\n")[2]
    rows = re.findall(r"^\| `([\w.-]+)` ([\d.]+)", table, flags=re.MULTILINE)
    assert {name for name, _ in rows} >= {"aiohttp", "sanic"}
    for name, version in rows:
        assert pins.get(name) == version, name
