"""Free text → commune of the region, or a clear reason why not.

The resolver never guesses silently: a name shared by several communes, or a postal code that
serves several, gives candidates; a place of another department is recognised as such (the
whole of France is in the data precisely so that « Paris » is never fuzzily mapped to a village
of the Cher).
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache

from bot.geo.data import (
    REGION_DEPARTMENTS,
    Commune,
    OutsidePlace,
    read_communes,
    read_departments,
    read_outside,
    read_territories,
)
from bot.geo.normalize import normalize, without_article
from bot.geo.territories import Territory

_POSTAL_CODE = re.compile(r"(?<!\d)(\d{2}) ?(\d{3})(?!\d)")
# « INSEE 18279 », « code insee : 18279 »: a commune named by its INSEE code, never a postal code.
_INSEE = re.compile(r"^\s*(?:code\s+)?insee\s*:?\s*(\d{5})\s*$", re.IGNORECASE)
_BARE_CODE = re.compile(r"^\s*(\d{5})\s*$")
_DEPARTMENT_NUMBER = re.compile(r"^\(?(\d{2}|2a|2b)\)?\s|\s\(?(\d{2}|2a|2b)\)?$")
# Words people put around a place name: « j'habite à St Amand », « sur la commune de Gien ».
_FILLER = frozenset(
    [
        "j",
        "je",
        "moi",
        "habite",
        "habitons",
        "vis",
        "vivons",
        "suis",
        "sommes",
        "reside",
        "a",
        "au",
        "aux",
        "en",
        "sur",
        "pres",
        "de",
        "du",
        "d",
        "des",
        "vers",
        "cote",
        "commune",
        "ville",
        "village",
        "secteur",
        "dans",
        "la",
        "le",
        "les",
        "l",
        "region",
        "coin",
        "sur",
        "c",
        "est",
        "cest",
        "mon",
        "ma",
    ]
)
# A fuzzy match must be this close to count (difflib ratio); tuned on the typos people make
# in commune names (« Vierzone », « Bourge », « Chateauroux »), it rejects « oui » or « Paris ».
FUZZY_CUTOFF = 0.84
FUZZY_TIE = 0.02
# Above this ratio a typo of a full name beats a short name that merely starts the same way.
SURE_TYPO = 0.88


class Status(str, Enum):
    FOUND = "found"
    AMBIGUOUS = "ambiguous"
    OUTSIDE = "outside"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Resolution:
    """The answer to « where is this? », in a shape both the CLI and the form can use."""

    status: Status
    query: str
    commune: Commune | None = None
    candidates: tuple[Commune, ...] = ()
    department: str | None = None
    department_name: str | None = None
    outside_names: tuple[str, ...] = field(default=())

    @property
    def found(self) -> bool:
        return self.status is Status.FOUND


class Gazetteer:
    """All communes of the six departments, indexed the ways people name them."""

    def __init__(
        self,
        communes: Iterable[Commune],
        territories: Iterable[Territory],
        outside: Iterable[OutsidePlace],
        departments: dict[str, str],
    ) -> None:
        self.communes = {c.insee: c for c in communes}
        self.territories = {t.id: t for t in territories}
        self.departments = departments
        self._by_key: dict[str, list[Commune]] = defaultdict(list)
        self._by_postal_code: dict[str, list[Commune]] = defaultdict(list)
        for c in self.communes.values():
            for name in (c.name, *c.former_names):
                for key in {normalize(name), without_article(normalize(name))}:
                    if c not in self._by_key[key]:
                        self._by_key[key].append(c)
            for cp in c.postal_codes:
                self._by_postal_code[cp].append(c)
        self._outside_by_key: dict[str, list[OutsidePlace]] = defaultdict(list)
        self._outside_postal_codes: dict[str, set[str]] = defaultdict(set)
        for place in outside:
            for key in {normalize(place.name), without_article(normalize(place.name))}:
                self._outside_by_key[key].append(place)
            for cp in place.postal_codes:
                self._outside_postal_codes[cp].add(place.department)
        self._department_keys = {normalize(name): code for code, name in departments.items()}
        self._inside_keys = list(self._by_key)
        self._outside_keys = [k for k in self._outside_by_key if k not in self._by_key]

    # -- public API -------------------------------------------------------------------------

    def resolve(self, text: str) -> Resolution:
        """Resolve one free-text answer (a name, a postal code, both, or a sentence around them)."""
        query = (text or "").strip()[:200]
        insee = _INSEE.match(query)
        if insee:
            commune = self.communes.get(insee.group(1))
            return Resolution(Status.FOUND, query, commune=commune) if commune else Resolution(Status.UNKNOWN, query)
        match = _POSTAL_CODE.search(query)
        if match:
            return self._resolve_postal_code(query, match.group(1) + match.group(2))
        key, department = self._clean(query)
        if not key:
            return Resolution(Status.UNKNOWN, query)
        return self._resolve_name(query, key, department)

    def territory(self, territory_id: str) -> Territory:
        return self.territories[territory_id]

    def department_of_postal_code(self, postal_code: str) -> str | None:
        """Department code a postal code belongs to (Corsica and overseas handled)."""
        departments = self._outside_postal_codes.get(postal_code)
        if departments and len(departments) == 1:
            return next(iter(departments))
        if postal_code.startswith("20"):
            return None  # 2A or 2B: only the data can tell
        prefix = postal_code[:3] if postal_code.startswith("97") else postal_code[:2]
        return prefix if prefix in self.departments else None

    # -- internals --------------------------------------------------------------------------

    def _clean(self, query: str) -> tuple[str, str | None]:
        """Normalise, drop the filler around the name, and take off a department hint."""
        key = normalize(query)
        department = None
        hint = _DEPARTMENT_NUMBER.search(key)
        if hint and (hint.group(1) or hint.group(2)).upper() in self.departments:
            department = (hint.group(1) or hint.group(2)).upper()
            key = (key[: hint.start()] + " " + key[hint.end() :]).strip()
        words = key.split()
        while words and words[0] in _FILLER and " ".join(words) not in self._by_key:
            words.pop(0)
        key = " ".join(words)
        if key not in self._by_key and department is None:
            for name_key, code in self._department_keys.items():
                if key.endswith(" " + name_key) and key[: -len(name_key) - 1].strip():
                    key, department = key[: -len(name_key) - 1].strip(), code
                    key = " ".join(w for w in key.split() if w not in {"en", "dans", "le", "la", "l"}) or key
                    break
        return key, department

    def _resolve_postal_code(self, query: str, postal_code: str) -> Resolution:
        communes = self._by_postal_code.get(postal_code, [])
        by_insee = self.communes.get(postal_code) if _BARE_CODE.match(query) else None
        if by_insee is not None and not communes:
            # Five digits that are no postal code of the region: the commune's INSEE code. A code
            # that is both stays a postal code, as people mean it (« INSEE 18100 » says otherwise).
            return Resolution(Status.FOUND, query, commune=by_insee)
        if not communes:
            department = self.department_of_postal_code(postal_code)
            if department in REGION_DEPARTMENTS or department is None:
                return Resolution(Status.UNKNOWN, query)
            return self._outside(query, department)
        if len(communes) == 1:
            return Resolution(Status.FOUND, query, commune=communes[0])
        rest = _POSTAL_CODE.sub(" ", query)
        key, _ = self._clean(rest)
        if key:
            named = [c for c in communes if c in self._by_key.get(key, [])]
            if not named:
                close = difflib.get_close_matches(key, [normalize(c.name) for c in communes], 1, FUZZY_CUTOFF)
                named = [c for c in communes if close and normalize(c.name) == close[0]]
            if len(named) == 1:
                return Resolution(Status.FOUND, query, commune=named[0])
        return Resolution(Status.AMBIGUOUS, query, candidates=tuple(sorted(communes, key=lambda c: c.name)))

    def _resolve_name(self, query: str, key: str, department: str | None) -> Resolution:
        exact = self._filter(self._by_key.get(key, []), department)
        if exact:
            return self._found_or_ambiguous(query, exact)
        # « Romorantin », « Saint-Amand », « Aubigny »: the short name people use for a commune
        # of the region wins over a homonym elsewhere in France, unless it is a plain typo of a
        # full name (« Tour » is Tours, not Tour-en-Sologne).
        prefixed = self._filter(
            [c for k in self._inside_keys if k.startswith(key + " ") for c in self._by_key[k]], department
        )
        if prefixed:
            typo = self._fuzzy(query, key, department)
            if typo.found and difflib.SequenceMatcher(None, key, normalize(typo.commune.name)).ratio() >= SURE_TYPO:
                return typo
            return self._found_or_ambiguous(query, prefixed)
        outside = [p for p in self._outside_by_key.get(key, []) if department in (None, p.department)]
        if outside:
            return self._outside(query, *{p.department for p in outside}, names=(outside[0].name,))
        if department and department not in REGION_DEPARTMENTS:
            return self._outside(query, department)
        return self._fuzzy(query, key, department)

    def _fuzzy(self, query: str, key: str, department: str | None) -> Resolution:
        inside = [
            (difflib.SequenceMatcher(None, key, k).ratio(), k)
            for k in difflib.get_close_matches(key, self._inside_keys, 5, FUZZY_CUTOFF)
        ]
        outside = [
            (difflib.SequenceMatcher(None, key, k).ratio(), k)
            for k in difflib.get_close_matches(key, self._outside_keys, 3, FUZZY_CUTOFF)
        ]
        best_inside = max((score for score, _ in inside), default=0.0)
        best_outside = max((score for score, _ in outside), default=0.0)
        if best_outside > best_inside:
            places = self._outside_by_key[max(outside)[1]]
            return self._outside(query, *{p.department for p in places}, names=(places[0].name,))
        if not inside:
            return Resolution(Status.UNKNOWN, query)
        close = [k for score, k in inside if score >= best_inside - FUZZY_TIE]
        communes = self._filter([c for k in close for c in self._by_key[k]], department)
        if not communes:
            return Resolution(Status.UNKNOWN, query)
        return self._found_or_ambiguous(query, communes)

    @staticmethod
    def _filter(communes: list[Commune], department: str | None) -> list[Commune]:
        if department is None:
            return communes
        return [c for c in communes if c.department == department]

    @staticmethod
    def _found_or_ambiguous(query: str, communes: list[Commune]) -> Resolution:
        unique = list(dict.fromkeys(communes))
        if len(unique) == 1:
            return Resolution(Status.FOUND, query, commune=unique[0])
        return Resolution(Status.AMBIGUOUS, query, candidates=tuple(sorted(unique, key=lambda c: (c.name, c.insee))))

    def _outside(self, query: str, *departments: str, names: tuple[str, ...] = ()) -> Resolution:
        department = departments[0] if len(departments) == 1 else None
        return Resolution(
            Status.OUTSIDE,
            query,
            department=department,
            department_name=self.departments.get(department) if department else None,
            outside_names=names,
        )


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer, read once from ``data/geo``."""
    return Gazetteer(read_communes(), read_territories(), read_outside(), read_departments())


def resolve(text: str) -> Resolution:
    return gazetteer().resolve(text)
