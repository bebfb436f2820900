"""Turning what people type into the vocabulary's facts — never trusting a raw value.

Entities from the NLU, button payloads and typed ``/intent{...}`` all arrive here as raw strings.
Ages are parsed from digits or French words; situations and contracts are matched against the
vocabulary's identifiers, its French labels, and the NLU synonym lists (``data/nlu/synonyms.yml``),
so one list of synonyms serves both the model and the validation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.geo.normalize import normalize as _normalize
from bot.nlu.text import normalise, spell_out
from bot.orientation.vocabulary import vocabulary
from bot.paths import DATA_DIR
from bot.yamlio import read_yaml

SYNONYMS_FILE = DATA_DIR / "nlu" / "synonyms.yml"
MIN_AGE, MAX_AGE = 10, 99
SKIP = "passer"  # the value a « skip » button or « je ne sais pas » puts in a slot
_NEGATIONS = frozenset({"pas", "plus", "jamais", "ni"})
_LINKS = frozenset({"en", "au", "aux", "a", "le", "la", "les", "l", "un", "une", "de", "du", "d", "dans"})

_UNITS = {
    "zero": 0,
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
}
_TENS = {
    "vingt": 20,
    "vingts": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
    "soixante": 60,
    "septante": 70,
    "huitante": 80,
    "nonante": 90,
}
# Every word of a number written out, longest first (a regular expression tries them in order).
NUMBER_WORDS = tuple(sorted({*_UNITS, *_TENS}, key=len, reverse=True))
_DIGITS = re.compile(r"(?<!\d)(\d{1,3})(?!\d)")


def normalize(text: str) -> str:
    """The comparison key of a phrase: one written form (bot.nlu.text, as the model reads it), then
    lower case without accents or punctuation (« la V.A.E. » and « la vae » meet), SMS spellings
    spelt out (« jsui pa o lycee » → « je suis pas au lycee »)."""
    return spell_out(_normalize(normalise(text)).split())


def _number_runs(words: list[str]) -> list[int]:
    """Every number written in words: « un fils de dix sept ans » → [1, 17]."""
    runs, total, seen = [], 0, False
    for index, word in enumerate([*words, ""]):
        if word == "quatre" and index + 1 < len(words) and words[index + 1] in ("vingt", "vingts"):
            total, seen = total + 60, True  # quatre-vingt = 4 × 20: the 20 comes with the next word
        elif word in _TENS or word in _UNITS:
            total, seen = total + _TENS.get(word, 0) + _UNITS.get(word, 0), True
        elif word == "et" and seen:
            continue
        elif seen:
            runs.append(total)
            total, seen = 0, False
    return runs


def parse_age(value: Any) -> int | None:
    """An age in the sane range, from 19, « 19 ans », « j'en ai 24 » or « dix-sept »; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = int(value)
    else:
        text = normalize(str(value))[:200]
        digits = _DIGITS.search(text)
        candidates = [int(digits.group(1))] if digits else _number_runs(text.split())
        number = next((n for n in candidates if MIN_AGE <= n <= MAX_AGE), None)
    return number if number is not None and MIN_AGE <= number <= MAX_AGE else None


@lru_cache(maxsize=1)
def _phrases() -> dict[str, dict[str, str]]:
    """fact → {normalised phrase: identifier}, from the vocabulary and the NLU synonyms."""
    vocab = vocabulary()
    tables: dict[str, dict[str, str]] = {"statut": {}, "contrat": {}, "besoin": {}, "secteur": {}}
    for fact, entries in (
        ("statut", vocab.statuts),
        ("contrat", vocab.contrats),
        ("besoin", vocab.besoins),
        ("secteur", vocab.secteurs),
    ):
        for ident, labels in entries.items():
            for phrase in (
                ident,
                ident.replace("_", " "),
                labels["label"],
                labels["button"],
                *labels.get("phrases", ()),
            ):
                tables[fact][normalize(phrase)] = ident
    for ident, examples in _synonym_lists(SYNONYMS_FILE):
        for fact, table in tables.items():
            if ident in vocab.values(fact):
                table.update((normalize(example), ident) for example in examples)
    return tables


def _synonym_lists(path: Path) -> Iterable[tuple[str, list[str]]]:
    if not path.exists():
        return []
    document = read_yaml(path) or {}
    return [
        (
            block["synonym"],
            [line.lstrip("- ").strip() for line in str(block.get("examples", "")).splitlines() if line.strip()],
        )
        for block in document.get("nlu", [])
        if isinstance(block, dict) and "synonym" in block
    ]


# Given the words before a phrase, whether that occurrence does not count (« je cherche un CDI »).
Unless = Callable[[Sequence[str]], bool]


def parse_choice(fact: str, value: Any, unless: Unless | None = None) -> str | None:
    """The identifier of ``fact`` (statut, contrat, besoin, secteur) that ``value`` names, or None.

    An exact phrase wins; otherwise the longest known phrase found inside the text
    (« je suis en CDD depuis mars » → cdd), leaving out the occurrences ``unless`` rejects.
    """
    if value is None or isinstance(value, bool):
        return None
    table = _phrases()[fact]
    text = normalize(str(value))[:300]
    if text in table:
        return table[text]
    padded = f" {text} "
    found = [(len(phrase), ident) for phrase, ident in table.items() if phrase and affirmed(phrase, padded, unless)]
    if not found:
        return None
    longest = max(found)[0]
    best = {ident for length, ident in found if length == longest}
    return best.pop() if len(best) == 1 else None


def affirmed(phrase: str, padded: str, unless: Unless | None = None) -> bool:
    """``phrase`` occurs in ``padded`` at least once without a negation just before or after it
    (and, given ``unless``, without the words before it that ``unless`` rejects).

    « je suis plus au lycée » (no longer), « je suis pas salarié », « je bosse plus »: naming a
    situation to deny it must not put the person in it — a dropout was sent to the CIO for
    « au lycée ». A denied situation stays unknown, so the bot asks.
    """
    needle = f" {phrase} "
    start = padded.find(needle)
    while start != -1:
        before = padded[:start].split()
        if unless is not None and unless(before):
            start = padded.find(needle, start + 1)
            continue
        while before and before[-1] in _LINKS:  # « plus en CDD », « pas au lycée »
            before.pop()
        after = padded[start + len(needle) :].split()[:1]  # « je bosse plus »
        if (not before or before[-1] not in _NEGATIONS) and not set(after) & _NEGATIONS:
            return True
        start = padded.find(needle, start + 1)
    return False


def parse_flag(value: Any) -> bool:
    """RQTH / cadre entities: any value the NLU extracted means « yes »."""
    if isinstance(value, bool):
        return value
    return bool(value) and normalize(str(value)) not in {"non", "false", "0", "aucun", "pas"}


def is_skip(value: Any) -> bool:
    return isinstance(value, str) and value == SKIP
