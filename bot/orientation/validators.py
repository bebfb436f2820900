"""A fact that changes the door needs evidence in the message: pure functions on plain values.

DIET tags words, and a single wrong tag decided the door: « s’il est possible d’utiliser mon CPF »
came out as a disability and the person was sent to Cap emploi (issue 12). So a value for
``handicap``, ``cadre``, ``statut``, ``contrat`` or ``age`` is kept only when the message carries a
cue for it (``data/orientation/indices.yml``, the vocabulary and the NLU synonyms), or when it
answers the question the bot asked. A contract or a situation the person is *looking for*
(« je cherche un emploi en intérim », « je veux un CDI ») is not theirs.

No Rasa here: ``actions/forms.py`` passes the values in and sets what comes back, and the tests
call these functions on dictionaries.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bot.orientation.facts import NUMBER_WORDS, affirmed, normalize, parse_age, parse_choice
from bot.orientation.vocabulary import vocabulary
from bot.paths import DATA_DIR
from bot.yamlio import read_yaml

LEXICON_FILE = DATA_DIR / "orientation" / "indices.yml"
FLAGS = ("handicap", "cadre")
# The facts that decide the door and so need evidence.
EVIDENCED = ("handicap", "cadre", "statut", "contrat", "age")
PARENT = "parent"


@dataclass(frozen=True)
class Lexicon:
    """``data/orientation/indices.yml``, read once."""

    cues: Mapping[str, tuple[str, ...]]
    exceptions: Mapping[str, tuple[str, ...]]
    seeking: tuple[str, ...]
    reach: int
    age_units: tuple[str, ...]
    age_not_after: tuple[str, ...]
    age_not_followed_by: frozenset[str]
    age_before: tuple[str, ...]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = read_yaml(LEXICON_FILE) or {}

    def phrases(items: Any) -> tuple[str, ...]:
        return tuple(normalize(str(p)) for p in items or ())

    return Lexicon(
        cues={fact: phrases(data[fact]["indices"]) for fact in FLAGS},
        exceptions={fact: phrases(data[fact].get("sauf")) for fact in FLAGS},
        seeking=phrases(data["recherche"]["mots"]),
        reach=int(data["recherche"]["portee"]),
        age_units=phrases(data["age"]["unites"]),
        age_not_after=phrases(data["age"]["pas_apres"]),
        age_not_followed_by=frozenset(phrases(data["age"]["pas_suivi_de"])),
        age_before=phrases(data["age"]["avant_le_nombre"]),
    )


def seeking(before: Sequence[str]) -> bool:
    """Whether the words just before a fact say the person is looking for it."""
    window = f" {' '.join(before[-lexicon().reach :])} "
    return any(f" {marker} " in window for marker in lexicon().seeking)


def _padded(message: str) -> str:
    return f" {normalize(message)[:2000]} "


def has_cue(fact: str, message: str) -> bool:
    """``handicap`` or ``cadre``: the message names it, not negated, not as something sought."""
    padded = _padded(message)
    for exception in lexicon().exceptions[fact]:
        padded = padded.replace(f" {exception} ", " | ")
    unless = seeking if fact == "cadre" else None
    return any(affirmed(cue, padded, unless) for cue in lexicon().cues[fact])


def ages_in(message: str) -> list[int]:
    """The ages a message states: « j’ai 19 ans », « g 20an », « seize ans », « j’en ai 32 »;
    not « depuis 15 ans », « 10 ans d’expérience »."""
    lex = lexicon()
    number = r"\d{1,2}|(?:(?:" + "|".join(NUMBER_WORDS) + r")(?: et)? ?)+"
    units = "|".join(re.escape(u) for u in lex.age_units)
    leads = "|".join(re.escape(w) for w in lex.age_before)
    text = normalize(message)[:2000]
    found = []
    pattern = rf"(?<![\w])(?:({number}) ?(?:{units})\b|(?:{leads}) ({number})\b)"
    for match in re.finditer(pattern, text):
        before = f" {text[: match.start()]}"
        after = text[match.end() :].split()[:1]
        if any(before.endswith(f" {word} ") for word in lex.age_not_after):
            continue
        if set(after) & lex.age_not_followed_by:
            continue
        age = parse_age(match.group(1) or match.group(2))
        if age is not None:
            found.append(age)
    return found


def statut_in(message: str) -> str | None:
    """The person's own situation the message names (a parent speaking for a child first)."""
    padded = _padded(message)
    if any(f" {normalize(p)} " in padded for p in vocabulary().statuts[PARENT].get("phrases", ())):
        return PARENT
    return parse_choice("statut", message, unless=seeking)


def contrat_in(message: str) -> str | None:
    """The person's own contract the message names — not the one they look for."""
    return parse_choice("contrat", message, unless=seeking)


def _evidence(fact: str, value: Any, message: str) -> Any:
    """The value ``message`` supports for ``fact`` (``value`` is the NLU's tag), or None.

    A situation or a contract is read from the words of the message (the tag may be a fragment,
    « demandeur », or a stray « J’ »): the message's own reading, when it has one, is the value.
    """
    if fact in FLAGS:
        return value if has_cue(fact, message) else None
    if fact == "age":
        age = parse_age(value)
        return value if age is not None and age in ages_in(message) else None
    if fact == "statut":
        return statut_in(message)
    return contrat_in(message)


def screen(slots: Mapping[str, Any], message: str | None, requested_slot: str | None) -> dict[str, Any]:
    """The values this message would set (``slots``: entities, typed text), each with its evidence.

    A door-deciding value without a cue in the message becomes None, unless it answers the
    question asked (``requested_slot``). Button payloads and typed ``/intent{…}`` (``message``
    None) are explicit choices: they pass as they are, and the fact validators check them.
    """
    if message is None:
        return dict(slots)
    screened = dict(slots)
    for fact, value in slots.items():
        if fact in EVIDENCED and fact != requested_slot and value is not None:
            screened[fact] = _evidence(fact, value, message)
    return screened


def stated(known: Mapping[str, Any], message: str | None) -> dict[str, Any]:
    """The facts the message states by a cue alone, when the NLU tagged nothing for them.

    « j’ai arrêté le lycée », « ma fille de 17 ans », « je suis en CDD », « j’ai la RQTH », « mon
    entreprise de plomberie » (a craft), a typed button title (« Sorti de l’école »). Never over a
    value already ``known``.
    """
    if message is None:
        return {}
    found: dict[str, Any] = {}
    for fact in (*EVIDENCED, "secteur"):
        if known.get(fact) is not None:
            continue
        if fact in FLAGS:
            value: Any = True if has_cue(fact, message) else None
        elif fact == "age":
            ages = ages_in(message)
            value = ages[0] if ages else None
        elif fact == "statut":
            value = statut_in(message)
        elif fact == "secteur":
            value = parse_choice("secteur", message)
        else:
            value = contrat_in(message)
        if value is not None:
            found[fact] = value
    return found
