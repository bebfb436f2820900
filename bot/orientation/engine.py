"""The routing engine: (profile, need, place) → Recommendation. Pure: no Rasa, no SQL.

The caller passes the directory lookup in, so the same engine serves the bot, the command line
and the tests, each with the directory it has.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

from bot.orientation.model import Alternative, Place, Profile, Recommendation, Structure
from bot.orientation.rules import ASKABLE, Rule, RuleSet, Tri, load_rules, matching_alternatives
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


def _facts(profile: Profile, besoin: str | None) -> dict[str, Any]:
    return {**asdict(profile), "besoin": besoin}


def decide(rules: RuleSet, profile: Profile, besoin: str | None, declined: Iterable[str] = ()) -> Decision:
    """First rule that holds; stop at the first one that depends on a fact not known yet."""
    facts, declined = _facts(profile, besoin), frozenset(declined)
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
    facts = _facts(profile, besoin)
    declined = frozenset(f for f in ASKABLE if facts.get(f) is None)
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
            Alternative(a.door, a.reason, None if a.door in rules.outside_directory else lookup(a.door, place))
            for a in matching_alternatives(rule, facts, declined)
        ),
        rule=rule.id,
    )


@lru_cache(maxsize=1)
def default_rules() -> RuleSet:
    """The editors' rules file, read once per process."""
    return load_rules(RULES_FILE, vocabulary())
