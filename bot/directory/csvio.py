"""Checking and writing the directory CSV file that editors own.

An import is all or nothing: every row is checked, every error is reported with its line
number, and nothing is written unless the whole file is valid.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from bot.directory.models import CSV_FIELDS
from bot.spreadsheet import write_records

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_POSTAL_CODE = re.compile(r"^\d{5}$")
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_URL = re.compile(r"^https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(:\d+)?(/\S*)?$")
_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_PHONE_CHARS = re.compile(r"^[0-9 +.]+$")
_COORDINATE = re.compile(r"^-?\d{1,3}(\.\d+)?$")
REQUIRED = ("id", "name", "door", "territory", "source")


class InvalidDirectoryFile(ValueError):
    """The file is not imported; ``errors`` lists every problem as « ligne N : … »."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} erreur(s) dans le fichier")
        self.errors = errors


def valid_email(email: str) -> bool:
    return bool(_EMAIL.match(email))


def valid_url(url: str) -> bool:
    """A web address people can open (http or https), nothing else (no ``javascript:``)."""
    return bool(_URL.match(url))


def valid_phone(phone: str) -> bool:
    """French numbers as the public dials them: 10 digits, +33 and 9 digits, or a short 39 49."""
    if not _PHONE_CHARS.match(phone):
        return False
    digits = re.sub(r"\D", "", phone)
    if phone.strip().startswith("+"):
        return digits.startswith("33") and len(digits) == 11 and digits[2] != "0"
    return (len(digits) == 10 and digits.startswith("0")) or (len(digits) == 4 and digits.startswith("3"))


def parse_csv(
    text: str,
    doors: Iterable[str],
    territories: Iterable[str],
    departments: Iterable[str],
) -> list[dict[str, str | None]]:
    """Rows ready to store (empty cells → ``None``), or InvalidDirectoryFile with every error."""
    doors, departments = set(doors), set(departments)
    areas = set(territories) | departments | {"region"}
    rows: list[dict[str, str | None]] = []
    errors: list[str] = []
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = reader.fieldnames or []
    missing = [f for f in CSV_FIELDS if f not in header]
    extra = [f for f in header if f not in CSV_FIELDS]
    if missing or extra:
        details = []
        if missing:
            details.append(f"colonnes manquantes : {', '.join(missing)}")
        if extra:
            details.append(f"colonnes inconnues : {', '.join(extra)}")
        raise InvalidDirectoryFile([f"ligne 1 : {' ; '.join(details)} (attendu : {','.join(CSV_FIELDS)})"])
    seen_ids: dict[str, int] = {}
    seen_keys: dict[tuple[str, ...], int] = {}
    for row in reader:
        line = reader.line_num
        if None in row:
            errors.append(f"ligne {line} : trop de cellules (une virgule dans un texte doit être entre guillemets)")
            continue
        values = {k: (v or "").strip() or None for k, v in row.items()}
        problems = row_problems(values, doors, areas)
        if values["id"]:
            if values["id"] in seen_ids:
                problems.append(f"identifiant « {values['id']} » déjà utilisé ligne {seen_ids[values['id']]}")
            seen_ids.setdefault(values["id"], line)
        key = tuple((values[f] or "").lower() for f in ("name", "door", "territory"))
        if all(key):
            if key in seen_keys:
                problems.append(f"doublon de la ligne {seen_keys[key]} (même nom, même porte, même territoire)")
            seen_keys.setdefault(key, line)
        errors += [f"ligne {line} : {p}" for p in problems]
        rows.append(values)
    if errors:
        raise InvalidDirectoryFile(errors)
    return rows


def row_problems(values: Mapping[str, str | None], doors: set[str], areas: set[str]) -> list[str]:
    problems = [f"« {f} » est obligatoire" for f in REQUIRED if not values[f]]
    if values["id"] and not _ID.match(values["id"]):
        problems.append(f"identifiant « {values['id']} » invalide (minuscules, chiffres, - et _)")
    if values["door"] and values["door"] not in doors:
        problems.append(f"porte inconnue « {values['door']} »")
    if values["territory"] and values["territory"] not in areas:
        problems.append(
            f"territoire inconnu « {values['territory']} » (un territoire, un numéro de département ou region)"
        )
    if values["postal_code"] and not _POSTAL_CODE.match(values["postal_code"]):
        problems.append(f"code postal « {values['postal_code']} » invalide (5 chiffres)")
    if values["phone"] and not valid_phone(values["phone"]):
        problems.append(f"téléphone « {values['phone']} » invalide")
    if values["email"] and not valid_email(values["email"]):
        problems.append(f"adresse e-mail « {values['email']} » invalide")
    if values["url"] and not valid_url(values["url"]):
        problems.append(f"site web « {values['url']} » invalide (il doit commencer par https://)")
    for field in ("updated_at", "contact_updated_at", "checked_at"):
        if values[field] and not _DATE.match(values[field]):
            problems.append(f"date « {values[field]} » invalide (AAAA-MM-JJ, AAAA-MM ou AAAA)")
    if bool(values["latitude"]) != bool(values["longitude"]):
        problems.append("latitude et longitude vont ensemble")
    for field, limit in (("latitude", 90), ("longitude", 180)):
        value = values[field]
        if value and not (_COORDINATE.match(value) and abs(float(value)) <= limit):
            problems.append(f"{field} « {value} » invalide (degrés décimaux, comme 47.0793)")
    return problems


def write_csv(rows: Iterable[Mapping[str, str | None]], path: Path) -> None:
    """The canonical form: UTF-8, the documented column order, empty cells for unknown values
    (``bot.spreadsheet``: no cell runs as a formula)."""
    write_records(path, CSV_FIELDS, rows)
