"""French phone numbers, one helper for every place that shows or dials one.

The directory stores the number as the public dials it (« 02 48 48 19 80 », « 39 49 »); the
text shows that form, the cards link ``tel:`` URIs, and WhatsApp needs E.164.
"""

from __future__ import annotations

import re

_NON_DIGIT = re.compile(r"\D")


def digits(phone: str) -> str:
    """The national digits: « +33 2 48… » → « 0248… »; short numbers (« 39 49 ») unchanged."""
    raw = _NON_DIGIT.sub("", phone)
    if phone.strip().startswith("+33") and len(raw) == 11:
        return "0" + raw[2:]
    return raw


def display(phone: str) -> str:
    """The form people read: pairs of digits (« 02 48 48 19 80 », « 0 800 222 100 », « 39 49 »)."""
    number = digits(phone)
    if len(number) == 10 and number.startswith("080"):
        return f"{number[0]} {number[1:4]} {number[4:7]} {number[7:]}"  # free numbers: 0 800 222 100
    if len(number) in (4, 10):
        return " ".join(number[i : i + 2] for i in range(0, len(number), 2))
    return phone.strip()


def e164(phone: str) -> str | None:
    """« +33248481980 », or ``None`` for a short number that cannot be dialled from abroad."""
    number = digits(phone)
    return f"+33{number[1:]}" if len(number) == 10 and number.startswith("0") else None


def tel_uri(phone: str) -> str:
    """The ``tel:`` link of a number: E.164 when it has one, else the short number itself."""
    return f"tel:{e164(phone) or digits(phone)}"
