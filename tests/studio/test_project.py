"""Reading and writing the Rasa files: only the intended lines change, the rest stays byte for byte."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from bot.studio.project import Project, annotate, annotations, plain_text

QUESTIONS = [
    "quels sont les horaires d'Etoile Info",
    "à quelle heure ouvre Etoile Info",
    "Etoile Info est ouvert le samedi ?",
]


def git_diff(root: Path) -> str:
    subprocess.run(["git", "-C", str(root), "add", "-A", "-N"], check=True)
    return subprocess.run(["git", "-C", str(root), "diff", "-U0"], capture_output=True, text=True, check=True).stdout


def changed_lines(diff: str) -> list[str]:
    return [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def test_a_question_answer_adds_lines_and_changes_nothing_else(project_dir: Path) -> None:
    project = Project(project_dir)
    project.create_intent("horaires_etoile", QUESTIONS, "qa", answer='Appelez « Etoile Info » au "0 800 222 100".')
    lines = changed_lines(git_diff(project_dir))
    assert all(line.startswith("+") for line in lines), lines  # nothing removed or rewritten
    assert "+  - horaires_etoile" in lines
    assert '+    - text: "Appelez « Etoile Info » au \\"0 800 222 100\\"."' in lines
    assert "+      - action: utter_horaires_etoile" in lines
    assert project.intents()["horaires_etoile"].examples == QUESTIONS
    assert project.answer("horaires_etoile") == 'Appelez « Etoile Info » au "0 800 222 100".'
    domain = YAML(typ="safe").load(project.domain_path.read_text(encoding="utf-8"))
    # Before the commented group of the guard's intents, which stays last.
    assert domain["intents"][-3:] == ["horaires_etoile", "other_language", "message_too_long"]


def test_a_new_need_is_routed_by_the_orientation_rules(project_dir: Path) -> None:
    project = Project(project_dir)
    project.create_intent(
        "besoin_permis", ["financer mon permis", "aide pour le permis B"], "need", need="financement_formation"
    )
    lines = changed_lines(git_diff(project_dir))
    assert all(line.startswith("+") for line in lines), lines
    assert "+      - {type: from_intent, intent: besoin_permis, value: financement_formation}" in lines
    assert "+          - intent: besoin_permis" in lines
    assert "besoin_permis" in project.routed_intents()


def test_editing_examples_rewrites_only_that_block(project_dir: Path) -> None:
    project = Project(project_dir)
    examples = project.intents()["thank"].examples
    project.set_examples("thank", [*examples[1:], "merci infiniment"])
    lines = changed_lines(git_diff(project_dir))
    assert lines == [f"-    - {examples[0]}", "+    - merci infiniment"]


def test_the_answer_of_a_studio_intent_can_be_changed(project_dir: Path) -> None:
    project = Project(project_dir)
    project.create_intent("horaires_etoile", QUESTIONS, "qa", answer="Ancienne réponse.")
    project.set_answer("horaires_etoile", "Nouvelle réponse.")
    assert project.answer("horaires_etoile") == "Nouvelle réponse."
    assert "Ancienne" not in project.domain_path.read_text(encoding="utf-8")


def test_annotations_are_read_and_written_in_rasa_syntax() -> None:
    example = 'je suis [salarié]{"entity": "statut", "value": "salarie"} à [Tours](commune)'
    found = annotations(example)
    assert [(a.text, a.entity, a.value) for a in found] == [
        ("salarié", "statut", "salarie"),
        ("Tours", "commune", None),
    ]
    assert plain_text(example) == "je suis salarié à Tours"
    assert annotations("je suis [salarié]{entity: statut}")[0].error
    assert annotations("j'habite à [Tours")[0].error
    assert annotations("j'habite à [Tours](commune")[0].error
    assert annotations("appelez le [téléphone] ou écrivez à [e-mail]") == []  # the inbox's redaction
    assert annotate("j'ai 19 ans", "19", "age") == "j'ai [19](age) ans"
    assert (
        annotate("je vis à Tours", "Tours", "commune", "Tours")
        == 'je vis à [Tours]{"entity": "commune", "value": "Tours"}'
    )
    with pytest.raises(ValueError):
        annotate("je vis à Tours", "Blois", "commune")


def test_an_intent_spread_over_several_files_keeps_its_blocks(project_dir: Path) -> None:
    project = Project(project_dir)
    examples = project.intents()["besoin_reconversion"].examples
    long_file = project_dir / "data" / "nlu" / "messages_longs.yml"
    long_ones = [e for e in examples if f"- {e}\n" in long_file.read_text(encoding="utf-8")]
    assert long_ones
    project.set_examples("besoin_reconversion", [*examples[1:], "je veux faire un autre métier"])
    lines = changed_lines(git_diff(project_dir))
    assert lines == [f"-    - {examples[0]}", "+    - je veux faire un autre métier"]
    assert project.intents()["besoin_reconversion"].examples.count(long_ones[-1]) == 1
