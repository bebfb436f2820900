"""The Rasa project the studio edits: NLU examples, the domain and the rules.

Files are read and written with ruamel.yaml's round-trip mode, so comments, key order, anchors,
quoting and flow-style mappings stay as the developers wrote them; only the changed values move.
Every write goes through a temporary file and a rename, so a crash never leaves half a file.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from bot.orientation.facts import SKIP

STUDIO_NLU_FILE = "questions_reponses.yml"
STUDIO_RULES_FILE = "questions_reponses.yml"
NEED_RULE = "besoin_lance_questions"  # the id (metadata) of the rule a new need is added to
INTENT_NAME = re.compile(r"[a-z][a-z0-9_]{2,63}")
# Rasa's annotation syntax: [text](entity), [text]{"entity": "e", "value": "v"}
ANNOTATION = re.compile(r"\[(?P<text>[^\[\]]*)\](?:\((?P<short>[^()]*)\)|(?P<json>\{[^{}]*\}))")
NEW_NLU_HEADER = (
    "# Questions-réponses ajoutées depuis le studio des éditeurs (docs/editeurs.md).\n"
    "# Un bloc par intention : ses exemples, tels que les personnes les écrivent.\n"
)
NEW_RULES_HEADER = "# Règles générées par le studio des éditeurs : une intention de question-réponse, sa réponse.\n"


@dataclass(frozen=True)
class Annotation:
    start: int  # in the plain text
    end: int
    text: str
    entity: str | None
    value: str | None
    error: str | None = None


@dataclass
class Intent:
    name: str
    file: Path
    examples: list[str] = field(default_factory=list)


def plain_text(example: str) -> str:
    """The example as a person typed it, without the entity markup."""
    return ANNOTATION.sub(lambda m: m.group("text"), example)


def normalized(example: str) -> str:
    """What makes two examples « the same » for the checks: case, spacing and markup aside."""
    return " ".join(plain_text(example).lower().split())


def annotations(example: str) -> list[Annotation]:
    """The entities marked in ``example``; a malformed one carries an ``error`` in French."""
    found: list[Annotation] = []
    plain_offset = 0
    last = 0
    for match in ANNOTATION.finditer(example):
        plain_offset += match.start() - last
        text = match.group("text")
        start, end = plain_offset, plain_offset + len(text)
        plain_offset = end
        last = match.end()
        entity = value = error = None
        if match.group("short") is not None:
            entity = match.group("short").strip() or None
        else:
            try:
                spec = json.loads(match.group("json"))
                entity = spec.get("entity") if isinstance(spec, dict) else None
                value = spec.get("value") if isinstance(spec, dict) else None
            except json.JSONDecodeError:
                error = f"annotation illisible : {match.group(0)}"
        if not error and not entity:
            error = f"annotation sans entité : {match.group(0)}"
        if not error and not text.strip():
            error = f"annotation sans texte : {match.group(0)}"
        found.append(Annotation(start, end, text, entity, None if value is None else str(value), error))
    if _malformed(ANNOTATION.sub("", example)):
        found.append(Annotation(0, 0, "", None, None, "crochets non refermés ou annotation mal écrite"))
    return found


def _malformed(rest: str) -> bool:
    """Brackets left once the annotations are removed: unbalanced, nested, or ``[x](`` unclosed.

    A balanced ``[téléphone]`` alone is plain text for Rasa (the inbox's redaction writes it).
    """
    depth = 0
    for char in rest:
        depth += {"[": 1, "]": -1}.get(char, 0)
        if depth not in (0, 1):
            return True
    return depth != 0 or re.search(r"\]\s*[({]", rest) is not None


def annotate(example: str, fragment: str, entity: str, value: str = "") -> str:
    """``example`` with the first unannotated occurrence of ``fragment`` marked as ``entity``."""
    fragment = fragment.strip()
    if not fragment:
        raise ValueError("indiquez le passage à annoter")
    taken = [(m.start(), m.end()) for m in ANNOTATION.finditer(example)]
    for match in re.finditer(re.escape(fragment), example):
        if any(a <= match.start() < b for a, b in taken):
            continue
        spec = json.dumps({"entity": entity, "value": value}, ensure_ascii=False) if value else None
        marked = f"[{fragment}]{spec}" if spec else f"[{fragment}]({entity})"
        return example[: match.start()] + marked + example[match.end() :]
    raise ValueError(f"« {fragment} » ne se trouve pas dans l'exemple (hors des passages déjà annotés)")


def _parse_block(block: str) -> list[str]:
    return [line.strip()[2:].strip() for line in str(block).splitlines() if line.strip().startswith("- ")]


def load(path: Path) -> Any:
    """The file's YAML in round-trip form: values plus their line numbers (``.lc``)."""
    return YAML().load(path.read_text(encoding="utf-8"))


def write_text(path: Path, text: str) -> None:
    """Write ``text`` atomically, after checking it is still valid YAML."""
    YAML(typ="safe", pure=True).load(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def quoted(text: str) -> str:
    """A YAML double-quoted scalar (a JSON string is one), on one line."""
    return json.dumps(" ".join(text.split()), ensure_ascii=False)


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _item_prefix(line: str) -> str:
    """« ␣␣- » of a sequence item's line, to write a sibling the same way."""
    match = re.match(r"\s*-\s", line)
    return match.group(0) if match else _indent(line) + "- "


def _block_end(lines: list[str], start: int, indent: int) -> int:
    """The index after the last non-blank line, from ``start``, indented deeper than ``indent``."""
    end = start
    for i in range(start, len(lines)):
        stripped = lines[i].strip()
        if not stripped:
            continue
        if len(lines[i]) - len(lines[i].lstrip()) <= indent:
            break
        end = i + 1
    return end


class Project:
    """A project directory laid out like this repository (data/, domain.yml, config.yml, tests/nlu)."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.nlu_dir = self.root / "data" / "nlu"
        self.rules_dir = self.root / "data" / "rules"
        self.domain_path = self.root / "domain.yml"
        self.config_path = self.root / "config.yml"
        self.test_path = self.root / "tests" / "nlu" / "test_nlu.yml"
        self.models_dir = self.root / "models"

    # -- reading ---------------------------------------------------------------------------

    def nlu_files(self) -> list[Path]:
        return sorted(p for p in self.nlu_dir.glob("*.yml") if p.is_file())

    def _intent_items(self) -> Iterator[tuple[Path, Any, Any]]:
        for path in self.nlu_files():
            data = load(path)
            for item in (data or {}).get("nlu") or []:
                if isinstance(item, dict) and "intent" in item:
                    yield path, data, item

    def intents(self) -> dict[str, Intent]:
        """Every intent of the domain, with its training examples (none for a guard's intent)."""
        found: dict[str, Intent] = {}
        for path, _data, item in self._intent_items():
            intent = found.setdefault(str(item["intent"]), Intent(str(item["intent"]), path))
            intent.examples += _parse_block(item.get("examples", ""))
        for name in self.domain_intents():
            found.setdefault(name, Intent(name, self.nlu_dir / STUDIO_NLU_FILE))
        return dict(sorted(found.items()))

    def domain(self) -> Any:
        return load(self.domain_path)

    def domain_intents(self) -> list[str]:
        return [str(i) if not isinstance(i, dict) else str(next(iter(i))) for i in self.domain().get("intents") or []]

    def entities(self) -> list[str]:
        return [str(e) if not isinstance(e, dict) else str(next(iter(e))) for e in self.domain().get("entities") or []]

    def answer(self, intent: str) -> str | None:
        """The text of ``utter_<intent>`` when it has exactly one text variant (the studio's kind)."""
        variants = (self.domain().get("responses") or {}).get(f"utter_{intent}") or []
        texts = [v.get("text") for v in variants if isinstance(v, dict) and v.get("text")]
        return str(texts[0]) if len(texts) == 1 else None

    def has_response(self, intent: str) -> bool:
        return f"utter_{intent}" in (self.domain().get("responses") or {})

    def routed_intents(self) -> set[str]:
        """Intents some rule or story reacts to (an intent nobody reacts to gets no answer)."""
        names: set[str] = set()
        for folder in (self.rules_dir, self.root / "data" / "stories"):
            for path in folder.glob("*.yml"):
                names.update(re.findall(r"intent:\s*([A-Za-z0-9_]+)", path.read_text(encoding="utf-8")))
        return names

    def needs(self) -> list[str]:
        """The needs the orientation rules know (data/orientation), for a new need's routing."""
        domain = self.domain()
        mappings = ((domain.get("slots") or {}).get("besoin") or {}).get("mappings") or []
        return sorted({str(m["value"]) for m in mappings if m.get("type") == "from_intent" and m.get("value") != SKIP})

    def file_of(self, intent: str) -> Path | None:
        for path, _data, item in self._intent_items():
            if item["intent"] == intent:
                return path
        return None

    # -- writing ---------------------------------------------------------------------------
    # Edits are made on the lines of the file, at the places the round-trip parser located: the
    # rest of the file (comments, blank lines, quoting, flow style) stays byte for byte.

    def set_examples(self, intent: str, examples: list[str]) -> Path:
        """Make ``examples`` the examples of ``intent``; returns the first file written.

        An intent may have blocks in several files (long messages apart, for instance): an
        example that stays, stays in its block; a new or edited one goes to the first block.
        """
        wanted = [e.strip() for e in examples if e.strip()]
        placed: set[str] = set()
        written: list[Path] = []
        for path in self.nlu_files():
            data = load(path)
            items = [item for item in (data or {}).get("nlu") or [] if isinstance(item, dict)]
            targets = [item for item in items if item.get("intent") == intent and "examples" in item]
            if not targets:
                continue
            lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
            edits = []
            for item in targets:
                current = _parse_block(item["examples"])
                keep = [e for e in current if e in wanted and e not in placed]
                if not written and item is targets[0]:
                    new = [e for e in wanted if e not in keep and e not in self._elsewhere(intent, path)]
                    keep = [e for e in wanted if e in keep or e in new]
                placed.update(keep)
                edits.append((item, keep))
            for item, keep in reversed(edits):  # bottom-up: line numbers above stay valid
                key_line, key_col = item.lc.key("examples")
                end = _block_end(lines, key_line + 1, key_col)
                old = [line for line in lines[key_line + 1 : end] if line.strip()]
                pad = _indent(old[0]) if old else " " * (key_col + 2)
                lines[key_line:end] = [" " * key_col + "examples: |\n"] + [f"{pad}- {e}\n" for e in keep]
            write_text(path, "".join(lines))
            written.append(path)
        return written[0] if written else self._append_intent_block(intent, wanted)

    def _elsewhere(self, intent: str, first: Path) -> set[str]:
        """Examples of ``intent`` in the files after ``first`` (they stay where they are)."""
        return {
            e
            for path, _data, item in self._intent_items()
            if item["intent"] == intent and path != first
            for e in _parse_block(item.get("examples", ""))
        }

    def _append_intent_block(self, intent: str, examples: list[str]) -> Path:
        path = self.nlu_dir / STUDIO_NLU_FILE
        text = path.read_text(encoding="utf-8") if path.exists() else NEW_NLU_HEADER + 'version: "3.1"\nnlu:\n'
        text = text.rstrip("\n") + "\n" + ("\n" if path.exists() else "") + f"- intent: {intent}\n  examples: |\n"
        text += "".join(f"    - {e.strip()}\n" for e in examples if e.strip())
        write_text(path, text)
        return path

    def set_answer(self, intent: str, answer: str) -> None:
        """Change the one-line text of ``utter_<intent>`` (the answers the studio writes)."""
        variants = self.domain()["responses"][f"utter_{intent}"]
        line, col = variants[0].lc.value("text")
        lines = self.domain_path.read_text(encoding="utf-8").splitlines(keepends=True)
        rest = lines[line][col:]
        if not rest.strip().startswith(('"', "'")) or rest.rstrip().endswith(":"):
            raise ValueError("cette réponse s'écrit sur plusieurs lignes : modifiez-la dans domain.yml")
        lines[line] = lines[line][:col] + quoted(answer) + "\n"
        write_text(self.domain_path, "".join(lines))

    def create_intent(
        self, intent: str, examples: list[str], kind: str, answer: str = "", need: str = ""
    ) -> list[Path]:
        """Add a new intent: its examples, and either an answer and its rule (``kind == "qa"``)
        or the routing of a need (``kind == "need"``: the intent sets the ``besoin`` slot and
        starts the orientation questions). Returns the files written."""
        lines = self.domain_path.read_text(encoding="utf-8").splitlines(keepends=True)
        domain = YAML().load("".join(lines))
        inserts: list[tuple[int, list[str]]] = []
        # The intent goes after the last item of the list's first group (a commented group at
        # the end, like the guard's intents, stays last).
        intents = domain["intents"]
        first, last = intents.lc.item(0)[0], intents.lc.item(len(intents) - 1)[0]
        after = last
        for i in range(first, last):
            if lines[i].strip().startswith("#"):
                after = max(j for j in range(len(intents)) if intents.lc.item(j)[0] < i)
                after = intents.lc.item(after)[0]
                break
        inserts.append((after + 1, [f"{_item_prefix(lines[after])}{intent}\n"]))
        if kind == "qa":
            responses = domain["responses"]
            key_col = responses.lc.key(next(iter(responses)))[1]
            end = _block_end(lines, domain.lc.key("responses")[0] + 1, 0)
            pad = " " * key_col
            inserts.append((end, [f"{pad}utter_{intent}:\n", f"{pad}  - text: {quoted(answer)}\n"]))
        else:
            mappings = domain["slots"]["besoin"]["mappings"]
            plain = [i for i, m in enumerate(mappings) if m.get("type") == "from_intent" and m.get("value") != SKIP]
            line = mappings.lc.item(plain[-1])[0]
            entry = f"{{type: from_intent, intent: {intent}, value: {need}}}"
            inserts.append((line + 1, [f"{_item_prefix(lines[line])}{entry}\n"]))
        for at, new in sorted(inserts, reverse=True):
            lines[at:at] = new
        written = [self._append_intent_block(intent, examples)]
        write_text(self.domain_path, "".join(lines))
        written.append(self.domain_path)
        written.append(self._add_answer_rule(intent) if kind == "qa" else self._route_need(intent))
        return written

    def _add_answer_rule(self, intent: str) -> Path:
        path = self.rules_dir / STUDIO_RULES_FILE
        text = path.read_text(encoding="utf-8") if path.exists() else NEW_RULES_HEADER + 'version: "3.1"\n\nrules:\n'
        text = text.rstrip("\n") + "\n" + ("\n" if path.exists() else "")
        text += (
            f"  - rule: question-réponse {intent}\n    steps:\n"
            f"      - intent: {intent}\n      - action: utter_{intent}\n"
        )
        write_text(path, text)
        return path

    def _route_need(self, intent: str) -> Path:
        for path in sorted(self.rules_dir.glob("*.yml")):
            data = load(path)
            for rule in (data or {}).get("rules") or []:
                if (rule.get("metadata") or {}).get("id") == NEED_RULE:
                    options = rule["steps"][0]["or"]
                    needs = [i for i, step in enumerate(options) if str(step.get("intent", "")).startswith("besoin")]
                    line = options.lc.item(needs[-1] if needs else len(options) - 1)[0]
                    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
                    lines.insert(line + 1, f"{_item_prefix(lines[line])}intent: {intent}\n")
                    write_text(path, "".join(lines))
                    return path
        raise LookupError(f"la règle d'identifiant « {NEED_RULE} » est introuvable dans {self.rules_dir}")
