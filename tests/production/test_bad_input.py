"""Bad input at volume: more than 1,000 generated inputs to REST and to each webhook. None gets a
5xx; each is answered or refused with a clear 4xx; the servers stay healthy and a normal
conversation running at the same time reaches its recommendation."""

from __future__ import annotations

import itertools
import json
import random
import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from tests.channels.clients import MessengerUser, TwilioUser, WhatsAppUser, meta_signature
from tests.production.conftest import REST_HEADERS, Deployment, recommendation

pytestmark = pytest.mark.production

TEXTS = [
    "",
    " ",
    "\t\n\r ",
    "\u200b\u200b",
    "x" * 100_000,
    "é" * 100_000,
    "je veux changer de métier " * 4000,
    "\x00\x01\x02\x03\x07\x1b[31m",
    "bonjour\x00\x00",
    "😀😀😀",
    "👩🏽‍🎓🎓📚" * 50,
    "🇫🇷",
    "مرحبا، أبحث عن عمل في أورليان",
    "שלום אני מחפש עבודה",
    "\u202eje cherche un emploi\u202c",
    "I am looking for a job in Tours, can you help me?",
    "Ich suche eine Arbeit in Orléans",
    "我在找工作",
    "Я ищу работу",
    "Busco trabajo en Chartres",
    "'; DROP TABLE events; --",
    "1' OR '1'='1",
    "Robert'); DELETE FROM structures;--",
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(document.cookie)",
    "{{7*7}} ${7*7} <%= 7*7 %>",
    "../../../../etc/passwd",
    '/besoin_reconversion{"statut": "salarie", "age": 999}',
    '/besoin_decrochage{"age": -5, "commune": "<script>"}',
    '/inform{"statut": "' + "z" * 5000 + '"}',
    '/restart{"age": "abc"}',
    "/session_start",
    "/action_delete_data",
    '/nlu_fallback{"statut": ["a", "b"], "age": {"x": 1}}',
    "/besoin_orientation_scolaire{",
    '/besoin_recherche_emploi{"commune": "Chartres"}',
    "/" * 500,
    "%s%s%s%n",
    "\ud83d",
    "NaN",
    "null",
    "0" * 2000,
    "a\u0301" * 3000,
]
MUTATIONS = [
    lambda t: t,
    lambda t: t.upper(),
    lambda t: f"bonjour {t}",
    lambda t: f"{t} 19 ans à Vierzon",
    lambda t: t[::-1],
    lambda t: t * 2 if len(t) < 1000 else t[:1001],
    lambda t: f"{t}\n{t}" if len(t) < 1000 else t[:5000],
    lambda t: t.replace(" ", "\u00a0"),
    lambda t: json.dumps(t),
    lambda t: f'/besoin_reconversion{{"text": {json.dumps(t[:200])}}}',
]
MALFORMED = [
    b"",
    b"not json",
    b"{",
    b'{"sender": "x", "mess',
    b"[]",
    b"123",
    b"null",
    b'"a string"',
    b"[" * 5000 + b"]" * 5000,
    b'{"sender": 5, "message": "bonjour"}',
    b'{"sender": "", "message": "bonjour"}',
    b'{"sender": "' + b"s" * 500 + b'", "message": "bonjour"}',
    b'{"sender": "a\\u0000b", "message": "bonjour"}',
    b'{"message": "bonjour"}',
    b'{"sender": "x"}',
    b'{"sender": "x", "message": ["a"]}',
    b'{"sender": "x", "message": {"text": "a"}}',
    b'{"sender": "x", "message": "bonjour", "metadata": "str"}',
    b'{"sender": "x", "message": "bonjour", "metadata": [1]}',
    b"\xff\xfe\x00garbage",
    b'{"entry": [{"messaging": [{"sender": {}}]}]}',
    b'{"object": "page", "entry": "nope"}',
    b'{"object": "whatsapp_business_account", "entry": [{"changes": [{"value": null}]}]}',
    b'{"object": "page", "entry": [{"messaging": [{"sender": {"id": 1}, "message": {"text": 7}}]}]}',
]


@dataclass(frozen=True)
class Target:
    """What the channel test clients need of a server: its address."""

    url: str


@dataclass(frozen=True)
class Outcome:
    case: str
    status: int
    body: str


def rest_text(base: str, text: str) -> Outcome:
    answer = requests.post(
        f"{base}/webhooks/rest/webhook",
        json={"sender": f"bad-{uuid.uuid4().hex[:8]}", "message": text},
        headers=REST_HEADERS,
        timeout=120,
    )
    if answer.status_code == 200:
        replies = answer.json()
        assert any(r.get("text") for r in replies), f"200 without any answer to {text[:80]!r}"
    return Outcome(f"rest text {text[:40]!r}", answer.status_code, answer.text[:300])


def raw(url: str, body: bytes, headers: dict[str, str] | None = None, case: str = "") -> Outcome:
    answer = requests.post(url, data=body, headers={"Content-Type": "application/json", **(headers or {})}, timeout=60)
    return Outcome(case or f"raw {url.rsplit('/', 3)[-2]} {body[:40]!r}", answer.status_code, answer.text[:300])


def cases(deployment: Deployment) -> list[Any]:
    """Each case is a function of no argument returning an Outcome."""
    random.seed(8)
    bases = itertools.cycle([deployment.url, deployment.replica_url(0), deployment.replica_url(1)])
    texts = [mutate(text) for text in TEXTS for mutate in MUTATIONS]
    jobs: list[Any] = [lambda b=base, t=t: rest_text(b, t) for base, t in zip(bases, texts, strict=False)]
    replica = Target(deployment.replica_url(1))
    whatsapp, messenger = WhatsAppUser(replica, None), MessengerUser(replica, None)
    twilio = TwilioUser(Target(deployment.replica_url(0)), None)
    for body in MALFORMED:
        for base in (deployment.url, deployment.replica_url(0), deployment.replica_url(1)):
            jobs.append(lambda u=f"{base}/webhooks/rest/webhook", b=body: raw(u, b, REST_HEADERS))
        for user in (whatsapp, messenger):
            url = f"{replica.url}/webhooks/{user.channel}/webhook"
            jobs.append(lambda u=url, b=body, s=user.secret: raw(u, b, {"X-Hub-Signature-256": meta_signature(s, b)}))
            jobs.append(lambda u=url, b=body: raw(u, b, {"X-Hub-Signature-256": "sha256=" + "0" * 64}))
        jobs.append(lambda b=body: raw(twilio.url, b, {"X-Twilio-Signature": "forged"}))
    for text in random.sample(texts, 130):
        for user, payload in (
            (whatsapp, whatsapp.envelope([whatsapp.message("text", {"body": text})])),
            (messenger, messenger.envelope(messenger.text_event(text))),
        ):
            body = json.dumps(payload).encode()
            url = f"{replica.url}/webhooks/{user.channel}/webhook"
            signature = meta_signature(user.secret, body)
            jobs.append(lambda u=url, b=body, s=signature: raw(u, b, {"X-Hub-Signature-256": s}, "signed webhook"))
        jobs.append(lambda t=text: twilio_text(twilio, t))
    return jobs


def twilio_text(twilio: TwilioUser, text: str) -> Outcome:
    # Twilio posts UTF-8 forms: a lone surrogate cannot reach the bot this way.
    form = twilio.form(Body=text[:1600].encode("utf-8", "replace").decode("utf-8"))
    answer = requests.post(twilio.url, data=form, headers={"X-Twilio-Signature": twilio.signature(form)}, timeout=60)
    return Outcome("twilio", answer.status_code, answer.text[:300])


def test_a_thousand_bad_inputs(deployment: Deployment) -> None:
    jobs = cases(deployment)
    assert len(jobs) >= 1000, len(jobs)
    canary: dict[str, Any] = {}

    def normal_conversation() -> None:
        person = f"canary-{uuid.uuid4().hex[:8]}"
        for text in (
            "Je suis en 1ère, j'ai 16 ans et je me pose des questions sur mes études après le bac",
            "Issoudun",
        ):
            replies = deployment.post(deployment.url, person, text).json()
        canary["recommendation"] = recommendation(replies)

    thread = threading.Thread(target=normal_conversation)
    thread.start()
    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(lambda job: job(), jobs))
    thread.join(timeout=300)
    deployment.wait_until_idle()
    errors = [o for o in outcomes if o.status >= 500]
    assert not errors, f"{len(errors)} × 5xx, e.g. {errors[:3]}"
    unclear = [o for o in outcomes if 400 <= o.status < 500 and not o.body.strip()]
    assert not unclear, f"refusals without a reason: {unclear[:3]}"
    print("\n", len(outcomes), "inputs:", dict(Counter(o.status for o in outcomes)))
    assert canary.get("recommendation", {}).get("door") == "cio"
    for index in range(2):
        assert deployment.health(deployment.replica_url(index))[0] == 200
