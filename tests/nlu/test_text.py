"""Text as phones and web pages type it reaches the model and the facts in the form of the examples."""

from __future__ import annotations

import pytest

from bot.nlu.text import normalise, normalise_with_offsets
from bot.orientation.facts import parse_choice


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        (
            "Je voudrais savoir s’il est possible d’utiliser mon CPF",
            "Je voudrais savoir s'il est possible d'utiliser mon CPF",
        ),
        ("qu’est-ce que la V.A.E. ?", "qu'est-ce que la VAE ?"),
        ("j’ai la R.Q.T.H", "j'ai la RQTH"),
        ("« c\u2019est gratuit\u202f? »", '" c\'est gratuit ? "'),
        ("attends\u2026 oui \u2014 non", "attends... oui - non"),
        ("e\u0301tudiant", "étudiant"),
        ("M. Dupont, etc.", "M. Dupont, etc."),
    ],
)
def test_typographic_forms_become_the_forms_of_the_training_examples(typed: str, read: str) -> None:
    assert normalise(typed) == read


def test_an_entity_after_a_shortened_acronym_stays_on_its_words() -> None:
    text = "ma V.A.E. à Tours"
    new, offsets = normalise_with_offsets(text)
    start = text.index("Tours")
    assert new[offsets[start] : offsets[start + len("Tours")]] == "Tours"


def test_facts_read_typed_apostrophes_and_dotted_acronyms() -> None:
    assert parse_choice("statut", "je suis demandeur d’emploi") == "demandeur_emploi"
    assert parse_choice("besoin", "V.A.E.") == parse_choice("besoin", "VAE")


def test_a_message_of_invisible_characters_reaches_the_model_as_typed() -> None:
    """Emptied, « \u200b\u200b\n\u200b\u200b » left spaCy no token and the server answered 503
    (tests/production/test_bad_input.py); as typed, the guard answers it politely."""
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlu.normaliser import TextNormaliser

    invisible = Message(data={TEXT: "\u200b\u200b\n\u200b\u200b"})
    typed = Message(data={TEXT: "j’ai\u200b 19 ans"})
    TextNormaliser().process([invisible, typed])
    assert invisible.get(TEXT) == "\u200b\u200b\n\u200b\u200b"
    assert typed.get(TEXT) == "j'ai 19 ans"
