"""Problems the studio shows before anything is saved.

Errors block the save (an example already taught to another intent, a bad annotation, a missing
answer, a bad name); warnings (too few examples) can be accepted by the editor knowingly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.studio.project import INTENT_NAME, Project, annotations, normalized

MIN_EXAMPLES = 2  # Rasa cannot learn an intent from fewer
ADVISED_EXAMPLES = 8  # below this, the intent is usually recognised poorly


TOO_FEW_EXAMPLES = "too_few_examples"  # the inbox adds one example at a time: it ignores this one


@dataclass(frozen=True)
class Problem:
    code: str  # what went wrong, for code that must tell problems apart (never the French message)
    field: str  # the form field it concerns: its message is tied to it (aria-describedby)
    message: str
    blocking: bool = True


def slug(text: str) -> str:
    """An intent name from what an editor typed: « Horaires d'Étoile Info » → horaires_d_etoile_info."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"_+", "_", re.sub(r"[^a-z0-9]+", "_", ascii_text)).strip("_")


def split_lines(text: str) -> list[str]:
    """Examples typed one per line (a leading « - » is tolerated), blanks and repeats dropped."""
    seen: set[str] = set()
    out = []
    for line in text.splitlines():
        line = re.sub(r"^\s*-\s+", "", line).strip()
        if line and normalized(line) not in seen:
            seen.add(normalized(line))
            out.append(line)
    return out


def control_characters(text: str) -> bool:
    """Characters no one types (a NUL, an escape…): YAML refuses them, so the file could not be
    written. Line breaks and tabs are ordinary."""
    return any(unicodedata.category(char) == "Cc" and char not in "\n\r\t" for char in text)


CONTROL_MESSAGE = "contient un caractère invisible qui ne peut pas être enregistré : retapez le texte."


def check_examples(project: Project, intent: str, examples: list[str], field: str = "examples") -> list[Problem]:
    problems: list[Problem] = []
    for example in examples:
        if control_characters(example):
            problems.append(
                Problem(
                    "control_character", field, f"« {example.encode('unicode_escape').decode()} » {CONTROL_MESSAGE}"
                )
            )
    if problems:
        return problems
    owners: dict[str, str] = {}
    for other in project.intents().values():
        if other.name != intent:
            for example in other.examples:
                owners.setdefault(normalized(example), other.name)
    entities = set(project.entities())
    for example in examples:
        owner = owners.get(normalized(example))
        if owner:
            problems.append(
                Problem("duplicate_example", field, f"« {example} » est déjà un exemple de l'intention {owner}.")
            )
        for annotation in annotations(example):
            if annotation.error:
                problems.append(Problem("bad_annotation", field, f"« {example} » : {annotation.error}."))
            elif annotation.entity not in entities:
                problems.append(
                    Problem(
                        "unknown_entity",
                        field,
                        f"« {example} » : l'entité « {annotation.entity} » n'existe pas dans le domaine.",
                    )
                )
    if len(examples) < MIN_EXAMPLES:
        problems.append(
            Problem(TOO_FEW_EXAMPLES, field, f"Il faut au moins {MIN_EXAMPLES} exemples pour que le bot apprenne.")
        )
    elif len(examples) < ADVISED_EXAMPLES:
        problems.append(
            Problem(
                "few_examples",
                field,
                f"Seulement {len(examples)} exemples : avec moins de {ADVISED_EXAMPLES} exemples variés, "
                "le bot reconnaîtra mal cette intention.",
                blocking=False,
            )
        )
    return problems


def check_new_intent(
    project: Project, name: str, examples: list[str], kind: str, answer: str, need: str
) -> list[Problem]:
    problems: list[Problem] = []
    if not INTENT_NAME.fullmatch(name):
        problems.append(
            Problem(
                "bad_name",
                "name",
                "Le nom doit commencer par une lettre et compter de 3 à 64 lettres, chiffres ou « _ ».",
            )
        )
    elif name in project.intents() or project.has_response(name):
        problems.append(Problem("name_taken", "name", f"L'intention {name} existe déjà : choisissez un autre nom."))
    if kind == "qa" and not answer.strip():
        problems.append(Problem("missing_answer", "answer", "Écrivez la réponse que le bot donnera à cette question."))
    if kind == "need" and need not in project.needs():
        problems.append(Problem("missing_need", "need", "Choisissez le besoin vers lequel orienter la personne."))
    if kind not in ("qa", "need"):
        problems.append(Problem("missing_kind", "kind", "Choisissez le type d'intention."))
    return problems + check_examples(project, name, examples)


def check_answer(text: str) -> list[Problem]:
    if control_characters(text):
        return [Problem("control_character", "answer", f"La réponse {CONTROL_MESSAGE}")]
    return [] if text.strip() else [Problem("empty_answer", "answer", "La réponse ne peut pas être vide.")]
