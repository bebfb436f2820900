"""The answer itself: the right door, its structure, the CEP step and the next steps.

Thin on purpose: the engine decides (bot.orientation), the directory finds (bot.directory),
bot.messages writes the French; this file only moves values between them and the tracker.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import conversation_state as state
from bot.messages import recommendation_text
from bot.orientation import recommend
from bot.orientation.vocabulary import vocabulary
from bot.presentation import Contact, contact
from bot.wording import say


class ActionRecommend(Action):
    def name(self) -> str:
        return "action_recommend"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        besoin = state.besoin(tracker.slots) or state.DEFAULT_NEED
        rec = recommend(
            state.rules(), state.profile(tracker.slots), besoin, state.place(tracker.slots), state.find_structure
        )
        payload = rec.as_payload()
        if payload == tracker.get_slot("recommendation"):
            # A detail that changes nothing (« j'ai 34 ans » after the answer): say so briefly.
            dispatcher.utter_message(response="utter_recommendation_unchanged", door=vocabulary().door_label(rec.door))
        else:
            dispatcher.utter_message(text=recommendation_text(rec), json_message=payload)
        dispatcher.utter_message(response="utter_recommendation_buttons")
        return [SlotSet("recommendation", payload), SlotSet("failures", None), SlotSet("commune_candidates", None)]


def _contact(tracker: Tracker) -> Contact | None:
    payload = tracker.get_slot("recommendation")
    return contact(payload.get("structure")) if isinstance(payload, dict) else None


class ActionShowContact(Action):
    """« Coordonnées »: every detail the directory has, and where to find the rest."""

    def name(self) -> str:
        return "action_show_contact"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        if not tracker.get_slot("recommendation"):
            dispatcher.utter_message(response="utter_no_recommendation_yet")
            return []
        shown = _contact(tracker)
        if shown is None:
            dispatcher.utter_message(text=say("contact.no_structure"))
            return []
        lines = shown.lines()
        lines.append(say("contact.hours") if shown.phone or shown.email or shown.site else say("contact.unknown"))
        dispatcher.utter_message(text="\n".join(lines))
        return []


class ActionHandoff(Action):
    """A person to talk to: the regional line, and the structure itself when its number is known."""

    def name(self) -> str:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        dispatcher.utter_message(response="utter_handoff")
        shown = _contact(tracker)
        if shown and shown.phone:
            dispatcher.utter_message(text=say("contact.call_directly", name=shown.name, phone=shown.phone))
        return []


class ActionOtherQuestion(Action):
    """A new question keeps what the person said about themselves, and forgets the old need."""

    def name(self) -> str:
        return "action_other_question"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        dispatcher.utter_message(response="utter_ask_other_question")
        reset: dict[str, Any] = {"besoin": None, "recommendation": None, "failures": None, "commune_candidates": None}
        declined = sorted(state.declined(tracker.slots) - {"besoin"})
        return [SlotSet(k, v) for k, v in reset.items()] + [SlotSet("declined", declined)]
