"""What the widget and its channel refuse: markup as code, other sites, overlong messages."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
import requests
import socketio
import websockets
from playwright.sync_api import expect

from bot.channels.socketio import MAX_MESSAGE_CHARS
from tests.browser.conftest import XSS_NAME
from tests.browser.widget import Widget

T = TypeVar("T")

SCRIPT_XSS = "<script>window.__xss='script'</script>"
IMG_XSS = "<img src=x onerror=\"window.__xss='img'\">"


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Playwright's sync API keeps an event loop running in this thread: use another one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_markup_shows_as_text(new_session, site) -> None:
    session = new_session()
    widget = Widget(session.page)
    widget.page.goto(site)
    widget.open()
    card = widget.reach_recommendation("Bourges")  # its Mission locale has markup in its name (conftest.py)
    expect(card).to_contain_text(XSS_NAME)
    for attack in (SCRIPT_XSS, IMG_XSS):
        widget.say(attack)
        expect(widget.user_messages.last).to_have_text(f"Vous : {attack}")

    log = widget.page.locator("#spro-webchat .log")
    assert log.locator("img, script").count() == 0
    assert widget.page.evaluate("() => window.__xss === undefined")
    assert session.problems == []


def test_a_site_not_allowed_cannot_use_the_bot(new_session, other_site) -> None:
    session = new_session()
    widget = Widget(session.page)
    widget.page.goto(other_site)
    widget.launcher.click()
    expect(widget.status).to_contain_text("L'assistant est indisponible pour le moment.")
    expect(widget.status).to_contain_text("0 800 222 100")
    widget.input.fill("Bonjour")
    widget.input.press("Enter")
    expect(widget.typing).to_be_hidden()
    expect(widget.bot_messages).to_have_count(0)


def test_origin_allow_list_on_both_transports(stack, site, other_site) -> None:
    polling = f"{stack.url}/socket.io/?EIO=4&transport=polling"
    refused = requests.get(polling, headers={"Origin": other_site}, timeout=10)
    assert refused.status_code == 400
    assert "Access-Control-Allow-Origin" not in refused.headers
    allowed = requests.get(polling, headers={"Origin": site}, timeout=10)
    assert allowed.status_code == 200
    assert allowed.headers["Access-Control-Allow-Origin"] == site

    async def websocket_handshake(origin: str) -> str:
        url = stack.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        async with websockets.connect(url, origin=origin, open_timeout=10) as ws:
            return await asyncio.wait_for(ws.recv(), 10)

    assert run_async(websocket_handshake(site)).startswith("0{")
    with pytest.raises(websockets.exceptions.InvalidStatusCode) as refusal:
        run_async(websocket_handshake(other_site))
    assert refusal.value.status_code == 400


def test_overlong_messages_get_a_polite_answer(stack, site, stored_events) -> None:
    async def exchange(text: str) -> tuple[str, list[dict]]:
        client = socketio.AsyncClient()
        session_id: asyncio.Future = asyncio.get_running_loop().create_future()
        done = asyncio.Event()
        answers: list[dict] = []
        client.on("session_confirm", session_id.set_result)
        client.on("bot_uttered", answers.append)
        client.on("turn_complete", done.set)
        # python-socketio's websocket client needs a newer aiohttp than Rasa pins: polling.
        await client.connect(stack.url, headers={"Origin": site}, transports=["polling"])
        try:
            await client.emit("session_request", {"session_id": None})
            sender = await asyncio.wait_for(session_id, 20)
            await client.emit("user_uttered", {"message": text, "session_id": sender})
            await asyncio.wait_for(done.wait(), 60)
        finally:
            with contextlib.suppress(Exception):
                await client.disconnect()
        return sender, answers

    too_long = "é" * (MAX_MESSAGE_CHARS + 1)
    sender, answers = run_async(exchange(too_long))
    assert [a["text"] for a in answers] == [
        "Votre message est trop long pour moi : 1\u202f000 caractères au maximum. Pouvez-vous l'écrire en "
        "plus court ? Quelques mots suffisent pour commencer."
    ]
    assert stored_events(sender) == [], "an overlong message never reaches the bot"

    longest = "Je cherche une formation. " * (MAX_MESSAGE_CHARS // 26)
    sender, answers = run_async(exchange(longest))
    assert answers and "trop long" not in answers[0].get("text", "")
    assert any(e["event"] == "user" and e["text"] == longest.strip() for e in stored_events(sender))


def test_the_input_stops_at_the_limit(new_session, site) -> None:
    widget = Widget(new_session().page)
    widget.page.goto(site)
    widget.open()
    widget.input.fill("a" * (MAX_MESSAGE_CHARS + 200))
    assert widget.input.evaluate("el => el.value.length") == MAX_MESSAGE_CHARS
    expect(widget.page.locator("#spro-webchat #hint")).to_contain_text("Il vous reste 0 caractère.")
