"""One phone helper: the number as people read it, its ``tel:`` link, and E.164 for WhatsApp."""

from __future__ import annotations

import pytest

from bot.phone import display, e164, tel_uri


@pytest.mark.parametrize(
    ("phone", "shown", "href", "international"),
    [
        ("02 48 00 00 00", "02 48 00 00 00", "tel:+33248000000", "+33248000000"),
        ("+33 2 48 48 19 80", "02 48 48 19 80", "tel:+33248481980", "+33248481980"),
        ("0800222100", "0 800 222 100", "tel:+33800222100", "+33800222100"),
        ("3949", "39 49", "tel:3949", None),
    ],
)
def test_one_number_three_forms(phone: str, shown: str, href: str, international: str | None) -> None:
    assert (display(phone), tel_uri(phone), e164(phone)) == (shown, href, international)
