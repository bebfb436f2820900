"""The web channel's pure parts: message conversion, the privacy page, settings, the widget's source."""

from __future__ import annotations

import re

import pytest

from bot.channels.metadata import page_url
from bot.channels.privacy_page import markdown_to_html, privacy_page
from bot.channels.render import normalize
from bot.channels.render.web import web_event
from bot.channels.socketio import WEB_DIR, allowed_origins
from bot.orientation.vocabulary import vocabulary

RECOMMENDATION = {
    "type": "recommendation",
    "door": "mission_locale",
    "cep_level": 2,
    "territory": "vierzon",
    "structure": {
        "id": "ml-vierzon",
        "name": "Mission locale de Vierzon",
        "door": "mission_locale",
        "address": "12 rue de la République",
        "postal_code": "18100",
        "city": "Vierzon",
        "phone": "02 48 00 00 00",
        "email": "contact@example.org",
        "url": "javascript:alert(1)",
    },
    "alternatives": [{"door": "cio", "reason": "Pour reprendre des études."}],
    "reason": "La Mission locale accompagne les jeunes de 16 à 25 ans.",
    "next_steps": ["Appelez pour prendre rendez-vous."],
}


def test_text_and_buttons_become_one_event() -> None:
    message = {"text": "Quelle est votre situation ?\n\nChoisissez.", "buttons": [{"title": "CDI", "payload": "/x"}]}
    assert web_event(normalize(message)) == {
        "text": "Quelle est votre situation ?\n\nChoisissez.",
        "quick_replies": [{"title": "CDI", "payload": "/x"}],
    }


def test_a_recommendation_is_a_card_instead_of_its_text() -> None:
    event = web_event(normalize({"text": "La bonne porte…", "custom": RECOMMENDATION}))
    assert "text" not in event
    card = event["card"]
    assert card["title"] == "La bonne porte pour vous : Mission locale"
    assert card["text"] == RECOMMENDATION["reason"]
    assert card["contact"] == {
        "name": "Mission locale de Vierzon",
        "address": "12 rue de la République, 18100 Vierzon",
        "links": [
            {"label": "Téléphone", "text": "02 48 00 00 00", "href": "tel:+33248000000"},
            {"label": "E-mail", "text": "contact@example.org", "href": "mailto:contact@example.org"},
        ],  # the javascript: « site » is dropped
    }
    assert card["step"] == vocabulary().cep_levels[2]
    assert card["sections"] == [
        {"title": "Prochaines étapes", "items": ["Appelez pour prendre rendez-vous."]},
        {"title": "Autre possibilité", "items": ["CIO. Pour reprendre des études."]},
    ]


def test_a_recommendation_without_structure_or_cep_step() -> None:
    payload = {**RECOMMENDATION, "structure": None, "cep_level": None, "alternatives": []}
    card = web_event(normalize({"custom": payload}))["card"]
    assert "contact" not in card and "step" not in card
    assert [s["title"] for s in card["sections"]] == ["Prochaines étapes"]


def test_other_custom_payloads_pass_through_unspread() -> None:
    """Rasa's channel spreads ``custom`` into emit()'s keyword arguments; here it stays data."""
    assert web_event(normalize({"custom": {"type": "autre", "room": "x"}})) == {
        "custom": {"type": "autre", "room": "x"}
    }
    assert web_event(normalize({})) is None


def test_markdown_is_escaped_before_it_is_formatted() -> None:
    title, body = markdown_to_html(
        "# Titre <b>\n\nUn **gras** et `code`\nsur deux lignes <script>x</script>.\n\n- un\n  suite\n- deux\n"
    )
    assert title == "Titre <b>"
    assert body == (
        "<h1>Titre &lt;b&gt;</h1>\n"
        "<p>Un <strong>gras</strong> et <code>code</code> sur deux lignes &lt;script&gt;x&lt;/script&gt;.</p>\n"
        "<ul>\n<li>un suite</li>\n<li>deux</li>\n</ul>"
    )


def test_the_privacy_page_is_french_and_complete() -> None:
    page = privacy_page()
    assert page.startswith('<!doctype html>\n<html lang="fr">')
    assert "<title>Confidentialité du bot SPRO</title>" in page
    assert "<h2>Vos droits</h2>" in page


def test_allowed_origins() -> None:
    assert allowed_origins(None) == [] and allowed_origins("  ") == []  # no localhost default (issue 14)
    assert allowed_origins("https://www.exemple.fr/, https://b.fr,,") == ["https://www.exemple.fr", "https://b.fr"]


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("https://orientation.exemple.fr/se-former?email=a@b.fr#haut", "https://orientation.exemple.fr/se-former"),
        ("javascript:alert(1)", None),
        ("/relative", None),
        (42, None),
    ],
)
def test_page_url_keeps_no_query_string(raw: object, kept: str | None) -> None:
    assert page_url(raw) == kept


def test_the_widget_never_parses_text_as_html() -> None:
    """The CSP-and-XSS promise of bot/web/widget.js, kept by its source."""
    source = (WEB_DIR / "widget.js").read_text(encoding="utf-8")
    for forbidden in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert forbidden not in source
    assert not re.search(r"setAttribute\(\s*[\"']style", source)
