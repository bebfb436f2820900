"""Generated conversations whose every indicator is known in advance (tests/report)."""

from __future__ import annotations

from datetime import datetime

from bot.report import TIMEZONE, Period
from tests.support.store_data import Say, Session, Slot, recommendation

PERIOD = Period(datetime(2026, 10, 5, tzinfo=TIMEZONE), datetime(2026, 10, 8, tzinfo=TIMEZONE))
SALT = "un sel de test assez long"


def paris(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TIMEZONE)


SESSIONS = [
    # A: salaried, reconversion, recommended after 2 messages.
    Session(
        "web-1",
        paris("2026-10-05T10:00"),
        "rest",
        [
            Say("je veux changer de métier", "besoin_reconversion"),
            Slot("besoin", "reconversion"),
            Say("je suis salarié en CDI", "inform_situation"),
            recommendation("cep_actifs", "tours"),
        ],
    ),
    # B: a parent on WhatsApp, one message not understood (with a phone number), 4 messages.
    Session(
        "33612345678",
        paris("2026-10-05T14:00"),
        "whatsapp",
        [
            Say("mon fils a arrêté le lycée", "besoin_decrochage"),
            Slot("besoin", "decrochage"),
            Say("il a 17 ans", "inform_age"),
            Say("xqzw  06 12 34 56 78", "nlu_fallback"),
            Slot("commune", "Vierzon"),
            Say("Vierzon", "inform_commune"),
            recommendation("mission_locale", "vierzon"),
        ],
    ),
    # C: the same person the next day: a new conversation, no need, one button click.
    Session(
        "33612345678",
        paris("2026-10-06T09:00"),
        "whatsapp",
        [Say("bonjour", "greet"), Say("blablabla", "nlu_fallback"), Say("/affirm", "affirm")],
    ),
    # D: two needs, a correction of the commune: two recommendations, the second one repeated.
    Session(
        "fb-1",
        paris("2026-10-06T11:00"),
        "facebook",
        [
            Say("comment financer ma formation", "besoin_financement_formation"),
            Slot("besoin", "financement_formation"),
            Say("/besoin_reconversion", "besoin_reconversion"),
            Slot("besoin", "reconversion"),
            recommendation("france_travail", "orleans"),
            Say("en fait j'habite à Montargis", "inform_commune"),
            recommendation("france_travail", "montargis_gien"),
            recommendation("france_travail", "montargis_gien"),
        ],
    ),
    # E: the person would not say the need: the general answer, no territory.
    Session(
        "web-2",
        paris("2026-10-07T16:00"),
        "rest",
        [Say("passer", "skip_question"), Slot("declined", ["besoin"]), recommendation("etoile_info", None)],
    ),
    # F: never understood; a raw, unvalidated slot value is not a need.
    Session(
        "web-3",
        paris("2026-10-07T17:00"),
        "rest",
        [Say("euh", "nlu_fallback"), Slot("besoin", "je sais pas"), Say("euh", "nlu_fallback")],
    ),
    # G: 23:30 in Paris on 4 October: before the period.
    Session(
        "web-4",
        datetime.fromisoformat("2026-10-04T21:30:00+00:00"),
        "socketio",
        [Say("faire une VAE", "besoin_vae"), Slot("besoin", "vae"), recommendation("vae", "chinon")],
    ),
    # H: 00:30 in Paris on 5 October: in the period, on the 5th.
    Session(
        "web-5",
        datetime.fromisoformat("2026-10-04T22:30:00+00:00"),
        "socketio",
        [Say("Je cherche un emploi, mon mail est jean.dupont@exemple.fr", "nlu_fallback")],
    ),
    # I: 00:10 in Paris on 8 October: after the period.
    Session("web-6", paris("2026-10-08T00:10"), "rest", [Say("l'apprentissage", "besoin_apprentissage")]),
    # J: the widget opened, nothing said: not a conversation.
    Session("web-7", paris("2026-10-06T12:00"), "socketio"),
]
