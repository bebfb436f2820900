"""``python -m bot studio``: serve the studio, or manage its accounts (``add-user``, ``users``)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from bot.paths import ROOT

DEFAULT_PORT = 8090


def add_arguments(studio: argparse.ArgumentParser) -> None:
    studio.add_argument("--host", default="127.0.0.1", help="adresse d'écoute (défaut : 127.0.0.1)")
    studio.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (défaut : {DEFAULT_PORT})")
    studio.add_argument("--project", type=Path, default=ROOT, help="le dossier du projet Rasa (défaut : ce dépôt)")
    studio.add_argument("--var", type=Path, help="le dossier des fichiers du studio (défaut : PROJET/var)")
    studio.add_argument(
        "--rasa-url",
        default=os.environ.get("SPRO_RASA_URL", "http://127.0.0.1:5005"),
        help="le serveur Rasa en service, où publier (défaut : SPRO_RASA_URL, sinon http://127.0.0.1:5005)",
    )
    studio.add_argument("--train-config", type=Path, help="configuration d'entraînement (défaut : PROJET/config.yml)")
    studio.add_argument("--margin", type=float, default=0.02, help="baisse de macro-F1 tolérée sans administrateur")
    studio.add_argument(
        "--inbox-threshold", type=float, default=0.6, help="confiance en dessous de laquelle un message est à revoir"
    )
    studio.add_argument("--conversations", help="la base des conversations (défaut : SPRO_CONVERSATIONS_URL)")
    sub = studio.add_subparsers(dest="studio_command")
    add = sub.add_parser("add-user", help="créer un compte (ou changer son mot de passe)")
    add.add_argument("login")
    add.add_argument("--name", required=True, help="prénom et nom : ils signent les modifications")
    add.add_argument("--role", choices=["editor", "admin"], default="editor")
    add.add_argument("--password-stdin", action="store_true", help="lire le mot de passe sur l'entrée standard")
    sub.add_parser("users", help="lister les comptes")


def _var_dir(args: argparse.Namespace) -> Path:
    return (args.var or args.project / "var").resolve()


def add_user(args: argparse.Namespace) -> int:
    from bot.studio.accounts import AccountError
    from bot.studio.accounts import add_user as create
    from bot.studio.db import open_db

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Mot de passe (12 caractères au moins) : ")
        if getpass.getpass("Le même, encore une fois : ") != password:
            print("Erreur : les deux mots de passe diffèrent", file=sys.stderr)
            return 2
    try:
        user = create(open_db(_var_dir(args)), args.login, args.name, password, args.role)
    except AccountError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 2
    print(f"Compte {user.login} ({user.role_label}) prêt.")
    return 0


def list_users(args: argparse.Namespace) -> int:
    from bot.studio.accounts import list_users as users
    from bot.studio.db import open_db

    for user in users(open_db(_var_dir(args))):
        print(f"{user.login}\t{user.role_label}\t{user.name}")
    return 0


def serve(args: argparse.Namespace) -> int:
    from aiohttp import web

    from bot.stores.events import open_store
    from bot.studio.app import create_app
    from bot.studio.publish import read_token

    var_dir = _var_dir(args)
    token = read_token(var_dir)
    if not token:
        print(
            "Attention : aucun jeton pour le serveur du bot (SPRO_RASA_TOKEN ou var/rasa-api-token) : "
            "la publication sera impossible.",
            file=sys.stderr,
        )
    app = create_app(
        args.project,
        var_dir,
        open_store(args.conversations),
        args.rasa_url,
        token,
        train_config=args.train_config,
        margin=args.margin,
        inbox_threshold=args.inbox_threshold,
    )
    print(f"Studio des éditeurs : http://{args.host}:{args.port}", flush=True)
    web.run_app(app, host=args.host, port=args.port, print=None)
    return 0


def run(args: argparse.Namespace) -> int:
    if args.studio_command == "add-user":
        return add_user(args)
    if args.studio_command == "users":
        return list_users(args)
    return serve(args)
