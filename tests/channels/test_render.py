"""Each channel's drawing of the bot's messages, against the platforms' documented limits."""

from __future__ import annotations

from bot.channels.render import Outgoing, messenger, normalize, split_text, text_with_contacts, twilio, whatsapp

STATUT_BUTTONS = [
    {"title": "Collège ou lycée", "payload": '/inform_situation{"statut": "scolaire"}'},
    {"title": "Étudiant", "payload": '/inform_situation{"statut": "etudiant"}'},
    {"title": "Sorti de l'école", "payload": '/inform_situation{"statut": "jeune_sans_activite"}'},
    {"title": "Demandeur d'emploi", "payload": '/inform_situation{"statut": "demandeur_emploi"}'},
    {"title": "Salarié du privé", "payload": '/inform_situation{"statut": "salarie"}'},
]
AFTER_RECOMMENDATION = {
    "text": "Que souhaitez-vous faire maintenant ?",
    "buttons": [
        {"title": "Coordonnées", "payload": "/ask_contact"},
        {"title": "Une autre question", "payload": "/ask_other_question"},
        {"title": "Parler à quelqu'un", "payload": "/human_handoff"},
    ],
}
COMMUNES = [
    {"title": f"Saint-Amand-Montrond ({18200 + n})", "payload": f'/inform_commune{{"commune": "{18200 + n}"}}'}
    for n in range(11)
]
STRUCTURE = {
    "id": "ft-vierzon",
    "name": "France Travail Vierzon",
    "door": "france_travail",
    "address": "2 rue de la Gare",
    "postal_code": "18100",
    "city": "Vierzon",
    "phone": "02 48 00 00 00",
    "email": None,
    "url": "https://www.francetravail.fr",
}


def recommendation(structure: dict | None) -> dict:
    return {
        "text": "La bonne porte pour vous : France Travail.",
        "custom": {"type": "recommendation", "door": "france_travail", "structure": structure, "next_steps": []},
    }


def test_split_text_keeps_paragraphs_whole_and_respects_the_limit() -> None:
    text = "\n\n".join(["a" * 3000, "b" * 3000, "mot " * 2000])
    chunks = split_text(text, 4096)
    assert all(len(c) <= 4096 for c in chunks)
    assert chunks[0] == "a" * 3000 and chunks[1] == "b" * 3000
    assert "".join(chunks).replace(" ", "") == text.replace("\n", "").replace(" ", "")
    assert split_text("x" * 10, 4) == ["xxxx", "xxxx", "xx"]
    assert split_text("   ", 10) == []


def test_text_with_contacts_adds_only_what_the_text_lacks() -> None:
    message = normalize(recommendation(STRUCTURE))
    text = text_with_contacts(message)
    assert "Téléphone : 02 48 00 00 00" in text and "Site : https://www.francetravail.fr" in text
    assert "Adresse : 2 rue de la Gare, 18100 Vierzon" in text
    already = normalize({**recommendation(STRUCTURE), "text": "Appelez le 02 48 00 00 00."})
    assert "Téléphone" not in text_with_contacts(already)


def test_a_recommendation_without_known_contacts_gives_etoile_info() -> None:
    bare = {**STRUCTURE, "phone": None, "url": None, "address": None, "postal_code": None, "city": None}
    for structure in (bare, None):
        text = text_with_contacts(normalize(recommendation(structure)))
        assert "0 800 222 100" in text and "https://orientation.centre-valdeloire.fr" in text


def test_whatsapp_three_short_choices_are_reply_buttons() -> None:
    [native] = whatsapp.render(normalize(AFTER_RECOMMENDATION))
    assert native["type"] == "interactive"
    interactive = native["interactive"]
    assert interactive["type"] == "button"
    assert interactive["body"] == {"text": "Que souhaitez-vous faire maintenant ?"}
    assert interactive["action"]["buttons"][2] == {
        "type": "reply",
        "reply": {"id": "/human_handoff", "title": "Parler à quelqu'un"},
    }


def test_whatsapp_more_choices_are_a_list_with_long_titles_in_the_description() -> None:
    [native] = whatsapp.render(normalize({"text": "Quelle est votre situation ?", "buttons": STATUT_BUTTONS}))
    assert native["interactive"]["type"] == "list"
    action = native["interactive"]["action"]
    assert len(action["button"]) <= 20
    rows = action["sections"][0]["rows"]
    assert rows[3] == {"id": '/inform_situation{"statut": "demandeur_emploi"}', "title": "Demandeur d'emploi"}
    long = whatsapp.render(normalize({"text": "Laquelle ?", "buttons": COMMUNES[:3]}))[0]["interactive"]
    assert long["type"] == "list"  # a reply button title is at most 20 characters
    row = long["action"]["sections"][0]["rows"][0]
    assert len(row["title"]) <= 24 and row["description"] == "Saint-Amand-Montrond (18200)"
    assert not whatsapp.numbered(normalize({"text": "Laquelle ?", "buttons": COMMUNES[:10]}))


def test_whatsapp_more_than_ten_choices_are_a_numbered_text() -> None:
    message = normalize({"text": "Laquelle est la vôtre ?", "buttons": COMMUNES})
    assert whatsapp.numbered(message)
    [native] = whatsapp.render(message)
    body = native["text"]["body"]
    assert native["type"] == "text"
    assert "11. Saint-Amand-Montrond (18210)" in body and "Répondez avec le numéro" in body
    assert "/inform_commune" not in body


def test_whatsapp_long_text_is_split_and_the_buttons_ride_on_the_last_part() -> None:
    message = normalize({**AFTER_RECOMMENDATION, "text": "\n\n".join(["Paragraphe. " * 60] * 3)})
    natives = whatsapp.render(message)
    assert [n["type"] for n in natives][-1] == "interactive"
    assert all(len(n["text"]["body"]) <= 4096 for n in natives if n["type"] == "text")
    assert len(natives[-1]["interactive"]["body"]["text"]) <= 1024
    assert len(whatsapp.render(normalize({"text": "é" * 9000}))) == 3


def test_whatsapp_recommendation_is_text_with_phone_and_site() -> None:
    [native] = whatsapp.render(normalize(recommendation(STRUCTURE)))
    body = native["text"]["body"]
    assert body.startswith("La bonne porte pour vous : France Travail.")
    assert "02 48 00 00 00" in body and "https://www.francetravail.fr" in body


def test_messenger_three_short_choices_are_a_button_template() -> None:
    [native] = messenger.render(normalize(AFTER_RECOMMENDATION))
    payload = native["attachment"]["payload"]
    assert payload["template_type"] == "button"
    assert payload["buttons"][0] == {"type": "postback", "title": "Coordonnées", "payload": "/ask_contact"}


def test_messenger_up_to_thirteen_choices_are_quick_replies() -> None:
    [native] = messenger.render(normalize({"text": "Quelle est votre situation ?", "buttons": STATUT_BUTTONS}))
    assert native["text"] == "Quelle est votre situation ?"
    assert native["quick_replies"][3] == {
        "content_type": "text",
        "title": "Demandeur d'emploi",
        "payload": '/inform_situation{"statut": "demandeur_emploi"}',
    }


def test_messenger_long_titles_are_numbered_with_number_quick_replies() -> None:
    message = normalize({"text": "Laquelle est la vôtre ?", "buttons": COMMUNES})
    [native] = messenger.render(message)
    assert "1. Saint-Amand-Montrond (18200)" in native["text"]
    assert [q["title"] for q in native["quick_replies"]] == [str(n) for n in range(1, 12)]
    assert native["quick_replies"][10]["payload"] == COMMUNES[10]["payload"]
    assert messenger.numbered(message)
    many = normalize(
        {"text": "Choisissez", "buttons": [{"title": f"Choix {n}", "payload": f"/c{n}"} for n in range(14)]}
    )
    assert messenger.numbered(many) and "quick_replies" not in messenger.render(many)[0]


def test_messenger_recommendation_is_text_then_a_generic_card() -> None:
    text, card = messenger.render(normalize(recommendation(STRUCTURE)))
    assert text == {"text": "La bonne porte pour vous : France Travail."}
    element = card["attachment"]["payload"]["elements"][0]
    assert card["attachment"]["payload"]["template_type"] == "generic"
    assert element["title"] == "France Travail Vierzon"
    assert element["subtitle"] == "2 rue de la Gare, 18100 Vierzon · Tél. 02 48 00 00 00"
    assert element["buttons"] == [
        {"type": "web_url", "url": "https://www.francetravail.fr", "title": "Site web"},
        {"type": "phone_number", "title": "Appeler", "payload": "+33248000000"},
    ]
    _, regional = messenger.render(normalize(recommendation(None)))
    element = regional["attachment"]["payload"]["elements"][0]
    assert element["title"] == "Etoile Info"
    assert element["subtitle"] == "Tél. 0 800 222 100"
    assert {"type": "phone_number", "title": "Appeler", "payload": "+33800222100"} in element["buttons"]
    no_phone = messenger.render(normalize(recommendation({**STRUCTURE, "phone": None, "url": None})))[1]
    element = no_phone["attachment"]["payload"]["elements"][0]
    assert element["buttons"] == [
        {"type": "web_url", "url": "https://orientation.centre-valdeloire.fr", "title": "Site régional"},
        {"type": "phone_number", "title": "Appeler Etoile Info", "payload": "+33800222100"},
    ]
    unsafe = messenger.render(normalize(recommendation({**STRUCTURE, "url": "javascript:alert(1)"})))[1]
    assert "javascript" not in str(unsafe)


def test_messenger_titles_and_card_texts_stay_within_limits() -> None:
    long_name = {
        **STRUCTURE,
        "name": "Conseil en évolution professionnelle – opérateur régional pour les actifs en emploi",
    }
    element = messenger.render(normalize(recommendation(long_name)))[1]["attachment"]["payload"]["elements"][0]
    assert len(element["title"]) <= 80 and element["title"].endswith("…")
    assert all(len(b["title"]) <= 20 for b in element["buttons"])


def test_twilio_numbers_every_choice_and_never_shows_payloads() -> None:
    [body] = twilio.render(normalize(AFTER_RECOMMENDATION))
    assert body == (
        "Que souhaitez-vous faire maintenant ?\n\n1. Coordonnées\n2. Une autre question\n3. Parler à quelqu'un"
        "\n\nRépondez avec le numéro de votre choix."
    )
    assert twilio.numbered(normalize(AFTER_RECOMMENDATION))
    assert all(len(b) <= 1600 for b in twilio.render(normalize({"text": "mot " * 1000})))
    [recommended] = twilio.render(normalize(recommendation(STRUCTURE)))
    assert "02 48 00 00 00" in recommended and "https://www.francetravail.fr" in recommended


def test_a_message_without_text_still_has_a_body() -> None:
    message = Outgoing(buttons=normalize(AFTER_RECOMMENDATION).buttons)
    assert whatsapp.render(message)[0]["interactive"]["body"]["text"]
    assert messenger.render(message)[0]["attachment"]["payload"]["text"]
