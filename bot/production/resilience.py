"""When the action server cannot answer, the person gets an apology and Etoile Info's number.

Rasa 3.6 logs a failed custom action and carries on in silence: the person sees no answer at all,
and the action server's timeout is five minutes. Here a custom action that fails for want of
its server (refused connection, 5xx from the proxy, no answer within
``SPRO_ACTION_TIMEOUT_SECONDS``) says ``utter_action_unavailable`` from the domain — the text
editors own, with the Etoile Info number — then listens: one apology per message, and the next
message tries the action server again, so the bot recovers as soon as the server is back.

One apology per message: a message runs several custom actions (slot validation, the form, its
question), and each would fail; only the first apologizes. The session start, run before the
message itself, falls back to Rasa's built-in one, silently. A refusal the action itself decides
(``ActionExecutionRejection``, used by forms) is not a failure and goes through unchanged.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from typing import Any

import rasa.core.actions.action as rasa_actions
import rasa.core.actions.forms as rasa_forms
from rasa.core.actions.action import (
    ActionExecutionRejection,
    ActionSessionStart,
    RemoteAction,
    create_bot_utterance,
)
from rasa.shared.core.constants import ACTION_SESSION_START_NAME
from rasa.shared.core.events import Event, FollowupAction
from rasa.shared.exceptions import RasaException

from bot.wording import say

logger = logging.getLogger(__name__)
APOLOGY_RESPONSE = "utter_action_unavailable"
APOLOGY_WHEN_NO_DOMAIN = say("errors.apology")
TIMEOUT_SECONDS = 10.0
REMEMBERED_MESSAGES = 10_000
_apologized: OrderedDict[tuple[str, str | None], None] = OrderedDict()


def first_failure_of_message(tracker: Any) -> bool:
    """Whether no apology was sent yet for the conversation's latest message (in this process)."""
    latest = tracker.latest_message
    key = (tracker.sender_id, latest.message_id if latest else None)
    if key in _apologized:
        return False
    _apologized[key] = None
    if len(_apologized) > REMEMBERED_MESSAGES:
        _apologized.popitem(last=False)
    return True


class ResilientRemoteAction(RemoteAction):
    """Rasa's remote action with a deadline and an apology instead of silence."""

    timeout_seconds: float = TIMEOUT_SECONDS

    async def run(self, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> list[Event]:
        try:
            return await asyncio.wait_for(super().run(output_channel, nlg, tracker, domain), self.timeout_seconds)
        except ActionExecutionRejection:
            raise
        except (RasaException, asyncio.TimeoutError) as error:
            cause = error.__cause__ or error.__context__
            logger.error(
                "action server unavailable: action=%s error=%s cause=%s status=%s",
                self.name(),
                type(error).__name__,
                type(cause).__name__ if cause else None,
                getattr(cause, "status", None),
            )
            if self.name() == ACTION_SESSION_START_NAME:
                return await ActionSessionStart().run(output_channel, nlg, tracker, domain)
            if not first_failure_of_message(tracker):
                return []
            message = await nlg.generate(APOLOGY_RESPONSE, tracker, output_channel.name()) or {
                "text": APOLOGY_WHEN_NO_DOMAIN
            }
            return [create_bot_utterance(dict(message)), FollowupAction("action_listen")]


def install(timeout_seconds: float = TIMEOUT_SECONDS) -> None:
    """Make Rasa build every custom action (forms' validations too) as a ``ResilientRemoteAction``."""
    ResilientRemoteAction.timeout_seconds = timeout_seconds
    rasa_actions.RemoteAction = ResilientRemoteAction
    rasa_forms.RemoteAction = ResilientRemoteAction
