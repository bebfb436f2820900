"""A person on the regional site talks to the bot through the widget, across pages and reloads."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import VIERZON
from tests.browser.widget import Widget


def test_from_the_launcher_to_a_recommendation_card(new_session, site, stack, stored_events) -> None:
    session = new_session()
    page = session.page
    page.goto(f"{site}/index.html?recherche=orientation")
    widget = Widget(page)
    expect(widget.panel).to_be_hidden()

    widget.open()
    expect(widget.bot_messages.first).to_contain_text("Bonjour")
    privacy = page.get_by_role("link", name=f"{stack.url}/webchat/confidentialite")
    expect(privacy).to_have_attribute("href", f"{stack.url}/webchat/confidentialite")

    card = widget.reach_recommendation("Vierzon")
    expect(card.get_by_role("heading", level=3)).to_have_text("La bonne porte pour vous : Mission locale")
    expect(card).to_contain_text("Mission locale de Vierzon")
    expect(card).to_contain_text("Adresse : 12 rue de la République, 18100 Vierzon")
    expect(card.get_by_role("link", name=VIERZON["phone"])).to_have_attribute("href", "tel:+33248000000")
    site_link = card.get_by_role("link", name=VIERZON["url"])
    expect(site_link).to_have_attribute("href", VIERZON["url"])
    expect(site_link).to_have_attribute("target", "_blank")
    expect(card).to_contain_text("fait partie du conseil en évolution professionnelle, gratuit")
    expect(card.get_by_role("heading", name="Prochaines étapes")).to_be_visible()
    expect(widget.reply("Coordonnées")).to_be_enabled()
    # The card replaces the plain-text version of the same answer: nothing is said twice.
    expect(widget.bot_messages.filter(has_text="Prochaines étapes")).to_have_count(1)
    # Screen readers hear the answer.
    expect(widget.announcer).to_contain_text("Que souhaitez-vous faire maintenant ?")
    session.screenshot("card")

    # The server kept the host page's address, without its query string.
    events = stored_events(widget.stored()["sessionId"])
    pages = {e.get("metadata", {}).get("page_url") for e in events if e["event"] == "user"}
    assert pages == {f"{site}/index.html"}

    # The privacy page the welcome links to opens, in French.
    with page.context.expect_page() as opened:
        privacy.click()
    expect(opened.value.get_by_role("heading", level=1)).to_have_text("Confidentialité du bot SPRO")
    assert session.problems == []


def test_the_conversation_follows_the_person_across_pages_and_reloads(new_session, site) -> None:
    session = new_session()
    page = session.page
    page.goto(f"{site}/index.html")
    widget = Widget(page)
    widget.open()
    widget.choose("J'ai arrêté l'école")
    session_id = widget.stored()["sessionId"]
    said = widget.bot_messages.count()

    page.get_by_role("link", name="Se former").click()
    expect(page).to_have_title("Se former – Orientation Centre-Val de Loire (démonstration)")
    expect(widget.panel).to_be_visible()  # it was open: it stays open
    expect(widget.bot_messages).to_have_count(said)

    page.reload()
    expect(widget.bot_messages).to_have_count(said)
    expect(widget.user_messages.last).to_contain_text("J'ai arrêté l'école")
    # The same conversation goes on: the bot still answers on the restored session.
    widget.choose("Sorti de l'école")
    expect(widget.bot_messages.last).to_contain_text("Quel âge avez-vous ?")
    assert widget.stored()["sessionId"] == session_id
    assert session.problems == []


def test_another_browser_starts_a_fresh_conversation(new_session, site) -> None:
    first = Widget(new_session().page)
    first.page.goto(site)
    first.open()
    first.choose("Trouver un emploi")

    second = Widget(new_session().page)
    second.page.goto(site)
    expect(second.launcher).to_be_visible()
    assert second.stored() == {}
    second.open()
    expect(second.user_messages).to_have_count(0)
    assert second.stored()["sessionId"] != first.stored()["sessionId"]


def test_new_conversation_and_erasure(new_session, site, stored_events) -> None:
    session = new_session()
    widget = Widget(session.page)
    widget.page.goto(site)
    widget.open()
    widget.choose("Trouver un emploi")
    first_id = widget.stored()["sessionId"]

    widget.page.get_by_role("button", name="Nouvelle conversation").click()
    expect(widget.status).to_have_text("Nouvelle conversation commencée.")
    expect(widget.user_messages).to_have_count(0)
    expect(widget.bot_messages.first).to_contain_text("Bonjour")
    expect(widget.typing).to_be_hidden()
    second_id = widget.stored()["sessionId"]
    assert second_id != first_id
    assert stored_events(first_id), "a new conversation does not erase the previous one"

    # « I have my answer, now erase everything »: on this device and on the server.
    widget.reach_recommendation("Vierzon")
    assert stored_events(second_id)
    erase(widget)
    expect(widget.status).to_have_text("Votre conversation a été effacée, sur cet appareil et sur nos serveurs.")
    expect(widget.user_messages).to_have_count(0)
    expect(widget.bot_messages.first).to_contain_text("Bonjour")
    expect(widget.typing).to_be_hidden()
    assert stored_events(second_id) == []
    third_id = widget.stored()["sessionId"]
    assert third_id not in (first_id, second_id)
    assert session.problems == []


def test_erasure_in_the_middle_of_the_questions(new_session, site, stored_events) -> None:
    widget = Widget(new_session().page)
    widget.page.goto(site)
    widget.open()
    widget.choose("Changer de métier")
    session_id = widget.stored()["sessionId"]
    erase(widget)
    expect(widget.status).to_have_text("Votre conversation a été effacée, sur cet appareil et sur nos serveurs.")
    assert stored_events(session_id) == []


def erase(widget: Widget) -> None:
    """« Effacer la conversation », then the confirmation (focus starts on « Annuler »)."""
    widget.page.get_by_role("button", name="Effacer la conversation").click()
    expect(widget.page.get_by_role("button", name="Annuler")).to_be_focused()
    widget.page.get_by_role("button", name="Oui, tout effacer").click()
