"""What ``GET /health`` answers: is each part the bot needs working, said in French and in JSON.

``{"status": "ok" | "degraded", "message": "<French sentence>", "checks": {name: {"ok": bool,
"message": "<French>"}}}`` with HTTP 200 when every part works, 503 otherwise, so a load balancer
or a supervisor can act on the status code and a person can read the sentence. Each check has a
short deadline: the health page must answer even when a part hangs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import sqlalchemy as sa

CHECK_TIMEOUT_SECONDS = 2.0
LABELS = {
    "conversations": "la base des conversations",
    "lock": "Redis (verrou des conversations)",
    "actions": "le serveur d'actions",
    "directory": "l'annuaire des structures",
}


@dataclass(frozen=True)
class Check:
    ok: bool
    message: str


def _unwrap(store: Any) -> Any:
    """Rasa wraps the configured tracker store twice (awaitable, fail-safe)."""
    while hasattr(store, "_tracker_store"):
        store = store._tracker_store
    return store


def _select_one(engine: sa.engine.Engine) -> None:
    with engine.connect() as connection:
        connection.execute(sa.text("SELECT 1"))


async def _in_thread(label: str, probe: Callable[[], Any], ok_message: str) -> Check:
    try:
        await asyncio.wait_for(asyncio.get_running_loop().run_in_executor(None, probe), CHECK_TIMEOUT_SECONDS)
    except asyncio.TimeoutError:
        return Check(False, f"{label[0].upper()}{label[1:]} ne répond pas (plus de {CHECK_TIMEOUT_SECONDS:g} s).")
    except Exception as error:
        return Check(False, f"{label[0].upper()}{label[1:]} est injoignable ({type(error).__name__}).")
    return Check(True, ok_message)


async def check_conversations(agent: Any) -> Check:
    store = _unwrap(agent.tracker_store)
    engine = getattr(store, "engine", None)
    if engine is None:
        return Check(True, f"Conversations gardées par {type(store).__name__}.")
    return await _in_thread(LABELS["conversations"], lambda: _select_one(engine), "La base des conversations répond.")


async def check_lock(agent: Any) -> Check:
    store = agent.lock_store
    if not hasattr(store, "ping"):
        return Check(True, "Verrou en mémoire : un seul processus Rasa, sans Redis.")
    return await _in_thread(LABELS["lock"], store.ping, "Redis répond.")


async def check_actions(agent: Any) -> Check:
    endpoint = agent.action_endpoint
    if endpoint is None or not endpoint.url:
        return Check(False, "Aucun serveur d'actions n'est configuré.")
    url = endpoint.url.rsplit("/webhook", 1)[0] + "/health"
    try:
        timeout = aiohttp.ClientTimeout(total=CHECK_TIMEOUT_SECONDS)
        async with aiohttp.ClientSession(timeout=timeout) as session, session.get(url) as answer:
            if answer.status == 200:
                return Check(True, "Le serveur d'actions répond.")
            return Check(False, f"Le serveur d'actions répond en erreur (HTTP {answer.status}).")
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        return Check(False, f"Le serveur d'actions est injoignable ({type(error).__name__}).")


async def check_directory() -> Check:
    from bot.directory.store import database_url

    engine = sa.create_engine(database_url(), future=True)
    try:
        return await _in_thread(LABELS["directory"], lambda: _select_one(engine), "L'annuaire répond.")
    finally:
        engine.dispose()


async def report(agent: Any) -> tuple[int, dict[str, Any]]:
    """The HTTP status and the JSON body of ``GET /health``."""
    if agent is None:
        return 503, {
            "status": "starting",
            "message": "Le bot démarre : le modèle n'est pas encore chargé.",
            "checks": {},
        }
    names = ("conversations", "lock", "actions", "directory")
    results = await asyncio.gather(
        check_conversations(agent), check_lock(agent), check_actions(agent), check_directory()
    )
    checks = dict(zip(names, results, strict=True))
    failing = [check.message for check in checks.values() if not check.ok]
    body = {
        "status": "degraded" if failing else "ok",
        "message": " ".join(failing) if failing else "Tout fonctionne.",
        "checks": {name: {"ok": check.ok, "message": check.message} for name, check in checks.items()},
    }
    return (503 if failing else 200), body
