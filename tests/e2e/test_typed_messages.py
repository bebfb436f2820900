"""Messages typed as phones and web pages type them — every apostrophe is ’ (U+2019) — through the
real Rasa server and the real action server (issue 12).

The trained model took « s’ », « m’ », « l’ » for a disability and sent the person to Cap emploi;
« un emploi en intérim » made a student a temp worker; « qu’est-ce que la V.A.E. ? » got no answer.
The person answers the bot's questions as typed too, until the bot names a door.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.conversation import Conversation, Turn
from tests.support.servers import Stack, running_stack

pytestmark = pytest.mark.e2e
MAX_ANSWERS = 6


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(tmp_path_factory.mktemp("typed")) as running:
        yield running


def until_door(conversation: Conversation, opening: str, answers: dict[str, str]) -> list[Turn]:
    """Say ``opening``, then answer each question whose text contains a key of ``answers``."""
    turns = [conversation.say(opening)]
    for _ in range(MAX_ANSWERS):
        if turns[-1].recommendation is not None:
            break
        reply = next((text for question, text in answers.items() if question in turns[-1].text), None)
        assert reply is not None, conversation.transcript()
        turns.append(conversation.say(reply))
    assert turns[-1].recommendation is not None, conversation.transcript()
    return turns


def no_cap_emploi(turns: list[Turn]) -> bool:
    return all((t.recommendation or {}).get("door") != "cap_emploi" for t in turns)


def test_using_one_s_cpf_is_not_a_disability(stack: Stack) -> None:
    conversation = Conversation(stack)
    turns = until_door(
        conversation,
        "Je voudrais savoir s’il est possible d’utiliser mon CPF",
        {
            "Quel est votre projet": "Je voudrais financer une formation avec mon CPF",
            "Quelle est votre situation": "Je suis salarié dans une entreprise d’informatique",
            "Êtes-vous cadre": "Non",
            "Quel âge": "J’ai 41 ans",
            "Dans quelle commune": "Orléans",
        },
    )
    assert no_cap_emploi(turns), conversation.transcript()
    assert turns[-1].recommendation["door"] == "cep_actifs", conversation.transcript()


def test_a_lost_job_goes_to_france_travail_not_cap_emploi(stack: Stack) -> None:
    conversation = Conversation(stack)
    turns = until_door(
        conversation,
        "J’ai perdu mon emploi, comment m’inscrire ?",
        {
            "Quelle est votre situation": "Je suis demandeur d’emploi",
            "Quel âge": "J’ai 38 ans",
            "Dans quelle commune": "Tours",
        },
    )
    assert no_cap_emploi(turns), conversation.transcript()
    assert turns[-1].recommendation["door"] == "france_travail", conversation.transcript()


def test_temp_work_looked_for_is_not_a_contract_nor_a_disability(stack: Stack) -> None:
    conversation = Conversation(stack)
    turns = until_door(
        conversation,
        "je cherche un emploi en intérim pour l’été",
        {
            "Quelle est votre situation": "Je suis étudiante à l’université",
            "Quel âge": "J’ai 20 ans",
            "Dans quelle commune": "Blois",
        },
    )
    # Before: « intérim » made her a temp worker and « l’ » a person with an RQTH (Cap emploi).
    assert no_cap_emploi(turns), conversation.transcript()
    assert not any("contrat" in t.text for t in turns), conversation.transcript()
    assert "intérim" not in turns[-1].text, conversation.transcript()


def test_a_disability_said_in_the_message_goes_to_cap_emploi(stack: Stack) -> None:
    conversation = Conversation(stack)
    turns = until_door(
        conversation,
        "J’ai la RQTH et je suis demandeur d’emploi, je cherche un travail adapté",
        {"Quel âge": "J’ai 45 ans", "Dans quelle commune": "Dreux"},
    )
    assert turns[-1].recommendation["door"] == "cap_emploi", conversation.transcript()


def test_a_dotted_acronym_question_is_answered_then_the_project_asked(stack: Stack) -> None:
    conversation = Conversation(stack)
    turn = conversation.say("qu’est-ce que la V.A.E. ?")
    assert "validation des acquis de l'expérience" in turn.text, conversation.transcript()
    assert "Quel est votre projet" in turn.text, conversation.transcript()


def test_is_it_free_after_the_answer_says_so_without_repeating_it(stack: Stack) -> None:
    conversation = Conversation(stack)
    until_door(
        conversation,
        "Je suis lycéenne en première et je ne sais pas quoi faire après le bac",
        {"Quel âge": "J’ai 16 ans", "Dans quelle commune": "Châteauroux"},
    )
    turn = conversation.say("c’est gratuit ?")
    assert turn.text.startswith("Oui, c'est gratuit"), conversation.transcript()
    assert turn.recommendation is None, conversation.transcript()


def test_the_sector_question_sends_a_craft_to_the_chamber_of_trades(stack: Stack) -> None:
    conversation = Conversation(stack)
    turns = until_door(
        conversation,
        "J’aimerais créer mon entreprise l’an prochain",
        {
            "Dans quel domaine est votre projet": "Artisanat",
            "Quelle est votre situation": "Je suis salarié",
            "Dans quelle commune": "Bourges",
        },
    )
    assert turns[-1].recommendation["door"] == "cma", conversation.transcript()
