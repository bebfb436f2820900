"""A guard at the end of the NLU pipeline for messages no classifier should guess about.

A classifier always picks *some* intent: « 😀😀😀 » came out as a school-orientation request
at 0.53. Messages with neither a word nor a number, messages in another language and very long messages
get a fixed intent here, so the bot answers them politely and deterministically.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

NO_WORDS = "nlu_fallback"
OTHER_LANGUAGE = "other_language"
TOO_LONG = "message_too_long"
MAX_CHARACTERS = 1000
# What the channels pass on of a longer message: still too long here, so the answer is the same,
# but the pipeline never spends seconds on 100,000 characters (8 s measured) while every other
# conversation of the server waits.
KEPT_CHARACTERS = 2 * MAX_CHARACTERS

# Frequent words of other languages that French messages do not contain.
_FOREIGN = frozenset(
    [
        "the",
        "and",
        "is",
        "are",
        "you",
        "your",
        "my",
        "i'm",
        "want",
        "need",
        "how",
        "what",
        "where",
        "which",
        "with",
        "would",
        "could",
        "please",
        "hello",
        "job",
        "work",
        "study",
        "school",
        "find",
        "help",
        "can",
        "do",
        "does",
        "this",
        "that",
        "have",
        "has",
        "el",
        "los",
        "las",
        "una",
        "quiero",
        "necesito",
        "trabajo",
        "trabajar",
        "busco",
        "buscar",
        "tengo",
        "soy",
        "estoy",
        "puedo",
        "estudiar",
        "como",
        "donde",
        "por",
        "favor",
        "hola",
        "gracias",
        "und",
        "ich",
        "bin",
        "nicht",
        "ist",
        "das",
        "die",
        "der",
        "wie",
        "wo",
        "arbeit",
        "bitte",
        "hallo",
        "danke",
        "il",
        "lavoro",
        "voglio",
        "sono",
        "grazie",
        "ciao",
        "dove",
    ]
)
_FRENCH = frozenset(
    [
        "je",
        "j",
        "tu",
        "il",
        "elle",
        "on",
        "nous",
        "vous",
        "ils",
        "le",
        "la",
        "les",
        "un",
        "une",
        "des",
        "du",
        "de",
        "d",
        "l",
        "est",
        "suis",
        "ai",
        "veux",
        "voudrais",
        "pour",
        "mon",
        "ma",
        "mes",
        "et",
        "ou",
        "avec",
        "dans",
        "sur",
        "pas",
        "ne",
        "qui",
        "que",
        "quoi",
        "comment",
        "bonjour",
        "merci",
        "travail",
        "emploi",
    ]
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def judge(text: str | None) -> str | None:
    """The fixed intent for a message no classifier should guess about, else None."""
    text = text or ""
    if len(text) > MAX_CHARACTERS:
        return TOO_LONG
    words = [w.lower() for w in _WORD.findall(text)]
    if not words and not any(ch.isdigit() for ch in text):
        return NO_WORDS  # a bare number is an answer (« 19 », « 37000 »): the classifiers know them
    if sum(1 for w in words if not _is_latin(w)) > len(words) / 2:
        return OTHER_LANGUAGE
    foreign = sum(1 for w in words if w in _FOREIGN)
    french = sum(1 for w in words if w in _FRENCH)
    if foreign >= 2 and foreign > 2 * french:
        return OTHER_LANGUAGE
    return None


def _is_latin(word: str) -> bool:
    return all("LATIN" in unicodedata.name(ch, "") for ch in word)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class InputGuard(GraphComponent):
    """Overrides the classifiers' guess for messages ``judge`` recognises."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> InputGuard:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = judge(message.get(TEXT))
            if intent:
                message.set(INTENT, {"name": intent, "confidence": 1.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 1.0}], add_to_output=True)
                message.set(ENTITIES, [], add_to_output=True)
        return messages
