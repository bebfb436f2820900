"""bot.geo: every commune of the region from its name and postal codes; typos, homonyms, outside."""

from __future__ import annotations

import pytest

from bot.geo import Status, gazetteer, resolve
from bot.geo.data import REGION_DEPARTMENTS, read_communes

COMMUNES = read_communes()


def test_the_data_holds_the_1754_communes_of_the_2026_cog() -> None:
    counts = {d: sum(1 for c in COMMUNES if c.department == d) for d in REGION_DEPARTMENTS}
    assert counts == {"18": 286, "28": 363, "36": 241, "37": 272, "41": 267, "45": 325}
    assert all(c.territory for c in COMMUNES)
    assert sum(1 for c in COMMUNES if c.lat is not None) >= 1700


def test_every_commune_resolves_from_its_own_name() -> None:
    failures = []
    for commune in COMMUNES:
        result = resolve(commune.name)
        if result.commune != commune and commune not in result.candidates:
            failures.append(f"{commune.name}: {result.status.value}")
    assert failures == []


def test_every_commune_resolves_from_each_of_its_postal_codes() -> None:
    failures = []
    for commune in COMMUNES:
        for postal_code in commune.postal_codes:
            result = resolve(postal_code)
            if result.commune != commune and commune not in result.candidates:
                failures.append(f"{commune.name} {postal_code}: {result.status.value}")
    assert failures == []


def test_a_shared_postal_code_gives_candidates_and_a_name_picks_one() -> None:
    result = resolve("18100")
    assert result.status is Status.AMBIGUOUS
    assert "Vierzon" in {c.name for c in result.candidates}
    assert resolve("18100 Vierzon").commune.name == "Vierzon"
    assert resolve("Thénioux 18100").commune.name == "Thénioux"


@pytest.mark.parametrize(
    ("text", "name", "territory"),
    [
        ("Vierzon", "Vierzon", "vierzon"),
        ("VIERZON", "Vierzon", "vierzon"),
        ("Vierzone", "Vierzon", "vierzon"),
        ("chateauroux", "Châteauroux", "chateauroux"),
        ("Chateauroux 36", "Châteauroux", "chateauroux"),
        ("Le Blanc", "Le Blanc", "brenne_boischaut_sud"),
        ("blanc", "Le Blanc", "brenne_boischaut_sud"),
        ("La Châtre", "La Châtre", "brenne_boischaut_sud"),
        ("la chatre", "La Châtre", "brenne_boischaut_sud"),
        ("St Amand Montrond", "Saint-Amand-Montrond", "saint_amand_montrond"),
        ("saint amand montrond", "Saint-Amand-Montrond", "saint_amand_montrond"),
        ("Joue les Tours", "Joué-lès-Tours", "tours"),
        ("j'habite à Blois", "Blois", "loir_et_cher"),
        ("à côté de Bourges", "Bourges", "bourges"),
        ("Bourge", "Bourges", "bourges"),
        ("Romorantin", "Romorantin-Lanthenay", "loir_et_cher"),
        ("Aubigny", "Aubigny-sur-Nère", "aubigny"),
        ("45000", "Orléans", "orleans"),
        ("37 000", "Tours", "tours"),
        ("Nogent le rotrou", "Nogent-le-Rotrou", "nogent_le_rotrou"),
        ("Ste Maure de Touraine", "Sainte-Maure-de-Touraine", "loches"),
    ],
)
def test_free_text_finds_the_commune_and_its_territory(text: str, name: str, territory: str) -> None:
    result = resolve(text)
    assert result.status is Status.FOUND, result
    assert (result.commune.name, result.commune.territory) == (name, territory)


def test_former_names_of_merged_communes_lead_to_the_new_commune() -> None:
    merged = [c for c in COMMUNES if c.former_names]
    assert merged, "the data should know some communes nouvelles"
    for commune in merged:
        for former in commune.former_names:
            result = resolve(former)
            assert result.commune == commune or commune in result.candidates, former


@pytest.mark.parametrize(
    ("text", "candidates"),
    [
        ("St Amand", {"Saint-Amand-Montrond", "Saint-Amand-Longpré"}),
        ("Châteauneuf", {"Châteauneuf-sur-Loire", "Châteauneuf-sur-Cher", "Châteauneuf-en-Thymerais"}),
    ],
)
def test_a_name_shared_by_several_communes_gives_the_candidates(text: str, candidates: set[str]) -> None:
    result = resolve(text)
    assert result.status is Status.AMBIGUOUS
    assert candidates <= {c.name for c in result.candidates}


@pytest.mark.parametrize(
    ("text", "department"),
    [("Paris", "75"), ("75011", "75"), ("Lyon", "69"), ("Le Mans", "72"), ("13001", "13"), ("Nantes", "44")],
)
def test_a_place_outside_the_region_is_never_mapped_inside(text: str, department: str) -> None:
    result = resolve(text)
    assert result.status is Status.OUTSIDE
    assert result.department == department
    assert result.department_name == gazetteer().departments[department]


@pytest.mark.parametrize("text", ["", "   ", "oui", "je sais pas", "😀😀", "<script>alert(1)</script>", "x" * 10_000])
def test_text_that_names_no_place_is_unknown(text: str) -> None:
    assert resolve(text).status is Status.UNKNOWN
