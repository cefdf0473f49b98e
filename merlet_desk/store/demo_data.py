"""Bulk writes for generated data (`merlet-desk init --demo`): rows straight into the tables,
one audit entry per fill instead of one per row, so a 20,000-pupil demo register builds in
seconds. Never for what a person enters or imports: those go through the audited functions of
`store.pupils`, `store.decisions` and `store.cases`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from merlet_desk.domain.consent import Decision
from merlet_desk.store.audit import record_change
from merlet_desk.store.sqlite_utils_import import Database

# (number, first name, prefix, last name, birth date ISO, class, location)
DemoPupil = tuple[str, str, str, str, str, str, str]
# (pupil id, purpose id, decision, given by, giver's name, received ISO, method, by, at)
DemoDecision = tuple[int, int, str, str, str, str, str, str, str]


def insert_pupils(db: Database, pupils: Iterable[DemoPupil]) -> dict[str, int]:
    """Insert pupils at school (none has left); returns every pupil's id by number."""
    db.conn.executemany(
        "INSERT INTO pupils (number, first_name, prefix, last_name, birth_date, class_name,"
        " location, left_on) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
        pupils,
    )
    return dict(db.execute("SELECT number, id FROM pupils").fetchall())


def insert_decisions(db: Database, decisions: Sequence[DemoDecision]) -> None:
    """Append decisions with the recorder and moment each row names."""
    db.conn.executemany(
        "INSERT INTO decisions (pupil_id, purpose_id, decision, given_by, giver_name,"
        " received_on, method, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        decisions,
    )


def next_case_id(db: Database) -> int:
    """The id the next inserted case gets: the demo links its people and steps by it."""
    return int(db.execute("SELECT coalesce(max(id), 0) FROM cases").fetchone()[0]) + 1


def case_reference_counters(db: Database) -> dict[int, int]:
    """The last reference number used per year (`2026-0007`: 7 for 2026)."""
    return {
        int(year): int(last)
        for year, last in db.execute("SELECT year, last_sequence FROM case_reference_counters")
    }


def insert_cases(
    db: Database,
    cases: Sequence[Sequence[Any]],
    people: Sequence[Sequence[Any]],
    agreements: Sequence[Sequence[Any]],
    timeline: Sequence[Sequence[Any]],
    stamp: str,
    counters: Mapping[int, int],
) -> None:
    """Insert cases with their people, agreements and timeline steps (each row keyed by its
    case id, from `next_case_id` on), set the reference counters so the next saved case
    continues after them, and audit the fill once."""
    db.conn.executemany(
        "INSERT INTO cases (id, reference, incident_date, report_date, location, category,"
        " platform, summary, description, measures, parents_informed, parents_informed_on,"
        " police_informed, police_informed_on, press_contact, victim_care, status, closed_on,"
        " created_at, created_by, updated_at, updated_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        cases,
    )
    db.conn.executemany(
        "INSERT INTO case_people (case_id, position, role, description, pupil_number)"
        " VALUES (?, ?, ?, ?, ?)",
        people,
    )
    db.conn.executemany(
        "INSERT INTO case_agreements (case_id, agreement) VALUES (?, ?)", agreements
    )
    db.conn.executemany(
        "INSERT INTO case_timeline (case_id, entry_date, kind, text, author, created_at)"
        " VALUES (?, ?, ?, ?, 'demo', ?)",
        [(*step, stamp) for step in timeline],
    )
    db.conn.executemany(
        "INSERT INTO case_reference_counters (year, last_sequence) VALUES (?, ?)"
        " ON CONFLICT(year) DO UPDATE SET last_sequence = excluded.last_sequence",
        sorted(counters.items()),
    )
    record_change(db, "import", "case", None, None, {"demo_cases": len(cases)})


def all_decisions(db: Database) -> list[Decision]:
    """Every decision of the register, by date received, then entry: the demo predicts the
    publication check a few thousand times from them in memory."""
    return [
        Decision(
            row[0], row[1], row[2], row[3], row[4], date.fromisoformat(row[5]), row[6], id=row[7]
        )
        for row in db.execute(
            "SELECT p.number, pu.code, d.decision, d.given_by, d.giver_name, d.received_on,"
            " d.method, d.id FROM decisions d JOIN pupils p ON p.id = d.pupil_id"
            " JOIN purposes pu ON pu.id = d.purpose_id ORDER BY d.received_on, d.id"
        )
    ]
