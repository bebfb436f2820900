"""How well the directory answers: every (situation × need × commune) of the region.

``python -m bot directory stats --json`` prints it, and the grid tests assert on it. Pure: the
engine and a ``Locator`` snapshot of the directory, no server.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.directory.lookup import Locator, commune_place
from bot.geo.data import Commune
from bot.orientation import Profile, Recommendation, default_rules, recommend
from bot.orientation.vocabulary import vocabulary

# Doors with offices near people: the answer should name one with a postal address.
LOCAL_DOORS = frozenset(
    {
        "mission_locale",
        "cio",
        "france_travail",
        "information_jeunesse",
        "suio",
        "apec",
        "cci",
        "cma",
        "chambre_agriculture",
    }
)

# A typical person of each situation (the grid's rows).
TYPICAL = {
    "scolaire": Profile(statut="scolaire", age=16),
    "etudiant": Profile(statut="etudiant", age=20),
    "jeune_sans_activite": Profile(statut="jeune_sans_activite", age=19),
    "demandeur_emploi": Profile(statut="demandeur_emploi", age=35),
    "salarie": Profile(statut="salarie", age=35, contrat="cdi"),
    "independant": Profile(statut="independant", age=40),
    "agent_public": Profile(statut="agent_public", age=45),
    "parent": Profile(statut="parent", age=17),
}


def grid(locator: Locator, communes: Iterable[Commune]) -> Iterable[tuple[str, str, Commune, Recommendation]]:
    """Every (situation, need, commune) and the engine's answer for it."""
    rules, communes = default_rules(), list(communes)
    for statut, profile in TYPICAL.items():
        for besoin in vocabulary().besoins:
            for commune in communes:
                yield statut, besoin, commune, recommend(rules, profile, besoin, commune_place(commune), locator.find)


def coverage(locator: Locator, communes: Iterable[Commune]) -> dict[str, Any]:
    """Shares over the grid, and the age of the data the answers use."""
    answers = local = with_address = 0
    used: dict[str, str] = {}
    for _, _, _, rec in grid(locator, communes):
        answers += 1
        structure = rec.structure
        if structure is not None:
            used[structure.id] = min(filter(None, (structure.updated_at, structure.contact_updated_at)), default="")
        if rec.door in LOCAL_DOORS:
            local += 1
            with_address += bool(structure and structure.address and structure.postal_code and structure.city)
    dates = sorted(d for d in used.values() if d)
    return {
        "answers": answers,
        "answers_at_local_doors": local,
        "local_answers_with_postal_address": with_address,
        "share_with_postal_address": round(with_address / local, 4) if local else None,
        "structures_used": len(used),
        "oldest_date_used": dates[0] if dates else None,
        "newest_date_used": dates[-1] if dates else None,
    }
