"""How fast the bot serves, measured on this machine in one run, printed as one table.

    .venv/bin/python bench/serving.py                 # everything (about 10 minutes here)
    .venv/bin/python bench/serving.py --no-train      # without the training-time measure
    .venv/bin/python bench/serving.py --no-reference  # without the bare « rasa init » bot

The bot runs as in production on one machine (``python -m bot.production``: SQLite, in-memory
lock, one action server), with its HTTP API behind a token so ``/model/parse`` can be compared
with a full REST turn (NLU, policies, custom actions, directory query) on the same messages and
at the same concurrency: 1, 10 and 50 conversations at once, without pause (a stress test),
then 50 people typing at a human pace. Also: throughput, resident memory
of each process, training time, start-up time to the first answer, and the memory of a bare
French ``rasa init`` bot (the issue's reference), all in the same run so the ratios compare like
with like. The client runs on the same machine and takes its share of the CPU: the figures are
for comparison, not capacity promises (docs/deploiement.md turns them into sizing).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.production import production_command, start_production_actions  # noqa: E402
from tests.support.servers import MODEL, VENV_BIN, base_env, free_port, spawn, wait_http  # noqa: E402

TOKEN = f"bench-{uuid.uuid4().hex}"
# Three people the directory answers; the last message of each triggers the recommendation.
SCRIPTS = [
    ("Je suis en 1ère, j'ai 16 ans et je me pose des questions sur mes études après le bac", "Issoudun"),
    ("Je cherche du travail, je suis inscrit à France Travail", "35 ans", "Chartres"),
    ("je suis au chômage, j'ai 22 ans et je trouve pas de boulot", "Montargis"),
]
LEVELS = (1, 10, 50)
TURNS_PER_LEVEL = {1: 45, 10: 150, 50: 300}
# People read the answer and type the next message: 5 to 15 seconds on a phone (a short answer
# such as a commune is quicker, a first message much slower). Chosen before measuring, not tuned.
TYPING_PAUSE = (5.0, 15.0)


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (Rasa's CLI may fork), in MB."""
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    total = 0
    for each in pids:
        for line in Path(f"/proc/{each}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def rest_conversations(
    url: str, concurrency: int, turns: int, pause: tuple[float, float] = (0.0, 0.0)
) -> tuple[list[float], int, float]:
    """``concurrency`` people talk at once until ``turns`` messages are answered.

    ``pause``: the seconds (drawn between the two bounds) a person takes to read the answer and
    type the next message; the people also arrive spread over the longest pause. Without it, 50
    people are 50 requests queued at every instant: a stress test of throughput rather than 50
    conversations.
    """
    rng = random.Random(concurrency)
    latencies: list[float] = []
    errors = 0
    remaining = turns

    async def person(session: aiohttp.ClientSession, number: int) -> None:
        nonlocal remaining, errors
        await asyncio.sleep(rng.uniform(0.0, pause[1]))  # people arrive over time, not in one burst
        while remaining > 0:
            sender = f"bench-{uuid.uuid4().hex[:10]}"
            for text in SCRIPTS[number % len(SCRIPTS)]:
                if remaining <= 0:
                    return
                remaining -= 1
                started = time.perf_counter()
                async with session.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}) as r:
                    body = await r.json()
                    if r.status != 200 or not body:
                        errors += 1
                latencies.append(time.perf_counter() - started)
                await asyncio.sleep(rng.uniform(*pause))

    started = time.perf_counter()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=300)) as session:
        await asyncio.gather(*(person(session, n) for n in range(concurrency)))
    return latencies, errors, time.perf_counter() - started


async def parses(url: str, concurrency: int, count: int) -> tuple[list[float], int, float]:
    texts = [text for script in SCRIPTS for text in script]
    latencies: list[float] = []
    errors = 0
    queue = list(range(count))

    async def client(session: aiohttp.ClientSession) -> None:
        nonlocal errors
        while queue:
            index = queue.pop()
            started = time.perf_counter()
            async with session.post(f"{url}/model/parse?token={TOKEN}", json={"text": texts[index % len(texts)]}) as r:
                await r.read()
                errors += r.status != 200
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=300)) as session:
        await asyncio.gather(*(client(session) for _ in range(concurrency)))
    return latencies, errors, time.perf_counter() - started


def train_time(workdir: Path, project: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [str(VENV_BIN / "rasa"), "train", "--out", str(workdir), "--fixed-model-name", "bench", "--force", "--quiet"],
        cwd=project,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def reference_bot_memory(workdir: Path, env: dict[str, str]) -> float:
    """A bare ``rasa init`` bot, its language set to French: trained, started, asked once."""
    project = workdir / "rasa-init"
    project.mkdir()  # with --no-prompt, rasa init refuses a directory that does not exist
    subprocess.run([str(VENV_BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(project)], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    config = project / "config.yml"
    config.write_text(config.read_text().replace("language: en", "language: fr"))
    subprocess.run([str(VENV_BIN / "rasa"), "train", "--quiet"], cwd=project, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    model = next((project / "models").glob("*.tar.gz"))
    port = free_port()
    log = workdir / "rasa-init.log"
    process = subprocess.Popen(
        [str(VENV_BIN / "rasa"), "run", "--model", str(model), "--port", str(port), "--interface", "127.0.0.1"],
        cwd=project, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        wait_http(f"{url}/webhooks/rest/", process, log, timeout=300)
        import requests

        requests.post(f"{url}/webhooks/rest/webhook", json={"sender": "a", "message": "bonjour"}, timeout=60)
        return rss_mb(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-train", action="store_true", help="skip the training-time measure")
    parser.add_argument("--no-reference", action="store_true", help="skip the bare rasa init bot")
    options = parser.parse_args()
    if not MODEL.exists():
        sys.exit("no trained model: run `make train` first")
    workdir = Path(tempfile.mkdtemp(prefix="spro-bench-"))
    env = base_env(
        workdir,
        {
            "SPRO_RASA_TOKEN": TOKEN,
            "WEBCHAT_ALLOWED_ORIGINS": "http://localhost:8080",
            "SPRO_CONVERSATIONS_URL": f"sqlite:///{workdir / 'conv.db'}",
        },
    )
    subprocess.run([str(VENV_BIN / "python"), "-m", "bot", "directory", "init"], cwd=ROOT, env=env, check=True)
    rows: list[tuple[str, str]] = []
    processes: list[subprocess.Popen] = []
    try:
        action_port, rasa_port = free_port(), free_port()
        env["SPRO_ACTION_SERVER_URL"] = f"http://127.0.0.1:{action_port}"
        actions = start_production_actions(workdir, env, action_port)[0]
        processes.append(actions)
        endpoints = workdir / "endpoints.yml"
        endpoints.write_text(
            f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n'
            "tracker_store:\n  type: bot.stores.tracker_store.PrivacySQLTrackerStore\n",
            encoding="utf-8",
        )
        started = time.perf_counter()
        command = [*production_command("rasa", rasa_port), "--endpoints", str(endpoints)]
        rasa, url, _ = spawn(command, workdir, env, "rasa", f"http://127.0.0.1:{rasa_port}", "/webhooks/rest/", 600)
        processes.append(rasa)
        import requests

        requests.post(f"{url}/webhooks/rest/webhook", json={"sender": "first", "message": "bonjour"}, timeout=120)
        startup = time.perf_counter() - started
        results: dict[int, dict[str, Any]] = {}
        for level in LEVELS:
            turns = TURNS_PER_LEVEL[level]
            parse_lat, parse_err, parse_s = asyncio.run(parses(url, level, turns))
            rest_lat, rest_err, rest_s = asyncio.run(rest_conversations(url, level, turns))
            results[level] = {
                "parse": parse_lat, "rest": rest_lat, "errors": parse_err + rest_err,
                "parse_rps": turns / parse_s, "rest_rps": turns / rest_s,
            }  # fmt: skip
            print(f"… {level} conversation(s) at once: done", file=sys.stderr)
        typing_lat, typing_err, _ = asyncio.run(rest_conversations(url, 50, 300, TYPING_PAUSE))
        print("… 50 people typing: done", file=sys.stderr)
        rasa_mb, actions_mb = rss_mb(rasa.pid), rss_mb(actions.pid)
        reference_mb = training = None
        failures: list[tuple[str, str]] = []
        try:
            reference_mb = None if options.no_reference else reference_bot_memory(workdir, env)
        except (subprocess.SubprocessError, OSError, TimeoutError, RuntimeError) as error:
            failures.append(("memory: bare French rasa init bot (reference)", f"not measured: {type(error).__name__}"))
        try:
            training = None if options.no_train else train_time(workdir, ROOT, env)
        except (subprocess.SubprocessError, OSError) as error:
            failures.append(("training time", f"not measured: {type(error).__name__}"))
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)

    ms = 1000.0
    for level in LEVELS:
        r = results[level]
        rows.append(
            (
                f"{level} conversation(s) at once: /model/parse p50 / p95",
                f"{statistics.median(r['parse']) * ms:.0f} / {percentile(r['parse'], 0.95) * ms:.0f} ms",
            )
        )
        rows.append(
            (
                f"{level} conversation(s) at once: REST turn p50 / p95",
                f"{statistics.median(r['rest']) * ms:.0f} / {percentile(r['rest'], 0.95) * ms:.0f} ms",
            )
        )
        rows.append(
            (
                f"{level} conversation(s) at once: throughput parse / REST",
                f"{r['parse_rps']:.1f} / {r['rest_rps']:.1f} req/s ({r['errors']} error(s))",
            )
        )
    pause = f"{TYPING_PAUSE[0]:.0f}–{TYPING_PAUSE[1]:.0f} s"
    rows.append(
        (
            f"50 people typing ({pause} between messages): REST turn p50 / p95",
            f"{statistics.median(typing_lat) * ms:.0f} / {percentile(typing_lat, 0.95) * ms:.0f} ms",
        )
    )
    one, fifty = results[1], results[50]
    turn_vs_parse = percentile(one["rest"], 0.95) / percentile(one["parse"], 0.95)
    rows.append(("ratio REST p95 / parse p95, 1 conversation (target ≤ 2)", f"{turn_vs_parse:.2f}"))
    for label, latencies in (("50 people typing", typing_lat), ("50 at once, no pause", fifty["rest"])):
        ratio = percentile(latencies, 0.95) / statistics.median(one["rest"])
        rows.append((f"ratio REST p95, {label} / REST p50 at 1 (target < 10)", f"{ratio:.2f}"))
    rows.append(("errors, 50 people typing / 50 at once (target 0)", f"{typing_err} / {fifty['errors']}"))
    rows.append(("memory: Rasa server / action server", f"{rasa_mb:.0f} / {actions_mb:.0f} MB"))
    if reference_mb:
        rows.append(("memory: bare French rasa init bot (reference)", f"{reference_mb:.0f} MB"))
        rows.append(("ratio Rasa memory / reference (target ≤ 1)", f"{rasa_mb / reference_mb:.2f}"))
    rows.append(("start-up to the first answer", f"{startup:.1f} s"))
    if training is not None:
        rows.append(("training time (full model, rasa train --force)", f"{training:.0f} s"))
    rows += failures
    width = max(len(k) for k, _ in rows)
    print(f"\n| {'measure':{width}} | {'value':>32} |\n|{'-' * (width + 2)}|{'-' * 34}|")
    for key, value in rows:
        print(f"| {key:{width}} | {value:>32} |")


if __name__ == "__main__":
    main()
