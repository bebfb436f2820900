"""Evaluate a model on the held-out split, and the model in service for comparison.

Run by the studio in a subprocess (``python -m bot.studio.evaluate``) so that Rasa and the
model's memory never weigh on the web application. The measures are those of ``bench/nlu.py``
(the same predictions, macro-F1 and confusions); this module adds the per-intent table and the
confusion-matrix image the editors read. The model in service is asked through the running Rasa
server's ``/model/parse`` (its token comes from ``SPRO_RASA_TOKEN``), so no second model is loaded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

from bench.nlu import FALLBACK, confusions, macro_f1, rasa_predictions


def top_intents(parses: list[dict[str, Any]]) -> list[str]:
    """The best intent other than the fallback: what the classifier understood."""
    return [next((r["name"] for r in p["intent_ranking"] if r["name"] != FALLBACK), FALLBACK) for p in parses]


def scores(gold: list[str], parses: list[dict[str, Any]]) -> dict[str, Any]:
    predicted = top_intents(parses)
    labels = sorted(set(gold))
    precision, recall, f1, support = precision_recall_fscore_support(gold, predicted, labels=labels, zero_division=0)
    fallback_rate = sum(1 for p in parses if p["intent"]["name"] == FALLBACK) / max(len(parses), 1)
    return {
        "macro_f1": macro_f1(gold, predicted),
        "fallback_rate": fallback_rate,
        "examples": len(gold),
        "intents": {
            label: {"precision": p, "recall": r, "f1": f, "support": int(s)}
            for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
        },
        "predicted": predicted,
    }


def draw_confusion(gold: list[str], predicted: list[str], path: Path) -> None:
    """Rows: the expected intent; columns: the understood one; share of each row, in blue."""
    labels = sorted(set(gold) | set(predicted))
    matrix = confusion_matrix(gold, predicted, labels=labels, normalize="true")
    size = max(6.0, 0.32 * len(labels) + 2)
    fig, ax = plt.subplots(figsize=(size, size), dpi=90)
    ax.imshow(matrix, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.set_xlabel("intention comprise par le bot")
    ax.set_ylabel("intention attendue")
    ax.set_title("Matrice de confusion (part de chaque ligne)")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def service_parses(url: str, token: str, texts: list[str]) -> list[dict[str, Any]]:
    from bot.studio.publish import RasaServer

    server = RasaServer(url, token)
    return [server.parse(text) for text in texts]


def main() -> None:
    parser = argparse.ArgumentParser(description="Évaluer un modèle sur le jeu de test mis de côté.")
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--test", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--service-url", help="le serveur Rasa en service, pour comparer")
    args = parser.parse_args()

    from rasa.shared.nlu.training_data.loading import load_data

    examples = load_data(str(args.test)).intent_examples
    gold = [e.get("intent") for e in examples]
    texts = [e.get("text") for e in examples]
    parses = asyncio.run(rasa_predictions(args.model, texts))
    result = scores(gold, parses)
    args.out.mkdir(parents=True, exist_ok=True)
    draw_confusion(gold, result["predicted"], args.out / "confusion.png")
    result["confusions"] = confusions(examples, parses)
    if args.service_url:
        try:
            service = scores(gold, service_parses(args.service_url, os.environ.get("SPRO_RASA_TOKEN", ""), texts))
            result["service"] = {k: service[k] for k in ("macro_f1", "fallback_rate", "intents")}
        except Exception as exc:  # the comparison is shown as unavailable, the evaluation stays
            result["service_error"] = f"{type(exc).__name__}: {exc}"
    del result["predicted"]
    (args.out / "evaluation.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
