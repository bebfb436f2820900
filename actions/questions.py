"""The questions themselves: one ask action per fact, so that a second failed answer turns the
question into an explanation, and ambiguous communes become buttons."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.forms import EXPLAIN_AFTER, INSEE_PREFIX
from bot.geo import gazetteer


class AskFact(Action):
    slot = ""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        failures = (tracker.get_slot("failures") or {}).get(self.slot, 0)
        if failures >= EXPLAIN_AFTER:
            dispatcher.utter_message(response=f"utter_explain_{self.slot}")
        else:
            self.ask(dispatcher, tracker)
        return []

    def ask(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        dispatcher.utter_message(response=f"utter_ask_{self.slot}")


class AskBesoin(AskFact):
    slot = "besoin"


class AskStatut(AskFact):
    slot = "statut"


class AskAge(AskFact):
    slot = "age"


class AskContrat(AskFact):
    slot = "contrat"


class AskCadre(AskFact):
    slot = "cadre"


class AskSecteur(AskFact):
    slot = "secteur"


class AskCommune(AskFact):
    slot = "commune"

    def ask(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        communes = gazetteer().communes
        candidates = [communes[c] for c in tracker.get_slot("commune_candidates") or [] if c in communes]
        if not candidates:
            super().ask(dispatcher, tracker)
            return
        buttons: list[dict[str, Any]] = [
            {
                "title": f"{c.name} ({c.postal_codes[0]})",
                "payload": f'/inform_commune{{"commune": "{INSEE_PREFIX}{c.insee}"}}',
            }
            for c in candidates
        ]
        buttons.append({"title": "Aucune de celles-ci", "payload": "/skip_question"})
        dispatcher.utter_message(response="utter_ask_commune_candidates", buttons=buttons)
