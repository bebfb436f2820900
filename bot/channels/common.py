"""What the verified channels (Messenger, WhatsApp Cloud API, Twilio) share.

- Secrets come from environment variables only. ``credentials.yml`` just names the channel, so a
  channel whose variables are unset is off: it says so at start-up and answers 503, and the plain
  ``rasa run`` starts with none of them set (Rasa's ``${VAR}`` substitution would fail instead).
- A webhook answers at once: signature, parsing, retried message ids dropped, messages sent more
  than ``MAX_AGE_SECONDS`` ago dropped, then the dialogue runs in a background task. Meta and Twilio never wait for the bot, so they do not retry.
- Replies leave through aiohttp with a timeout, not through the blocking clients Rasa 3.6 uses,
  which would stall every conversation of the server while one send waits.
- Every bot message is drawn by ``bot.channels.render.<channel>``; a number typed after a
  numbered list means that choice.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from types import ModuleType
from typing import Any

import aiohttp
from rasa.core.agent import Agent
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.dedup import ReceivedMessages
from bot.channels.render import button_for_number, normalize
from bot.nlu.guard import KEPT_CHARACTERS
from bot.privacy import register_forget
from bot.stores.scopes import scoped, unscoped
from bot.text import well_formed
from bot.wording import section

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]
SEND_TIMEOUT_SECONDS = 10.0
# Meta retries a failed delivery for minutes, not hours. A signed event older than this is a
# replay (the message-id deduplication forgets ids after 7 days), or too late to answer anyway.
MAX_AGE_SECONDS = 3600
GRAPH_API_DEFAULTS = {"GRAPH_API_URL": "https://graph.facebook.com", "GRAPH_API_VERSION": "v25.0"}

# One answer per kind of message the bot cannot read (data/orientation/messages.yml).
UNREADABLE = section("unreadable")
WHAT_I_READ = UNREADABLE.pop("what_i_read")


def unreadable_reply(kind: str) -> str:
    """The polite answer to a photo, a voice message, a location…: what the bot can read instead."""
    return f"{UNREADABLE.get(kind, UNREADABLE['unsupported'])} {WHAT_I_READ}"


@dataclass(frozen=True)
class Incoming:
    """One message a person sent, as the channel understood it.

    ``text`` is None for what the bot cannot read; ``kind`` then says what it was (a key of
    ``UNREADABLE``). ``message_id`` is the platform's id, used to drop retried deliveries;
    ``sent_at`` (Unix seconds) when the platform says when it was sent, to drop replays.
    """

    sender_id: str
    text: str | None
    kind: str = "text"
    message_id: str | None = None
    sent_at: float | None = None

    def too_old(self, now: float) -> bool:
        return self.sent_at is not None and now - self.sent_at > MAX_AGE_SECONDS


def unix_seconds(value: Any, per_second: int = 1) -> float | None:
    """A platform's timestamp (a number or a string of digits; Messenger counts milliseconds)."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value / per_second
    return None


def records(container: Any, key: str) -> list[dict[str, Any]]:
    """The objects of ``container[key]``: a signed payload of an unexpected shape is skipped, not a 500."""
    items = container.get(key) if isinstance(container, dict) else None
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def text_field(container: Any, key: str) -> str | None:
    """``container[key]`` when it is a non-blank string."""
    value = container.get(key) if isinstance(container, dict) else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def valid_meta_signature(app_secret: str, body: bytes, header: str | None) -> bool:
    """``X-Hub-Signature-256: sha256=<hex>`` is the HMAC-SHA256 of the raw body with the app secret.

    The raw bytes, never re-serialised JSON: Meta signs its own escaping of accents. Compared in
    constant time, so that a forger learns nothing from how long a refusal takes.
    """
    if not header:
        return False
    expected = "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(header.strip().encode(), expected.encode())


class HttpSender:
    """One aiohttp session per channel, opened inside the server's event loop on first use.

    A send that fails or times out is logged with the platform's answer (never the message text)
    and returns False: the person may miss one reply, the server and the other conversations do not.
    """

    def __init__(self, label: str, timeout: float = SEND_TIMEOUT_SECONDS) -> None:
        self.label = label
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    async def post(self, url: str, **kwargs: Any) -> bool:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
        try:
            async with self._session.post(url, **kwargs) as reply:
                if reply.status < 300:
                    return True
                logger.warning("%s: send refused (HTTP %s): %s", self.label, reply.status, (await reply.text())[:300])
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            logger.warning("%s: send failed: %r", self.label, error)
        return False

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


class RenderedOutput(OutputChannel):
    """Sends each bot message as the channel's renderer draws it, one native message after another."""

    renderer: ModuleType

    def __init__(self, channel: Any) -> None:
        self.channel = channel  # the input channel: its settings and its HttpSender

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """``recipient_id`` is the conversation id (``bot.stores.scopes``); the platform gets its own."""
        platform_id = unscoped(self.name(), recipient_id)
        for native in self.renderer.render(normalize(message)):
            await self.send_native(platform_id, native)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text})

    async def send_native(self, recipient_id: str, native: Any) -> None:
        raise NotImplementedError


class VerifiedChannel:
    """Mixed into a Rasa input channel: configuration, on/off, the fast webhook path, delivery.

    Subclasses set ``ENV`` (the variables that turn the channel on), ``DEFAULTS`` (optional
    variables) and ``LABEL``, and implement ``add_routes`` and ``get_output_channel``.
    """

    ENV: tuple[str, ...] = ()
    DEFAULTS: Mapping[str, str] = {}
    LABEL = ""
    name: Callable[[], str]  # from the Rasa input channel this is mixed into

    def __init__(self, settings: Mapping[str, str]) -> None:
        self.settings = {**self.DEFAULTS, **{k: v for k, v in settings.items() if v}}
        self.missing = [name for name in self.ENV if not self.settings.get(name)]
        self.sender = HttpSender(self.LABEL)
        self._tasks: set[asyncio.Task] = set()

    @classmethod
    def from_credentials(cls, credentials: Mapping[str, Any] | None) -> VerifiedChannel:
        """``credentials`` is ignored: the secrets are read from the environment, here, at start-up.

        A channel that is on keeps message ids per sender, so the erasure of a conversation
        (``bot.privacy``) must erase them too; the table is shared, one registration serves all.
        """
        channel = cls({name: os.environ.get(name, "") for name in (*cls.ENV, *cls.DEFAULTS)})
        channel.announce()
        if not channel.missing:
            register_forget(ReceivedMessages.TABLE, channel.forget_sender)
        return channel

    def announce(self) -> None:
        if not self.missing:
            logger.info("%s channel on: /webhooks/%s/webhook", self.LABEL, self.name())
        elif len(self.missing) == len(self.ENV):
            logger.info("%s channel off: set %s to turn it on (docs/deploiement.md)", self.LABEL, ", ".join(self.ENV))
        else:
            logger.warning("%s channel off: %s not set", self.LABEL, ", ".join(self.missing))

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        blueprint = Blueprint(f"{self.name()}_webhook", __name__)

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "off" if self.missing else "ok"})

        if self.missing:

            @blueprint.route("/webhook", methods=["GET", "POST"])
            async def off(_: Request) -> HTTPResponse:
                return response.json({"status": "off"}, status=503)

            return blueprint

        self.add_routes(blueprint, on_new_message)

        @blueprint.listener("after_server_stop")
        async def close_sender(*_: Any) -> None:
            await self.sender.close()

        return blueprint

    def add_routes(self, blueprint: Blueprint, on_new_message: OnNewMessage) -> None:
        raise NotImplementedError

    def get_output_channel(self) -> RenderedOutput:
        raise NotImplementedError

    @cached_property
    def received(self) -> ReceivedMessages:
        return ReceivedMessages()

    async def forget_sender(self, sender_id: str) -> None:
        await asyncio.to_thread(self.received.forget_sender, sender_id)

    async def accept(self, request: Request, messages: Iterable[Incoming], on_new_message: OnNewMessage) -> None:
        """Drop the retried ids, then answer in the background: the webhook returns right away."""
        received, now = list(messages), time.time()
        recent = [m for m in received if not m.too_old(now)]
        if len(recent) < len(received):
            logger.warning(
                "%s: %d message(s) older than %d s dropped", self.LABEL, len(received) - len(recent), MAX_AGE_SECONDS
            )
        fresh = [m for m in recent if m.message_id is None or await self._first_time(m)]
        if fresh:
            self._spawn(self._deliver_all(request.app.ctx.agent, fresh, on_new_message))

    async def _first_time(self, message: Incoming) -> bool:
        """Kept under the conversation id, the one the erasure forgets."""
        return await asyncio.to_thread(
            self.received.first_time, self.name(), str(message.message_id), scoped(self.name(), message.sender_id)
        )

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)  # the loop keeps only weak references to tasks
        task.add_done_callback(self._tasks.discard)

    async def _deliver_all(self, agent: Agent, messages: list[Incoming], on_new_message: OnNewMessage) -> None:
        for message in messages:
            try:
                await self.deliver(agent, message, on_new_message)
            except Exception:
                logger.exception("%s: a message could not be handled", self.LABEL)

    async def deliver(self, agent: Agent, message: Incoming, on_new_message: OnNewMessage) -> None:
        output = self.get_output_channel()
        conversation_id = scoped(self.name(), message.sender_id)
        if message.text is None:
            await output.send_response(conversation_id, {"text": unreadable_reply(message.kind)})
            return
        text = await self.choice_for_number(agent, conversation_id, message.text, output.renderer)
        text = well_formed(text[:KEPT_CHARACTERS])  # the guard still answers « trop long » (bot/nlu/guard.py)
        await on_new_message(UserMessage(text, output, conversation_id, input_channel=self.name()))

    async def choice_for_number(self, agent: Agent, conversation_id: str, text: str, renderer: ModuleType) -> str:
        """« 2 » after a numbered list is its second choice's payload.

        The list is read back from the conversation (the bot's messages since the person last
        spoke), so it survives a restart and is the same on every replica.
        """
        if not text.strip().rstrip(".)").isdigit():
            return text
        tracker = await agent.tracker_store.retrieve(conversation_id)
        for event in reversed(tracker.events if tracker else []):
            if isinstance(event, UserUttered):
                break
            if isinstance(event, BotUttered):
                shown = normalize({"text": event.text, **event.data})
                if shown.buttons:
                    button = button_for_number(text, shown.buttons) if renderer.numbered(shown) else None
                    return button.payload if button else text
        return text


class MetaWebhook(VerifiedChannel):
    """Meta's webhook contract, the same for Messenger and WhatsApp: a GET to subscribe, signed POSTs."""

    OBJECT = ""
    DEFAULTS = GRAPH_API_DEFAULTS

    def __init__(self, settings: Mapping[str, str]) -> None:
        super().__init__(settings)
        self.graph_api = f"{self.settings['GRAPH_API_URL'].rstrip('/')}/{self.settings['GRAPH_API_VERSION']}"

    @property
    def verify_token(self) -> str:
        raise NotImplementedError

    @property
    def app_secret(self) -> str:
        raise NotImplementedError

    def read(self, payload: dict[str, Any]) -> Iterator[Incoming]:
        raise NotImplementedError

    def add_routes(self, blueprint: Blueprint, on_new_message: OnNewMessage) -> None:
        @blueprint.route("/webhook", methods=["GET"])
        async def subscribe(request: Request) -> HTTPResponse:
            token = request.args.get("hub.verify_token") or ""
            if request.args.get("hub.mode") == "subscribe" and hmac.compare_digest(
                token.encode(), self.verify_token.encode()
            ):
                return response.text(request.args.get("hub.challenge") or "")
            logger.warning("%s: subscription refused, wrong hub.verify_token or hub.mode", self.LABEL)
            return response.json({"error": "invalid verify token"}, status=403)

        @blueprint.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not valid_meta_signature(self.app_secret, request.body, request.headers.get("X-Hub-Signature-256")):
                logger.warning("%s: webhook refused, missing or wrong X-Hub-Signature-256", self.LABEL)
                return response.json({"error": "invalid signature"}, status=403)
            try:
                payload = json.loads(request.body)
            except (ValueError, RecursionError):  # RecursionError: JSON nested thousands deep
                return response.json({"error": "malformed JSON"}, status=400)
            if not isinstance(payload, dict):
                return response.json({"error": "a JSON object was expected"}, status=400)
            if payload.get("object") == self.OBJECT:
                await self.accept(request, self.read(payload), on_new_message)
            return response.json({"status": "received"})
