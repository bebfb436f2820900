"""Text normalisation for place names.

People type commune names in every possible way (« st amand », « CHATEAUROUX », « la-chatre »).
All lookups go through one normal form so that the committed data and the user's text meet
on equal terms: lower case, no accents, no punctuation, « st » / « ste » spelt out.
"""

from __future__ import annotations

import re
import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
ARTICLES = frozenset({"le", "la", "les", "l"})


def strip_accents(text: str) -> str:
    """Remove diacritics but keep the letters (« Châtre » → « Chatre »)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    """Split a text into normalised tokens, abbreviations expanded."""
    flat = _NON_ALNUM.sub(" ", strip_accents(text).lower())
    return [_ABBREVIATIONS.get(tok, tok) for tok in flat.split()]


def normalize(text: str) -> str:
    """The single key used to compare place names."""
    return " ".join(tokens(text))


def without_article(key: str) -> str:
    """« le blanc » → « blanc »: people often drop the article, or add one."""
    first, _, rest = key.partition(" ")
    return rest if first in ARTICLES and rest else key
