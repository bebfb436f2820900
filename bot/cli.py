"""``python -m bot``: the project's command line (docs/architecture.md § 4).

Exit code 0 on success, 2 on bad input with a one-line reason on stderr, so that scripts and
editors can rely on it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

from bot.geo import Resolution, Status, resolve
from bot.orientation.vocabulary import vocabulary


class BadInput(Exception):
    """Reported as one line on stderr, with exit code 2."""


def describe_failure(resolution: Resolution) -> str:
    """Why a place could not be used, in one French line."""
    if resolution.status is Status.AMBIGUOUS:
        names = ", ".join(f"{c.name} ({c.postal_codes[0]})" for c in resolution.candidates[:10])
        return f"commune ambiguë « {resolution.query} » : {names} — précisez le code postal"
    if resolution.status is Status.OUTSIDE:
        where = (
            f" (département {resolution.department} – {resolution.department_name})"
            if resolution.department_name
            else ""
        )
        return f"« {resolution.query} » est hors de la région Centre-Val de Loire{where}"
    return f"commune inconnue dans la région Centre-Val de Loire : « {resolution.query} »"


def _print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def cmd_recommend(args: argparse.Namespace) -> int:
    from bot.directory import open_directory
    from bot.directory.lookup import commune_place
    from bot.messages import recommendation_text
    from bot.orientation import Place, Profile, default_rules, recommend

    if args.age is not None and not 0 < args.age <= 120:
        raise BadInput(f"âge invalide : {args.age} (attendu entre 1 et 120)")
    place = Place()
    if args.commune:
        resolution = resolve(args.commune)
        if not resolution.found:
            raise BadInput(describe_failure(resolution))
        commune = resolution.commune
        place = commune_place(commune)
    profile = Profile(
        statut=args.statut,
        age=args.age,
        handicap=args.handicap or None,
        cadre=args.cadre or None,
        contrat=args.contrat,
        secteur=args.secteur,
    )
    directory = open_directory()
    rec = recommend(default_rules(), profile, args.besoin, place, directory.find)
    if args.json:
        _print_json(rec.as_payload())
    else:
        print(recommendation_text(rec))
    return 0


def cmd_geo_resolve(args: argparse.Namespace) -> int:
    resolution = resolve(args.text)
    if resolution.found:
        if args.json:
            _print_json(resolution.commune.as_dict())
        else:
            c = resolution.commune
            print(
                f"{c.name} ({c.insee}) – {', '.join(c.postal_codes)} – département {c.department} – territoire {c.territory}"
            )
        return 0
    if args.json:
        _print_json(
            {
                "error": resolution.status.value,
                "query": resolution.query,
                "candidates": [c.as_dict() for c in resolution.candidates],
                "department": resolution.department,
            }
        )
    raise BadInput(describe_failure(resolution))


def cmd_directory_import(args: argparse.Namespace) -> int:
    from bot.directory import InvalidDirectoryFile, open_directory

    path = Path(args.file)
    if not path.is_file():
        raise BadInput(f"fichier introuvable : {path}")
    try:
        count = open_directory(load=False).import_csv(path)
    except InvalidDirectoryFile as exc:
        for error in exc.errors:
            print(error, file=sys.stderr)
        raise BadInput(f"import refusé, rien n'a été écrit : {exc}") from exc
    print(f"{count} structures importées depuis {path}")
    return 0


def cmd_directory_export(args: argparse.Namespace) -> int:
    from bot.directory import open_directory

    count = open_directory().export_csv(Path(args.file))
    print(f"{count} structures exportées vers {args.file}")
    return 0


def cmd_directory_stats(args: argparse.Namespace) -> int:
    from bot.directory import open_directory

    stats = open_directory().stats()
    if args.json:
        _print_json(stats)
    else:
        print(f"{stats['structures']} structures")
        for door, count in stats["by_door"].items():
            print(f"  {door}: {count}")
    return 0


def cmd_directory_init(args: argparse.Namespace) -> int:
    from bot.directory import Directory, ensure_loaded

    if ensure_loaded(Directory.from_url()) == "edited":
        print(
            "L'annuaire livré (data/directory/structures.csv) a changé, mais la base a été modifiée depuis "
            "son dernier chargement : elle est gardée telle quelle. Pour charger le fichier livré (il "
            "remplace toute la base), exportez d'abord la base, puis : "
            ".venv/bin/python -m bot directory import data/directory/structures.csv",
            file=sys.stderr,
        )
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from bot.validation import validate_project

    problems = validate_project()
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        raise BadInput(f"{len(problems)} problème(s) dans les données")
    print("Données valides : règles, vocabulaire, communes et annuaire.")
    return 0


def parse_days(text: str) -> int:
    """« 30d », « 30j » or « 30 »: a number of days (argparse type)."""
    match = re.fullmatch(r"\s*(\d+)\s*[dj]?\s*", text)
    if not match or int(match.group(1)) < 1:
        raise argparse.ArgumentTypeError(f"durée invalide : « {text} » (attendu : un nombre de jours, comme 30d)")
    return int(match.group(1))


def parse_since(text: str) -> date | int:
    """A date (« 2026-10-01 ») or a number of days (« 30d »)."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return parse_days(text)


def cmd_report(args: argparse.Namespace) -> int:
    from bot.privacy import SALT_VARIABLE, analytics_salt
    from bot.report import TIMEZONE, Period, build_report, write_report
    from bot.report.page import HTML_FILE
    from bot.stores.events import open_store

    today = datetime.now(TIMEZONE).date()
    first = args.since if isinstance(args.since, date) else today - timedelta(days=args.since - 1)
    last = args.until or today
    if first > last:
        raise BadInput(f"période vide : du {first:%d/%m/%Y} au {last:%d/%m/%Y}")
    period = Period(
        datetime.combine(first, time(), TIMEZONE),
        min(datetime.combine(last + timedelta(days=1), time(), TIMEZONE), datetime.now(TIMEZONE)),
    )
    try:
        salt, stable = analytics_salt()
    except ValueError as exc:
        raise BadInput(str(exc)) from exc
    if not stable:
        print(
            f"Attention : {SALT_VARIABLE} n'est pas défini ; les personnes sont pseudonymisées avec une clé tirée au "
            "hasard pour ce seul rapport (identifiants non comparables d'un rapport à l'autre).",
            file=sys.stderr,
        )
    report = build_report(open_store(args.database), period, salt, stable, args.top)
    out = Path(args.out)
    write_report(report, out)
    print(
        f"{report.indicators.conversations} conversation(s) du {first:%d/%m/%Y} au {last:%d/%m/%Y} : {out / HTML_FILE}"
    )
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    from bot.privacy import retention_days
    from bot.stores.events import open_store
    from bot.stores.retention import purge

    try:
        days = args.older_than or retention_days()
    except ValueError as exc:
        raise BadInput(str(exc)) from exc
    cutoff = datetime.now(timezone.utc) - timedelta(days=days)
    result = purge(open_store(args.database), cutoff, dry_run=args.dry_run)
    verb = "à supprimer" if args.dry_run else "supprimée(s)"
    print(
        f"{result.conversations} conversation(s) sans message depuis {days} jours {verb} ({result.events} événements)."
    )
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from bot.stores.events import open_store
    from bot.stores.scopes import migrate

    renamed = migrate(open_store(args.database))
    print(f"{renamed} conversation(s) rattachée(s) à leur canal (bot/stores/scopes.py).")
    return 0


def cmd_studio(args: argparse.Namespace) -> int:
    from bot.studio.main import run

    return run(args)


def build_parser() -> argparse.ArgumentParser:
    vocab = vocabulary()
    parser = argparse.ArgumentParser(prog="python -m bot", description="Le bot SPRO Centre-Val de Loire.")
    sub = parser.add_subparsers(dest="command", required=True)

    rec = sub.add_parser("recommend", help="la bonne porte pour une situation et un besoin")
    rec.add_argument("--statut", required=True, choices=sorted(vocab.statuts))
    rec.add_argument("--besoin", required=True, choices=sorted(vocab.besoins))
    rec.add_argument("--age", type=int)
    rec.add_argument("--commune")
    rec.add_argument("--handicap", action="store_true", help="reconnaissance de travailleur handicapé (RQTH)")
    rec.add_argument("--cadre", action="store_true")
    rec.add_argument("--contrat", choices=sorted(vocab.contrats))
    rec.add_argument("--secteur", choices=sorted(vocab.secteurs), help="secteur d'une entreprise à créer")
    rec.add_argument("--json", action="store_true")
    rec.set_defaults(func=cmd_recommend)

    geo = sub.add_parser("geo", help="communes et territoires").add_subparsers(dest="geo_command", required=True)
    res = geo.add_parser("resolve", help="trouver une commune à partir d'un nom ou d'un code postal")
    res.add_argument("text")
    res.add_argument("--json", action="store_true")
    res.set_defaults(func=cmd_geo_resolve)

    directory = sub.add_parser("directory", help="l'annuaire des structures").add_subparsers(
        dest="dir_command", required=True
    )
    imp = directory.add_parser("import", help="remplacer l'annuaire par un fichier CSV (tout ou rien)")
    imp.add_argument("file")
    imp.set_defaults(func=cmd_directory_import)
    exp = directory.add_parser("export", help="écrire l'annuaire dans un fichier CSV")
    exp.add_argument("file")
    exp.set_defaults(func=cmd_directory_export)
    stats = directory.add_parser("stats", help="compter les structures par porte et par territoire")
    stats.add_argument("--json", action="store_true")
    stats.set_defaults(func=cmd_directory_stats)
    init = directory.add_parser("init", help="créer la base et y charger l'annuaire livré si elle est vide")
    init.set_defaults(func=cmd_directory_init)

    val = sub.add_parser("validate", help="vérifier les règles, le vocabulaire, les communes et l'annuaire")
    val.set_defaults(func=cmd_validate)

    store_help = "la base des conversations (défaut : SPRO_CONVERSATIONS_URL, sinon var/conversations.db)"
    rep = sub.add_parser("report", help="les indicateurs de l'équipe SPRO : CSV, graphiques et une page HTML")
    rep.add_argument("--since", type=parse_since, default=30, help="30d (les 30 derniers jours) ou 2026-10-01")
    rep.add_argument("--until", type=date.fromisoformat, help="dernier jour inclus, 2026-10-31 (défaut : aujourd'hui)")
    rep.add_argument("--out", required=True, help="le dossier où écrire le rapport")
    rep.add_argument("--top", type=int, default=20, help="nombre de messages non compris listés")
    rep.add_argument("--database", help=store_help)
    rep.set_defaults(func=cmd_report)

    pur = sub.add_parser("purge", help="effacer les conversations plus anciennes que la durée de conservation")
    pur.add_argument(
        "--older-than", type=parse_days, help="180d : sans message depuis 180 jours (défaut : SPRO_RETENTION_DAYS, 180)"
    )
    pur.add_argument("--dry-run", action="store_true", help="compter sans rien effacer")
    pur.add_argument("--database", help=store_help)
    pur.set_defaults(func=cmd_purge)
    mig = sub.add_parser("migrate", help="rattacher les conversations enregistrées à leur canal (rest:…, whatsapp:…)")
    mig.add_argument("--database", help=store_help)
    mig.set_defaults(func=cmd_migrate)

    from bot.studio.main import add_arguments

    studio = sub.add_parser("studio", help="le studio des éditeurs (docs/editeurs.md), ou ses comptes")
    add_arguments(studio)
    studio.set_defaults(func=cmd_studio)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)  # argparse itself exits with 2 on a usage error
    try:
        return args.func(args)
    except BadInput as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 2
