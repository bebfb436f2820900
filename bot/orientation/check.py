"""Proof that the rules file is complete and has no dead rule (``make validate``, the tests).

The fact space is small enough to enumerate: every situation × need, with representative ages
(each side of every age bound in the file), both flags (« unsaid » too for the one the rules may ask), each contract and sector,
and « declined » for every askable fact. Every point must reach a rule, and every rule must win somewhere.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from bot.orientation.engine import decide
from bot.orientation.model import Profile
from bot.orientation.rules import RuleSet
from bot.orientation.vocabulary import Vocabulary


@dataclass
class CheckReport:
    points: int = 0
    unresolved: list[str] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)
    stutters: list[str] = field(default_factory=list)
    wins: Counter[str] = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not self.unresolved and not self.unreachable and not self.stutters

    def errors(self) -> list[str]:
        out = [f"combinaison sans règle : {point}" for point in self.unresolved[:20]]
        if len(self.unresolved) > 20:
            out.append(f"… et {len(self.unresolved) - 20} autres combinaisons sans règle")
        out += [
            f"règle inatteignable (une règle plus haut couvre déjà tous ses cas) : {rule}" for rule in self.unreachable
        ]
        out += [
            f"{where} : la raison répète le nom de la porte, déjà écrit devant (« Transitions Pro. Transitions Pro… »)"
            for where in self.stutters
        ]
        return out


def representative_ages(rules: RuleSet) -> list[int]:
    """One age on each side of every bound used anywhere in the file."""
    bounds = {14, 30}
    for rule in rules.rules:
        for condition in rule.when + tuple(c for alt in rule.alternatives for c in alt.when):
            if condition.age_min is not None:
                bounds |= {condition.age_min - 1, condition.age_min}
            if condition.age_max is not None:
                bounds |= {condition.age_max, condition.age_max + 1}
    return sorted(a for a in bounds if 0 <= a <= 120)


def grid(rules: RuleSet, vocabulary: Vocabulary) -> Iterator[tuple[Profile, str]]:
    ages: list[int | None] = [None, *representative_ages(rules)]
    for statut, besoin, age, handicap, cadre, contrat, secteur in itertools.product(
        [None, *vocabulary.statuts],
        list(vocabulary.besoins),
        ages,
        (False, True),  # an unsaid disability is « no »: never asked
        (None, False, True),
        [None, *vocabulary.contrats],
        [None, *vocabulary.secteurs],
    ):
        profile = Profile(statut=statut, age=age, handicap=handicap, cadre=cadre, contrat=contrat, secteur=secteur)
        yield profile, besoin


def check_rules(rules: RuleSet, vocabulary: Vocabulary) -> CheckReport:
    report = CheckReport()
    for profile, besoin in grid(rules, vocabulary):
        report.points += 1
        declined = [f for f in ("statut", "age", "contrat", "secteur", "cadre") if getattr(profile, f) is None]
        decision = decide(rules, profile, besoin, declined)
        if decision.rule is None:
            report.unresolved.append(f"{besoin} / {profile}")
        else:
            report.wins[decision.rule.id] += 1
    report.unreachable = [r.id for r in rules.rules if report.wins[r.id] == 0]
    report.stutters = stutters(rules, vocabulary)
    return report


def stutters(rules: RuleSet, vocabulary: Vocabulary) -> list[str]:
    """Alternatives whose reason opens with their door's name: the answer shows « Door. reason »."""
    found = []
    for rule in rules.rules:
        for alt in rule.alternatives:
            name = vocabulary.door_short(alt.door).lower()
            opening = alt.reason.lower().removeprefix("le ").removeprefix("la ").removeprefix("l'")
            if opening.startswith(name):
                found.append(f"règle {rule.id}, autre possibilité {alt.door}")
    return found
