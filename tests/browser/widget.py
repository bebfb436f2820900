"""The widget as a person sees it: found by roles and labels, not by implementation details."""

from __future__ import annotations

import json
from typing import Any

from playwright.sync_api import Locator, Page, expect

LAUNCHER = "Assistant orientation"


class Widget:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.launcher = page.get_by_role("button", name=LAUNCHER, exact=True)
        self.panel = page.get_by_role("dialog", name=LAUNCHER)
        self.input = page.get_by_label("Votre message")
        self.bot_messages = page.locator("#spro-webchat .message.bot")
        self.user_messages = page.locator("#spro-webchat .message.user")
        self.typing = page.locator("#spro-webchat .typing")
        self.status = page.locator("#spro-webchat .status")
        self.announcer = page.locator("#spro-webchat [aria-live='polite']")
        self.cards = page.locator("#spro-webchat .card")

    def open(self) -> None:
        """Open the panel and wait for the bot's welcome."""
        self.launcher.click()
        expect(self.panel).to_be_visible()
        self.wait_for_answer(0)

    def wait_for_answer(self, bot_messages_before: int) -> None:
        expect(self.bot_messages).not_to_have_count(bot_messages_before)
        expect(self.typing).to_be_hidden()

    def say(self, text: str) -> None:
        before = self.bot_messages.count()
        self.input.fill(text)
        self.input.press("Enter")
        self.wait_for_answer(before)

    def choose(self, title: str) -> None:
        """Click one of the quick replies the bot is offering now."""
        before = self.bot_messages.count()
        self.reply(title).click()
        self.wait_for_answer(before)

    def reply(self, title: str) -> Locator:
        return self.page.get_by_role("button", name=title, exact=True, disabled=False)

    def last_bot_text(self) -> str:
        return self.bot_messages.last.inner_text()

    def stored(self) -> dict[str, Any]:
        """What the widget keeps in sessionStorage for this tab."""
        raw = self.page.evaluate(
            "() => Object.keys(sessionStorage).filter(k => k.startsWith('spro-webchat:')).map(k => sessionStorage.getItem(k))[0] || null"
        )
        return json.loads(raw) if raw else {}

    def reach_recommendation(self, commune: str) -> Locator:
        """The seed's first situation: a young dropout, 19, from ``commune`` → a recommendation card.
        The panel is open."""
        self.choose("J'ai arrêté l'école")
        self.choose("Sorti de l'école")
        self.say("19")
        self.say(commune)
        expect(self.cards).to_have_count(1)
        return self.cards.last
