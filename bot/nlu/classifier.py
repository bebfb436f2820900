"""Rasa's logistic-regression intent classifier, made safe for messages without features.

An empty message has no token, hence no feature, and Rasa 3.6's classifier then raises
(« Found array with 0 feature(s) ») — the person gets no answer at all. Such messages keep
the intent DIET gave them; the guard after it (bot.nlu.guard) turns them into a polite fallback.

Loading the model imports ``skops.io``, which walks every scikit-learn module and so imports
``numpy.distutils``: setuptools' distutils log then sets the root logger to WARNING, and the
server loses every INFO line after start-up (erasures, channel errors). ``load`` puts it back.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class SafeLogisticRegressionClassifier(LogisticRegressionClassifier):
    @classmethod
    def load(cls, *args: Any, **kwargs: Any) -> SafeLogisticRegressionClassifier:
        root = logging.getLogger()
        level = root.level
        try:
            return super().load(*args, **kwargs)
        finally:
            root.setLevel(level)

    def process(self, messages: list[Message]) -> list[Message]:
        expected = getattr(self.clf, "n_features_in_", None)
        featured = [m for m in messages if self._create_X([m]).shape[1] == expected]
        if featured:
            super().process(featured)
        return messages
