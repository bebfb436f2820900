"""Qualifying questions: ask only what the deciding rule still needs, validate every answer.

Answers come from the NLU, from buttons, or from a typed ``/intent{...}``: all go through the
same validators. After two failed answers to the same question the bot explains why it asks and
offers to go on without it; a third failure drops the question, so the form never loops (the
failure cap of RasaHQ's financial-demo, rasa-sdk#317).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction, ValidationAction
from rasa_sdk.types import DomainDict

from actions import conversation_state as state
from bot.geo import Status, gazetteer
from bot.orientation import decide, missing_facts
from bot.orientation.facts import is_skip, parse_age, parse_choice, parse_flag
from bot.orientation.validators import EVIDENCED, contrat_in, screen, stated
from bot.orientation.vocabulary import vocabulary

# Slots filled from what the person says; each has a validate_<slot> below.
FACT_SLOTS = ("besoin", "statut", "age", "contrat", "commune", "handicap", "cadre", "secteur")
MAX_FAILURES = 3  # the third failed answer drops the question
EXPLAIN_AFTER = 2  # the second one makes the bot explain why it asks
MAX_CANDIDATE_BUTTONS = 10
# Intents that answer a question: only they count as a failed answer when they don't fit. Any
# other intent (help, « tu es un robot ? »…) is left to the rules, and the form resumes after.
# « bof » or « oui » to « Quel âge avez-vous ? » (out of scope, deny, affirm): in the middle of the
# questions, a failed answer — not a topic to decline, nor a yes/no to acknowledge.
ANSWER_INTENTS = {
    "inform_situation",
    "inform_age",
    "inform_commune",
    "nlu_fallback",
    "out_of_scope",
    "affirm",
    "deny",
}
INSEE_PREFIX = "insee:"
# Rasa's graph node that reads « /intent{entities} »: its entities are the payload's.
PAYLOAD_EXTRACTOR = "RegexMessageHandler"


class FactValidators:
    """Validation shared by the form and by the slots filled outside it (corrections)."""

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Validate every fact the last message set, not only the one asked for.

        « non, j'ai 27 ans » while the bot asks for the commune must still correct the age.
        """
        updates: dict[str, Any] = {}
        # A door-deciding value needs a cue in the message (bot.orientation.validators); the
        # facts the text states with a cue come in even when the NLU tagged nothing.
        requested = tracker.get_slot("requested_slot")
        extracted = {k: v for k, v in tracker.slots_to_validate().items() if k in FACT_SLOTS}
        to_validate = screen(extracted, _typed_text(tracker), requested)
        for name, value in stated({**tracker.slots, **to_validate}, _answer_text(tracker)).items():
            to_validate.setdefault(name, value)
        for name, value in to_validate.items():
            if value is None and name in EVIDENCED:  # a tag without evidence: what was known stays
                result: dict[str, Any] = {name: _before_message(tracker, name)}
            else:
                result = getattr(self, f"validate_{name}")(value, dispatcher, tracker)
            updates.update(result)
            tracker.slots.update(result)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        learnt = any(updates.get(name) is not None for name in FACT_SLOTS)
        if (
            requested
            and intent in ANSWER_INTENTS
            and requested not in to_validate
            and not learnt
            and requested in required_facts(tracker)
        ):
            # Nothing in the message answered anything: it counts, or the bot could ask forever.
            result = _fail(requested, tracker, dispatcher, None)
            updates.update(result)
            tracker.slots.update(result)
        return [SlotSet(name, value) for name, value in updates.items()]

    # -- one validator per fact ----------------------------------------------------------------

    def validate_besoin(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        if is_skip(value):
            return _decline("besoin", tracker)
        need = value if value in vocabulary().besoins else parse_choice("besoin", value)
        if need:
            return {"besoin": need, "recommendation": None}
        return _fail("besoin", tracker, dispatcher, "utter_invalid_besoin")

    def validate_statut(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        if is_skip(value):
            return _decline("statut", tracker)
        if "parent" in _entity_values(tracker, "statut"):
            # « mon fils est en 1ère »: the writer is the parent, whatever the child's situation.
            return {"statut": "parent"}
        # The NLU may tag a fragment (« demandeur ») that names nothing: the whole sentence
        # (« je suis demandeur d'emploi ») often does.
        for candidate in (value, _answer_text(tracker)):
            statut = parse_choice("statut", candidate)
            contrat = contrat_in(str(candidate)) if candidate is not None else None
            if statut:
                return {"statut": statut}
            if contrat:  # « je suis en CDD » answers the situation question: a salaried person
                return {"statut": "salarie", "contrat": contrat}
        return _fail("statut", tracker, dispatcher, "utter_invalid_statut")

    def validate_age(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        if is_skip(value):
            return _decline("age", tracker)
        age = parse_age(value)
        if age is not None:
            return {"age": age}
        return _fail("age", tracker, dispatcher, "utter_invalid_age")

    def validate_contrat(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        if is_skip(value):
            return _decline("contrat", tracker)
        # As for the situation: the NLU may tag a fragment, the whole answer often names the contract.
        contrat = parse_choice("contrat", value) or parse_choice("contrat", _answer_text(tracker))
        if contrat:
            result: dict[str, Any] = {"contrat": contrat}
            if not parse_choice("statut", tracker.get_slot("statut")):
                result["statut"] = "salarie"
            return result
        return _fail("contrat", tracker, dispatcher, "utter_invalid_contrat")

    def validate_handicap(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        return {"handicap": True if parse_flag(value) else None}

    def validate_cadre(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        """Asked only where it changes the door (rules.yml « ask »): « non » to the question is an answer."""
        if is_skip(value):
            return _decline("cadre", tracker)
        if parse_flag(value):
            return {"cadre": True}
        return {"cadre": False if tracker.get_slot("requested_slot") == "cadre" and value is not None else None}

    def validate_secteur(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        if is_skip(value):
            return _decline("secteur", tracker)
        secteur = value if value in vocabulary().secteurs else parse_choice("secteur", value)
        if secteur:
            return {"secteur": secteur}
        return _fail("secteur", tracker, dispatcher, None)

    def validate_commune(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        if is_skip(value):
            return {**_decline("commune", tracker), "commune_candidates": None}
        text = str(value or "")
        places = gazetteer()
        if text.startswith(INSEE_PREFIX) and text[len(INSEE_PREFIX) :] in places.communes:
            commune = places.communes[text[len(INSEE_PREFIX) :]]
            return _commune_found(commune)
        resolution = places.resolve(text)
        if resolution.status is Status.FOUND:
            return _commune_found(resolution.commune)
        if resolution.status is Status.AMBIGUOUS:
            if len(resolution.candidates) > MAX_CANDIDATE_BUTTONS:
                return _fail("commune", tracker, dispatcher, "utter_commune_too_many")
            failed = _fail("commune", tracker, dispatcher, None)
            failed["commune_candidates"] = [c.insee for c in resolution.candidates]
            return failed
        if resolution.status is Status.OUTSIDE:
            name = resolution.outside_names[0] if resolution.outside_names else text.strip()[:60]
            return _fail("commune", tracker, dispatcher, "utter_commune_outside", commune=name, always=True)
        return _fail("commune", tracker, dispatcher, "utter_commune_unknown", commune=text.strip()[:60])


def _before_message(tracker: Tracker, slot: str) -> Any:
    """The slot's value before the latest message (Rasa has already set it from the NLU's tag)."""
    seen_message = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_message = True
        elif seen_message and event.get("event") == "slot" and event.get("name") == slot:
            return event.get("value")
    return None


def _typed_text(tracker: Tracker) -> str | None:
    """What the person typed; None for a button payload or a typed ``/intent{…}`` that Rasa read
    as one. Text that only looks like a payload (« /besoin{"territory": …} ») is read by the NLU
    (bot/rasa_patches.py, « texte-commencant-par-barre »), whose entities name their extractor:
    it is screened like any typed text, so a stray tag on a quote mark sets no fact."""
    message = tracker.latest_message
    text = message.get("text") or ""
    extractors = {entity.get("extractor") for entity in message.get("entities") or []}
    read_as_payload = text.startswith("/") and extractors <= {None, PAYLOAD_EXTRACTOR}
    return None if read_as_payload else text


def _answer_text(tracker: Tracker) -> str | None:
    """The message's text when it is a request or an answer (not a button payload)."""
    intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
    text = _typed_text(tracker)
    if text is None or not (intent.startswith("besoin_") or intent in ANSWER_INTENTS):
        return None
    return text


def _commune_found(commune: Any) -> dict[str, Any]:
    return {
        "commune": commune.name,
        "commune_insee": commune.insee,
        "territory": commune.territory,
        "commune_candidates": None,
    }


def _decline(slot: str, tracker: Tracker) -> dict[str, Any]:
    declined = state.declined(tracker.slots) | {slot}
    return {slot: None, "declined": sorted(declined)}


def _entity_values(tracker: Tracker, entity: str) -> list[str]:
    return [str(e.get("value")) for e in tracker.latest_message.get("entities") or [] if e.get("entity") == entity]


def _fail(
    slot: str,
    tracker: Tracker,
    dispatcher: CollectingDispatcher,
    response: str | None,
    always: bool = False,
    **kwargs: Any,
) -> dict[str, Any]:
    """Say what went wrong and count it — for the question actually asked.

    An unasked fact the NLU misread in passing is dropped silently (« I want a job » is not a
    situation), unless the message is worth saying anyway (``always``: a place outside the region).
    """
    asked = slot == tracker.get_slot("requested_slot")
    if response and (asked or always) and not _said_since_last_message(tracker, response):
        dispatcher.utter_message(response=response, **kwargs)
    result: dict[str, Any] = {slot: None}
    if asked:
        failures = dict(tracker.get_slot("failures") or {})
        failures[slot] = int(failures.get(slot, 0)) + 1
        result["failures"] = failures
        if failures[slot] >= MAX_FAILURES:
            result.update(_decline(slot, tracker))
    return result


def _said_since_last_message(tracker: Tracker, response: str) -> bool:
    """Whether the bot already gave ``response`` to the latest message.

    A fact in the first message is validated twice in one turn: by the slot validation outside
    the form, then by the form as it starts. « j'habite à Paris… » got « Paris est en dehors de la
    région » twice.
    """
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "bot" and (event.get("metadata") or {}).get("utter_action") == response:
            return True
    return False


def required_facts(tracker: Tracker) -> list[str]:
    """The questions still to ask, in order; the commune only when it changes the answer."""
    slots = tracker.slots
    besoin = state.besoin(slots)
    declined = state.declined(slots)
    missing = list(missing_facts(state.rules(), state.profile(slots), besoin, declined))
    if missing or slots.get("commune_insee") or "commune" in declined:
        return missing
    rule = decide(state.rules(), state.profile(slots), besoin, declined).rule
    return ["commune"] if rule is not None and state.needs_territory(rule.door) else []


class ValidateOrientationForm(FactValidators, FormValidationAction):
    def name(self) -> str:
        return "validate_orientation_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        return required_facts(tracker)


class ValidateSlotMappings(FactValidators, ValidationAction):
    """Facts given outside the form (the first message, a later correction) are validated too."""

    def name(self) -> str:
        return "action_validate_slot_mappings"

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        # Rasa runs this after every message; while the form is active, the form validates
        # (twice would count each wrong answer twice and say so twice).
        if (tracker.active_loop or {}).get("name"):
            return []
        return await super().get_validation_events(dispatcher, tracker, domain)
