"""French elision and contraction of « de » before a place name, written once.

« de » + « Issoudun » → « d'Issoudun », + « Le Blanc » → « du Blanc », + « Les Aix-d'Angillon » →
« des Aix-d'Angillon », + « La Châtre » → « de La Châtre ». A name whose article is not part of
it (a département: « Loir-et-Cher », le) gets it apart: « du Loir-et-Cher », « de l'Indre ».
"""

from __future__ import annotations

import unicodedata

_CONTRACTED = {"le": "du ", "les": "des ", "la": "de la ", "l'": "de l'"}


def _starts_with_vowel_sound(word: str) -> bool:
    """A vowel or a mute h (« Huisseau »); good enough for place names of the region."""
    first = unicodedata.normalize("NFKD", word[:1]).encode("ascii", "ignore").decode().lower()
    return first in set("aeiouyh")


def de(name: str, article: str = "") -> str:
    """« de » before a place name; ``article`` when the name's article is not written in it."""
    if article in _CONTRACTED:
        return _CONTRACTED[article] + name
    for written, contracted in (("Le ", "du "), ("Les ", "des ")):
        if name.startswith(written):
            return contracted + name[len(written) :]
    return ("d'" if _starts_with_vowel_sound(name) else "de ") + name
