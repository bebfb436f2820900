"""A fact that changes the door is kept only with evidence in the message (issue 12).

Plain dictionaries in, slot updates out — the style of RasaHQ financial-demo's tests/test_actions.py,
without a tracker. Each message below is one the trained model misread, or a phrasing of the same
trap: the NLU's tag is passed as it came, and the validators decide.
"""

from __future__ import annotations

import pytest

from bot.orientation.validators import ages_in, has_cue, screen, stated


@pytest.mark.parametrize(
    ("message", "tagged"),
    [
        ("Je voudrais savoir s’il est possible d’utiliser mon CPF", {"handicap": "s’"}),
        ("J’ai perdu mon emploi, comment m’inscrire ?", {"statut": "J’", "handicap": "m’"}),
        ("je cherche un emploi en intérim pour l’été", {"contrat": "interim", "handicap": "l’"}),
        ("je suis demandeur d’emploi et je veux me former", {"handicap": "d’", "contrat": "cdd"}),
        ("comment l’utiliser ?", {"handicap": "l’"}),
        ("je veux un CDI", {"contrat": "cdi"}),
        ("je voudrais décrocher un CDI pour avoir un logement", {"contrat": "cdi"}),
        ("dans le cadre de ma reconversion je voudrais un bilan", {"cadre": "cadre"}),
        ("je cherche un poste de cadre", {"cadre": "cadre"}),
        ("je n’ai pas de RQTH", {"handicap": "RQTH"}),
        ("je travaille depuis 15 ans dans la vente", {"age": "15"}),
        ("j’ai 10 ans d’expérience", {"age": "10"}),
        ("aide-soignante auprès de personnes handicapées, je veux changer", {"handicap": "handicapées"}),
        ("j’accompagne des élèves en situation de handicap (AESH)", {"handicap": "handicap"}),
    ],
)
def test_a_tag_without_evidence_sets_no_fact(message: str, tagged: dict[str, str]) -> None:
    assert all(value is None for value in screen(tagged, message, None).values())


def test_the_negatives_of_the_issue_state_no_disability_and_no_contract() -> None:
    for message in (
        "CPF",
        "je suis demandeur d’emploi",
        "comment l’utiliser ?",
        "je cherche un emploi en intérim",
        "je veux un CDI",
    ):
        facts = stated({}, message)
        assert "handicap" not in facts and "contrat" not in facts, message


@pytest.mark.parametrize(
    ("message", "tagged", "kept"),
    [
        ("J’ai la RQTH et je cherche un travail adapté", {"handicap": "RQTH"}, {"handicap": "RQTH"}),
        ("je suis travailleuse handicapée", {"handicap": "travailleuse handicapée"}, None),
        ("je suis une personne handicapée", {"handicap": "handicapée"}, None),
        ("Je suis cadre dans l’industrie", {"cadre": "cadre"}, None),
        ("je suis en CDD jusqu’en mars", {"contrat": "cdd"}, {"contrat": "cdd"}),
        ("je bosse en intérim et je cherche un CDI", {"contrat": "interim"}, {"contrat": "interim"}),
        ("je suis au chômage depuis 3 mois", {"statut": "demandeur_emploi"}, None),
        ("j’ai 19 ans et j’ai arrêté le lycée", {"age": "19"}, None),
        ("slt g 20an jsui pa o lycee", {"age": "20"}, None),
    ],
)
def test_a_tag_with_its_cue_is_kept(message: str, tagged: dict[str, str], kept: dict[str, str] | None) -> None:
    assert screen(tagged, message, None) == (kept or tagged)


def test_the_answer_to_the_question_asked_needs_no_cue() -> None:
    assert screen({"contrat": "CDI"}, "un CDI", "contrat") == {"contrat": "CDI"}
    assert screen({"age": "19"}, "19", "age") == {"age": "19"}


def test_button_payloads_are_explicit_choices() -> None:
    assert screen({"statut": "salarie"}, None, None) == {"statut": "salarie"}


def test_facts_stated_by_a_cue_come_in_without_a_tag() -> None:
    facts = stated({}, "J’ai une RQTH, je suis en CDD et j’ai 34 ans")
    assert facts == {"handicap": True, "contrat": "cdd", "age": 34}
    assert stated({}, "ma fille de 17 ans a quitté le lycée") == {"statut": "parent", "age": 17}


def test_a_known_fact_is_not_read_again_and_a_typed_button_title_is_read() -> None:
    assert stated({"age": 40}, "j’ai 19 ans") == {}
    assert stated({}, "Sorti de l’école") == {"statut": "jeune_sans_activite"}  # a typed button title


def test_the_lexicon_reads_cues_not_words_that_contain_them() -> None:
    assert has_cue("handicap", "je touche l’AAH")
    assert not has_cue("handicap", "je veux un emploi sans handicap pour ma carrière")
    assert not has_cue("cadre", "un cadre de vie agréable")
    assert ages_in("je travaille depuis 15 ans, j’ai 42 ans") == [42]


def test_the_trade_of_a_business_to_create_names_its_sector() -> None:
    assert stated({}, "je veux créer mon entreprise de plomberie")["secteur"] == "artisanat"
    assert stated({}, "m’installer comme maraîchère bio")["secteur"] == "agriculture"
    assert "secteur" not in stated({"secteur": "artisanat"}, "ouvrir une boutique")


def test_sms_french_states_its_facts() -> None:
    assert stated({}, "slt g 20an jsui pa o lycee jfai rien") == {"statut": "jeune_sans_activite", "age": 20}
    assert stated({}, "jsui o lycee") == {"statut": "scolaire"}


def test_the_words_of_the_message_name_the_situation_and_the_contract_not_the_tag() -> None:
    assert screen({"statut": "demandeur"}, "je suis demandeur d’emploi", None) == {"statut": "demandeur_emploi"}
    assert screen({"contrat": "cdi"}, "je suis en CDD", None) == {"contrat": "cdd"}
