"""A scripted conversation over the REST channel, with the assertions people notice."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from tests.support.servers import Stack


@dataclass
class Turn:
    messages: list[dict[str, Any]]

    @property
    def text(self) -> str:
        return "\n".join(m["text"] for m in self.messages if m.get("text"))

    @property
    def buttons(self) -> list[dict[str, str]]:
        return [b for m in self.messages for b in m.get("buttons") or []]

    @property
    def button_titles(self) -> list[str]:
        return [b["title"] for b in self.buttons]

    @property
    def recommendation(self) -> dict[str, Any] | None:
        for m in self.messages:
            custom = m.get("custom")
            if isinstance(custom, dict) and custom.get("type") == "recommendation":
                return custom
        return None


@dataclass
class Conversation:
    stack: Stack
    sender: str = field(default_factory=lambda: f"test-{uuid.uuid4().hex}")
    turns: list[Turn] = field(default_factory=list)

    def say(self, text: str, metadata: dict | None = None) -> Turn:
        turn = Turn(self.stack.rest(self.sender, text, metadata))
        self.turns.append(turn)
        return turn

    def questions_asked(self) -> int:
        """How many of the bot's turns ended with one of its qualifying questions."""
        asks = (
            "Quelle est votre situation",
            "Quel âge",
            "Dans quelle commune",
            "Quel est votre contrat",
            "Quel est votre projet",
            "Plusieurs communes correspondent",
            "Êtes-vous cadre",
            "Dans quel domaine est votre projet",
        )
        return sum(1 for t in self.turns if any(a in t.text for a in asks))

    def transcript(self) -> str:
        return "\n---\n".join(t.text for t in self.turns)
