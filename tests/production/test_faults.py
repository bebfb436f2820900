"""Faults: a replica killed, the action servers down, PostgreSQL restarted, Redis down."""

from __future__ import annotations

import signal
import time
import uuid

import pytest

from tests.production.conftest import Deployment, recommendation

pytestmark = pytest.mark.production

JOBSEEKER = ("Je cherche du travail, je suis inscrit à France Travail", "35 ans", "Chartres")


def sender(kind: str) -> str:
    return f"{kind}-{uuid.uuid4().hex[:8]}"


@pytest.fixture(autouse=True)
def idle(deployment: Deployment) -> None:
    deployment.wait_until_idle()


def test_a_replica_killed_mid_conversation_then_restarted(deployment: Deployment) -> None:
    person = sender("kill")
    assert "Quel âge" in deployment.say(deployment.replica_url(0), person, JOBSEEKER[0])[1]
    deployment.processes["rasa0"].send_signal(signal.SIGKILL)
    deployment.processes["rasa0"].wait()
    try:
        # Through nginx the conversation goes on at once, on the other replica.
        assert "commune" in deployment.say(deployment.url, person, JOBSEEKER[1])[1].lower()
    finally:
        deployment.start_replica(0)
    third, _ = deployment.say(deployment.replica_url(0), person, JOBSEEKER[2])
    found = recommendation(third)
    assert found and found["door"] == "france_travail" and found["territory"] == "chartres"


def test_action_servers_down_then_back(deployment: Deployment) -> None:
    for index in range(2):
        deployment.processes[f"actions{index}"].send_signal(signal.SIGKILL)
        deployment.processes[f"actions{index}"].wait()
    try:
        started = time.monotonic()
        answer = deployment.post(deployment.url, sender("actions-down"), JOBSEEKER[0], timeout=30)
        elapsed = time.monotonic() - started
        assert answer.status_code == 200
        text = " ".join(m.get("text") or "" for m in answer.json())
        assert "Etoile Info" in text and "0 800 222 100" in text and "Désolé" in text, text
        assert text.count("Désolé") == 1, text
        assert elapsed < 3, f"the apology took {elapsed:.1f} s"
        status, health = deployment.health()
        assert status == 503 and not health["checks"]["actions"]["ok"]
        assert "serveur d'actions" in health["message"]
    finally:
        for index in range(2):
            deployment.start_actions(index)
    person = sender("actions-back")
    deadline = time.monotonic() + 20  # nginx tries a failed server again after 2 s
    while True:
        replies = [deployment.post(deployment.url, person, text).json() for text in JOBSEEKER]
        if recommendation(replies[-1]) or time.monotonic() > deadline:
            break
        person = sender("actions-back")
    assert recommendation(replies[-1])["door"] == "france_travail"
    assert deployment.health()[0] == 200


def test_postgresql_restarted(deployment: Deployment) -> None:
    person = sender("postgres")
    assert "Quel âge" in deployment.say(deployment.url, person, JOBSEEKER[0])[1]
    deployment.postgres.stop()
    try:
        status, health = deployment.health()
        assert status == 503 and not health["checks"]["conversations"]["ok"]
        assert "base des conversations" in health["message"]
    finally:
        deployment.postgres.start()
    assert "commune" in deployment.say(deployment.url, person, JOBSEEKER[1])[1].lower()
    found = recommendation(deployment.say(deployment.url, person, JOBSEEKER[2])[0])
    assert found and found["door"] == "france_travail"
    assert deployment.health()[0] == 200


def test_redis_down_is_reported_clearly(deployment: Deployment) -> None:
    deployment.redis.kill()
    try:
        status, health = deployment.health()
        assert status == 503 and health["status"] == "degraded"
        assert not health["checks"]["lock"]["ok"] and "Redis" in health["message"], health
        assert health["checks"]["conversations"]["ok"] and health["checks"]["actions"]["ok"]
        refused = deployment.post(deployment.url, sender("redis-down"), "bonjour")
        assert refused.status_code == 503 and "Etoile Info" in refused.json()[0]["text"]
    finally:
        deployment.redis.start()
    assert deployment.health()[0] == 200
    assert deployment.post(deployment.url, sender("redis-back"), "bonjour").status_code == 200
