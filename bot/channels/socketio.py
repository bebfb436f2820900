"""The web widget's channel: Rasa 3.6's Socket.IO channel with its defects fixed, plus the widget's files.

What Rasa's ``SocketIOInput`` gets wrong (``docs/architecture.md`` § 7), fixed here:

- ``enter_room`` is a coroutine since python-socketio 5.10 and Rasa never awaits it, so with
  ``session_persistence`` the person never gets an answer;
- the Socket.IO server is built with ``cors_allowed_origins=[]``, which switches every origin
  check off: any site could embed the bot. Here only the origins of ``WEBCHAT_ALLOWED_ORIGINS``
  may connect, by websocket and by polling alike;
- a custom payload is spread into ``emit()``'s keyword arguments, which raises for any payload
  without a ``data`` key (the recommendation); here every message goes through the shared
  rendering layer (``bot.channels.render.web``);
- there is no limit on a message's length: here longer than ``MAX_MESSAGE_CHARS`` gets a polite
  answer and never reaches the NLU.

The same blueprint serves the widget (``/webchat/widget.js`` and what it loads) and the privacy
page the session-start message links to, so the script and the socket share one origin.
"""

from __future__ import annotations

import logging
import os
import re
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.metadata import kept_metadata
from bot.channels.privacy_page import privacy_page
from bot.channels.render import normalize
from bot.channels.render.web import web_event
from bot.messages import TECHNICAL_ERROR
from bot.stores.scopes import scoped, unscoped
from bot.text import well_formed
from bot.wording import say

logger = logging.getLogger(__name__)

# The widget's textarea has the same limit (maxlength in bot/web/widget.js).
MAX_MESSAGE_CHARS = 1000
TOO_LONG = say("errors.too_long", limit=f"{MAX_MESSAGE_CHARS:,}".replace(",", "\u202f"))
# Ids the server generates are uuid4().hex; anything short or odd is replaced by a fresh one,
# because the id is the only secret of a conversation (channels.md §1.2.3).
SESSION_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")
TURN_COMPLETE_EVENT = "turn_complete"

WEB_DIR = Path(__file__).resolve().parents[1] / "web"
# URL path → (file, content type). Only these files are served: nothing else of bot/web.
ASSETS = {
    "widget.js": ("widget.js", "text/javascript; charset=utf-8"),
    "widget.css": ("widget.css", "text/css; charset=utf-8"),
    "page.css": ("page.css", "text/css; charset=utf-8"),
    "socket.io.esm.min.js": ("vendor/socket.io-client/socket.io.esm.min.js", "text/javascript; charset=utf-8"),
}


def allowed_origins(value: str | None) -> list[str]:
    """``WEBCHAT_ALLOWED_ORIGINS``: comma-separated origins (« https://www.exemple.fr »).

    Unset, no site may open the widget: there is no default a deployment could forget to
    replace (``make run`` sets its demo page, scripts/run.sh; production refuses to start
    without it, ``bot.production.settings``)."""
    return [origin.strip().rstrip("/") for origin in (value or "").split(",") if origin.strip()]


class WebchatOutput(SocketIOOutput):
    """Sends each bot message as one ``bot_uttered`` event built by the shared rendering layer."""

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """``recipient_id`` is the conversation id (``bot.stores.scopes``); the room is the session."""
        event = web_event(normalize(message))
        if event:
            await self._send_message(unscoped("socketio", recipient_id), event)


class WebchatBlueprint(Blueprint):
    """Rasa mounts a channel's blueprint under ``/webhooks/socketio``; the widget's files must be
    at ``/webchat``. This blueprint registers the channel's own one where Rasa asks, and itself at
    its own prefix."""

    def __init__(self, channel_blueprint: Blueprint) -> None:
        super().__init__("webchat", url_prefix="/webchat")
        self.ctx.channel_blueprint = channel_blueprint

    def register(self, app: Sanic, options: dict[str, Any]) -> None:
        app.blueprint(self.ctx.channel_blueprint, **options)
        super().register(app, {**options, "url_prefix": self.url_prefix})


class WebchatInput(SocketIOInput):
    """Registered in ``credentials.yml`` as ``bot.channels.socketio.WebchatInput``; ``name()``
    stays ``socketio`` so that channel-specific responses keep working."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed_origins = allowed_origins(os.environ.get("WEBCHAT_ALLOWED_ORIGINS"))

    def get_output_channel(self) -> OutputChannel | None:
        return WebchatOutput(self.sio, self.bot_message_evt) if self.sio else super().get_output_channel()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        channel_blueprint = super().blueprint(on_new_message)
        sio = self.sio
        # Engine.IO checks the Origin header of the handshake (websocket and polling) against
        # this list, answers 400 to others, and sends the CORS headers polling needs. An empty
        # list would switch the check off: without origins, every origin is refused.
        if self.allowed_origins:
            sio.eio.cors_allowed_origins = self.allowed_origins
        else:
            logger.warning("webchat: WEBCHAT_ALLOWED_ORIGINS is not set, no site may open the widget")
            sio.eio.cors_allowed_origins = lambda origin: False

        async def session_request(sid: str, data: Any) -> None:
            """Replaces Rasa's handler, which never awaits ``enter_room``."""
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = requested if isinstance(requested, str) and SESSION_ID.fullmatch(requested) else None
            session_id = session_id or uuid.uuid4().hex
            if self.session_persistence:
                for room in sio.rooms(sid, namespace=self.namespace):
                    if room != sid:
                        await sio.leave_room(sid, room, namespace=self.namespace)
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        async def handle_message(sid: str, data: Any) -> None:
            """Replaces Rasa's handler: a message only counts for the session this socket asked
            for, its length is capped, its metadata reduced to the host page's address, and the
            widget is told when the bot has finished answering (its typing indicator)."""
            data = data if isinstance(data, dict) else {}
            sender_id = sid
            if self.session_persistence:
                sender_id = data.get("session_id")
                if not isinstance(sender_id, str) or sender_id not in sio.rooms(sid, namespace=self.namespace):
                    logger.warning("webchat: message ignored, no session requested on this socket")
                    return
            output = WebchatOutput(sio, self.bot_message_evt)
            text = data.get("message")
            text = well_formed(text) if isinstance(text, str) else ""
            try:
                if len(text) > MAX_MESSAGE_CHARS:
                    await output.send_response(sender_id, {"text": TOO_LONG})
                else:
                    metadata = kept_metadata(data.get(self.metadata_key))
                    await on_new_message(
                        UserMessage(
                            text, output, scoped(self.name(), sender_id), input_channel=self.name(), metadata=metadata
                        )
                    )
            except Exception:
                # The person must not wait for an answer that will never come.
                logger.exception("webchat: the message could not be handled")
                await output.send_response(sender_id, {"text": TECHNICAL_ERROR})
            finally:
                await sio.emit(TURN_COMPLETE_EVENT, room=sid, namespace=self.namespace)

        sio.on("session_request", session_request, namespace=self.namespace)
        sio.on(self.user_message_evt, handle_message, namespace=self.namespace)

        webchat = WebchatBlueprint(channel_blueprint)

        @webchat.route("/<name:str>", methods=["GET"])
        async def asset(_: Request, name: str) -> HTTPResponse:
            if name not in ASSETS:
                return response.text("Fichier introuvable.", status=404)
            path, content_type = ASSETS[name]
            return await response.file(
                WEB_DIR / path,
                headers={
                    # The widget imports the socket.io client as a module from another origin.
                    "Access-Control-Allow-Origin": "*",
                    "Cache-Control": "public, max-age=300",
                    "X-Content-Type-Options": "nosniff",
                },
                mime_type=content_type,
            )

        @webchat.route("/confidentialite", methods=["GET"])
        async def privacy(_: Request) -> HTTPResponse:
            return response.html(
                privacy_page(),
                headers={
                    "Content-Security-Policy": "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'",
                    "X-Content-Type-Options": "nosniff",
                },
            )

        return webchat
