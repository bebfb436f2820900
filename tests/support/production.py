"""The production set-up on one machine, for the tests: private PostgreSQL and Redis servers,
action servers and Rasa replicas started by ``python -m bot.production``, nginx in front.

PostgreSQL and Redis are the machine's Debian binaries, but private instances (own data
directory, free port): the fault tests stop, restart and kill them, which must never touch the
servers other people use.
"""

from __future__ import annotations

import glob
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from bot.production.nginx import render
from tests.support.servers import MODEL, VENV_BIN, free_port, spawn


def _postgres_bin() -> Path:
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
    if not versions:
        raise RuntimeError("PostgreSQL's binaries are missing (Debian package postgresql)")
    return Path(versions[-1])


class PrivatePostgres:
    """``initdb`` + ``pg_ctl`` in ``workdir``, run as the ``postgres`` user (initdb refuses root)."""

    def __init__(self) -> None:
        # Not under pytest's directories: they are private to root, and postgres must enter.
        self.dir = Path(tempfile.mkdtemp(prefix="spro-postgres-"))
        shutil.chown(self.dir, "postgres", "postgres")
        self.port = free_port()
        self.bin = _postgres_bin()
        self._as_postgres(["initdb", "-D", str(self.dir / "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8"])

    def _as_postgres(self, command: list[str]) -> None:
        full = ["runuser", "-u", "postgres", "--", str(self.bin / command[0]), *command[1:]]
        done = subprocess.run(full, capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise RuntimeError(f"{command[0]}: {done.stderr[-2000:]}")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        self._as_postgres(
            ["pg_ctl", "-D", str(self.dir / "data"), "-o", options, "-l", str(self.dir / "log"), "-w", "start"]
        )

    def stop(self) -> None:
        self._as_postgres(["pg_ctl", "-D", str(self.dir / "data"), "-m", "fast", "-w", "stop"])

    def remove(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def create_database(self, name: str) -> str:
        self._as_postgres(["createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name])
        return self.url(name)


class PrivateRedis:
    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/1"

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        log = (self.workdir / "redis.log").open("a")
        self.process = subprocess.Popen(command, cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT)
        for _ in range(100):
            if (
                subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True).stdout.strip()
                == b"PONG"
            ):
                return
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        if self.process:
            self.process.kill()
            self.process.wait()
            self.process = None


@dataclass
class Nginx:
    workdir: Path
    rasa: list[str]
    actions: list[str]
    port: int = field(default_factory=free_port)
    actions_port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def actions_url(self) -> str:
        return f"http://127.0.0.1:{self.actions_port}"

    def start(self) -> None:
        home = self.workdir / "nginx"
        home.mkdir(exist_ok=True)
        site = render(
            self.rasa,
            self.actions,
            listen=f"127.0.0.1:{self.port}",
            actions_listen=f"127.0.0.1:{self.actions_port}",
            origins=["http://localhost:8080"],
            access_log=str(home / "access.log"),
        )
        (home / "spro.conf").write_text(site, encoding="utf-8")
        self.process = run_nginx(home, home / "spro.conf")
        for _ in range(50):
            try:
                requests.get(self.url, timeout=1)
                return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError((home / "stderr.log").read_text())

    def stop(self) -> None:
        if self.process:
            self.process.send_signal(signal.SIGQUIT)
            self.process.wait(timeout=10)


def run_nginx(home: Path, site: Path) -> subprocess.Popen:
    """The machine's nginx serving ``site`` (a file of the project's templates, rendered), all
    its files under ``home``; its errors in ``home/stderr.log``."""
    temp = " ".join(f"{kind}_temp_path {home / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (home / "nginx.conf").write_text(
        f"worker_processes 1;\npid {home / 'nginx.pid'};\nerror_log {home / 'error.log'} warn;\n"
        f"events {{ worker_connections 1024; }}\nhttp {{ {temp} include {site}; }}\n",
        encoding="utf-8",
    )
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    command = [nginx, "-p", str(home), "-c", str(home / "nginx.conf"), "-g", "daemon off;"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=(home / "stderr.log").open("w"))


def production_command(process: str, port: int, credentials: Path | None = None) -> list[str]:
    command = [str(VENV_BIN / "python"), "-m", "bot.production", process, "--port", str(port)]
    if process == "rasa":
        command += ["--model", str(MODEL), *(["--credentials", str(credentials)] if credentials else [])]
    return command


def start_replica(
    workdir: Path, env: dict[str, str], port: int, credentials: Path, timeout: float = 600
) -> tuple[subprocess.Popen, str, Path]:
    command = production_command("rasa", port, credentials)
    return spawn(command, workdir, env, f"rasa-{port}", f"http://127.0.0.1:{port}", "/webhooks/rest/", timeout)


def start_production_actions(workdir: Path, env: dict[str, str], port: int) -> tuple[subprocess.Popen, str, Path]:
    command = production_command("actions", port)
    return spawn(command, workdir, env, f"actions-{port}", f"http://127.0.0.1:{port}", "/health")
