"""People writing to the bot through Messenger, WhatsApp and Twilio, as the platforms deliver them.

Each user posts webhook payloads shaped and signed like Meta's or Twilio's to the real Rasa
server, then reads back what the bot sent to the platform from the local recorder. A turn is over
when the conversation's tracker (Rasa's HTTP API) shows the message and the bot listening again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import requests
from twilio.request_validator import RequestValidator

from bot.stores.scopes import scoped
from tests.support.recorder import Recorded, Recorder
from tests.support.servers import Stack

PHONE_NUMBER_ID = "106540352242922"
CHANNEL_ENV = {
    "FACEBOOK_VERIFY_TOKEN": "verification-messenger",
    "FACEBOOK_APP_SECRET": "secret-application-messenger",
    "FACEBOOK_PAGE_ACCESS_TOKEN": "jeton-de-la-page",
    "WHATSAPP_VERIFY_TOKEN": "verification-whatsapp",
    "WHATSAPP_APP_SECRET": "secret-application-whatsapp",
    "WHATSAPP_ACCESS_TOKEN": "jeton-whatsapp",
    "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
    "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
    "TWILIO_AUTH_TOKEN": "jeton-twilio",
    "TWILIO_NUMBER": "whatsapp:+33100000000",
    "GRAPH_API_VERSION": "v25.0",
}


def meta_signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def user_turns(stack: Stack, conversation_id: str) -> tuple[int, str | None]:
    """``conversation_id`` is the scoped id the bot stores (``ChannelUser.conversation_id``)."""
    tracker = requests.get(f"{stack.url}/conversations/{conversation_id}/tracker", timeout=10).json()
    return sum(1 for e in tracker.get("events") or [] if e.get("event") == "user"), tracker.get("latest_action_name")


def wait_turns(stack: Stack, conversation_id: str, count: int, timeout: float = 60) -> None:
    """Until the conversation has ``count`` user messages and the bot is listening again."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        turns, action = user_turns(stack, conversation_id)
        if turns >= count and action == "action_listen":
            return
        time.sleep(0.2)
    raise AssertionError(f"{conversation_id}: turn {count} not over after {timeout} s ({turns} turns, {action})")


@dataclass
class ChannelUser:
    stack: Stack
    recorder: Recorder
    sender_id: str
    turns: int = 0
    seen: int = field(default=0)
    channel = ""

    @property
    def conversation_id(self) -> str:
        """The id the bot keeps this person's conversation under (``bot.stores.scopes``)."""
        return scoped(self.channel, self.sender_id)

    def is_to_me(self, request: Recorded) -> bool:
        raise NotImplementedError

    def sent_to_me(self) -> list[Recorded]:
        return self.recorder.matching(self.is_to_me)

    def new_replies(self) -> list[Recorded]:
        """What the bot sent to this person since the last call."""
        replies = self.sent_to_me()
        fresh, self.seen = replies[self.seen :], len(replies)
        return fresh

    def latest_intent(self) -> str:
        tracker = requests.get(f"{self.stack.url}/conversations/{self.conversation_id}/tracker", timeout=10).json()
        return tracker["latest_message"]["intent"]["name"]

    def finish_turn(self) -> list[Recorded]:
        self.turns += 1
        wait_turns(self.stack, self.conversation_id, self.turns)
        return self.new_replies()

    # What a conversation driver needs (tests/channels/conversation.py).
    def say(self, text: str) -> list[Any]:
        raise NotImplementedError

    def choose(self, replies: list[Any], title: str) -> list[Any]:
        raise NotImplementedError

    def question(self, replies: list[Any]) -> tuple[str, list[str]]:
        """The text of the bot's last turn and the titles of the choices it offered."""
        raise NotImplementedError

    def is_recommendation(self, replies: list[Any]) -> bool:
        raise NotImplementedError


@dataclass
class MetaUser(ChannelUser):
    secret = ""

    def post(self, payload: Any, signature: str | None = None, body: bytes | None = None) -> requests.Response:
        """Meta escapes non-ASCII characters (``json.dumps``' default) and signs those bytes;
        ``signature=""`` leaves the header out."""
        body = body if body is not None else json.dumps(payload).encode()
        headers = {"Content-Type": "application/json"}
        if signature != "":
            headers["X-Hub-Signature-256"] = signature or meta_signature(self.secret, body)
        return requests.post(
            f"{self.stack.url}/webhooks/{self.channel}/webhook", data=body, headers=headers, timeout=10
        )

    def subscribe(self, **params: str) -> requests.Response:
        """Meta's GET when the webhook is configured."""
        token = CHANNEL_ENV["WHATSAPP_VERIFY_TOKEN" if self.channel == "whatsapp" else "FACEBOOK_VERIFY_TOKEN"]
        query = {"hub.mode": "subscribe", "hub.challenge": "1158201444", "hub.verify_token": token, **params}
        return requests.get(f"{self.stack.url}/webhooks/{self.channel}/webhook", params=query, timeout=10)


@dataclass
class WhatsAppUser(MetaUser):
    sender_id: str = field(default_factory=lambda: f"336{uuid.uuid4().int % 10**8:08d}")
    channel = "whatsapp"
    secret = CHANNEL_ENV["WHATSAPP_APP_SECRET"]

    def is_to_me(self, request: Recorded) -> bool:
        return request.path == f"/v25.0/{PHONE_NUMBER_ID}/messages" and request.json.get("to") == self.sender_id

    def message(self, kind: str, content: dict[str, Any], message_id: str | None = None) -> dict[str, Any]:
        """One ``messages[]`` item, as in Meta's webhook reference."""
        return {
            "from": self.sender_id,
            "id": message_id or f"wamid.{uuid.uuid4().hex}",
            "timestamp": str(int(time.time())),
            "type": kind,
            kind: content,
        }

    def envelope(self, messages: list[dict[str, Any]] | None = None, **value: Any) -> dict[str, Any]:
        return {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "102290129340398",
                    "changes": [
                        {
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {"display_phone_number": "33100000000", "phone_number_id": PHONE_NUMBER_ID},
                                "contacts": [{"profile": {"name": "Élodie"}, "wa_id": self.sender_id}],
                                **({"messages": messages} if messages else {}),
                                **value,
                            },
                            "field": "messages",
                        }
                    ],
                }
            ],
        }

    def send(self, message: dict[str, Any]) -> list[dict[str, Any]]:
        response = self.post(self.envelope([message]))
        assert response.status_code == 200, response.text
        return [r.json for r in self.finish_turn()]

    def say(self, text: str) -> list[dict[str, Any]]:
        return self.send(self.message("text", {"body": text}))

    def choose(self, replies: list[dict[str, Any]], title: str) -> list[dict[str, Any]]:
        """Tap the reply button or list row of that title, as WhatsApp reports it."""
        interactive = next(r["interactive"] for r in reversed(replies) if r["type"] == "interactive")
        if interactive["type"] == "button":
            reply = next(b["reply"] for b in interactive["action"]["buttons"] if b["reply"]["title"] == title)
            return self.send(self.message("interactive", {"type": "button_reply", "button_reply": reply}))
        row = next(
            r
            for s in interactive["action"]["sections"]
            for r in s["rows"]
            if title in (r["title"], r.get("description"))
        )
        return self.send(self.message("interactive", {"type": "list_reply", "list_reply": row}))

    def question(self, replies: list[dict[str, Any]]) -> tuple[str, list[str]]:
        texts = [r["text"]["body"] if r["type"] == "text" else r["interactive"]["body"]["text"] for r in replies]
        interactive = [r["interactive"] for r in replies if r["type"] == "interactive"]
        choices: list[str] = []
        if interactive and interactive[-1]["type"] == "button":
            choices = [b["reply"]["title"] for b in interactive[-1]["action"]["buttons"]]
        elif interactive:
            rows = [r for s in interactive[-1]["action"]["sections"] for r in s["rows"]]
            choices = [r.get("description") or r["title"] for r in rows]
        return "\n".join(texts), choices

    def is_recommendation(self, replies: list[dict[str, Any]]) -> bool:
        return any(r["type"] == "text" and "La bonne porte pour vous" in r["text"]["body"] for r in replies)


@dataclass
class MessengerUser(MetaUser):
    sender_id: str = field(default_factory=lambda: str(uuid.uuid4().int % 10**16))
    channel = "facebook"
    secret = CHANNEL_ENV["FACEBOOK_APP_SECRET"]

    def is_to_me(self, request: Recorded) -> bool:
        return request.path == "/v25.0/me/messages" and request.json.get("recipient") == {"id": self.sender_id}

    def event(self, **content: Any) -> dict[str, Any]:
        """One ``messaging[]`` event, as in Meta's Messenger webhook reference."""
        return {
            "sender": {"id": self.sender_id},
            "recipient": {"id": "PAGE_ID"},
            "timestamp": int(time.time() * 1000),
            **content,
        }

    def text_event(self, text: str, **extra: Any) -> dict[str, Any]:
        return self.event(message={"mid": f"m_{uuid.uuid4().hex}", "text": text, **extra})

    @staticmethod
    def envelope(*events: dict[str, Any]) -> dict[str, Any]:
        return {
            "object": "page",
            "entry": [{"id": "PAGE_ID", "time": int(time.time() * 1000), "messaging": list(events)}],
        }

    def send(self, event: dict[str, Any]) -> list[dict[str, Any]]:
        response = self.post(self.envelope(event))
        assert response.status_code == 200, response.text
        return [r.json["message"] for r in self.finish_turn()]

    def say(self, text: str) -> list[dict[str, Any]]:
        return self.send(self.text_event(text))

    def choose(self, replies: list[dict[str, Any]], title: str) -> list[dict[str, Any]]:
        """A quick reply or a template's postback button, whichever the bot sent."""
        last = replies[-1]
        if "quick_replies" in last:
            reply = next(q for q in last["quick_replies"] if q["title"] == title)
            return self.send(self.text_event(title, quick_reply={"payload": reply["payload"]}))
        button = next(b for b in last["attachment"]["payload"]["buttons"] if b["title"] == title)
        return self.send(
            self.event(postback={"mid": f"m_{uuid.uuid4().hex}", "title": title, "payload": button["payload"]})
        )

    def question(self, replies: list[dict[str, Any]]) -> tuple[str, list[str]]:
        texts = [r.get("text") or r["attachment"]["payload"].get("text") or "" for r in replies]
        last = replies[-1]
        if "quick_replies" in last:
            choices = [q["title"] for q in last["quick_replies"]]
        else:
            choices = [b["title"] for b in last.get("attachment", {}).get("payload", {}).get("buttons", [])]
        return "\n".join(texts), choices

    def is_recommendation(self, replies: list[dict[str, Any]]) -> bool:
        return any(r.get("attachment", {}).get("payload", {}).get("template_type") == "generic" for r in replies)


@dataclass
class TwilioUser(ChannelUser):
    sender_id: str = field(default_factory=lambda: f"whatsapp:+336{uuid.uuid4().int % 10**8:08d}")
    token: str = CHANNEL_ENV["TWILIO_AUTH_TOKEN"]
    channel = "twilio"

    @property
    def url(self) -> str:
        return f"{self.stack.url}/webhooks/twilio/webhook"

    def is_to_me(self, request: Recorded) -> bool:
        path = f"/2010-04-01/Accounts/{CHANNEL_ENV['TWILIO_ACCOUNT_SID']}/Messages.json"
        return request.path == path and request.form.get("To") == self.sender_id

    def form(self, **fields: str) -> dict[str, str]:
        """The fields Twilio posts for an incoming WhatsApp message."""
        return {
            "MessageSid": f"SM{uuid.uuid4().hex}",
            "AccountSid": CHANNEL_ENV["TWILIO_ACCOUNT_SID"],
            "From": self.sender_id,
            "To": CHANNEL_ENV["TWILIO_NUMBER"],
            "NumMedia": "0",
            "ProfileName": "Élodie",
            **fields,
        }

    def signature(self, form: dict[str, str]) -> str:
        return RequestValidator(self.token).compute_signature(self.url, form)

    def post(self, form: dict[str, str], signature: str | None = None) -> requests.Response:
        signature = signature if signature is not None else self.signature(form)
        return requests.post(self.url, data=form, headers={"X-Twilio-Signature": signature}, timeout=10)

    def send(self, form: dict[str, str]) -> list[str]:
        response = self.post(form)
        assert response.status_code == 200, response.text
        return [r.form["Body"] for r in self.finish_turn()]

    def say(self, text: str) -> list[str]:
        return self.send(self.form(Body=text))

    def question(self, replies: list[str]) -> tuple[str, list[str]]:
        lines = "\n".join(replies).splitlines()
        return "\n".join(replies), [line.split(". ", 1)[1] for line in lines if re.match(r"\d+\. ", line)]

    def choose(self, replies: list[str], title: str) -> list[str]:
        """Twilio has no buttons: the person types the choice's number."""
        return self.say(str(self.question(replies)[1].index(title) + 1))

    def is_recommendation(self, replies: list[str]) -> bool:
        return any("La bonne porte pour vous" in body for body in replies)
