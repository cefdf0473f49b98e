"""Decisions read from an imported file (a parent portal's export, a file of decisions): which
are already in the register, writing them all with the import itself in one transaction,
and which decisions came from a file. No Qt here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from merlet_desk.store import changes
from merlet_desk.store.audit import (
    current_user,
    now_iso,
    record_change,
    record_rows,
)
from merlet_desk.store.connection import inserted_id
from merlet_desk.store.sqlite_utils_import import Database

# A decision read from an imported file: (pupil id, purpose id, decision, given by, giver's
# name, date received as ISO text, method).
ImportedDecision = tuple[int, int, str, str, str, str, str]


# The audit entry of an imported decision, as `record_change(..., decision_as_dict(...))`
# writes it (keys sorted), made by SQLite from the inserted rows.
_DECISION_JSON = (
    "json_object('decision', d.decision, 'given_by', d.given_by, 'giver_name', d.giver_name,"
    " 'method', d.method, 'pupil', p.number, 'purpose', pu.code, 'received_on', d.received_on)"
)


def decision_keys(db: Database, pupil_ids: Iterable[int]) -> set[tuple[Any, ...]]:
    """(pupil id, purpose id, decision, given by, giver's name, date received) of every
    decision of these pupils: an imported row equal to one of them is already in the register."""
    return {
        tuple(row)
        for row in db.execute(
            "SELECT pupil_id, purpose_id, decision, given_by, giver_name, received_on"
            " FROM decisions WHERE pupil_id IN (SELECT value FROM json_each(?))",
            [json.dumps(sorted(set(pupil_ids)))],
        )
    }


def write_imported_decisions(
    db: Database,
    rows: Sequence[ImportedDecision],
    *,
    file_name: str,
    shape: str,
    counts: Mapping[str, int],
    recorded_by: str | None = None,
) -> int:
    """Append the decisions read from one file, each with its audit entry, and the import
    itself (its counts, and an audit entry naming the file), in one transaction. Returns the
    import's id, which each of its decisions carries (`imported_decision_ids`).

    The audit entries are written by one INSERT … SELECT with the JSON made by SQLite: 140,000
    decisions from a school board's portal export would otherwise build as many JSON texts in
    Python (the pupil import does the same).
    """
    recorded_by = recorded_by or current_user()
    recorded_at = now_iso()
    before = db.conn.total_changes
    with db.atomic(), _bulk_cache(db, len(rows)):
        cursor = db.execute(
            "INSERT INTO consent_imports (file_name, shape, counts, recorded_by, recorded_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [file_name, shape, json.dumps(dict(counts), sort_keys=True), recorded_by, recorded_at],
        )
        import_id = inserted_id(cursor)
        last_id = db.execute("SELECT coalesce(max(id), 0) FROM decisions").fetchone()[0]
        extra = (recorded_by, recorded_at, import_id)
        db.conn.executemany(
            "INSERT INTO decisions (pupil_id, purpose_id, decision, given_by, giver_name,"
            " received_on, method, recorded_by, recorded_at, import_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [row + extra for row in rows],
        )
        if rows:
            record_rows(
                db,
                "create",
                "decision",
                f"SELECT d.id, NULL, {_DECISION_JSON} FROM decisions d"
                " JOIN pupils p ON p.id = d.pupil_id JOIN purposes pu ON pu.id = d.purpose_id"
                " WHERE d.id > ? ORDER BY d.id",
                [last_id],
            )
        record_change(db, "import", "consent_file", file_name, None, dict(counts))
    changes.pupils_changed(db, before, {row[0] for row in rows})
    return import_id


@contextmanager
def _bulk_cache(db: Database, rows: int) -> Iterator[None]:
    """A larger page cache while many decisions are written in one transaction: a school
    board's first portal import writes some 25 MB of table, indexes and audit entries, and
    with SQLite's default cache of 2 MB the pages spill to the journal before the commit."""
    if rows < 10_000:
        yield
        return
    old = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute("PRAGMA cache_size = -131072")  # 128 MiB, given back at once
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size = {int(old)}")


def imported_decision_ids(db: Database, decision_ids: Iterable[int]) -> set[int]:
    """Which of these decisions came from an imported file (the history says so)."""
    return {
        row[0]
        for row in db.execute(
            "SELECT id FROM decisions WHERE import_id IS NOT NULL"
            " AND id IN (SELECT value FROM json_each(?))",
            [json.dumps(list(decision_ids))],
        )
    }
