"""Demo cases: size, spread and consistency with the store's rules."""

from __future__ import annotations

import random

from merlet_desk.demo import cases as demo
from merlet_desk.domain.cases import DEFAULT_CATEGORIES, DEFAULT_PLATFORMS, STATUSES
from merlet_desk.letterhead import location_names
from merlet_desk.store import cases as store
from tests.helpers import TODAY


def test_demo_fills_a_few_hundred_cases_of_every_kind(db):
    demo.fill(db, random.Random(1), 600)
    rows = store.list_cases(db)
    assert 300 <= len(rows) <= 600
    assert {r.location for r in rows} == set(location_names())
    assert {r.status for r in rows} == set(STATUSES)
    assert {r.category for r in rows} == {code for code, _ in DEFAULT_CATEGORIES}
    assert {r.platform for r in rows} == {code for code, _ in DEFAULT_PLATFORMS}
    assert len({r.incident_date.year for r in rows}) >= 3
    assert all(r.latest_entry for r in rows)
    assert len({r.reference for r in rows}) == len(rows)
    for row in rows:
        assert row.report_date >= row.incident_date
        assert row.report_date <= TODAY


def test_demo_cases_follow_the_validation_rules(db):
    """Every demo case passes the rules a case saved through the editor must pass, so an
    officer can open and save any of them."""
    demo.fill(db, random.Random(2), 200)
    rows = store.list_cases(db)
    assert len(rows) >= 40
    broken = {}
    for row in rows:
        problems = store.case_problems(db, store.get_case(db, row.reference))
        if problems:
            broken[row.reference] = problems
    assert broken == {}
    case = store.get_case(db, rows[0].reference)  # and one saves for real
    case.summary += " (bijgewerkt)"
    store.update_case(db, case)
    assert store.get_case(db, case.reference).summary.endswith(" (bijgewerkt)")


def test_demo_scales_to_5000_and_new_cases_continue_the_numbering(db):
    assert demo.case_count(2000) == 5000
    demo.fill(db, random.Random(3), 2000)
    assert db.execute("SELECT count(*) FROM cases").fetchone()[0] == 5000
    year = max(r.report_date.year for r in store.list_cases(db))
    last = db.execute(
        "SELECT max(reference) FROM cases WHERE reference LIKE ?", [f"{year}-%"]
    ).fetchone()[0]
    case = store.get_case(db, last)
    case.reference = None
    assert store.create_case(db, case).reference > last


def test_the_demo_looks_like_a_school_that_keeps_up(db):
    """A handful of incidents still running, all of the last two months; everything older
    is closed (722 open incidents from 2023 on made Start look alarming)."""
    from datetime import timedelta

    demo.fill(db, random.Random(3), 2000)
    rows = store.list_cases(db)
    active = [r for r in rows if r.status != "closed"]
    assert 0 < len(active) <= len(rows) // 50
    assert [r for r in rows if r.status == "open"]
    latest = max(r.incident_date for r in rows)
    assert min(r.incident_date for r in active) >= latest - timedelta(days=demo.ACTIVE_DAYS)
