"""The first component of the NLU pipeline: every later one reads ``bot.nlu.text.normalise``'s text.

The conversation keeps what the person typed: Rasa stores the user event's own text, not the text
the pipeline worked on. Training examples go through it too, their entities moved with the words.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, ENTITY_ATTRIBUTE_END, ENTITY_ATTRIBUTE_START, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.text import normalise_with_offsets


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class TextNormaliser(GraphComponent):
    """Rewrites each message's text in place; placed first in config.yml."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> TextNormaliser:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            self._normalise(example)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._normalise(message)
        return messages

    @staticmethod
    def _normalise(message: Message) -> None:
        text = message.get(TEXT)
        if not text:
            return
        new, offsets = normalise_with_offsets(text)
        if new == text or not new.strip():
            # Nothing but invisible characters (« \u200b\u200b\n »): left as typed, since a text of
            # blanks gives spaCy no token and the featurisers would fail; the guard answers it.
            return
        message.set(TEXT, new)
        for entity in message.get(ENTITIES) or []:
            entity[ENTITY_ATTRIBUTE_START] = offsets[entity[ENTITY_ATTRIBUTE_START]]
            entity[ENTITY_ATTRIBUTE_END] = offsets[entity[ENTITY_ATTRIBUTE_END]]
