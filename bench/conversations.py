"""Whole conversations with a running bot, played by a simulated person, scored by the door reached.

    .venv/bin/python bench/conversations.py --rasa-url http://127.0.0.1:5005
    .venv/bin/python bench/conversations.py --rasa-url URL --set tests/conversations/dev.yml --json

Each conversation of the set (format: tests/conversations/README.md) opens with what a real person
would type; then the person answers the bot's questions from their persona (and, to a turn that asks nothing,
says their need in the vocabulary's words): a question is told by
its buttons (their payloads name the fact: ``"statut"``, ``"contrat"``, ``"secteur"``) or by its
text (age, commune, « Êtes-vous cadre ? »). A button is clicked when one fits, otherwise the person
types the answer (« 19 ans », « Vierzon »); a fact the persona does not have is skipped, as the
bot offers. It stops at the recommendation, or after ``MAX_TURNS`` messages.

Printed: the share of conversations reaching an acceptable door, the questions asked (median,
max), the Cap emploi answers given when the opening said nothing of a disability, and the share
per writing style. The held-out set (tests/conversations/heldout.yml) is never trained or tuned on.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.orientation.vocabulary import vocabulary  # noqa: E402
from bot.yamlio import read_yaml  # noqa: E402
from tests.support.conversation import Turn  # noqa: E402  (how the e2e tests read a bot's turn)

DEFAULT_SET = ROOT / "tests" / "conversations" / "heldout.yml"
MAX_TURNS = 8
SKIP = "/skip_question"


@dataclass
class Outcome:
    id: str
    style: str
    door: str | None
    acceptable: bool
    questions: int
    cap_emploi_without_cue: bool
    transcript: list[str] = field(default_factory=list)


def say(url: str, sender: str, text: str) -> list[dict[str, Any]]:
    response = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)
    response.raise_for_status()
    return response.json()


def _button(buttons: list[dict[str, str]], fragment: str) -> str | None:
    return next((b["payload"] for b in buttons if fragment in b.get("payload", "")), None)


def answer(turn: Turn, persona: dict[str, Any]) -> tuple[str, bool]:
    """What the person replies to the bot's last turn, and whether that turn was a question."""
    text, buttons = turn.text, turn.buttons
    payloads = " ".join(b.get("payload", "") for b in buttons)
    for fact in ("statut", "contrat", "secteur"):
        if f'"{fact}"' in payloads:
            wanted = persona.get(fact)
            return (_button(buttons, f'"{wanted}"') if wanted else None) or SKIP, True
    if "Êtes-vous cadre" in text:
        return ("/affirm" if persona.get("cadre") else "/deny"), True
    if "Quel âge" in text:
        return (f"{persona['age']} ans" if persona.get("age") else SKIP), True
    if "Plusieurs communes correspondent" in text:
        name = str(persona.get("commune") or "").lower()
        match = next((b["payload"] for b in buttons if b.get("title", "").lower().startswith(name)), None)
        return match or SKIP, True
    if "Dans quelle commune" in text:
        return (str(persona["commune"]) if persona.get("commune") else SKIP), True
    need = persona.get("besoin")
    label = vocabulary().besoins.get(need, {}).get("label", "")
    if "/besoin_" in payloads or "Quel est votre projet" in text:
        # The need buttons, or « Vouliez-vous dire… »: click the need, else say it in words.
        return _button(buttons, f"/besoin_{need}") or label or SKIP, True
    if SKIP in payloads:  # a question explained after failed answers: go on without it
        return SKIP, True
    # An answer that asks nothing (help, a short answer to a question): the person says what
    # they want, in the vocabulary's words.
    return label, False


def play(url: str, conversation: dict[str, Any]) -> Outcome:
    sender = f"bench-{uuid.uuid4().hex}"
    persona = conversation.get("persona") or {}
    transcript = [f"> {conversation['opening']}"]
    turn = Turn(say(url, sender, conversation["opening"]))
    questions = 0
    found = turn.recommendation
    for _ in range(MAX_TURNS):
        transcript.append(turn.text)
        if found:
            break
        reply, asked = answer(turn, persona)
        questions += asked
        if not reply:
            break
        transcript.append(f"> {reply}")
        turn = Turn(say(url, sender, reply))
        found = turn.recommendation
    door = found.get("door") if found else None
    return Outcome(
        id=str(conversation["id"]),
        style=str(conversation.get("style", "")),
        door=door,
        acceptable=door in (conversation.get("acceptable_doors") or []),
        questions=questions,
        cap_emploi_without_cue=door == "cap_emploi" and not conversation.get("disability_cue"),
        transcript=transcript,
    )


def summary(outcomes: list[Outcome]) -> dict[str, Any]:
    styles: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        styles[outcome.style].append(outcome)
    questions = [o.questions for o in outcomes]
    return {
        "conversations": len(outcomes),
        "acceptable_share": sum(o.acceptable for o in outcomes) / len(outcomes),
        "questions_median": statistics.median(questions),
        "questions_max": max(questions),
        "cap_emploi_without_cue": sum(o.cap_emploi_without_cue for o in outcomes),
        "no_recommendation": sum(o.door is None for o in outcomes),
        "by_style": {s: sum(o.acceptable for o in group) / len(group) for s, group in sorted(styles.items())},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rasa-url", required=True, help="the running bot, e.g. http://127.0.0.1:5005")
    parser.add_argument("--set", type=Path, default=DEFAULT_SET, help="the conversations to play")
    parser.add_argument("--json", action="store_true", help="print the summary and every outcome as JSON")
    parser.add_argument("--workers", type=int, default=3, help="conversations played at once")
    parser.add_argument("--failures", action="store_true", help="print the transcripts of the misses")
    args = parser.parse_args()
    conversations = (read_yaml(args.set) or {}).get("conversations") or []
    url = args.rasa_url.rstrip("/")
    with ThreadPoolExecutor(args.workers) as pool:
        outcomes = list(pool.map(lambda c: play(url, c), conversations))
    result = summary(outcomes)
    if args.json:
        print(json.dumps({"summary": result, "outcomes": [asdict(o) for o in outcomes]}, ensure_ascii=False, indent=1))
        return
    print(f"\n{result['conversations']} conversations of {args.set.name}, played over REST at {url}")
    print(f"- reaching an acceptable door: {result['acceptable_share']:.1%}")
    print(f"- questions asked: median {result['questions_median']}, max {result['questions_max']}")
    print(f"- Cap emploi without a disability cue: {result['cap_emploi_without_cue']}")
    print(f"- no recommendation after {MAX_TURNS} messages: {result['no_recommendation']}")
    print("- by style: " + ", ".join(f"{s} {share:.0%}" for s, share in result["by_style"].items()))
    if args.failures:
        for outcome in outcomes:
            if not outcome.acceptable:
                print(f"\n## {outcome.id} ({outcome.style}) → {outcome.door}\n" + "\n".join(outcome.transcript))


if __name__ == "__main__":
    main()
