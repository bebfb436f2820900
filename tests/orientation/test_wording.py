"""What a person reads, after the domain review: the PTP's real conditions, nothing for employees
said to the self-employed, no stutter, one elision helper, « je », lower case mid-sentence."""

from __future__ import annotations

import re

import pytest

from bot.french import de
from bot.messages import recommendation_text
from bot.orientation import Place, Profile, default_rules, recommend
from bot.orientation.vocabulary import vocabulary
from bot.yamlio import read_yaml
from tests.conftest import ROOT

RULES = default_rules()


def no_structure(door: str, place: Place) -> None:
    return None


def text(profile: Profile, besoin: str) -> str:
    return recommendation_text(recommend(RULES, profile, besoin, Place(), no_structure))


def test_the_employer_can_refuse_a_ptp_when_the_conditions_are_not_met() -> None:
    answer = text(Profile(statut="salarie", age=40, contrat="cdi"), "ptp")
    assert "pas la refuser" not in answer
    assert "il peut la refuser si les conditions ne sont pas remplies (ancienneté, délai de la demande)" in answer


@pytest.mark.parametrize("besoin", ["ptp", "demission_reconversion"])
def test_the_self_employed_are_told_these_schemes_are_for_employees(besoin: str) -> None:
    answer = text(Profile(statut="independant", age=40), besoin)
    assert "ne concernent pas les indépendants" in answer


def test_nothing_about_an_employer_is_said_to_the_self_employed() -> None:
    for besoin in vocabulary().besoins:
        assert "votre employeur" not in text(Profile(statut="independant", age=40), besoin).lower(), besoin


def test_an_alternative_does_not_repeat_its_door() -> None:
    answer = text(Profile(statut="salarie", age=40, contrat="cdi"), "demission_reconversion")
    assert "• Transitions Pro. Cet organisme examine ensuite votre projet" in answer
    assert "caractère réel et sérieux" not in answer
    for line in answer.splitlines():
        match = re.match(r"• ([^.]+)\. (.*)", line)
        if match:
            assert not match.group(2).lower().startswith(match.group(1).lower()), line


def test_a_public_employer_is_lower_case_mid_sentence() -> None:
    answer = text(Profile(statut="agent_public", age=45), "reconversion")
    assert answer.startswith("La bonne porte pour vous : votre employeur public (service des ressources humaines).")


def test_psy_en_is_a_current_title_not_an_old_name() -> None:
    assert "Psy-EN" not in read_yaml(ROOT / "data" / "orientation" / "vocabulary.yml")["doors"]["cio"]["old_names"]


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        (de("Issoudun"), "d'Issoudun"),
        (de("Vierzon"), "de Vierzon"),
        (de("Le Blanc"), "du Blanc"),
        (de("Les Aix-d'Angillon"), "des Aix-d'Angillon"),
        (de("La Châtre"), "de La Châtre"),
        (de("Huisseau-sur-Cosson"), "d'Huisseau-sur-Cosson"),
        (de("Loir-et-Cher", "le"), "du Loir-et-Cher"),
        (de("Indre", "l'"), "de l'Indre"),
        (de("Eure-et-Loir"), "d'Eure-et-Loir"),
    ],
)
def test_one_elision_helper(said: str, expected: str) -> None:
    assert said == expected


def test_the_bot_says_je_never_nous() -> None:
    texts = [
        (ROOT / "domain.yml").read_text(encoding="utf-8").split("\nresponses:", 1)[1],
        (ROOT / "data" / "orientation" / "rules.yml").read_text(encoding="utf-8"),
        (ROOT / "data" / "orientation" / "messages.yml").read_text(encoding="utf-8"),
    ]
    said = [line for t in texts for line in t.splitlines() if not line.lstrip().startswith("#")]
    assert [line for line in said if re.search(r"\b(nous|Nous|notre|nos)\b", line)] == []
