"""Whole conversations with the real Rasa server and the real action server, over HTTP (REST).

Each scripted conversation is written the way a person would type it; the assertions are what
that person would notice: the door, the territory, the CEP step and the key French sentence,
in at most four questions of the bot's own.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.conversation import Conversation, Turn
from tests.support.servers import Stack, running_stack

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(tmp_path_factory.mktemp("e2e")) as running:
        yield running


@dataclass(frozen=True)
class Script:
    name: str
    messages: tuple[str, ...]
    door: str
    territory: str | None
    cep_level: int | None
    sentence: str


SCRIPTS = [
    Script(
        "seed 1: a young dropout",
        (
            "Bonjour, j'ai arrêté l'école depuis plus d'un an. Je veux pas y retourner mais je veux m'en sortir",
            "19 ans",
            "Vierzon",
        ),
        "mission_locale",
        "vierzon",
        2,
        "La Mission locale accompagne les jeunes de 16 à 25 ans",
    ),
    Script(
        "seed 2: a woman under 26 on a CDD",
        # A salaried person is asked whether they are a cadre (the Apec's public): not here.
        ("Bonjour, je suis en CDD jusqu'au 31 décembre, j'ai 24 ans. Qu'est-ce que je peux faire après ?", "Non"),
        "cep_actifs",
        None,
        2,
        "le conseil en évolution professionnelle (CEP) est fait pour vous",
    ),
    Script(
        "seed 3: a pupil of 16 in première",
        ("Je suis en 1ère, j'ai 16 ans et je me pose des questions sur mes études après le bac", "Issoudun"),
        "cio",
        "issoudun",
        None,
        "le CIO est votre interlocuteur de référence",
    ),
    Script(
        "a jobseeker of 35",
        ("Je cherche du travail, je suis inscrit à France Travail", "35 ans", "Chartres"),
        "france_travail",
        "chartres",
        2,
        "France Travail (ex-Pôle emploi) vous accompagne",
    ),
    Script(
        "a young jobseeker",
        ("je suis au chômage, j'ai 22 ans et je trouve pas de boulot", "Montargis"),
        "mission_locale",
        "montargis_gien",
        2,
        "Mission locale",
    ),
    Script(
        "resignation to retrain on a permanent contract",
        ("Je suis salarié en CDI depuis 8 ans et je voudrais démissionner pour me reconvertir", "Non"),
        "cep_actifs",
        None,
        2,
        "Ne démissionnez pas avant d'avoir fait valider votre projet",
    ),
    Script(
        "VAE of an employee",
        ("Je voudrais faire une VAE pour avoir mon diplôme d'aide-soignante", "je suis salariée"),
        "vae",
        None,
        None,
        "vae.gouv.fr",
    ),
    Script(
        "a civil servant changing job",
        ("Je suis fonctionnaire territorial et je veux changer de métier",),
        "employeur_public",
        None,
        2,
        "Les agents publics bénéficient du conseil en évolution professionnelle de leur employeur",
    ),
    Script(
        "a jobseeker with RQTH in Eure-et-Loir",
        # No public source gives Cap emploi's local offices: the commune is not asked.
        ("J'ai la RQTH et je suis demandeur d'emploi, je cherche un travail adapté",),
        "cap_emploi",
        None,
        2,
        "Cap emploi accompagne les personnes reconnues travailleurs handicapés",
    ),
    Script(
        "a manager's skills assessment",
        ("Je suis cadre dans l'industrie et je voudrais faire un bilan de compétences", "Orléans"),
        "apec",
        "orleans",
        2,
        "L'Apec conseille gratuitement les cadres",
    ),
    Script(
        "creating a business",
        ("je veux créer mon entreprise de plomberie", "Bourges"),  # a craft: the CMA, not the CCI
        "cma",
        "bourges",
        None,
        "chambre de métiers et de l'artisanat",
    ),
    Script(
        "basic skills",
        ("J'ai du mal à lire et à écrire, je voudrais progresser",),
        "cria",
        None,
        None,
        "0 800 222 100",
    ),
    Script(
        "youth information",
        ("je cherche un job d'été et un logement pour la rentrée", "Tours"),
        "information_jeunesse",
        "tours",
        None,
        "L'Information Jeunesse",
    ),
    Script(
        "a student changing course",
        ("Je suis étudiante en licence de droit et je veux changer de filière", "Tours"),
        "suio",
        "tours",
        None,
        "le service d'orientation de votre université (SUIO)",
    ),
    Script(
        "a parent whose daughter left the lycée",
        ("Ma fille de 17 ans a arrêté le lycée, qu'est-ce qu'elle peut faire ?", "Tours"),
        "mission_locale",
        "tours",
        2,
        "Entre 16 et 18 ans, la formation est obligatoire",
    ),
    Script(
        "the old name Fongecif",
        ("Je voudrais faire un CIF avec le Fongecif", "je suis salarié"),
        "transitions_pro",
        None,
        None,
        "Transitions Pro examine et finance les dossiers",
    ),
    Script(
        "paying for a training with the CPF",
        ("Comment financer ma formation avec mon CPF ? Je suis salarié dans le commerce", "non"),
        "cep_actifs",
        None,
        2,
        "moncompteformation.gouv.fr",
    ),
    Script(
        "apprenticeship after leaving the lycée",
        ("Je veux faire un apprentissage, j'ai 18 ans et je suis sans emploi depuis que j'ai quitté le lycée", "Blois"),
        "mission_locale",
        "loir_et_cher",
        2,
        "Mission locale",
    ),
    Script(
        "a self-employed person retraining",
        ("Je suis auto-entrepreneur et je veux me reconvertir",),
        "cep_actifs",
        None,
        2,
        "gratuit et confidentiel",
    ),
    Script(
        "someone who does not know where to go",
        (
            "Je ne sais pas à qui m'adresser pour mon avenir professionnel",
            "je suis demandeur d'emploi",
            "40",
            "Bourges",
        ),
        "france_travail",
        "bourges",
        1,
        "France Travail",
    ),
    Script(
        "a postal code as commune",
        ("Mon fils a 15 ans, il veut quitter le collège", "37000"),
        "cio",
        "tours",
        None,
        "Avant 16 ans, l'instruction est obligatoire",
    ),
    Script(
        "a pupil asking about summer jobs",
        ("Je suis lycéen et je cherche un job pour l'été", "Blois"),
        "information_jeunesse",
        "loir_et_cher",
        None,
        "Information Jeunesse",
    ),
    Script(
        "a temp worker who wants to resign",
        ("Je suis intérimaire et je veux démissionner pour me reconvertir",),
        "cep_actifs",
        None,
        2,
        "réservée aux salariés en CDI",
    ),
    Script(
        "a dropout who says he is no longer at the lycée, then types a button's title",
        ("jsuis plus au lycée depuis l'an dernier et je sais pas quoi faire", "Sorti de l'école", "18 ans", "Bourges"),
        "mission_locale",
        "bourges",
        2,
        "Mission locale",
    ),
    Script(
        "a fixed-term contract spelt out in full, then the project",
        (
            "Mon contrat à durée déterminée se termine en juin, j'ai 23 ans. Et après, je fais quoi ?",
            "changer de métier",
            "Non",
        ),
        "cep_actifs",
        None,
        2,
        "le conseil en évolution professionnelle (CEP) est fait pour vous",
    ),
]


def answer_questions(conversation: Conversation, messages: tuple[str, ...]) -> Turn:
    turn = None
    for message in messages:
        turn = conversation.say(message)
    assert turn is not None
    return turn


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.name for s in SCRIPTS])
def test_scripted_conversation_reaches_the_right_door(stack: Stack, script: Script) -> None:
    conversation = Conversation(stack)
    turn = answer_questions(conversation, script.messages)
    payload = turn.recommendation
    assert payload is not None, conversation.transcript()
    assert payload["door"] == script.door, conversation.transcript()
    assert payload["territory"] == script.territory, conversation.transcript()
    assert payload["cep_level"] == script.cep_level, conversation.transcript()
    assert script.sentence in turn.text, conversation.transcript()
    assert conversation.questions_asked() <= 4
    assert turn.button_titles[-3:] == ["Coordonnées", "Une autre question", "Parler à quelqu'un"]


def test_the_first_message_gets_the_greeting_and_the_privacy_notice(stack: Stack) -> None:
    turn = Conversation(stack).say("Bonjour")
    assert turn.text.startswith("Bonjour ! Je suis l'assistant du Service public régional de l'orientation")
    assert "effacés au bout de 6 mois" in turn.text
    assert "/webchat/confidentialite" in turn.text
    assert "Choisir mes études" in turn.button_titles


def test_facts_given_up_front_are_not_asked_again(stack: Stack) -> None:
    conversation = Conversation(stack)
    turn = conversation.say(
        "J'ai 19 ans, j'habite à Vierzon et j'ai arrêté le lycée l'an dernier, je sais pas quoi faire"
    )
    assert turn.recommendation is not None, conversation.transcript()
    assert (turn.recommendation["door"], turn.recommendation["territory"]) == ("mission_locale", "vierzon")
    assert conversation.questions_asked() == 0


def test_a_correction_after_the_answer_updates_the_recommendation(stack: Stack) -> None:
    conversation = Conversation(stack)
    answer_questions(conversation, ("Je cherche un emploi, j'ai 30 ans", "Chartres"))
    turn = conversation.say("en fait j'habite à Blois")
    assert turn.recommendation is not None, conversation.transcript()
    assert (turn.recommendation["door"], turn.recommendation["territory"]) == ("france_travail", "loir_et_cher")


def test_a_correction_of_age_during_the_questions(stack: Stack) -> None:
    conversation = Conversation(stack)
    conversation.say("je cherche du boulot")
    conversation.say("22 ans")
    turn = conversation.say("non pardon, j'ai 27 ans")
    assert "Dans quelle commune" in turn.text, conversation.transcript()
    turn = conversation.say("Orléans")
    assert turn.recommendation["door"] == "france_travail", conversation.transcript()


def test_an_ambiguous_commune_gives_buttons_and_a_click_settles_it(stack: Stack) -> None:
    conversation = Conversation(stack)
    conversation.say("Je suis lycéen et je ne sais pas quelle orientation choisir")
    turn = conversation.say("Saint-Amand")
    assert "Plusieurs communes correspondent" in turn.text
    assert {"Saint-Amand-Montrond (18200)", "Saint-Amand-Longpré (41310)"} <= set(turn.button_titles)
    payload = next(b["payload"] for b in turn.buttons if b["title"].startswith("Saint-Amand-Montrond"))
    turn = conversation.say(payload)
    assert turn.recommendation["territory"] == "saint_amand_montrond", conversation.transcript()


def test_a_commune_outside_the_region_is_said_kindly_and_the_person_can_go_on(stack: Stack) -> None:
    conversation = Conversation(stack)
    conversation.say("Je suis lycéenne et je cherche une orientation")
    turn = conversation.say("Paris")
    assert "Paris est en dehors de la région Centre-Val de Loire" in turn.text
    assert "1jeune1solution.gouv.fr" in turn.text
    assert "Passer la question" in turn.button_titles
    turn = conversation.say("/skip_question")
    assert turn.recommendation is not None, conversation.transcript()
    assert (turn.recommendation["door"], turn.recommendation["territory"]) == ("cio", None)


def test_a_commune_outside_the_region_in_the_first_message_is_said_once(stack: Stack) -> None:
    conversation = Conversation(stack)
    turn = conversation.say("j'habite à Paris et je cherche du travail")
    assert turn.text.count("Paris est en dehors de la région Centre-Val de Loire") == 1, conversation.transcript()
    assert "Quel âge avez-vous ?" in turn.text, conversation.transcript()


def test_three_wrong_answers_never_loop(stack: Stack) -> None:
    conversation = Conversation(stack)
    conversation.say("j'ai quitté l'école et je sais pas quoi faire de ma vie")
    first = conversation.say("bof")
    assert "Quel âge avez-vous" in first.text, conversation.transcript()
    second = conversation.say("euh")
    assert (
        "Je vous demande l'âge parce que certaines structures accueillent seulement les jeunes de 16 à 25 ans"
        in second.text
    )
    assert "Passer la question" in second.button_titles
    third = conversation.say("???")
    assert "Quel âge" not in third.text, conversation.transcript()
    final = third if third.recommendation else conversation.say("Vierzon")
    assert final.recommendation["door"] == "mission_locale", conversation.transcript()


def test_a_question_in_the_middle_of_the_form_is_answered_then_the_form_resumes(stack: Stack) -> None:
    conversation = Conversation(stack)
    conversation.say("Je veux reprendre des études, j'ai 20 ans et j'ai arrêté le lycée")
    turn = conversation.say("tu es un robot ?")
    assert "Je suis un assistant automatique" in turn.text
    assert "Dans quelle commune habitez-vous" in turn.text
    turn = conversation.say("Loches")
    assert turn.recommendation["territory"] == "loches"


def test_contact_details_handoff_and_another_question(stack: Stack) -> None:
    conversation = Conversation(stack)
    answer_questions(conversation, ("je suis demandeur d'emploi, j'ai 45 ans et je cherche un poste", "Vierzon"))
    contact = conversation.say("/ask_contact")
    assert "39 49" in contact.text
    handoff = conversation.say("je voudrais parler à un conseiller")
    assert "Etoile Info au 0 800 222 100" in handoff.text
    other = conversation.say("/ask_other_question")
    assert "Quelle est votre question ?" in other.text
    turn = conversation.say("je veux faire une VAE")
    assert turn.recommendation["door"] == "vae", conversation.transcript()


def test_erasure_after_confirmation_leaves_no_event(stack: Stack) -> None:
    conversation = Conversation(stack)
    answer_questions(conversation, ("Je suis salariée et je veux changer de métier",))
    ask = conversation.say("supprimez mes données")
    assert "Voulez-vous vraiment effacer cette conversation" in ask.text
    done = conversation.say("oui")
    assert "ont été effacés" in done.text
    with sqlite3.connect(Path(stack.workdir) / "conversations.db") as db:
        left = db.execute("SELECT count(*) FROM events WHERE sender_id = ?", (conversation.sender,)).fetchone()[0]
    assert left == 0


def test_restart_forgets_the_need(stack: Stack) -> None:
    conversation = Conversation(stack)
    answer_questions(conversation, ("Je suis salarié et je veux changer de métier",))
    turn = conversation.say("/restart")
    assert "C'est reparti" in turn.text
    turn = conversation.say("j'ai 19 ans")
    assert "Quel est votre projet" in turn.text, conversation.transcript()


BAD_INPUTS = {
    "empty": "",
    "10,000 characters": "je cherche une formation " * 400,
    "emoji only": "😀🎉👍",
    "English": "Hello, I am looking for a job, can you help me please?",
    "HTML": "<script>alert('x')</script><img src=x onerror=alert(1)>",
    "SQL-looking": "'; DROP TABLE events; --",
    "forged intent with a huge age": '/inform_age{"age": 999}',
    "forged intent with a script": '/inform_situation{"statut": "<script>alert(1)</script>"}',
    "forged intent setting a reserved slot": '/besoin_vae{"territory": "vierzon", "recommendation": "x"}',
    "forged unknown intent": "/pirater_le_bot",
    "control characters": "bonjour\x00\x1b[31m\u202e",
}


@pytest.mark.parametrize("text", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_gets_a_polite_french_answer_and_the_conversation_goes_on(stack: Stack, text: str) -> None:
    conversation = Conversation(stack)
    conversation.say("Bonjour")
    turn = conversation.say(text)
    assert turn.text, f"no answer to {text[:40]!r}"
    assert any(word in turn.text.lower() for word in ("vous", "votre")), turn.text
    assert "Traceback" not in turn.text and "<script>" not in json.dumps(turn.messages)
    follow = conversation.say("Je suis lycéen et je cherche une orientation")
    assert "Dans quelle commune" in follow.text or follow.recommendation, conversation.transcript()


def test_forged_slots_are_validated_like_any_answer(stack: Stack) -> None:
    conversation = Conversation(stack)
    turn = conversation.say("/besoin_decrochage")
    assert "Quelle est votre situation" in turn.text
    turn = conversation.say('/inform_situation{"statut": "<script>alert(1)</script>"}')
    assert "Je n'ai pas bien compris votre situation" in turn.text
    turn = conversation.say('/inform_situation{"statut": "jeune_sans_activite"}')
    assert "Quel âge avez-vous" in turn.text
    turn = conversation.say('/inform_age{"age": 999}')
    assert "Je n'ai pas compris cet âge" in turn.text
    turn = conversation.say('/inform_age{"age": 19}')
    assert "Dans quelle commune" in turn.text
    turn = conversation.say('/inform_commune{"commune": "insee:99999"}')
    assert "Je ne trouve pas la commune" in turn.text
    # « territory » is no entity: the whole text is read as words (the NLU has tagged its quote marks
    # as a disability), and neither a territory nor a disability comes of it.
    turn = conversation.say('/besoin_decrochage{"territory": "t42"}')
    assert turn.recommendation is None, "a reserved slot must not be settable from the outside"
    assert "Je ne trouve pas la commune" in turn.text  # still asking for the commune
    turn = conversation.say('/inform_commune{"commune": "insee:18279"}')
    assert (turn.recommendation["door"], turn.recommendation["territory"]) == ("mission_locale", "vierzon")
    assert turn.recommendation["door"] != "cap_emploi"
