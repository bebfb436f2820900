"""The routing engine: (profile, need, place) → Recommendation. Pure: no Rasa, no SQL.

The caller passes the directory lookup in, so the same engine serves the bot, the command line
and the tests, each with the directory it has.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from typing import Any

from bot.orientation.model import Alternative, Place, Profile, Recommendation, Structure
from bot.orientation.rules import ASKABLE, FLAGS, Rule, RuleSet, Tri, load_rules, matching_alternatives
from bot.orientation.vocabulary import vocabulary
from bot.paths import DATA_DIR

RULES_FILE = DATA_DIR / "orientation" / "rules.yml"

# (door, place) → the structure serving that place (or the nearest one), or None.
Lookup = Callable[[str, Place], "Structure | None"]


@dataclass(frozen=True)
class Decision:
    """Either the deciding rule, or the facts still needed to find it (in asking order)."""

    rule: Rule | None
    missing: tuple[str, ...] = ()


def _facts(rules: RuleSet, profile: Profile, besoin: str | None, declined: frozenset[str]) -> dict[str, Any]:
    """The profile as the conditions read it: an unsaid flag is « no », unless the rules ask it here."""
    facts = {**asdict(profile), "besoin": besoin}
    for flag in FLAGS:
        asked = flag in rules.ask_flags and flag not in declined
        if facts[flag] is None and not (
            asked and all(c.evaluate(facts, declined) is Tri.TRUE for c in rules.ask_flags[flag])
        ):
            facts[flag] = False
    return facts


def decide(rules: RuleSet, profile: Profile, besoin: str | None, declined: Iterable[str] = ()) -> Decision:
    """First rule that holds; stop at the first one that depends on a fact not known yet."""
    declined = frozenset(declined)
    facts = _facts(rules, profile, besoin, declined)
    for rule in rules.rules:
        result, unknown = rule.evaluate(facts, declined)
        if result is Tri.TRUE:
            return Decision(rule)
        if result is Tri.UNKNOWN:
            return Decision(None, tuple(f for f in ASKABLE if f in unknown))
    return Decision(None)


def missing_facts(
    rules: RuleSet, profile: Profile, besoin: str | None, declined: Iterable[str] = ()
) -> tuple[str, ...]:
    """What the bot still has to ask before it can name the door (empty when it can)."""
    if besoin is None and "besoin" not in declined:
        return ("besoin",)
    return decide(rules, profile, besoin, declined).missing


def recommend(
    rules: RuleSet,
    profile: Profile,
    besoin: str,
    place: Place,
    lookup: Lookup,
) -> Recommendation:
    """The recommendation for what is known: every fact still missing counts as declined."""
    given = {**asdict(profile), "besoin": besoin}
    declined = frozenset(f for f in ASKABLE if given[f] is None)
    facts = _facts(rules, profile, besoin, declined)
    rule = decide(rules, profile, besoin, declined).rule
    if rule is None:
        raise LookupError(f"aucune règle ne s'applique à {facts!r}")  # the rules check forbids this
    structure = None if rule.door in rules.outside_directory else lookup(rule.door, place)
    steps = rule.next_steps
    if structure is None and rule.door not in rules.outside_directory:
        steps += rules.no_structure_steps
    elif structure is not None and not (structure.phone or structure.email or structure.url):
        steps += rules.no_contact_steps
    return Recommendation(
        door=rule.door,
        cep_level=rules.cep_level(rule, besoin, profile.statut),
        territory=place.territory,
        structure=structure,
        reason=rule.reason,
        next_steps=steps,
        alternatives=tuple(
            Alternative(door, reason, None if door in rules.outside_directory else lookup(door, place))
            for door, reason in _alternatives(rules, rule, profile, besoin, facts, declined)
        ),
        rule=rule.id,
    )


def _alternatives(
    rules: RuleSet, rule: Rule, profile: Profile, besoin: str, facts: dict[str, Any], declined: frozenset[str]
) -> list[tuple[str, str]]:
    """The (door, reason) of the rule's alternatives that apply; and, when nobody said whether there
    is a disability (the bot never asks), the door a person with an RQTH would be sent to, said for whom."""
    found = [(a.door, a.reason) for a in matching_alternatives(rule, facts, declined)]
    if profile.handicap is None and rules.handicap_unknown:
        with_rqth = decide(rules, replace(profile, handicap=True), besoin, declined).rule
        door = with_rqth.door if with_rqth else None
        if door in rules.handicap_unknown and door != rule.door and all(d != door for d, _ in found):
            found.append((door, rules.handicap_unknown[door]))
    return found


@lru_cache(maxsize=1)
def default_rules() -> RuleSet:
    """The editors' rules file, read once per process."""
    return load_rules(RULES_FILE, vocabulary())
