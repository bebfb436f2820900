"""Generated conversations whose indicators are known in advance give exactly those figures,
on SQLite and on PostgreSQL, read back from the store the bot writes."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from bot.report import build_report
from bot.stores.events import open_store
from tests.report.known import PERIOD, SALT, SESSIONS
from tests.support.store_data import open_tracker_store, write_sessions


@pytest.fixture
async def report(database_url: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("SPRO_CONVERSATIONS_URL", raising=False)
    await write_sessions(open_tracker_store(database_url), SESSIONS)
    return build_report(open_store(database_url), PERIOD, SALT, stable_pseudonyms=True)


async def test_counts_per_day_channel_and_person(report) -> None:
    ind = report.indicators
    assert ind.conversations == 7
    assert ind.persons == 6
    assert ind.per_day == {
        date(2026, 10, 5): Counter(rest=1, whatsapp=1, socketio=1),
        date(2026, 10, 6): Counter(whatsapp=1, facebook=1),
        date(2026, 10, 7): Counter(rest=2),
    }
    assert ind.channels == Counter(rest=3, whatsapp=2, facebook=1, socketio=1)


async def test_needs_and_doors_per_territory_and_department(report) -> None:
    ind = report.indicators
    assert ind.needs == Counter(reconversion=2, decrochage=1, financement_formation=1)
    assert ind.doors_by_territory == Counter(
        {
            ("tours", "cep_actifs"): 1,
            ("vierzon", "mission_locale"): 1,
            ("orleans", "france_travail"): 1,
            ("montargis_gien", "france_travail"): 1,
            (None, "etoile_info"): 1,
        }
    )
    assert ind.doors_by_department == Counter(
        {("37", "cep_actifs"): 1, ("18", "mission_locale"): 1, ("45", "france_travail"): 2, (None, "etoile_info"): 1}
    )


async def test_funnel_fallbacks_and_turns(report) -> None:
    ind = report.indicators
    assert (ind.funnel.started, ind.funnel.qualified, ind.funnel.recommended) == (7, 4, 4)
    assert (ind.unrecognised_messages, ind.typed_messages) == (5, 14)
    assert ind.fallback_rate == pytest.approx(5 / 14)
    assert ind.top_unrecognised == [
        ("euh", 2),
        ("Je cherche un emploi, mon mail est [e-mail]", 1),
        ("blablabla", 1),
        ("xqzw [téléphone]", 1),
    ]
    assert ind.turns == Counter({1: 1, 2: 2, 4: 1})
    assert ind.turns_median == 2


async def test_the_tables_carry_the_same_figures(report) -> None:
    tables = {t.name: t for s in report.sections for t in s.tables}
    grid = tables["portes_par_territoire"]
    door = grid.columns.index("France Travail")
    rows = {row[0]: row for row in grid.rows}
    assert (rows["Orléans (45)"][door], rows["Montargis-Gien (45)"][door], rows["Orléans (45)"][-1]) == (1, 1, 1)
    assert rows["Non précisé"][grid.columns.index("Etoile Info")] == 1
    assert (rows["Région"][door], rows["Région"][-1]) == (2, 5)
    assert tables["parcours"].rows == [
        ["Conversation commencée", 7, "100,0\u00a0%"],
        ["Besoin connu", 4, "57,1\u00a0%"],
        ["Recommandation donnée", 4, "57,1\u00a0%"],
    ]
    assert ["Messages écrits non compris", 5, "35,7\u00a0%"] in tables["synthese"].rows


async def test_the_records_hold_pseudonyms_only(report) -> None:
    people = {c.person for c in report.conversations}
    assert len(people) == 6
    assert not people & {"web-1", "33612345678", "fb-1", "web-2", "web-3", "web-5"}
    assert all(len(p) == 16 for p in people)
