"""Property test: whatever cases are created and deleted, references stay unique and run on."""

from __future__ import annotations

import itertools
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from merlet_desk.domain.cases import Case, parse_reference
from merlet_desk.store import cases as store
from merlet_desk.store import open_database

TODAY = date(2026, 11, 24)
RUNS = itertools.count()

steps = st.lists(
    st.one_of(
        st.tuples(st.just("create"), st.sampled_from([2024, 2025, 2026])),
        st.tuples(st.just("delete"), st.integers(min_value=0, max_value=50)),
    ),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=steps)
def test_references_are_never_reused(tmp_path, steps):
    path = tmp_path / f"refs-{next(RUNS)}.sqlite"  # tmp_path is shared by the examples
    db = open_database(path)
    try:
        handed_out: list[str] = []
        alive: list[str] = []
        for action, value in steps:
            if action == "create":
                day = date(value, 3, 1)
                case = store.create_case(
                    db,
                    Case(
                        incident_date=day,
                        report_date=day,
                        location="Grave",
                        category="other",
                        platform="other",
                        summary="Testzaak",
                    ),
                    today=TODAY,
                )
                handed_out.append(case.reference)
                alive.append(case.reference)
            elif alive:
                store.delete_case(db, alive.pop(value % len(alive)))
        assert len(set(handed_out)) == len(handed_out)
        for year in {parse_reference(r)[0] for r in handed_out}:
            sequences = [parse_reference(r)[1] for r in handed_out if r.startswith(f"{year}-")]
            assert sequences == list(range(1, len(sequences) + 1))
        assert sorted(r.reference for r in store.list_cases(db)) == sorted(alive)
    finally:
        db.close()
