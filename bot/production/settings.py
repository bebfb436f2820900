"""The production settings, read from environment variables only (no secret in a file)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from bot.paths import ROOT

EMBEDDED_ENDPOINTS = ROOT / "endpoints.yml"
PRODUCTION_ENDPOINTS = ROOT / "config" / "endpoints.production.yml"
# A 10,000-character message must still get the bot's polite « message trop long » answer
# (bot/nlu/guard.py); only bodies no person types are refused, with 413.
DEFAULT_MAX_REQUEST_BYTES = 1_000_000
DEFAULT_ACTION_TIMEOUT_SECONDS = 10.0


def _list(name: str) -> list[str]:
    return [item for item in os.environ.get(name, "").replace(",", " ").split() if item]


@dataclass(frozen=True)
class Settings:
    """What one process needs to know; ``from_environment`` is the only constructor used."""

    conversations_url: str | None
    redis_url: str | None
    action_server_url: str
    api_token: str | None
    cors_origins: list[str] = field(default_factory=list)
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES
    action_timeout_seconds: float = DEFAULT_ACTION_TIMEOUT_SECONDS
    interface: str = "127.0.0.1"
    actions_interface: str = "127.0.0.1"
    webchat_origins: list[str] = field(default_factory=list)

    @classmethod
    def from_environment(cls) -> Settings:
        return cls(
            conversations_url=os.environ.get("SPRO_CONVERSATIONS_URL") or None,
            redis_url=os.environ.get("SPRO_REDIS_URL") or None,
            action_server_url=os.environ.get("SPRO_ACTION_SERVER_URL", "http://localhost:5055").rstrip("/"),
            api_token=os.environ.get("SPRO_RASA_TOKEN") or None,
            cors_origins=_list("SPRO_CORS_ORIGINS"),
            max_request_bytes=int(os.environ.get("SPRO_MAX_REQUEST_BYTES", DEFAULT_MAX_REQUEST_BYTES)),
            action_timeout_seconds=float(os.environ.get("SPRO_ACTION_TIMEOUT_SECONDS", DEFAULT_ACTION_TIMEOUT_SECONDS)),
            interface=os.environ.get("SPRO_INTERFACE", "127.0.0.1"),
            actions_interface=os.environ.get("SPRO_ACTIONS_INTERFACE", "127.0.0.1"),
            webchat_origins=_list("WEBCHAT_ALLOWED_ORIGINS"),
        )

    @property
    def replicated(self) -> bool:
        """Several replicas need a shared database and the shared atomic lock (Redis)."""
        return self.redis_url is not None

    @property
    def endpoints(self) -> Path:
        return PRODUCTION_ENDPOINTS if self.replicated else EMBEDDED_ENDPOINTS

    def problems(self) -> list[str]:
        """Configurations that would silently lose conversations or expose the server."""
        found = []
        if self.replicated and not (self.conversations_url or "").startswith("postgresql"):
            found.append(
                "SPRO_REDIS_URL est défini mais SPRO_CONVERSATIONS_URL ne désigne pas une base PostgreSQL : "
                "plusieurs réplicas ne peuvent pas partager un fichier SQLite."
            )
        if not self.webchat_origins:
            found.append(
                "WEBCHAT_ALLOWED_ORIGINS n'est pas défini : indiquez les sites qui intègrent le widget "
                "(https://www.exemple.fr), séparés par des virgules."
            )
        if self.max_request_bytes < 100_000:
            found.append(
                "SPRO_MAX_REQUEST_BYTES est trop petit : les messages longs seraient refusés sans réponse polie."
            )
        return found
