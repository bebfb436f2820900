"""The pure routing engine: (profile, need, place) → the right door, structure and CEP step."""

from bot.orientation.engine import decide, default_rules, missing_facts, recommend
from bot.orientation.model import Alternative, Place, Profile, Recommendation, Structure

__all__ = [
    "Alternative",
    "Place",
    "Profile",
    "Recommendation",
    "Structure",
    "decide",
    "default_rules",
    "missing_facts",
    "recommend",
]
