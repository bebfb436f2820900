"""One written form for what people type: the model, the validators and the facts read the same text.

Phones, word processors and web pages type the typographic apostrophe (’, U+2019), non-breaking
and thin spaces, « … » and long dashes; the training data had none of them, and DIET tagged the
unknown « s’ », « m’ », « l’ » as a disability (issue 12). Dotted acronyms (« V.A.E. », « R.Q.T.H. »)
were not the words the examples spell (« VAE », « RQTH »). ``normalise`` maps all of them to one
form; ``bot.nlu.normaliser.TextNormaliser`` applies it first in the NLU pipeline, to the training examples and to every
message, and ``bot.orientation.facts`` applies it before reading a fact. What the person wrote is
kept as it is in the conversation: only the featurisers see the normalised text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from bot.paths import DATA_DIR
from bot.yamlio import read_yaml

SMS_FILE = DATA_DIR / "sms.yml"  # not in data/nlu: Rasa would read it as training data

_CHARACTERS = {
    **dict.fromkeys("\u2019\u2018\u02bc\u2032\u00b4\u0060", "'"),  # ’ ‘ ʼ ′ ´ `
    **dict.fromkeys("\u201c\u201d\u201e\u00ab\u00bb\u2039\u203a", '"'),  # “ ” „ « » ‹ ›
    **dict.fromkeys("\u00a0\u202f\u2009\u2007\u200a\u2002\u2003\u2008", " "),  # non-breaking, thin…
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),  # hyphens, dashes, minus
    "\u2026": "...",
    "\u200b": "",  # zero-width space
    "\ufeff": "",  # byte-order mark pasted with a copied text
}
# One pattern, so that every replacement is made in a single pass and offsets can follow it:
# a letter with combining accents (text copied from macOS), a dotted acronym of 2 to 6 letters
# (« V.A.E. », « c.p.f », but not « M. » nor « etc. »), or one of the characters above.
_PATTERN = re.compile(
    r"(?P<accented>[^\W\d_][\u0300-\u036f]+)"
    r"|(?P<acronym>(?<![\w.])[^\W\d_](?:\.[^\W\d_]){1,5}\.?(?!\w))"
    "|(?P<char>[" + re.escape("".join(_CHARACTERS)) + "])"
)


def _replacement(match: re.Match[str]) -> str:
    if match.group("accented"):
        return unicodedata.normalize("NFC", match.group("accented"))
    if match.group("acronym"):
        return match.group("acronym").replace(".", "")
    return _CHARACTERS[match.group("char")]


def normalise_with_offsets(text: str) -> tuple[str, list[int]]:
    """The normalised text, and for every offset of ``text`` (end included) its offset in it.

    The offsets keep the entities of a training example on the same words.
    """
    pieces: list[str] = []
    offsets: list[int] = []
    position = 0
    length = 0
    for match in _PATTERN.finditer(text):
        kept = text[position : match.start()]
        offsets.extend(range(length, length + len(kept)))
        pieces.append(kept)
        length += len(kept)
        new = _replacement(match)
        offsets.extend([length] * (match.end() - match.start()))
        pieces.append(new)
        length += len(new)
        position = match.end()
    kept = text[position:]
    offsets.extend(range(length, length + len(kept) + 1))
    pieces.append(kept)
    return "".join(pieces), offsets


def normalise(text: str) -> str:
    """« J’ai fait une V.A.E. … » → « J'ai fait une VAE ... »."""
    return normalise_with_offsets(text)[0]


@lru_cache(maxsize=1)
def sms_words() -> dict[str, str]:
    """SMS spellings (« jsui », « g », « pa », « o ») → the words they stand for, from ``data/sms.yml``.

    One list, editable, read by the intent classifier and by the fact parsing.
    """
    return {str(k): str(v) for k, v in ((read_yaml(SMS_FILE) or {}).get("sms") or {}).items()}


def spell_out(words: list[str]) -> str:
    """Lower-case, accent-free words with their SMS spellings spelt out, joined by spaces."""
    table = sms_words()
    return " ".join(table.get(word, word) for word in words)
