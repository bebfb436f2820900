"""The French a person reads about a recommendation, shared by every channel and the CLI.

Short sentences, « vous », the door's plain name, then the structure's known contact details —
never a detail the directory does not have.
"""

from __future__ import annotations

from bot.orientation.model import Recommendation, Structure
from bot.orientation.vocabulary import Vocabulary, vocabulary

ETOILE_INFO_PHONE = "0 800 222 100"
# What a channel answers itself when the bot could not handle the message at all.
TECHNICAL_ERROR = (
    "Désolé, un problème technique m'empêche de vous répondre. Réessayez dans un instant, "
    f"ou appelez Etoile Info au {ETOILE_INFO_PHONE} (appel gratuit)."
)
REGIONAL_SITE = "orientation.centre-valdeloire.fr"


def contact_lines(structure: Structure) -> list[str]:
    """One line per known detail, in the order people use them."""
    lines = [structure.name]
    place = " ".join(p for p in (structure.postal_code, structure.city) if p)
    address = ", ".join(p for p in (structure.address, place) if p)
    if address:
        lines.append(f"Adresse : {address}")
    if structure.phone:
        lines.append(f"Téléphone : {structure.phone}")
    if structure.email:
        lines.append(f"E-mail : {structure.email}")
    if structure.url:
        lines.append(f"Site : {structure.url}")
    return lines


def recommendation_text(rec: Recommendation, vocab: Vocabulary | None = None) -> str:
    """The answer: the door and why, then where, then the CEP step and what to do next."""
    vocab = vocab or vocabulary()
    parts = [f"La bonne porte pour vous : {vocab.door_label(rec.door)}.", rec.reason]
    if rec.structure:
        parts.append("\n".join([_contact_intro(rec), *contact_lines(rec.structure)]))
    if rec.cep_level:
        parts.append(vocab.cep_levels[rec.cep_level])
    parts.append("Prochaines étapes :\n" + "\n".join(f"• {step}" for step in rec.next_steps))
    if rec.alternatives:
        title = "Autres possibilités :" if len(rec.alternatives) > 1 else "Autre possibilité :"
        parts.append("\n".join([title, *(f"• {vocab.door_short(a.door)}. {a.reason}" for a in rec.alternatives)]))
    return "\n\n".join(parts)


def _contact_intro(rec: Recommendation) -> str:
    """« Près de chez vous » only for a local structure found from the person's commune."""
    area = rec.structure.area if rec.structure else ""
    if rec.territory and area and area != "region":
        return "Près de chez vous :"
    return "Votre contact :"
