"""``make validate``: every data file editors own is checked before it reaches the bot."""

from __future__ import annotations

import re
from collections import Counter

from bot.directory.csvio import InvalidDirectoryFile, parse_csv
from bot.directory.store import STRUCTURES_FILE
from bot.geo.data import GEO_DIR, REGION_DEPARTMENTS, read_communes, read_overrides, read_territories
from bot.orientation.check import check_rules
from bot.orientation.engine import RULES_FILE
from bot.orientation.rules import RulesError, load_rules
from bot.orientation.vocabulary import load_vocabulary
from bot.paths import ROOT
from bot.wording import etoile_info

# docs/architecture.md § 2: identifiers other programs rely on. Editors may add, never rename or remove.
STABLE_DOORS = {
    "cio",
    "suio",
    "mission_locale",
    "france_travail",
    "cap_emploi",
    "apec",
    "cep_actifs",
    "transitions_pro",
    "information_jeunesse",
    "cma",
    "cci",
    "chambre_agriculture",
    "vae",
    "cria",
    "employeur_public",
    "etoile_info",
}
STABLE_STATUTS = {
    "scolaire",
    "etudiant",
    "jeune_sans_activite",
    "demandeur_emploi",
    "salarie",
    "independant",
    "agent_public",
    "parent",
}
STABLE_BESOINS = {
    "orientation_scolaire",
    "reorientation_etudes",
    "decrochage",
    "insertion_jeune",
    "recherche_emploi",
    "reconversion",
    "bilan_competences",
    "financement_formation",
    "ptp",
    "demission_reconversion",
    "vae",
    "apprentissage",
    "creation_entreprise",
    "information_jeunesse",
    "competences_base",
    "information_generale",
}


def validate_project() -> list[str]:
    """All problems found, each as one French line naming the file."""
    problems: list[str] = []
    vocabulary = load_vocabulary()
    for kind, have, stable in (
        ("portes", vocabulary.doors, STABLE_DOORS),
        ("situations", vocabulary.statuts, STABLE_STATUTS),
        ("besoins", vocabulary.besoins, STABLE_BESOINS),
    ):
        missing = stable - set(have)
        if missing:
            problems.append(f"vocabulary.yml : {kind} supprimées ou renommées : {', '.join(sorted(missing))}")
    try:
        rules = load_rules(RULES_FILE, vocabulary)
    except RulesError as exc:
        problems.append(f"rules.yml : {exc}")
    else:
        report = check_rules(rules, vocabulary)
        problems += [f"rules.yml : {error}" for error in report.errors()]
        catch_all = [r.id for r in rules.rules if not r.when]
        if catch_all != [rules.rules[-1].id]:
            problems.append("rules.yml : il faut exactement une règle sans condition, et en dernier")

    territories = {t.id: t for t in read_territories()}
    communes = read_communes()
    counts = Counter(c.department for c in communes)
    for department in REGION_DEPARTMENTS:
        if not counts[department]:
            problems.append(f"communes.csv : aucune commune pour le département {department}")
    for commune in communes:
        territory = territories.get(commune.territory)
        if territory is None or territory.department != commune.department:
            problems.append(
                f"communes.csv / territory_overrides.csv : {commune.name} ({commune.insee}) → territoire « {commune.territory} » invalide"
            )
    empty = set(territories) - {c.territory for c in communes}
    problems += [f"territories.csv : le territoire « {t} » n'a aucune commune" for t in sorted(empty)]
    known = {c.insee for c in communes}
    problems += [
        f"territory_overrides.csv : code INSEE inconnu {insee}"
        for insee in read_overrides(GEO_DIR)
        if insee not in known
    ]

    try:
        parse_csv(
            STRUCTURES_FILE.read_text(encoding="utf-8"),
            doors=vocabulary.doors,
            territories=territories,
            departments=REGION_DEPARTMENTS,
        )
    except InvalidDirectoryFile as exc:
        problems += [f"structures.csv : {error}" for error in exc.errors]
    return problems + etoile_info_copies()


# Texts that cannot read data/orientation/messages.yml themselves (Rasa's responses, the widget's
# offline messages, the demo page): their copy of Etoile Info's number must be the data's.
ETOILE_INFO_COPIES = ("domain.yml", "bot/web/widget.js", "bot/web/demo/index.html")
_FREE_NUMBER = re.compile(r"\b0 ?8\d{2}(?: ?\d{3}){2}\b")


def etoile_info_copies() -> list[str]:
    """A free number in those texts that is not Etoile Info's, as messages.yml writes it."""
    phone = etoile_info().phone
    problems = []
    for name in ETOILE_INFO_COPIES:
        text = (ROOT / name).read_text(encoding="utf-8")
        problems += [
            f"{name} : « {number} » n'est pas le numéro d'Etoile Info de data/orientation/messages.yml ({phone})"
            for number in sorted(set(_FREE_NUMBER.findall(text)))
            if number != phone
        ]
    return problems
