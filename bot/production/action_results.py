"""Rasa checks each action server answer against a schema it compiled once, not at every answer.

Rasa 3.6 calls ``jsonschema.validate`` on every answer of the action server. That function first
validates the *schema itself* against JSON Schema's meta-schema, then builds a new validator: with
the event schema Rasa uses, about 70 ms of CPU per custom action, and a message runs two to four
of them (slot validation, the form, its question). Measured with cProfile on the bot's three
benchmark conversations (bench/serving.py), it was more than half of a REST turn.

The check itself is kept, with the same result and the same error: the schema is checked and the
validator built once, then reused (``jsonschema.validate`` does exactly this, every time).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import exceptions, validators
from jsonschema.protocols import Validator
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@cache
def response_validator() -> Validator:
    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate_action_result(_: RemoteAction, result: dict[str, Any]) -> bool:
    """``RemoteAction._validate_action_result`` with the compiled validator; same error text."""
    error = exceptions.best_match(response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from the "
        f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> None:
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
