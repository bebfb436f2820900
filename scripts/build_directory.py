"""Maintainer script: build the committed directory from the public sources it copies.

    .venv/bin/python scripts/build_directory.py          # rewrite data/directory/ and the coordinates
    .venv/bin/python scripts/build_directory.py --check  # exit 1 if the committed files differ

Inputs (``data/directory/sources/``, provenance in its README):
- ``unml-2026/zones_cvl_2026.csv``: every commune → its Mission locale, with the postal address
  (UNML, January 2026). It gives the Missions locales and their service areas.
- ``dila-2016/annuaire-DD.sjson``: the DILA local-services directory of February 2016. It gives the
  CIO, France Travail agencies, Information Jeunesse, SUIO, Apec and chambers, and the phone and
  coordinates of a Mission locale when its 2016 record has the same address as the UNML file.
  Its town-hall records give the centre of the communes GeoNames has no coordinates for.
- ``regional.csv``: the hand-kept regional or national entries (Etoile Info, France VAE…), each
  with its cited source.

Every structure records its source and date; old fields are shown with their year by the bot.
Nothing is guessed: a field the sources do not give stays empty.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.directory.csvio import valid_email, valid_url  # noqa: E402
from bot.directory.models import CSV_FIELDS  # noqa: E402
from bot.french import de  # noqa: E402
from bot.geo.data import COMMUNE_FIELDS, GEO_DIR, REGION_DEPARTMENTS  # noqa: E402
from bot.geo.normalize import strip_accents  # noqa: E402
from bot.geo.territories import distance_km  # noqa: E402
from bot.phone import display  # noqa: E402
from bot.wording import etoile_info  # noqa: E402

DIRECTORY_DIR = ROOT / "data" / "directory"
SOURCES = DIRECTORY_DIR / "sources"
STRUCTURES = DIRECTORY_DIR / "structures.csv"
SERVICE_AREAS = DIRECTORY_DIR / "service_areas.csv"
COMMUNES = GEO_DIR / "communes.csv"
SERVICE_AREA_FIELDS = ("insee", "structure_id", "source")
REGION = "region"

UNML_SOURCE = (
    "UNML, zones de couverture des missions locales, janvier 2026 "
    "(fichier de mission-apprentissage/api-apprentissage, commit du 2026-02-06)"
)
UNML_DATE = "2026-01"
DILA_SOURCE = "DILA, Annuaire de l'administration – base de données locales, février 2016, fiche {id}"

# DILA « pivot » type → the bot's door (vocabulary.yml). ``pole_emploi`` is France Travail today.
DILA_DOORS = {
    "cio": "cio",
    "pole_emploi": "france_travail",
    "cij": "information_jeunesse",
    "suio": "suio",
    "apec": "apec",
    "cci": "cci",
    "chambre_metier": "cma",
    "chambre_agriculture": "chambre_agriculture",
    "fongecif": "transitions_pro",
}
# Transitions Pro Centre-Val de Loire succeeded the Fongecif Centre on 1 January 2020: its 2016 record
# gives the regional entry (address and phone shown with their year), not its old web site.
SUCCESSORS = {"fongecif": ("transitions-pro-cvl", "Transitions Pro Centre-Val de Loire (ex-Fongecif Centre)")}

# The UNML's « Nom Officiel ML » is upper case without accents (« 36-ML CHATEAUROUX »). A Mission
# locale named after its town is « Mission locale de <town> » (the town as the UNML writes it in
# « Ville ML »); the others' names are written here once, with their accents.
ML_NAMES = {
    "18015": "Mission locale Sancerre-Sologne",
    "18033": "Mission locale de Bourges, Mehun-sur-Yèvre et Saint-Florent-sur-Cher",
    "18197": "Mission locale Cher Sud",
    "28280": "Mission locale Ouest et Sud Eure-et-Loir",
    "36018": "Mission locale Indre Sud",
    "37132": "Mission locale Touraine Côté Sud",
    "41269": "Mission locale du Vendômois",
    "45234": "Mission locale de l'Orléanais",
    "45252": "Mission locale du Pithiverais",
}

_STREET_WORDS = {
    "av": "avenue",
    "ave": "avenue",
    "bd": "boulevard",
    "bld": "boulevard",
    "fg": "faubourg",
    "pl": "place",
    "r": "rue",
    "rte": "route",
    "imp": "impasse",
    "all": "allée",
    "che": "chemin",
}
_LOWER_WORDS = {"rue", "avenue", "boulevard", "faubourg", "place", "route", "impasse", "allée", "chemin", "quai"}
_PARTICLES = {"de", "du", "des", "la", "le", "les", "l", "d", "et", "sur", "en"}
_POSTAL_BOX = re.compile(r"^(bp|cs|tsa|cedex)\b", re.IGNORECASE)
_CEDEX = re.compile(r"\s+c[ée]dex(\s+\d+)?$", re.IGNORECASE)
# Mailboxes of a service, not of a person: a part of the address must say so.
_SERVICE_MAIL = re.compile(
    r"contact|accueil|info|secretariat|cio|ml|pij|bij|crij|cij|ij|suio|mission|locale|antenne|jeunesse|emploi|doc"
)
_MAX_KM_FROM_COMMUNE = 30.0  # coordinates farther than this from their commune are a geocoding error


def _street_key(line: str) -> str:
    """« 27 av de la gare » and « 27 avenue de la Gare » meet on « 27 avenue gare »."""
    words = re.sub(r"[^a-z0-9]+", " ", strip_accents(line).lower()).split()
    return " ".join(_STREET_WORDS.get(w, w) for w in words if w not in _PARTICLES)


def street(line: str) -> str:
    """The UNML's lower-case abbreviated street, written out (« 5 r de seraucourt » → « 5 rue de Seraucourt »)."""
    out = []
    for n, word in enumerate(line.split()):
        word = _STREET_WORDS.get(word.lower(), word)
        if word.lower() in _LOWER_WORDS or (n and word.lower() in _PARTICLES):
            out.append(word.lower())
        else:
            out.append("-".join(part[:1].upper() + part[1:] for part in word.split("-")))
    return " ".join(out)


def service_email(email: str | None) -> str | None:
    """A valid mailbox of the service; a person's address (« prenom.nom@… ») is dropped."""
    if not email or not valid_email(email):
        return None
    local = email.split("@")[0].lower()
    return email if _SERVICE_MAIL.search(local) else None


def read_communes() -> list[dict[str, str]]:
    with COMMUNES.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_dila() -> Iterator[dict]:
    for path in sorted((SOURCES / "dila-2016").glob("annuaire-*.sjson")):
        with path.open(encoding="utf-8") as fh:
            yield from (json.loads(line) for line in fh if line.strip())


def read_unml() -> list[dict[str, str]]:
    with (SOURCES / "unml-2026" / "zones_cvl_2026.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def coordinates(record: dict, centres: dict[str, tuple[float, float]]) -> tuple[str, str]:
    """The BAN geocode of the record when it found the address, else the record's own point —
    kept only when it lies near the record's commune (some 2016 points are in another département)."""
    geo = record.get("geo") or {}
    candidates = []
    if geo.get("latitude") and geo.get("score", 0) >= 0.5:
        candidates.append((float(geo["latitude"]), float(geo["longitude"])))
    if record.get("latitude") and record.get("longitude"):
        candidates.append((float(record["latitude"]), float(record["longitude"])))
    centre = centres.get(record.get("codeinsee", ""))
    for lat, lon in candidates:
        if centre is None or distance_km((lat, lon), centre) <= _MAX_KM_FROM_COMMUNE:
            return f"{lat:.5f}", f"{lon:.5f}"
    return "", ""


def address_lines(record: dict) -> list[str]:
    """The street lines one can walk to (post-office boxes dropped)."""
    lines = (record.get("writeAddress") or {}).get("streetAddress") or []
    return [line.strip() for line in lines if line.strip() and not _POSTAL_BOX.match(line.strip())]


def dila_structure(record: dict, centres: dict[str, tuple[float, float]]) -> dict[str, str]:
    door = DILA_DOORS[record["type"]]
    address = record.get("writeAddress") or {}
    lat, lon = coordinates(record, centres)
    name = record["nom"].replace("’", "'").strip()
    if door == "france_travail":
        name = name.replace("Pôle emploi", "France Travail (ex-Pôle emploi)")
    successor = SUCCESSORS.get(record["type"])
    structure_id, name = successor or (record["id"].replace("_", "-"), name)
    # A successor keeps the old address and phone (shown with their year), not the old domain.
    sites = [] if successor else record.get("website") or []
    email = None if successor else service_email(record.get("contact_email"))
    phone = record.get("contact_phone")
    source = DILA_SOURCE.format(id=record["id"])
    return {
        "id": structure_id,
        "name": name,
        "door": door,
        "territory": REGION if successor else address.get("postalCode", "")[:2],
        "address": ", ".join(address_lines(record)),
        "postal_code": address.get("postalCode", ""),
        "city": _CEDEX.sub("", address.get("addressLocality", "")).strip(),
        "phone": display(phone) if phone else "",
        "email": email or "",
        "url": next((site for site in sites if valid_url(site)), ""),
        "latitude": lat,
        "longitude": lon,
        "source": source,
        "updated_at": record.get("update", ""),
        "contact_source": source,
        "contact_updated_at": record.get("update", ""),
        "checked_at": "",
    }


def missions_locales(
    unml: list[dict[str, str]], dila: list[dict], centres: dict[str, tuple[float, float]]
) -> list[dict[str, str]]:
    """One row per Mission locale of the UNML file; phone and coordinates from its 2016 record
    only when that record has the same street address."""
    old = [r for r in dila if r["type"] == "mission_locale"]
    rows: dict[str, dict[str, str]] = {}
    for line in unml:
        code = line["Code ML"]
        if code in rows:
            continue
        key = _street_key(line["Adresse ML"])
        same = next(
            (
                r
                for r in old
                if (r.get("writeAddress") or {}).get("postalCode") == line["Code Postal ML"]
                and key in {_street_key(s) for s in address_lines(r)}
            ),
            None,
        )
        lat, lon = coordinates(same, centres) if same else ("", "")
        contact_source = DILA_SOURCE.format(id=same["id"]) if same and same.get("contact_phone") else ""
        rows[code] = {
            "id": f"mission-locale-{code}",
            "name": ML_NAMES.get(code) or f"Mission locale {de(line['Ville ML'])}",
            "door": "mission_locale",
            "territory": line["Code Postal ML"][:2],
            "address": street(line["Adresse ML"].strip()),
            "postal_code": line["Code Postal ML"],
            "city": line["Ville ML"],
            "phone": display(same["contact_phone"]) if contact_source else "",
            "email": "",
            "url": "",
            "latitude": lat,
            "longitude": lon,
            "source": UNML_SOURCE,
            "updated_at": UNML_DATE,
            "contact_source": contact_source,
            "contact_updated_at": same["update"] if contact_source else "",
            "checked_at": "",
        }
    return sorted(rows.values(), key=lambda r: r["id"])


def read_regional() -> list[dict[str, str]]:
    """Etoile Info (from data/orientation/messages.yml, the one place of its number), then the
    hand-kept regional entries."""
    etoile = etoile_info()
    rows = [
        {
            **dict.fromkeys(CSV_FIELDS, ""),
            "id": "etoile-info",
            "name": etoile.name,
            "door": "etoile_info",
            "territory": REGION,
            "phone": etoile.phone,
            "url": etoile.site,
            "source": etoile.source,
            "updated_at": etoile.checked,
            "contact_source": etoile.source,
            "contact_updated_at": etoile.checked,
        }
    ]
    with (SOURCES / "regional.csv").open(encoding="utf-8", newline="") as fh:
        return rows + [{f: row.get(f) or "" for f in CSV_FIELDS} for row in csv.DictReader(fh)]


def filled_communes(communes: list[dict[str, str]], dila: Iterable[dict]) -> list[dict[str, str]]:
    """Communes GeoNames has no point for get their town hall's BAN geocode (DILA 2016)."""
    halls = {}
    for record in dila:
        geo = record.get("geo") or {}
        if record["type"] == "mairie" and geo.get("latitude"):
            halls.setdefault(record["codeinsee"], (geo["latitude"], geo["longitude"]))
    out = []
    for row in communes:
        if not row["lat"] and row["insee"] in halls:
            lat, lon = halls[row["insee"]]
            row = {**row, "lat": f"{lat:.4f}", "lon": f"{lon:.4f}"}
        out.append(row)
    return out


def build() -> dict[Path, str]:
    """Every output file and its exact text."""
    dila = list(read_dila())
    communes = filled_communes(read_communes(), dila)
    centres = {c["insee"]: (float(c["lat"]), float(c["lon"])) for c in communes if c["lat"]}
    unml = read_unml()
    local = missions_locales(unml, dila, centres) + sorted(
        (
            dila_structure(r, centres)
            for r in dila
            if r["type"] in DILA_DOORS and r["codeinsee"][:2] in REGION_DEPARTMENTS
        ),
        key=lambda r: (r["door"], r["id"]),
    )
    structures = read_regional() + local
    areas = [
        {"insee": line["Code INSEE"], "structure_id": f"mission-locale-{line['Code ML']}", "source": UNML_SOURCE}
        for line in sorted(unml, key=lambda line: line["Code INSEE"])
    ]
    return {
        STRUCTURES: _csv(CSV_FIELDS, structures),
        SERVICE_AREAS: _csv(SERVICE_AREA_FIELDS, areas),
        COMMUNES: _csv(COMMUNE_FIELDS, communes),
    }


def _csv(fields: Iterable[str], rows: Iterable[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(fields), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed files differ from a fresh build")
    args = parser.parse_args(argv)
    outputs = build()
    if args.check:
        stale = [p for p, text in outputs.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
        for path in stale:
            print(f"{path.relative_to(ROOT)} ne correspond pas aux sources : relancez scripts/build_directory.py")
        return 1 if stale else 0
    for path, text in outputs.items():
        path.write_text(text, encoding="utf-8")
        print(f"{path.relative_to(ROOT)} : {text.count(chr(10)) - 1} lignes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
