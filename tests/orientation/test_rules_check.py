"""The rules file is checked: complete, no dead rule, no unknown door, clear messages for editors."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from bot.orientation.check import check_rules
from bot.orientation.engine import RULES_FILE
from bot.orientation.rules import RulesError, parse_rules
from bot.orientation.vocabulary import vocabulary
from bot.yamlio import read_yaml

DOCUMENT = read_yaml(RULES_FILE)


def parsed(document: dict):
    return parse_rules(document, vocabulary())


def test_the_committed_rules_resolve_every_combination_and_have_no_dead_rule() -> None:
    report = check_rules(parsed(DOCUMENT), vocabulary())
    assert report.points > 10_000
    assert report.ok, report.errors()


def with_rule(rule: dict, at: int = 0) -> dict:
    document = copy.deepcopy(DOCUMENT)
    document["routing"].insert(at, rule)
    return document


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"id": "x", "door": "pole_emploi", "reason": "r", "next_steps": ["s"]}, "porte inconnue « pole_emploi »"),
        (
            {"id": "x", "when": {"statut": ["chomeur"]}, "door": "cio", "reason": "r", "next_steps": ["s"]},
            "valeur inconnue pour « statut » : chomeur",
        ),
        (
            {"id": "x", "when": {"age": {"min": 30, "max": 20}}, "door": "cio", "reason": "r", "next_steps": ["s"]},
            "âge minimum 30 supérieur au maximum 20",
        ),
        ({"id": "x", "when": {"age": "jeune"}, "door": "cio", "reason": "r", "next_steps": ["s"]}, "« age » s'écrit"),
        (
            {"id": "x", "when": {"humeur": ["triste"]}, "door": "cio", "reason": "r", "next_steps": ["s"]},
            "condition inconnue « humeur »",
        ),
        (
            {"id": "x", "when": {"handicap": "oui"}, "door": "cio", "reason": "r", "next_steps": ["s"]},
            "« handicap » doit valoir true ou false",
        ),
        ({"id": "x", "door": "cio", "reason": "r", "next_steps": []}, "au moins une étape"),
        ({"id": "x", "door": "cio", "reason": "", "next_steps": ["s"]}, "texte manquant"),
        ({"id": "scolaire", "door": "cio", "reason": "r", "next_steps": ["s"]}, "identifiant en double"),
        (
            {
                "id": "x",
                "door": "cio",
                "reason": "r",
                "next_steps": ["s"],
                "alternatives": [{"door": "fongecif", "reason": "r"}],
            },
            "porte inconnue « fongecif »",
        ),
    ],
)
def test_malformed_rules_are_rejected_with_a_clear_message(rule: dict, message: str) -> None:
    with pytest.raises(RulesError, match=message):
        parsed(with_rule(rule))


def test_a_rule_hidden_by_an_earlier_one_is_reported_as_unreachable() -> None:
    hidden = {"id": "trop_tard", "when": {"statut": ["scolaire"]}, "door": "suio", "reason": "r", "next_steps": ["s"]}
    report = check_rules(parsed(with_rule(hidden, at=len(DOCUMENT["routing"]) - 1)), vocabulary())
    assert report.unreachable == ["trop_tard"]
    assert "règle inatteignable" in report.errors()[0]


def test_a_combination_without_rule_is_reported() -> None:
    document = copy.deepcopy(DOCUMENT)
    document["routing"] = [r for r in document["routing"] if r["id"] not in {"etoile_info", "parent_enfant_majeur"}]
    report = check_rules(parsed(document), vocabulary())
    assert not report.ok
    assert any("combinaison sans règle" in e for e in report.errors())


def test_validate_command_reports_a_broken_rules_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from bot import validation

    data = tmp_path / "data"
    shutil.copytree(Path(RULES_FILE).parents[1], data)
    broken = (
        (data / "orientation" / "rules.yml").read_text(encoding="utf-8").replace("door: cria", "door: illettrisme", 1)
    )
    (data / "orientation" / "rules.yml").write_text(broken, encoding="utf-8")
    monkeypatch.setattr(validation, "RULES_FILE", data / "orientation" / "rules.yml")
    problems = validation.validate_project()
    assert problems == ["rules.yml : règle « competences_base »: porte inconnue « illettrisme »"]
