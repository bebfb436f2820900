"""Redaction, pseudonyms and the settings of ``bot.privacy``."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from bot import privacy
from bot.spreadsheet import write_rows
from bot.stores import events
from bot.stores.events import open_store
from bot.studio import db as studio_db


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("appelez-moi au 06 12 34 56 78", "appelez-moi au [téléphone]"),
        ("+33 6 12 34 56 78 merci", "[téléphone] merci"),
        ("tél : 02.48.75.12.34", "tél : [téléphone]"),
        ("0612345678", "[téléphone]"),
        ("écrivez à jean.dupont+spro@exemple.fr svp", "écrivez à [e-mail] svp"),
        ("j'ai 19 ans, j'habite au 37000", "j'ai ## ans, j'habite au #####"),
        ("né le 12/03/2005", "né le ##/##/####"),
        ("je veux changer de métier", "je veux changer de métier"),
        ("une moitié d'émoji \ud83d, un émoji 😀", "une moitié d'émoji \ufffd, un émoji 😀"),
        # Issue 14: names and postal addresses survived.
        ("bonjour je m'appelle Marie Dupont et j'ai 19 ans", "bonjour je m'appelle [nom] et j'ai ## ans"),
        ("Moi c'est marie dupont, je cherche un emploi", "Moi c'est [nom], je cherche un emploi"),
        ("mon nom est Jean-Pierre Martin.", "mon nom est [nom]."),
        ("je suis madame Lefebvre", "je suis madame [nom]"),
        ("j'habite 12 bis rue des Lilas à Vierzon", "j'habite [adresse] à Vierzon"),
        ("au 3, allée du Parc", "au [adresse]"),
        ("j'habite rue Victor Hugo, à Tours", "j'habite [adresse], à Tours"),
        ("je cherche une place en formation", "je cherche une place en formation"),
        ("je m'appelle et je cherche", "je m'appelle et je cherche"),
    ],
)
def test_redact(text: str, redacted: str) -> None:
    assert privacy.redact(text) == redacted
    privacy.redact(text).encode("utf-8")  # what an export writes


def test_pseudonyms_are_stable_per_salt_and_hide_the_id() -> None:
    salt = "a" * 32
    first = privacy.pseudonym("33612345678", salt)
    assert first == privacy.pseudonym("33612345678", salt)
    assert first != privacy.pseudonym("33612345678", "b" * 32)
    assert first != privacy.pseudonym("33612345679", salt)
    assert len(first) == 16 and "3361" not in first


def test_the_salt_is_random_when_unset_and_refused_when_short(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(privacy.SALT_VARIABLE, raising=False)
    (one, stable), (two, _) = privacy.analytics_salt(), privacy.analytics_salt()
    assert not stable and one != two and len(one) >= privacy.MIN_SALT_LENGTH
    monkeypatch.setenv(privacy.SALT_VARIABLE, "x" * 40)
    assert privacy.analytics_salt() == ("x" * 40, True)
    monkeypatch.setenv(privacy.SALT_VARIABLE, "court")
    with pytest.raises(ValueError, match="SPRO_ANALYTICS_SALT est trop court"):
        privacy.analytics_salt()


def test_retention_days(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(privacy.RETENTION_VARIABLE, raising=False)
    assert privacy.retention_days() == 180
    monkeypatch.setenv(privacy.RETENTION_VARIABLE, "365")
    assert privacy.retention_days() == 365
    monkeypatch.setenv(privacy.RETENTION_VARIABLE, "six mois")
    with pytest.raises(ValueError, match="nombre de jours"):
        privacy.retention_days()


def test_data_files_are_readable_by_their_owner_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 14: var/*.db were created world-readable."""
    monkeypatch.delenv(events.URL_VARIABLE, raising=False)
    monkeypatch.delenv(studio_db.URL_VARIABLE, raising=False)
    monkeypatch.setattr(events, "VAR_DIR", tmp_path / "var")
    open_store().connect().close()
    studio_db.open_db(tmp_path / "var")
    write_rows(tmp_path / "messages_non_compris.csv", ["Message"], [["bonjour"]])
    for path in (
        tmp_path / "var" / "conversations.db",
        tmp_path / "var" / "studio.db",
        tmp_path / "messages_non_compris.csv",
    ):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE((tmp_path / "var").stat().st_mode) == 0o700
