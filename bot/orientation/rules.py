"""Routing rules as data: loading, validating and evaluating ``data/orientation/rules.yml``.

Conditions are evaluated in three-valued logic. A fact the person has not given yet makes a
condition *unknown*: the engine then knows exactly which question to ask, and asks nothing it
does not need. A fact the person declined to give is ``unknown`` for good, and only rules that
say ``unknown`` for it can match — so the bot still recommends something sensible.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from bot.orientation.vocabulary import Vocabulary
from bot.wording import etoile_info
from bot.yamlio import read_yaml

UNKNOWN = "unknown"
# Facts the bot may ask about, in the order it asks them.
ASKABLE = ("besoin", "statut", "age", "contrat", "secteur", "cadre")
# Yes/no facts. Unsaid, they count as « no » — except where the rules file's « ask » says the
# answer changes the door (a salaried cadre goes to the Apec): there the bot asks. Nobody is
# ever asked about a disability.
FLAGS = ("handicap", "cadre")
FACTS = (*ASKABLE, "handicap")
# The CEP levels in force since 1 January 2020 (arrêté du 29 mars 2019): accueil, accompagnement.
CEP_LEVELS = (1, 2)


class RulesError(ValueError):
    """The rules file is wrong; the message says where and how, for an editor to fix."""


class Tri(Enum):
    TRUE = "true"
    FALSE = "false"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Condition:
    """One fact's test: a set of accepted values (possibly ``unknown``), an exclusion, or an age range."""

    fact: str
    accepted: frozenset[Any] | None = None
    excluded: frozenset[Any] | None = None
    age_min: int | None = None
    age_max: int | None = None

    def accepts(self, value: Any) -> bool:
        if self.accepted is not None:
            return value in self.accepted
        if self.excluded is not None:
            return value not in self.excluded
        if value == UNKNOWN:
            return False
        return (self.age_min is None or value >= self.age_min) and (self.age_max is None or value <= self.age_max)

    def evaluate(self, facts: Mapping[str, Any], declined: frozenset[str]) -> Tri:
        value = facts.get(self.fact)
        if value is None:
            if self.fact in declined:
                value = UNKNOWN
            else:
                return Tri.UNKNOWN
        return Tri.TRUE if self.accepts(value) else Tri.FALSE


@dataclass(frozen=True)
class AlternativeRule:
    door: str
    reason: str
    when: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class Rule:
    id: str
    when: tuple[Condition, ...]
    door: str
    reason: str
    next_steps: tuple[str, ...]
    alternatives: tuple[AlternativeRule, ...] = ()
    cep_level: int | str | None = "default"

    def evaluate(self, facts: Mapping[str, Any], declined: frozenset[str]) -> tuple[Tri, set[str]]:
        """All conditions hold (TRUE), one fails (FALSE), or some depend on facts still unknown."""
        unknown: set[str] = set()
        for condition in self.when:
            result = condition.evaluate(facts, declined)
            if result is Tri.FALSE:
                return Tri.FALSE, set()
            if result is Tri.UNKNOWN:
                unknown.add(condition.fact)
        return (Tri.UNKNOWN, unknown) if unknown else (Tri.TRUE, set())


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    cep_by_need: Mapping[str, int | None]
    cep_not_for_statuts: frozenset[str]
    cep_operators: frozenset[str]
    no_structure_steps: tuple[str, ...]
    no_contact_steps: tuple[str, ...] = ()
    outside_directory: frozenset[str] = frozenset()
    # flag → the conditions under which the bot asks it rather than taking « no » (« ask »).
    ask_flags: Mapping[str, tuple[Condition, ...]] = field(default_factory=dict)
    # door → why it is named when the person has not said whether they have a disability and the
    # rules would send a person with an RQTH there (« if_handicap_unknown »).
    handicap_unknown: Mapping[str, str] = field(default_factory=dict)

    def cep_level(self, rule: Rule, besoin: str, statut: str | None) -> int | None:
        """1 or 2 at a CEP operator's door, ``None`` elsewhere and for pupils and students."""
        if statut in self.cep_not_for_statuts or rule.door not in self.cep_operators:
            return None
        if rule.cep_level != "default":
            return rule.cep_level  # type: ignore[return-value]
        return self.cep_by_need.get(besoin)


def _condition(fact: str, spec: Any, vocabulary: Vocabulary, where: str) -> Condition:
    if fact not in FACTS:
        raise RulesError(f"{where}: condition inconnue « {fact} » (attendu : {', '.join(FACTS)})")
    if fact in FLAGS:
        if not isinstance(spec, bool):
            raise RulesError(f"{where}: « {fact} » doit valoir true ou false")
        return Condition(fact, accepted=frozenset({spec}))
    if fact == "age":
        if spec == UNKNOWN:
            return Condition(fact, accepted=frozenset({UNKNOWN}))
        if not isinstance(spec, dict) or not spec or set(spec) - {"min", "max"}:
            raise RulesError(f"{where}: « age » s'écrit {{min: N, max: N}} ou unknown")
        low, high = spec.get("min"), spec.get("max")
        if any(
            v is not None and (not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= 120) for v in (low, high)
        ):
            raise RulesError(f"{where}: les bornes d'âge sont des nombres entiers entre 0 et 120")
        if low is not None and high is not None and low > high:
            raise RulesError(f"{where}: âge minimum {low} supérieur au maximum {high}")
        return Condition(fact, age_min=low, age_max=high)
    allowed = vocabulary.values(fact) | {UNKNOWN}
    negate = isinstance(spec, dict)
    if negate and set(spec) != {"not"}:
        raise RulesError(f"{where}: « {fact} » s'écrit [valeur, …] ou {{not: [valeur, …]}}")
    values = spec["not"] if negate else spec
    values = [values] if isinstance(values, str) else values
    if not isinstance(values, list) or not values:
        raise RulesError(f"{where}: « {fact} » attend une liste de valeurs")
    unknown_values = [v for v in values if v not in allowed]
    if unknown_values:
        raise RulesError(f"{where}: valeur inconnue pour « {fact} » : {', '.join(map(str, unknown_values))}")
    return Condition(fact, excluded=frozenset(values)) if negate else Condition(fact, accepted=frozenset(values))


def _conditions(spec: Any, vocabulary: Vocabulary, where: str) -> tuple[Condition, ...]:
    if spec is None:
        return ()
    if not isinstance(spec, dict):
        raise RulesError(f"{where}: « when » doit être une liste de conditions « fait: valeurs »")
    return tuple(_condition(fact, value, vocabulary, f"{where}, {fact}") for fact, value in spec.items())


def _door(door: Any, vocabulary: Vocabulary, where: str) -> str:
    if door not in vocabulary.doors:
        raise RulesError(f"{where}: porte inconnue « {door} »")
    return door


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RulesError(f"{where}: texte manquant")
    return value.strip()


def parse_rules(document: Mapping[str, Any], vocabulary: Vocabulary) -> RuleSet:
    """Build and validate a RuleSet; every problem is reported with the rule it is in."""
    raw_rules = document.get("routing")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise RulesError("le fichier doit contenir une liste « routing »")
    seen: set[str] = set()
    rules = []
    for index, raw in enumerate(raw_rules, start=1):
        if not isinstance(raw, dict) or "id" not in raw:
            raise RulesError(f"règle n° {index}: identifiant « id » manquant")
        where = f"règle « {raw['id']} »"
        if raw["id"] in seen:
            raise RulesError(f"{where}: identifiant en double")
        seen.add(raw["id"])
        unknown_keys = set(raw) - {"id", "when", "door", "reason", "next_steps", "alternatives", "cep_level"}
        if unknown_keys:
            raise RulesError(f"{where}: clé inconnue {', '.join(sorted(unknown_keys))}")
        cep = raw.get("cep_level", "default")
        if cep not in ("default", None, *CEP_LEVELS):
            raise RulesError(f"{where}: cep_level vaut 1, 2 ou null")
        steps = raw.get("next_steps") or []
        if not isinstance(steps, list) or not steps:
            raise RulesError(f"{where}: au moins une étape dans « next_steps »")
        alternatives = tuple(
            AlternativeRule(
                door=_door(alt.get("door"), vocabulary, f"{where}, alternative n° {n}"),
                reason=_text(alt.get("reason"), f"{where}, alternative n° {n}"),
                when=_conditions(alt.get("when"), vocabulary, f"{where}, alternative n° {n}"),
            )
            for n, alt in enumerate(raw.get("alternatives") or [], start=1)
        )
        rules.append(
            Rule(
                id=str(raw["id"]),
                when=_conditions(raw.get("when"), vocabulary, where),
                door=_door(raw.get("door"), vocabulary, where),
                reason=_text(raw.get("reason"), where),
                next_steps=tuple(_text(s, f"{where}, next_steps") for s in steps),
                alternatives=alternatives,
                cep_level=cep,
            )
        )
    ask = document.get("ask") or {}
    if not isinstance(ask, dict) or set(ask) - {"cadre"}:
        raise RulesError("ask : seul « cadre » peut être demandé (jamais le handicap)")
    unknown_handicap = document.get("if_handicap_unknown") or {}
    if not isinstance(unknown_handicap, dict):
        raise RulesError("if_handicap_unknown : une liste « porte: phrase »")
    cep = document.get("cep") or {}
    by_need = cep.get("by_need") or {}
    wrong = sorted(need for need, level in by_need.items() if level not in (None, *CEP_LEVELS))
    if wrong:
        raise RulesError(f"cep.by_need: l'étape CEP vaut 1, 2 ou null (deux niveaux depuis 2020) : {', '.join(wrong)}")
    missing = set(vocabulary.besoins) - set(by_need)
    if missing:
        raise RulesError(f"cep.by_need: étape CEP manquante pour {', '.join(sorted(missing))}")
    return RuleSet(
        rules=tuple(rules),
        cep_by_need=by_need,
        cep_not_for_statuts=frozenset(cep.get("not_for_statuts") or ()),
        cep_operators=frozenset(_door(d, vocabulary, "cep.operators") for d in cep.get("operators") or ()),
        no_structure_steps=tuple(document.get("when_no_structure") or ()),
        no_contact_steps=tuple(document.get("when_no_contact") or ()),
        outside_directory=frozenset(
            _door(d, vocabulary, "doors_outside_directory") for d in document.get("doors_outside_directory") or ()
        ),
        ask_flags={flag: _conditions(when, vocabulary, f"ask, {flag}") for flag, when in ask.items()},
        handicap_unknown={
            _door(door, vocabulary, "if_handicap_unknown"): _text(reason, f"if_handicap_unknown, {door}")
            for door, reason in unknown_handicap.items()
        },
    )


def load_rules(path: Path, vocabulary: Vocabulary) -> RuleSet:
    """The rules, with ``{etoile_phone}`` and ``{etoile_site}`` read from the one place they are
    written (``data/orientation/messages.yml``)."""
    etoile = etoile_info()
    return parse_rules(
        _filled(read_yaml(path), {"{etoile_phone}": etoile.phone, "{etoile_site}": etoile.site_name}), vocabulary
    )


def _filled(value: Any, names: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        for name, text in names.items():
            value = value.replace(name, text)
        return value
    if isinstance(value, list):
        return [_filled(v, names) for v in value]
    if isinstance(value, dict):
        return {k: _filled(v, names) for k, v in value.items()}
    return value


def matching_alternatives(rule: Rule, facts: Mapping[str, Any], declined: Iterable[str]) -> list[AlternativeRule]:
    """Alternatives are shown only when they are known to apply (never on a guess)."""
    declined = frozenset(declined)
    return [
        alt
        for alt in rule.alternatives
        if all(c.evaluate(facts, declined) is Tri.TRUE for c in alt.when) and alt.door != rule.door
    ]
