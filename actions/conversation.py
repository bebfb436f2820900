"""Around the orientation itself: the session start, « Vouliez-vous dire… », starting over and erasure."""

from __future__ import annotations

import os

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, Restarted, SessionStarted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.orientation.vocabulary import vocabulary
from bot.privacy import erasure_event, retention_days

# Intents never proposed in « Vouliez-vous dire… » (they are not something a person « means »).
NOT_SUGGESTED = {"nlu_fallback", "out_of_scope", "affirm", "deny", "skip_question"}
SUGGESTIONS = 3
MIN_CONFIDENCE = 0.1


def retention_text() -> str:
    """The retention period in words, from the same setting the purge uses (docs/confidentialite.md)."""
    days = retention_days()
    return f"{days // 30} mois" if days % 30 == 0 else f"{days} jours"


def privacy_url() -> str:
    base = os.environ.get("SPRO_PUBLIC_URL", "http://localhost:5005").rstrip("/")
    return os.environ.get("SPRO_PRIVACY_URL", f"{base}/webchat/confidentialite")


class ActionSessionStart(Action):
    """Every new session opens with a greeting and a one-line privacy notice."""

    def name(self) -> str:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        dispatcher.utter_message(response="utter_welcome")
        dispatcher.utter_message(response="utter_privacy_notice", retention=retention_text(), privacy_url=privacy_url())
        return [SessionStarted(), ActionExecuted("action_listen")]


class ActionDefaultAskAffirmation(Action):
    """First stage of the two-stage fallback: the likeliest meanings as French buttons.

    The idea of RasaHQ's Sara (GPL), re-implemented: top intents above a floor, each with its
    entities re-sent in the payload, plus « Autre chose ».
    """

    def name(self) -> str:
        return "action_default_ask_affirmation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        vocab = vocabulary()
        ranking = tracker.latest_message.get("intent_ranking") or []
        buttons = []
        for entry in ranking:
            intent, confidence = entry.get("name"), entry.get("confidence", 0)
            label = vocab.intent_label(intent) if intent else None
            if intent in NOT_SUGGESTED or label is None or confidence < MIN_CONFIDENCE:
                continue
            buttons.append({"title": label, "payload": f"/{intent}"})
            if len(buttons) == SUGGESTIONS:
                break
        if not buttons:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        buttons.append({"title": "Autre chose", "payload": "/deny"})
        dispatcher.utter_message(response="utter_did_you_mean", buttons=buttons)
        return []


class ActionRestart(Action):
    """« Recommencer »: forget everything said so far and start again."""

    def name(self) -> str:
        return "action_restart"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        dispatcher.utter_message(response="utter_restarted")
        return [Restarted()]


class ActionDeleteData(Action):
    """Erasure after confirmation: ``erasure_event()`` asks the conversation store to delete every
    stored event of the conversation and the channels' records of the person
    (bot/stores/tracker_store.py); the Restarted event clears the current session too."""

    def name(self) -> str:
        return "action_delete_data"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        dispatcher.utter_message(response="utter_data_deleted")
        return [erasure_event(), Restarted()]
