"""``python -m bot.production rasa|actions --port N``: one Rasa replica or one action server
(``nginx --rasa … --actions …`` prints the proxy's configuration).

Every replica and every action server of a deployment is started this way (systemd units in
``deploy/systemd``, ``make run``, the production tests), so all of them get the same settings
(``bot.production.settings``), and the patched Rasa of ``bot.rasa_patches``:

- Rasa: the embedded ``endpoints.yml`` (SQLite, in-memory lock) unless ``SPRO_REDIS_URL`` is set,
  then ``config/endpoints.production.yml`` (PostgreSQL, atomic Redis lock, action servers behind
  ``SPRO_ACTION_SERVER_URL``); the HTTP API only with ``SPRO_RASA_TOKEN`` (and then only with it);
  CORS only for ``SPRO_CORS_ORIGINS``.
- Action server: bound to ``SPRO_ACTIONS_INTERFACE`` (127.0.0.1 by default), never to every
  address as ``rasa run actions`` does — it has no authentication.
"""

from __future__ import annotations

import argparse
import os
import string
import sys
import tempfile
from pathlib import Path

from bot.paths import ROOT
from bot.production import nginx
from bot.production.settings import Settings


def rasa_arguments(
    settings: Settings, port: int, model: Path, credentials: Path, endpoints: Path | None = None
) -> list[str]:
    arguments = ["run", "--model", str(model), "--endpoints", str(endpoints or settings.endpoints)]
    arguments += ["--credentials", str(credentials), "--interface", settings.interface, "--port", str(port)]
    if settings.api_token:
        arguments += ["--enable-api", "--auth-token", settings.api_token]
    if settings.cors_origins:
        arguments += ["--cors", *settings.cors_origins]
    return arguments


def resolved_endpoints(path: Path) -> Path:
    """``path`` with its ``${VARIABLE}`` replaced from the environment, as a private file.

    Rasa 3.6 does not substitute variables in ``endpoints.yml`` (the action server's URL stays
    the literal ``${SPRO_ACTION_SERVER_URL}/webhook``, and every custom action fails); a missing
    variable stops the start-up here, with its name."""
    text = path.read_text(encoding="utf-8")
    if "$" not in text:
        return path
    try:
        resolved = string.Template(text).substitute(os.environ)
    except KeyError as missing:
        sys.exit(f"{path} : la variable d'environnement {missing} n'est pas définie.")
    handle, name = tempfile.mkstemp(prefix="spro-endpoints-", suffix=".yml")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(resolved)
    return Path(name)


def run_rasa(port: int, model: Path, credentials: Path, endpoints: Path | None = None) -> None:
    settings = Settings.from_environment()
    problems = settings.problems()
    if problems:
        sys.exit("\n".join(problems))
    os.environ.setdefault("SPRO_ACTION_SERVER_URL", settings.action_server_url)
    from bot import rasa  # Rasa and TensorFlow: only here

    endpoints = resolved_endpoints(endpoints or settings.endpoints)
    rasa.main(rasa_arguments(settings, port, model, credentials, endpoints))


def run_actions(port: int) -> None:
    os.environ["SANIC_HOST"] = Settings.from_environment().actions_interface
    from rasa_sdk.endpoint import run
    from rasa_sdk.utils import configure_colored_logging

    configure_colored_logging(os.environ.get("LOG_LEVEL", "INFO"))

    run(action_package_name="actions", port=port)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.production", description=__doc__.splitlines()[0])
    parser.add_argument("process", choices=["rasa", "actions", "nginx"])
    parser.add_argument("--port", type=int, help="rasa, actions: the port to listen on")
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "spro.tar.gz")
    parser.add_argument("--credentials", type=Path, default=ROOT / "credentials.yml")
    parser.add_argument("--endpoints", type=Path, help="rasa: instead of the one the settings choose")
    parser.add_argument("--rasa", nargs="+", default=[], help="nginx: host:port of each Rasa replica")
    parser.add_argument("--actions", nargs="+", default=[], help="nginx: host:port of each action server")
    parser.add_argument("--listen", default="80", help="nginx: the public address")
    parser.add_argument("--actions-listen", default="127.0.0.1:5055", help="nginx: the action servers' private address")
    parser.add_argument("--origin", nargs="*", default=[], help="nginx: the sites allowed to open the widget")
    options = parser.parse_args()
    if options.process == "nginx":
        print(nginx.render(options.rasa, options.actions, options.listen, options.actions_listen, options.origin))
    elif options.port is None:
        parser.error("--port is required")
    elif options.process == "rasa":
        run_rasa(options.port, options.model, options.credentials, options.endpoints)
    else:
        run_actions(options.port)


if __name__ == "__main__":
    main()
