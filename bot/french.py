"""French elision and contraction of « de » before a place name, written once.

« de » + « Issoudun » → « d'Issoudun », + « Le Blanc » → « du Blanc », + « Les Aix-d'Angillon » →
« des Aix-d'Angillon », + « La Châtre » → « de La Châtre ». Department names carry no article in
the data, so their article is given (``department_de``).
"""

from __future__ import annotations

import unicodedata

# Articles of the region's departments (Code officiel géographique, « type de nom en clair »).
# Eure-et-Loir takes none after « de » by usage (« le conseil départemental d'Eure-et-Loir »).
DEPARTMENT_ARTICLES = {"18": "le", "28": "", "36": "l'", "37": "l'", "41": "le", "45": "le"}


def _starts_with_vowel_sound(word: str) -> bool:
    """A vowel or a mute h (« Huisseau »); good enough for place names of the region."""
    first = unicodedata.normalize("NFKD", word[:1]).encode("ascii", "ignore").decode().lower()
    return first in set("aeiouyh")


def de(name: str) -> str:
    """« de » before a place name whose article, if any, is part of the name."""
    for article, contracted in (("Le ", "du "), ("Les ", "des ")):
        if name.startswith(article):
            return contracted + name[len(article) :]
    return ("d'" if _starts_with_vowel_sound(name) else "de ") + name


def with_article(name: str, article: str) -> str:
    """« de » before a name whose article is given apart: (« Loir-et-Cher », le) → « du Loir-et-Cher »."""
    if article == "le":
        return f"du {name}"
    if article == "les":
        return f"des {name}"
    if article == "l'":
        return f"de l'{name}"
    if article == "la":
        return f"de la {name}"
    return de(name)


def department_de(code: str, name: str) -> str:
    """« du Loir-et-Cher », « de l'Indre », « d'Eure-et-Loir » for the region's departments."""
    return with_article(name, DEPARTMENT_ARTICLES.get(code, ""))
