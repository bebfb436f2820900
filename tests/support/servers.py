"""Start the real action server and the real Rasa server on free loopback ports."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests

from bot.paths import ROOT

VENV_BIN = ROOT / ".venv" / "bin"
MODEL = ROOT / "models" / "spro.tar.gz"
RASA = [str(VENV_BIN / "python"), "-m", "bot.rasa"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, process: subprocess.Popen, log: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited ({process.returncode}).\n{log.read_text()[-4000:]}")
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer in {timeout} s.\n{log.read_text()[-4000:]}")


def base_env(workdir: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",  # a test reads the logs of a server it has just stopped
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "RASA_TELEMETRY_ENABLED": "false",
        "SPRO_VAR_DIR": str(workdir),
        "DATABASE_URL": os.environ.get("SPRO_TEST_DATABASE_URL", f"sqlite:///{workdir / 'directory.db'}"),
    }
    env.update(extra or {})
    return env


@dataclass
class Stack:
    """A running action server and Rasa server; ``url`` is the Rasa server's base URL."""

    workdir: Path
    url: str
    action_url: str
    processes: list[subprocess.Popen] = field(default_factory=list)
    logs: dict[str, Path] = field(default_factory=dict)

    def rest(self, sender: str, message: str, metadata: dict | None = None, timeout: float = 30) -> list[dict]:
        body = {"sender": sender, "message": message, **({"metadata": metadata} if metadata else {})}
        response = requests.post(f"{self.url}/webhooks/rest/webhook", json=body, timeout=timeout)
        response.raise_for_status()
        return response.json()


def start_action_server(
    workdir: Path, env: dict[str, str], port: int | None = None
) -> tuple[subprocess.Popen, str, Path]:
    port = port or free_port()
    command = [str(VENV_BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(port)]
    return spawn(command, workdir, env, f"actions-{port}", f"http://127.0.0.1:{port}", "/health")


def spawn(
    command: list[str], workdir: Path, env: dict[str, str], name: str, url: str, ready_path: str, timeout: float = 180
) -> tuple[subprocess.Popen, str, Path]:
    """Start ``command`` with its output in ``workdir/name.log``; return once ``url + ready_path`` answers."""
    log = workdir / f"{name}.log"
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("a"), stderr=subprocess.STDOUT)
    wait_http(f"{url}{ready_path}", process, log, timeout=timeout)
    return process, url, log


def write_endpoints(workdir: Path, action_url: str, extra: str = "") -> Path:
    path = workdir / "endpoints.yml"
    path.write_text(
        f'action_endpoint:\n  url: "{action_url}/webhook"\n'
        "tracker_store:\n  type: bot.stores.tracker_store.PrivacySQLTrackerStore\n"
        f'  dialect: "sqlite"\n  db: "{workdir / "conversations.db"}"\n' + extra,
        encoding="utf-8",
    )
    return path


def start_rasa(
    workdir: Path,
    env: dict[str, str],
    endpoints: Path,
    credentials: Path,
    port: int | None = None,
    args: tuple[str, ...] = (),
) -> tuple[subprocess.Popen, str, Path]:
    port = port or free_port()
    # Through bot.rasa, as in production: the patched Rasa (tests/test_rasa_patches.py checks it).
    command = [*RASA, "run", "--model", str(MODEL), "--port", str(port), "--interface", "127.0.0.1"]
    command += ["--endpoints", str(endpoints), "--credentials", str(credentials), *args]
    return spawn(command, workdir, env, f"rasa-{port}", f"http://127.0.0.1:{port}", "/webhooks/rest/", timeout=300)


@contextmanager
def running_stack(
    workdir: Path,
    credentials: str = "rest:\n",
    env_extra: Mapping[str, str] | None = None,
    endpoints_extra: str = "",
    rasa_args: tuple[str, ...] = (),
    rasa_port: int | None = None,
) -> Iterator[Stack]:
    """The whole bot, as `make run` starts it, on free ports (or ``rasa_port``, for tests that
    must know the bot's address before it starts); stopped on exit."""
    if not MODEL.exists():
        raise RuntimeError("no trained model: run `make train` first")
    workdir.mkdir(parents=True, exist_ok=True)
    env = base_env(workdir, env_extra)
    subprocess.run([str(VENV_BIN / "python"), "-m", "bot", "directory", "init"], cwd=ROOT, env=env, check=True)
    action_process, action_url, action_log = start_action_server(workdir, env)
    stack = Stack(workdir, "", action_url, [action_process], {"actions": action_log})
    try:
        credentials_path = workdir / "credentials.yml"
        credentials_path.write_text(credentials, encoding="utf-8")
        endpoints = write_endpoints(workdir, action_url, endpoints_extra)
        rasa_process, stack.url, stack.logs["rasa"] = start_rasa(
            workdir, env, endpoints, credentials_path, port=rasa_port, args=rasa_args
        )
        stack.processes.append(rasa_process)
        yield stack
    finally:
        for process in reversed(stack.processes):
            process.terminate()
        for process in stack.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
