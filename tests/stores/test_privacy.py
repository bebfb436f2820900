"""Redaction, pseudonyms and the settings of ``bot.privacy``."""

from __future__ import annotations

import pytest

from bot import privacy


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
