"""One production deployment for every test of this folder, started once (it takes minutes).

Two Rasa replicas and two action servers, started by ``python -m bot.production`` as the
systemd units do, behind nginx; conversations and directory in PostgreSQL, the atomic lock in
Redis (private instances: the fault tests stop and kill them). Every channel of
``credentials.yml`` is on, its platform calls going to a local recorder.
"""

from __future__ import annotations

import subprocess
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg2
import pytest
import requests

from bot.stores.scopes import scoped
from tests.channels.clients import CHANNEL_ENV
from tests.support.production import (
    Nginx,
    PrivatePostgres,
    PrivateRedis,
    start_production_actions,
    start_replica,
)
from tests.support.recorder import running_recorder
from tests.support.servers import MODEL, ROOT, VENV_BIN, base_env, free_port

# The production REST webhook is closed without this token (config/nginx/spro.conf, bot/channels/rest.py).
REST_TOKEN = "jeton-du-backend-rest-0123456789"
REST_HEADERS = {"X-Spro-Token": REST_TOKEN}


@dataclass
class Deployment:
    workdir: Path
    env: dict[str, str]
    postgres: PrivatePostgres
    redis: PrivateRedis
    nginx: Nginx
    conversations_url: str
    credentials: Path
    rasa_ports: list[int]
    action_ports: list[int]
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """The public address (nginx)."""
        return self.nginx.url

    def replica_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.rasa_ports[index]}"

    def start_replica(self, index: int) -> None:
        port = self.rasa_ports[index]
        self.processes[f"rasa{index}"] = start_replica(self.workdir, self.env, port, self.credentials)[0]

    def start_actions(self, index: int) -> None:
        port = self.action_ports[index]
        self.processes[f"actions{index}"] = start_production_actions(self.workdir, self.env, port)[0]

    def post(self, base: str, sender: str, message: str, timeout: float = 120) -> requests.Response:
        return requests.post(
            f"{base}/webhooks/rest/webhook",
            json={"sender": sender, "message": message},
            headers=REST_HEADERS,
            timeout=timeout,
        )

    def events(self, sender: str) -> list[tuple[str, str, float, str]]:
        """Every stored event of a REST conversation, in order: (type, action or intent, timestamp, data)."""
        with psycopg2.connect(self.conversations_url) as connection, connection.cursor() as cursor:
            cursor.execute(
                "SELECT type_name, coalesce(action_name, intent_name, ''), timestamp, data FROM events "
                "WHERE sender_id = %s ORDER BY id",
                (scoped("rest", sender),),
            )
            return cursor.fetchall()

    def say(self, base: str, sender: str, message: str) -> tuple[list[dict[str, Any]], str]:
        """The bot's messages and their text, as the person reads it."""
        answer = self.post(base, sender, message)
        answer.raise_for_status()
        messages = answer.json()
        return messages, "\n".join(m.get("text") or "" for m in messages)

    def wait_until_idle(self, timeout: float = 300) -> None:
        """Webhook messages are handled after their 200, and a previous test may have left a
        backlog: wait until both replicas answer a greeting within 2 s."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            started = time.monotonic()
            answers = [self.post(self.replica_url(i), f"probe-{uuid.uuid4().hex[:6]}", "bonjour") for i in (0, 1)]
            if all(a.ok for a in answers) and time.monotonic() - started < 2:
                return
            time.sleep(2)

    def health(self, base: str | None = None) -> tuple[int, dict[str, Any]]:
        answer = requests.get(f"{base or self.replica_url(0)}/health", timeout=10)
        return answer.status_code, answer.json()


def recommendation(messages: list[dict[str, Any]]) -> dict[str, Any] | None:
    for message in messages:
        custom = message.get("custom")
        if isinstance(custom, dict) and custom.get("type") == "recommendation":
            return custom
    return None


@pytest.fixture(scope="session")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    if not MODEL.exists():
        raise RuntimeError("no trained model: run `make train` first")
    workdir = tmp_path_factory.mktemp("production")
    postgres, redis = PrivatePostgres(), PrivateRedis(workdir)
    postgres.start()
    redis.start()
    with running_recorder() as recorder:
        conversations_url = postgres.create_database("conversations")
        rasa_ports, action_ports = [free_port(), free_port()], [free_port(), free_port()]
        nginx = Nginx(workdir, [f"127.0.0.1:{p}" for p in rasa_ports], [f"127.0.0.1:{p}" for p in action_ports])
        env = base_env(
            workdir,
            {
                **CHANNEL_ENV,
                "GRAPH_API_URL": recorder.url,
                "TWILIO_API_URL": recorder.url,
                "DATABASE_URL": postgres.create_database("directory"),
                "SPRO_CONVERSATIONS_URL": conversations_url,
                "SPRO_REDIS_URL": redis.url,
                "SPRO_ACTION_SERVER_URL": nginx.actions_url,
                "SPRO_ACTION_TIMEOUT_SECONDS": "5",
                "WEBCHAT_ALLOWED_ORIGINS": "http://localhost:8080",
                "SPRO_REST_TOKEN": REST_TOKEN,
                "SPRO_ANALYTICS_SALT": "le sel des pseudonymes de production",
            },
        )
        credentials = workdir / "credentials.yml"
        credentials.write_text((ROOT / "credentials.yml").read_text(encoding="utf-8"), encoding="utf-8")
        subprocess.run([str(VENV_BIN / "python"), "-m", "bot", "directory", "init"], cwd=ROOT, env=env, check=True)
        deployment = Deployment(
            workdir, env, postgres, redis, nginx, conversations_url, credentials, rasa_ports, action_ports
        )
        try:
            nginx.start()
            for index in range(2):
                deployment.start_actions(index)
            # Both replicas load their model at the same time: start-up is the slow part.
            with ThreadPoolExecutor(2) as pool:
                list(pool.map(deployment.start_replica, range(2)))
            yield deployment
        finally:
            for process in deployment.processes.values():
                process.terminate()
            for process in deployment.processes.values():
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
            nginx.stop()
            redis.kill()
            postgres.stop()
            postgres.remove()
