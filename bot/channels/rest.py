"""Rasa's REST channel, strict about what it accepts and quiet about what people write.

Rasa 3.6's own REST channel answers 500 to a JSON body that is a list or a number, lets the
client choose ``input_channel``, and logs the message text when a turn fails. Here:

- the body must be a JSON object with ``sender`` (a short string) and ``message`` (a non-blank
  string), ``metadata`` an object when present; anything else is refused with 400 and a French
  reason, before any NLU runs;
- ``input_channel`` is always ``rest``, and the conversation is ``rest:<sender>``
  (``bot.stores.scopes``): a REST client cannot reach a WhatsApp person's conversation by
  sending their phone number as ``sender``;
- ``metadata`` keeps only the widget's whitelist (``bot.channels.metadata``);
- when ``SPRO_REST_TOKEN`` is set, a request without that token in the ``X-Spro-Token`` header
  is refused with 403 (the production nginx closes the route otherwise: docs/deploiement.md);
- a turn that fails inside the bot (database or Redis down) answers 503 with a French apology;
- the access log is one JSON line with the sender's keyed pseudonym (``bot.privacy.pseudonym``
  with ``SPRO_ANALYTICS_SALT``: a plain hash of a phone number is reversed by hashing every
  number), sizes and timing — never the text.

Length: a message longer than the NLU guard's limit is answered politely by the guard
(« message trop long »), as on the widget. Beyond ``KEPT_CHARACTERS`` it is cut to that length
first: the guard's answer is the same, and the NLU never spends seconds on 100,000 characters
(8 s measured here) nor the database stores them. Bodies above the server's size limit never get
this far (413, ``bot.rasa_patches``).
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import time
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.metadata import kept_metadata
from bot.messages import TECHNICAL_ERROR
from bot.nlu.guard import KEPT_CHARACTERS
from bot.privacy import analytics_salt, pseudonym
from bot.stores.scopes import scoped

logger = logging.getLogger("spro.access")
logger.setLevel(logging.INFO)  # the access log is wanted whatever Rasa's own log level
MAX_SENDER_CHARACTERS = 128
TOKEN_VARIABLE = "SPRO_REST_TOKEN"
TOKEN_HEADER = "X-Spro-Token"
# Read once: the same sender keeps the same pseudonym for the life of the process.
ACCESS_LOG_SALT = analytics_salt()[0]


class BadRequest(ValueError):
    """A body the channel refuses; the message is the French reason sent back."""


def read_body(request: Request) -> tuple[str, str, dict[str, str]]:
    """``(sender, message, metadata)`` from a REST body, or ``BadRequest``."""
    try:
        body = request.json
    except InvalidUsage as error:
        raise BadRequest("Le corps de la requête n'est pas du JSON valide.") from error
    if not isinstance(body, dict):
        raise BadRequest('Le corps de la requête doit être un objet JSON : {"sender": "…", "message": "…"}.')
    sender, message, metadata = body.get("sender"), body.get("message"), body.get("metadata")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARACTERS:
        raise BadRequest(
            f"« sender » doit être un identifiant de conversation de 1 à {MAX_SENDER_CHARACTERS} caractères."
        )
    if not sender.isprintable():
        raise BadRequest("« sender » ne doit pas contenir de caractères de contrôle.")
    if not isinstance(message, str):
        raise BadRequest("« message » doit être un texte.")
    if not message.strip():
        raise BadRequest("Le message est vide : écrivez votre question en quelques mots.")
    if metadata is not None and not isinstance(metadata, dict):
        raise BadRequest("« metadata » doit être un objet JSON.")
    try:  # JSON allows a lone surrogate (\ud83d); no database stores it
        json.dumps([sender, message, metadata], ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as error:
        raise BadRequest("Le message contient des caractères invalides (UTF-8 incomplet).") from error
    return sender, message[:KEPT_CHARACTERS], kept_metadata(metadata)


def authorised(request: Request) -> bool:
    """True when no ``SPRO_REST_TOKEN`` is set, or the request carries it (compared in constant time)."""
    token = os.environ.get(TOKEN_VARIABLE, "")
    given = request.headers.get(TOKEN_HEADER) or ""
    return not token or hmac.compare_digest(given.encode(), token.encode())


def access_log(sender: str, status: int, characters: int, replies: int, started: float) -> None:
    logger.info(
        json.dumps(
            {
                "event": "rest.turn",
                "conversation": pseudonym(sender, ACCESS_LOG_SALT),
                "status": status,
                "characters": characters,
                "replies": replies,
                "ms": round((time.monotonic() - started) * 1000),
            }
        )
    )


class StrictRestInput(RestInput):
    """Same URL as Rasa's (``/webhooks/rest/webhook``), same answer: the list of bot messages."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = Blueprint("strict_rest_webhook", __name__)

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @blueprint.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            started = time.monotonic()
            if not authorised(request):
                return response.json({"error": "Accès refusé."}, status=403)
            try:
                sender, text, metadata = read_body(request)
            except BadRequest as error:
                return response.json({"error": str(error)}, status=400)
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(text, collector, scoped("rest", sender), input_channel="rest", metadata=metadata)
                )
            except Exception as error:
                logger.error(json.dumps({"event": "rest.failure", "error": type(error).__name__}))
                access_log(sender, 503, len(text), 0, started)
                return response.json([{"recipient_id": sender, "text": TECHNICAL_ERROR}], status=503)
            access_log(sender, 200, len(text), len(collector.messages), started)
            # The client knows its conversation as ``sender``, not by its scoped id.
            return response.json([{**message, "recipient_id": sender} for message in collector.messages])

        return blueprint
