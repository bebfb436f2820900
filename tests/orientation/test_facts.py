"""Raw answers become vocabulary facts, or nothing: never a raw value in the bot's memory."""

from __future__ import annotations

import json

import pytest

from bot.orientation.facts import parse_age, parse_choice, parse_flag
from bot.paths import ROOT
from bot.yamlio import read_yaml


@pytest.mark.parametrize(
    ("raw", "age"),
    [
        (19, 19),
        ("19", 19),
        ("19 ans", 19),
        ("j'en ai 24", 24),
        ("dix-sept ans", 17),
        ("vingt et un", 21),
        ("soixante-dix-sept", 77),
        ("quatre-vingt-deux ans", 82),
        ("j'ai un fils de dix-sept ans", 17),
        ("16 ans et demi", 16),
        ("999", None),
        ("3", None),
        ("-5", None),
        ("bof", None),
        (True, None),
        ("<script>19</script>", 19),
    ],
)
def test_ages_are_read_from_digits_or_french_words_in_a_sane_range(raw: object, age: int | None) -> None:
    assert parse_age(raw) == age


@pytest.mark.parametrize(
    ("raw", "statut"),
    [
        ("salarie", "salarie"),
        ("Je suis salarié", "salarie"),
        ("je bosse dans une usine", "salarie"),
        ("en terminale", "scolaire"),
        ("je fais rien", "jeune_sans_activite"),
        ("c'est pour ma fille", "parent"),
        ("fonctionnaire territorial", "agent_public"),
        ("Demandeur d'emploi", "demandeur_emploi"),
        ("<script>alert(1)</script>", None),
        ("n'importe quoi", None),
    ],
)
def test_situations_are_recognised_from_ids_labels_and_phrases(raw: str, statut: str | None) -> None:
    assert parse_choice("statut", raw) == statut


@pytest.mark.parametrize(
    ("raw", "contrat"), [("CDD", "cdd"), ("je suis en CDI", "cdi"), ("intérim", "interim"), ("stage", None)]
)
def test_contracts(raw: str, contrat: str | None) -> None:
    assert parse_choice("contrat", raw) == contrat


@pytest.mark.parametrize(
    ("fact", "raw", "expected"),
    [
        ("statut", "jsuis plus au lycée depuis l'an dernier", None),
        ("statut", "je ne suis pas salarié", None),
        ("statut", "je suis plus salarié, je suis demandeur d'emploi", "demandeur_emploi"),
        ("contrat", "je suis plus en CDD", None),
        ("statut", "je ne suis pas au chômage, je suis au lycée", "scolaire"),
        ("statut", "je bosse plus depuis mars", None),
    ],
)
def test_a_situation_named_to_deny_it_is_not_taken(fact: str, raw: str, expected: str | None) -> None:
    assert parse_choice(fact, raw) == expected


def _question_buttons() -> list[tuple[str, str, str]]:
    responses = read_yaml(ROOT / "domain.yml")["responses"]
    found = []
    for question in ("utter_ask_statut", "utter_ask_contrat"):
        for button in responses[question][0]["buttons"]:
            if "{" in button["payload"]:
                fact, value = next(iter(json.loads(button["payload"].split("{", 1)[1].replace("}}", "}")).items()))
                found.append((button["title"], fact, value))
    return found


@pytest.mark.parametrize(("title", "fact", "value"), _question_buttons())
def test_a_button_title_typed_as_text_means_what_the_button_means(title: str, fact: str, value: str) -> None:
    """On WhatsApp or by habit, people type the answer they see instead of tapping it."""
    assert parse_choice(fact, title) == value


def test_flags_mean_yes_unless_they_say_no() -> None:
    assert parse_flag("rqth") is True
    assert parse_flag("non") is False
    assert parse_flag(None) is False
