"""Facebook Messenger, verified: Rasa's Facebook channel with its defects fixed.

Rasa 3.6 checks only the legacy SHA-1 ``X-Hub-Signature`` with ``==`` and answers 200 when it is
wrong, handles only the first event of a batch, drops more than 3 buttons and sends through the
blocking ``fbmessenger`` client on Graph API v2.12 (channel research notes, §1.4). This
subclass checks ``X-Hub-Signature-256`` in constant time (403 otherwise), reads every entry and
event, ignores echoes, read receipts and deliveries, draws buttons and the recommendation with
``bot.channels.render.messenger`` and sends with aiohttp and a timeout.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from rasa.core.channels.facebook import FacebookInput

from bot.channels.common import Incoming, MetaWebhook, RenderedOutput, records, text_field, unix_seconds
from bot.channels.render import messenger

ENV = ("FACEBOOK_VERIFY_TOKEN", "FACEBOOK_APP_SECRET", "FACEBOOK_PAGE_ACCESS_TOKEN")
ATTACHMENT_KINDS = {"image": "image", "audio": "audio", "video": "video", "file": "document", "location": "location"}


class MessengerOutput(RenderedOutput):
    renderer = messenger
    channel: MessengerInput

    @classmethod
    def name(cls) -> str:
        return "facebook"

    async def send_native(self, recipient_id: str, native: dict[str, Any]) -> None:
        await self.channel.sender.post(
            f"{self.channel.graph_api}/me/messages",
            json={"recipient": {"id": recipient_id}, "messaging_type": "RESPONSE", "message": native},
            headers={"Authorization": f"Bearer {self.channel.fb_access_token}"},
        )


def _from_message(sender_id: str, message: dict[str, Any]) -> Incoming | None:
    if message.get("is_echo"):
        return None  # what the page itself sent
    mid = text_field(message, "mid")
    text = text_field(message.get("quick_reply"), "payload") or text_field(message, "text")
    if text:
        return Incoming(sender_id, text, message_id=mid)
    attachments = records(message, "attachments")
    if attachments:
        return Incoming(sender_id, None, ATTACHMENT_KINDS.get(str(attachments[0].get("type")), "unsupported"), mid)
    return None


class MessengerInput(MetaWebhook, FacebookInput):
    """Configured by FACEBOOK_VERIFY_TOKEN, FACEBOOK_APP_SECRET and FACEBOOK_PAGE_ACCESS_TOKEN."""

    ENV = ENV
    LABEL = "Messenger"
    OBJECT = "page"

    def __init__(self, settings: Mapping[str, str]) -> None:
        MetaWebhook.__init__(self, settings)
        FacebookInput.__init__(self, *(self.settings.get(name, "") for name in ENV))

    @property
    def verify_token(self) -> str:
        return self.fb_verify

    @property
    def app_secret(self) -> str:
        return self.fb_secret

    def read(self, payload: dict[str, Any]) -> Iterator[Incoming]:
        """Every messaging event of every entry: a text, a quick reply, a postback or an attachment."""
        for entry in records(payload, "entry"):
            for event in records(entry, "messaging"):
                sender_id = text_field(event.get("sender"), "id")
                if not sender_id:
                    continue
                message, postback = event.get("message"), event.get("postback")
                if isinstance(message, dict):
                    incoming = _from_message(sender_id, message)
                elif text_field(postback, "payload"):
                    incoming = Incoming(
                        sender_id, text_field(postback, "payload"), message_id=text_field(postback, "mid")
                    )
                else:
                    incoming = None  # read receipts, deliveries, reactions…
                if incoming:
                    yield replace(incoming, sent_at=unix_seconds(event.get("timestamp"), per_second=1000))

    def get_output_channel(self) -> MessengerOutput:
        return MessengerOutput(self)
