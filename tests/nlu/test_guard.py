"""The NLU guard gives a fixed intent to messages no classifier should guess about."""

from __future__ import annotations

import pytest

from bot.nlu.guard import MAX_CHARACTERS, judge


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("😀😀😀", "nlu_fallback"),
        ("", "nlu_fallback"),
        ("?!…", "nlu_fallback"),
        ("I want to find a job please", "other_language"),
        ("Quiero trabajar, busco un empleo", "other_language"),
        ("Ich suche Arbeit", "other_language"),
        ("مرحبا أريد عملا", "other_language"),
        ("x" * (MAX_CHARACTERS + 1), "message_too_long"),
        ("je cherche un job", None),
        ("Bonjour, je voudrais changer de métier", None),
        ("Tours", None),
        ("19", None),
        ("37000", None),
        ("<script>alert(1)</script>", None),
    ],
)
def test_judge(text: str, intent: str | None) -> None:
    assert judge(text) == intent
