"""Drive a conversation to a recommendation on any channel, answering what the bot asks.

The questions depend on the conversation design, which evolves; the driver answers whichever
comes (situation, age, commune, contract) the way a job seeker of 19 in Vierzon would, through
the channel's own elements: a tapped button or list row, a quick reply, a typed number.
"""

from __future__ import annotations

from typing import Any

from tests.channels.clients import ChannelUser

NEED = "Bonjour, je cherche un emploi"
SITUATION = "Demandeur d'emploi"
ANSWERS = (("âge", "19"), ("commune", "Vierzon"), ("contrat", "CDI"))


def answer_for(text: str, choices: list[str]) -> tuple[str, str]:
    """("choose", title) or ("say", text) for the bot's last question."""
    if SITUATION in choices:
        return "choose", SITUATION
    for keyword, answer in ANSWERS:
        if keyword in text:
            return ("choose", answer) if answer in choices else ("say", answer)
    raise AssertionError(f"unexpected question: {text!r} {choices}")


def reach_recommendation(user: ChannelUser) -> list[Any]:
    """The replies that carry the recommendation, after at most 6 answers."""
    replies = user.say(NEED)
    for _ in range(6):
        if user.is_recommendation(replies):
            return replies
        action, value = answer_for(*user.question(replies))
        replies = user.choose(replies, value) if action == "choose" else user.say(value)
    raise AssertionError(f"no recommendation after 6 answers: {replies}")
