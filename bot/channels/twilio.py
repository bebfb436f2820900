"""Twilio (SMS, or WhatsApp through Twilio), verified: Rasa's Twilio channel with its defects fixed.

Rasa 3.6 checks no signature (anyone can post as anyone), crashes with a 500 on a WhatsApp photo
without text, prints button payloads to the person and sends with the blocking Twilio client
(channel research notes, §1.5). This subclass validates ``X-Twilio-Signature`` with the
``twilio`` package's ``RequestValidator`` (403 otherwise), answers media and locations politely,
numbers the choices (« 2 » then means the second one) and sends through Twilio's REST API with
aiohttp and a timeout.

The signature covers the exact public URL Twilio calls: behind a reverse proxy, set
``TWILIO_WEBHOOK_URL`` to it (``https://bot.example.fr/webhooks/twilio/webhook``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from urllib.parse import parse_qs

import aiohttp
from rasa.core.channels.twilio import TwilioInput as RasaTwilioInput
from sanic import Blueprint, response
from sanic.request import Request, RequestParameters
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from bot.channels.common import Incoming, OnNewMessage, RenderedOutput, VerifiedChannel, text_field
from bot.channels.render import twilio

logger = logging.getLogger(__name__)

ENV = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_NUMBER")
DEFAULTS = {"TWILIO_API_URL": "https://api.twilio.com", "TWILIO_WEBHOOK_URL": ""}
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


class TwilioOutput(RenderedOutput):
    renderer = twilio
    channel: TwilioInput

    @classmethod
    def name(cls) -> str:
        return "twilio"

    async def send_native(self, recipient_id: str, native: str) -> None:
        channel = self.channel
        await channel.sender.post(
            f"{channel.settings['TWILIO_API_URL'].rstrip('/')}/2010-04-01/Accounts/{channel.account_sid}/Messages.json",
            data={"To": recipient_id, "From": channel.twilio_number, "Body": native},
            auth=aiohttp.BasicAuth(channel.account_sid, channel.auth_token),
        )


def read(form: RequestParameters) -> Incoming | None:
    """A text or a template button's payload for the bot; a photo, a voice message or a location
    for a polite answer; nothing (None) when the form carries neither."""
    sender_id, message_id = text_field(form, "From"), text_field(form, "MessageSid")
    if not sender_id:
        return None
    text = text_field(form, "ButtonPayload") or text_field(form, "Body")
    if text:
        return Incoming(sender_id, text, message_id=message_id)
    if text_field(form, "Latitude") and text_field(form, "Longitude"):
        return Incoming(sender_id, None, "location", message_id)
    media_type = (text_field(form, "MediaContentType0") or "").split("/")[0]
    if media_type:
        return Incoming(
            sender_id, None, media_type if media_type in ("image", "audio", "video") else "document", message_id
        )
    return None


class TwilioInput(VerifiedChannel, RasaTwilioInput):
    """Configured by TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_NUMBER (``whatsapp:+33…``
    for WhatsApp); TWILIO_API_URL points the sends elsewhere (tests use a local recorder)."""

    ENV = ENV
    DEFAULTS = DEFAULTS
    LABEL = "Twilio"

    def __init__(self, settings: Mapping[str, str]) -> None:
        VerifiedChannel.__init__(self, settings)
        RasaTwilioInput.__init__(self, *(self.settings.get(name, "") for name in ENV), debug_mode=False)

    def add_routes(self, blueprint: Blueprint, on_new_message: OnNewMessage) -> None:
        validator = RequestValidator(self.auth_token)

        @blueprint.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            # Sanic's request.form drops blank fields, but Twilio signs them too (« Body= » under a photo).
            form = RequestParameters(parse_qs(request.body.decode("utf-8", "replace"), keep_blank_values=True))
            url = self.settings["TWILIO_WEBHOOK_URL"] or request.url
            signature = request.headers.get("X-Twilio-Signature") or ""
            if not signature or not validator.validate(url, form, signature):
                logger.warning("Twilio: webhook refused, missing or wrong X-Twilio-Signature")
                return response.json({"error": "invalid signature"}, status=403)
            if not text_field(form, "From"):
                return response.json({"error": "the From field is missing"}, status=400)
            incoming = read(form)
            if incoming:
                await self.accept(request, [incoming], on_new_message)
            return response.text(EMPTY_TWIML, content_type="text/xml")

    def get_output_channel(self) -> TwilioOutput:
        return TwilioOutput(self)
