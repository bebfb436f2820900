"""One view of a recommendation: the text and every card show the same structure, its ``tel:``
link, its map, the year of old details, and the alternatives' structures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.channels.render import messenger, normalize, text_with_contacts
from bot.channels.render.web import web_event
from bot.directory import Directory
from bot.directory.lookup import commune_place
from bot.directory.store import STRUCTURES_FILE
from bot.geo import resolve
from bot.messages import recommendation_text
from bot.orientation import Profile, Recommendation, default_rules, recommend
from bot.presentation import freshness_note, view
from bot.wording import etoile_info

MAP = "https://www.openstreetmap.org/?mlat=46.94926&mlon=2.00430#map=17/46.94926/2.00430"


@pytest.fixture(scope="module")
def pupil_in_issoudun(tmp_path_factory: pytest.TempPathFactory) -> Recommendation:
    directory = Directory.from_url(f"sqlite:///{Path(tmp_path_factory.mktemp('p')) / 'd.db'}")
    directory.import_csv(STRUCTURES_FILE)
    place = commune_place(resolve("Issoudun").commune)
    return recommend(default_rules(), Profile(statut="scolaire", age=16), "orientation_scolaire", place, directory.find)


def test_the_text_gives_the_address_phone_map_and_the_year_of_old_details(pupil_in_issoudun: Recommendation) -> None:
    text = recommendation_text(pupil_in_issoudun)
    assert "Près de chez vous :\nCentre d'information et d'orientation (CIO) d'Issoudun\n" in text
    assert "Adresse : Formapôle, Rue Georges-Brassens, 36100 Issoudun" in text
    assert f"Plan : {MAP}" in text
    assert "(coordonnées de 2015, à vérifier)" in text
    assert "pas encore ses coordonnées" not in text


def test_the_widget_card_shows_the_same_view(pupil_in_issoudun: Recommendation) -> None:
    card = web_event(normalize({"custom": pupil_in_issoudun.as_payload()}))["card"]
    contact = card["contact"]
    assert contact["name"] == "Centre d'information et d'orientation (CIO) d'Issoudun"
    assert {"label": "Téléphone", "text": "02 38 83 49 44", "href": "tel:+33238834944"} in contact["links"]
    assert {"label": "Plan", "text": "voir sur OpenStreetMap", "href": MAP} in contact["links"]
    assert contact["note"] == "(coordonnées de 2015, à vérifier)"


def test_messenger_and_whatsapp_show_the_same_structure(pupil_in_issoudun: Recommendation) -> None:
    payload = pupil_in_issoudun.as_payload()
    element = messenger.card(payload)["attachment"]["payload"]["elements"][0]
    assert element["buttons"][1] == {"type": "phone_number", "title": "Appeler", "payload": "+33238834944"}
    assert {"type": "web_url", "url": MAP, "title": "Plan"} in element["buttons"]
    text = text_with_contacts(normalize({"text": "La bonne porte pour vous : CIO.", "custom": payload}))
    assert "Téléphone : 02 38 83 49 44" in text and MAP in text


def test_alternatives_come_with_their_structure(tmp_path: Path) -> None:
    directory = Directory.from_url(f"sqlite:///{tmp_path / 'd.db'}")
    directory.import_csv(STRUCTURES_FILE)
    profile = Profile(statut="salarie", age=24, contrat="cdd")
    rec = recommend(default_rules(), profile, "reconversion", commune_place(resolve("Blois").commune), directory.find)
    shown = {a.text.split(".")[0]: a.contact for a in view(rec.as_payload()).alternatives}
    assert shown["Mission locale"].name == "Mission locale de Blois"
    assert "  Mission locale de Blois\n  Adresse : 15 avenue de Vendome, 41000 Blois" in recommendation_text(rec)


def test_freshness_is_two_years_and_unknown_dates_say_nothing() -> None:
    today = date(2026, 12, 6)
    assert freshness_note({"address": "x", "updated_at": "2024-12-07"}, today) is None
    assert freshness_note({"address": "x", "updated_at": "2024-12"}, today) == "(coordonnées de 2024, à vérifier)"
    assert freshness_note({"address": "x", "updated_at": None}, today) is None


def test_etoile_info_is_written_once_in_the_data() -> None:
    assert etoile_info().phone == "0 800 222 100"
    hand_kept = (STRUCTURES_FILE.parent / "sources" / "regional.csv").read_text(encoding="utf-8")
    assert "800 222 100" not in hand_kept  # the directory's row is built from messages.yml


def test_a_copy_of_etoile_infos_number_that_differs_from_the_data_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.validation as validation

    for name in validation.ETOILE_INFO_COPIES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("appelez Etoile Info au 0 800 222 100", encoding="utf-8")
    monkeypatch.setattr(validation, "ROOT", tmp_path)
    assert validation.etoile_info_copies() == []
    (tmp_path / "domain.yml").write_text("appelez Etoile Info au 0 800 222 101", encoding="utf-8")
    assert validation.etoile_info_copies() == [
        "domain.yml : « 0 800 222 101 » n'est pas le numéro d'Etoile Info de data/orientation/messages.yml (0 800 222 100)"
    ]
