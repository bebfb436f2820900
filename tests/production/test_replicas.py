"""Two replicas share the conversations: 200 at once, each message to the other replica than the
previous one, all reach their recommendation; nothing lost or written twice in PostgreSQL."""

from __future__ import annotations

import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from bot.privacy import SALT_VARIABLE, pseudonym
from tests.production.conftest import REST_HEADERS, REST_TOKEN, Deployment, recommendation

pytestmark = pytest.mark.production

SCRIPTS = [
    (("Je suis en 1ère, j'ai 16 ans et je me pose des questions sur mes études après le bac", "Issoudun"), "cio"),
    (("Je cherche du travail, je suis inscrit à France Travail", "35 ans", "Chartres"), "france_travail"),
    (("je suis au chômage, j'ai 22 ans et je trouve pas de boulot", "Montargis"), "mission_locale"),
]
CONVERSATIONS = 200


def converse(deployment: Deployment, number: int) -> tuple[str, list[str], str | None, int]:
    """One conversation, its messages alternating between the two replicas."""
    messages = SCRIPTS[number % len(SCRIPTS)][0]
    sender = f"replicas-{number}-{uuid.uuid4().hex[:8]}"
    found, replies = None, 0
    for turn, text in enumerate(messages):
        answer = deployment.post(deployment.replica_url((number + turn) % 2), sender, text)
        answer.raise_for_status()
        replies += sum(1 for m in answer.json() if m.get("text") or m.get("custom"))
        found = recommendation(answer.json()) or found
    return sender, list(messages), (found or {}).get("door"), replies


def test_200_concurrent_conversations_across_two_replicas(deployment: Deployment) -> None:
    deployment.wait_until_idle()
    started = time.monotonic()
    with ThreadPoolExecutor(CONVERSATIONS) as pool:
        results = list(pool.map(lambda n: converse(deployment, n), range(CONVERSATIONS)))
    elapsed = time.monotonic() - started
    wrong = [(sender, door) for n, (sender, _, door, _) in enumerate(results) if door != SCRIPTS[n % 3][1]]
    assert not wrong, f"{len(wrong)} conversations without their recommendation: {wrong[:5]}"
    for sender, messages, _, replies in results:
        events = deployment.events(sender)
        user = [e for e in events if e[0] == "user"]
        assert [json.loads(e[3])["text"] for e in user] == messages, sender  # none lost, none twice
        assert replies and any(e[0] == "bot" for e in events), sender
        assert len({(e[0], e[1], e[2]) for e in events}) == len(events), sender
    print(f"\n{CONVERSATIONS} conversations, {sum(len(r[1]) for r in results)} messages in {elapsed:.1f} s")


def test_messages_of_one_conversation_at_the_same_instant_on_both_replicas_take_turns(
    deployment: Deployment,
) -> None:
    """The atomic lock: two messages of one conversation arrive together, one at each replica.
    They are handled one after the other — each user message followed by the bot's actions,
    never two user messages interleaved — and both are stored once."""
    senders = [f"burst-{uuid.uuid4().hex[:8]}" for _ in range(20)]
    barrier = threading.Barrier(2 * len(senders))

    def send(sender: str, replica: int, text: str) -> int:
        barrier.wait()
        return deployment.post(deployment.replica_url(replica), sender, text).status_code

    with ThreadPoolExecutor(2 * len(senders)) as pool:
        jobs = [pool.submit(send, s, r, t) for s in senders for r, t in ((0, "bonjour"), (1, "je cherche un emploi"))]
        assert [job.result() for job in jobs] == [200] * len(jobs)
    for sender in senders:
        kinds = [e[0] if e[0] != "action" else e[1] for e in deployment.events(sender)]
        users = [i for i, kind in enumerate(kinds) if kind == "user"]
        assert len(users) == 2, (sender, kinds)
        between = kinds[users[0] + 1 : users[1]]
        assert "action_listen" in between, f"the two messages were processed at once: {kinds}"


def test_nginx_keeps_each_conversation_on_one_replica(deployment: Deployment) -> None:
    """Consistent hashing on the conversation id read from the REST body, with stock nginx."""
    senders = [f"nginx-{uuid.uuid4().hex[:8]}" for _ in range(12)]
    for sender in senders:
        for text in ("bonjour", "je cherche un emploi"):
            assert deployment.post(deployment.url, sender, text).status_code == 200
    seen: dict[str, set[int]] = {}
    for index, port in enumerate(deployment.rasa_ports):
        for line in (deployment.workdir / f"rasa-{port}.log").read_text(encoding="utf-8").splitlines():
            if '"event": "rest.turn"' in line:
                record = json.loads(line[line.index("{") :])
                seen.setdefault(record["conversation"], set()).add(index)
    hashes = {pseudonym(s, deployment.env[SALT_VARIABLE]): s for s in senders}
    placement = {sender: seen.get(h, set()) for h, sender in hashes.items()}
    assert all(len(replicas) == 1 for replicas in placement.values()), placement
    assert {next(iter(r)) for r in placement.values()} == {0, 1}, "every conversation went to the same replica"


def test_the_public_address_exposes_only_the_channels(deployment: Deployment) -> None:
    root = requests.get(deployment.url, timeout=10)
    assert root.status_code == 404
    assert "nginx/" not in root.text and "nginx/" not in root.headers.get("Server", "")
    for path in ("/model/parse", "/conversations/x/tracker", "/version", "/status"):
        assert requests.get(f"{deployment.url}{path}", timeout=10).status_code == 404, path
    replica = requests.get(deployment.replica_url(0), timeout=10)
    assert "3.6" not in replica.text and "Rasa" not in replica.text
    assert requests.post(f"{deployment.replica_url(0)}/model/parse", json={"text": "x"}, timeout=10).status_code == 404
    big = requests.post(
        f"{deployment.url}/webhooks/rest/webhook", data=b"x" * 2_000_000, headers=REST_HEADERS, timeout=30
    )
    assert big.status_code == 413
    assert (
        requests.get(
            f"{deployment.url}/socket.io/?EIO=4&transport=polling",
            headers={"Origin": "https://evil.example"},
            timeout=10,
        ).status_code
        == 403
    )


def test_the_public_rest_webhook_needs_the_backend_token(deployment: Deployment) -> None:
    """Closed by nginx without the header, by the replica with a wrong token (issue 14)."""
    url, body = f"{deployment.url}/webhooks/rest/webhook", {"sender": "sans-jeton", "message": "bonjour"}
    assert requests.post(url, json=body, timeout=30).status_code == 403
    assert requests.post(url, json=body, headers={"X-Spro-Token": "devine"}, timeout=30).status_code == 403
    replica = f"{deployment.replica_url(0)}/webhooks/rest/webhook"
    assert requests.post(replica, json=body, timeout=30).status_code == 403
    assert requests.post(url, json=body, headers={"X-Spro-Token": REST_TOKEN}, timeout=60).status_code == 200
