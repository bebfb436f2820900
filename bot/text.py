"""Text that can be written out: the channels clean what comes in, the exports what goes out.

JSON lets a client send a lone surrogate (« \\ud83d », half of an emoji). Python keeps it and the
tracker store saves it (escaped), but it has no UTF-8 form: the first page, CSV file or answer
that writes it fails — the studio's inbox, the indicators report, a channel's reply. Replaced by
U+FFFD (« � »), the character Unicode provides for what could not be decoded.
"""

from __future__ import annotations


def well_formed(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD; valid pairs become their character."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
