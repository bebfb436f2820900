"""The problems shown before saving."""

from __future__ import annotations

from pathlib import Path

from bot.studio.checks import TOO_FEW_EXAMPLES, check_examples, check_new_intent, slug, split_lines
from bot.studio.project import Project


def messages(problems: list) -> str:
    return " | ".join(p.message for p in problems)


def test_an_example_already_taught_to_another_intent_is_refused(project_dir: Path) -> None:
    project = Project(project_dir)
    greeting = project.intents()["greet"].examples[0]
    problems = check_examples(project, "thank", [f"  {greeting.upper()} ", "merci", "merci bien"])
    assert any(p.blocking and "greet" in p.message for p in problems), messages(problems)


def test_too_few_examples_block_or_warn(project_dir: Path) -> None:
    project = Project(project_dir)
    one = check_examples(project, "nouvelle", ["une seule phrase"])
    assert any(p.blocking and p.code == TOO_FEW_EXAMPLES and "au moins 2" in p.message for p in one)
    three = check_examples(project, "nouvelle", ["phrase une", "phrase deux", "phrase trois"])
    assert three and not any(p.blocking for p in three), messages(three)


def test_bad_annotations_and_unknown_entities_are_errors(project_dir: Path) -> None:
    project = Project(project_dir)
    problems = check_examples(project, "x", ["j'habite à [Tours", "je suis [pompier](metier)", *["ok"] * 8])
    text = messages(problems)
    assert "crochets" in text
    assert "« metier » n'existe pas" in text


def test_a_new_question_needs_an_answer_and_a_free_name(project_dir: Path) -> None:
    project = Project(project_dir)
    examples = [f"question {i}" for i in range(8)]
    missing = check_new_intent(project, "horaires", examples, "qa", "  ", "")
    assert [p.field for p in missing] == ["answer"]
    taken = check_new_intent(project, "greet", examples, "qa", "Bonjour", "")
    assert [p.field for p in taken] == ["name"]
    need = check_new_intent(project, "besoin_permis", examples, "need", "", "pas_un_besoin")
    assert [p.field for p in need] == ["need"]
    assert check_new_intent(project, "besoin_permis", examples, "need", "", "financement_formation") == []


def test_names_and_lines_typed_by_an_editor() -> None:
    assert slug("Horaires d'Étoile Info !") == "horaires_d_etoile_info"
    assert split_lines("- bonjour\n\n  Bonjour \nsalut\n") == ["bonjour", "salut"]
