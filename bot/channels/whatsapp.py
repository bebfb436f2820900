"""WhatsApp through Meta's Cloud API, a channel Rasa 3.6 does not have.

Meta calls ``/webhooks/whatsapp/webhook``: a GET to subscribe, then signed POSTs carrying
``entry[].changes[].value.messages[]`` (what people send) and ``statuses[]`` (what happened to
our messages, ignored). Texts, reply-button and list answers go to the bot; photos, voice
messages, locations… get a polite answer; reactions and unknown types are ignored. Replies are
``POST /{WHATSAPP_PHONE_NUMBER_ID}/messages`` calls drawn by ``bot.channels.render.whatsapp``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rasa.core.channels.channel import InputChannel

from bot.channels.common import UNREADABLE, Incoming, MetaWebhook, RenderedOutput, records, text_field, unix_seconds
from bot.channels.render import whatsapp


class WhatsAppOutput(RenderedOutput):
    renderer = whatsapp
    channel: WhatsAppInput

    @classmethod
    def name(cls) -> str:
        return "whatsapp"

    async def send_native(self, recipient_id: str, native: dict[str, Any]) -> None:
        settings = self.channel.settings
        await self.channel.sender.post(
            f"{self.channel.graph_api}/{settings['WHATSAPP_PHONE_NUMBER_ID']}/messages",
            json={"messaging_product": "whatsapp", "recipient_type": "individual", "to": recipient_id, **native},
            headers={"Authorization": f"Bearer {settings['WHATSAPP_ACCESS_TOKEN']}"},
        )


def _text(message: dict[str, Any]) -> str | None:
    """What the person wrote or chose: a reply button's or list row's id is the Rasa payload."""
    kind = message.get("type")
    content = message.get(kind) if isinstance(kind, str) else None
    if kind == "text":
        return text_field(content, "body")
    if kind == "interactive" and isinstance(content, dict):
        reply_kind = content.get("type")
        return text_field(content.get(reply_kind), "id") if reply_kind in ("button_reply", "list_reply") else None
    if kind == "button":  # the quick-reply button of a template message
        return text_field(content, "payload") or text_field(content, "text")
    return None


def _incoming(message: dict[str, Any]) -> Incoming | None:
    sender_id, message_id = text_field(message, "from"), text_field(message, "id")
    if not sender_id:
        return None
    sent_at = unix_seconds(message.get("timestamp"))  # seconds, as a string
    text = _text(message)
    if text:
        return Incoming(sender_id, text, message_id=message_id, sent_at=sent_at)
    if message.get("type") in UNREADABLE:
        return Incoming(sender_id, None, str(message["type"]), message_id, sent_at)
    return None  # reactions, system notices, types Meta adds later: nothing to answer


class WhatsAppInput(MetaWebhook, InputChannel):
    """Configured by WHATSAPP_VERIFY_TOKEN, WHATSAPP_APP_SECRET, WHATSAPP_ACCESS_TOKEN and
    WHATSAPP_PHONE_NUMBER_ID."""

    ENV = ("WHATSAPP_VERIFY_TOKEN", "WHATSAPP_APP_SECRET", "WHATSAPP_ACCESS_TOKEN", "WHATSAPP_PHONE_NUMBER_ID")
    LABEL = "WhatsApp"
    OBJECT = "whatsapp_business_account"

    @classmethod
    def name(cls) -> str:
        return "whatsapp"

    @property
    def verify_token(self) -> str:
        return self.settings.get("WHATSAPP_VERIFY_TOKEN", "")

    @property
    def app_secret(self) -> str:
        return self.settings.get("WHATSAPP_APP_SECRET", "")

    def read(self, payload: dict[str, Any]) -> Iterator[Incoming]:
        """The messages sent to this channel's number, in every change of every entry."""
        for entry in records(payload, "entry"):
            for change in records(entry, "changes"):
                value = change.get("value")
                number = text_field(value.get("metadata") if isinstance(value, dict) else None, "phone_number_id")
                if number and number != self.settings["WHATSAPP_PHONE_NUMBER_ID"]:
                    continue  # another number of the same WhatsApp Business account
                for message in records(value, "messages"):
                    incoming = _incoming(message)
                    if incoming:
                        yield incoming

    def get_output_channel(self) -> WhatsAppOutput:
        return WhatsAppOutput(self)
