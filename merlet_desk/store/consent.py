"""The consent register in the database: pupils, purposes, decisions and derived statuses.

Every change is audited with `record_change` inside the same `db.atomic()` block. Decisions are
append-only (enforced by triggers, see migration m0003). Statuses are never stored: they are
derived from the decisions with `domain.consent.status_on`, so a change of a setting changes
how decisions are read, never the decisions. No Qt here.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from sys import intern
from typing import Any, NamedTuple

from merlet_desk import clock
from merlet_desk.domain import consent as rules
from merlet_desk.domain.consent import ConsentSettings, Decision, Status
from merlet_desk.errors import InputError
from merlet_desk.store import changes
from merlet_desk.store.audit import (
    current_user,
    now_iso,
    record_change,
    record_rows,
)
from merlet_desk.store.connection import inserted_id
from merlet_desk.store.consent_settings import consent_settings, school_year
from merlet_desk.store.pupils import Pupil, get_pupil, list_pupils, pupil_filter, resolve_pupils
from merlet_desk.store.purposes import Purpose, get_purpose, list_purposes
from merlet_desk.store.sqlite_utils_import import Database
from merlet_desk.store.values import clean_text, input_date

# --------------------------------------------------------------------------- records


@dataclass
class CheckResult:
    """The publication check: who may appear for `purpose` on `on`, and who may not."""

    purpose: Purpose
    on: date
    allowed: list[tuple[Pupil, Status]] = field(default_factory=list)
    blocked: list[tuple[Pupil, Status]] = field(default_factory=list)

    @property
    def all_allowed(self) -> bool:
        return not self.blocked

    def as_json(self) -> dict[str, Any]:
        """The shape of `merlet-desk check --json` (issue 3)."""
        return {
            "purpose": self.purpose.code,
            "date": self.on.isoformat(),
            "allowed": [
                {"pupil": pupil.number, "name": pupil.name, "flags": list(status.flags)}
                for pupil, status in self.allowed
            ],
            "blocked": [
                {"pupil": pupil.number, "name": pupil.name, "reason": status.reason}
                for pupil, status in self.blocked
            ],
        }

    def as_text(self) -> str:
        """Plain Dutch text, for the clipboard and the command line."""
        lines = [
            f"Publicatiecheck: {self.purpose.label} ({self.purpose.code}), "
            f"{self.on.strftime('%d-%m-%Y')}",
            "",
            f"Mag erop ({len(self.allowed)}):",
        ]
        for pupil, status in self.allowed:
            flags = "".join(f" [{rules.FLAG_LABELS[flag]}]" for flag in status.flags)
            lines.append(f"  {pupil.number}  {pupil.name} ({pupil.class_name}){flags}")
        if not self.allowed:
            lines.append("  (niemand)")
        lines += ["", f"Mag er niet op ({len(self.blocked)}):"]
        for pupil, status in self.blocked:
            reason = rules.REASON_LABELS[status.reason or rules.NO_RECORD]
            lines.append(f"  {pupil.number}  {pupil.name} ({pupil.class_name}): {reason}")
        if not self.blocked:
            lines.append("  (niemand)")
        return "\n".join(lines)


class ExpiringReminder(NamedTuple):
    pupil: Pupil
    purpose: Purpose
    valid_until: date


class Turned16Reminder(NamedTuple):
    pupil: Pupil
    purpose: Purpose
    decision: Decision


class NoRecordReminder(NamedTuple):
    pupil: Pupil
    purpose: Purpose


@dataclass
class Reminders:
    """What needs attention on a date (pupils at school, active purposes)."""

    on: date
    expiring: list[ExpiringReminder] = field(default_factory=list)
    turned_16: list[Turned16Reminder] = field(default_factory=list)
    no_record: list[NoRecordReminder] = field(default_factory=list)
    expired: list[NoRecordReminder] = field(default_factory=list)  # "ask again"


# --------------------------------------------------------------------------- helpers


# --------------------------------------------------------------------------- purposes


# --------------------------------------------------------------------------- pupils


# --------------------------------------------------------------------------- decisions


_DECISION_SELECT = (
    "SELECT d.id, p.number, pu.code, d.decision, d.given_by, d.giver_name, d.received_on,"
    " d.method, d.recorded_by, d.recorded_at, d.pupil_id, d.purpose_id"
    " FROM decisions d JOIN pupils p ON p.id = d.pupil_id"
    " JOIN purposes pu ON pu.id = d.purpose_id"
)


def _decision(row: Sequence[Any]) -> Decision:
    """A decision from a `_DECISION_SELECT` row. The columns that repeat across rows (the
    pupil's number, the purpose, the decision, who gave it, the method, who recorded it) are
    interned: the register holds 140,000 decisions at 20,000 pupils, and one string object
    per column and row was 65 MiB of its memory (issue 18)."""
    return Decision(
        pupil_number=intern(row[1]),
        purpose=intern(row[2]),
        decision=intern(row[3]),
        given_by=intern(row[4]),
        giver_name=row[5],
        received_on=_day(row[6]),
        method=intern(row[7]),
        recorded_by=intern(row[8]),
        recorded_at=row[9],
        id=row[0],
    )


@lru_cache(maxsize=8192)
def _day(text: str) -> date:
    """A date column: the same few hundred days recur over thousands of decisions."""
    return date.fromisoformat(text)


def record_decision(
    db: Database,
    pupil_number: str,
    purpose: str,
    decision: str,
    given_by: str,
    giver_name: str,
    received_on: date | str,
    method: str = "paper",
    recorded_by: str | None = None,
    recorded_at: str | None = None,
) -> Decision:
    """Append one decision after checking it (InputError with a Dutch message; audited).

    `recorded_at` (ISO date-time) is for generated data only (the demo must be the same on
    every run); a decision entered by a person is stamped with the current time.
    """
    pupil = get_pupil(db, pupil_number)
    target = get_purpose(db, purpose)
    received = input_date(received_on)
    giver_name = clean_text(giver_name)
    problems = [
        text
        for _, text in rules.decision_problem(
            birth_date=pupil.birth_date,
            purpose_label=target.label,
            purpose_retired=target.retired,
            decision=decision,
            given_by=given_by,
            received_on=received,
            method=method,
            today=clock.today(),
        )
    ]
    if not giver_name:
        if given_by == rules.PUPIL:
            giver_name = pupil.name
        else:
            problems.append("vul de naam van de ouder of voogd in")
    if problems:
        first = problems[0]
        raise InputError(first[:1].upper() + first[1:], problems if len(problems) > 1 else [])
    recorded_by = recorded_by or current_user()
    recorded_at = recorded_at or now_iso()
    before = db.conn.total_changes
    with db.atomic():
        cursor = db.execute(
            "INSERT INTO decisions (pupil_id, purpose_id, decision, given_by, giver_name,"
            " received_on, method, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                pupil.id,
                target.id,
                decision,
                given_by,
                giver_name,
                received.isoformat(),
                method,
                recorded_by,
                recorded_at,
            ],
        )
        result = Decision(
            pupil_number=pupil.number,
            purpose=target.code,
            decision=decision,
            given_by=given_by,
            giver_name=giver_name,
            received_on=received,
            method=method,
            recorded_by=recorded_by,
            recorded_at=recorded_at,
            id=inserted_id(cursor),
        )
        record_change(db, "create", "decision", result.id, None, decision_as_dict(result))
    changes.pupils_changed(db, before, [pupil.id])  # lists derived per pupil follow cheaply
    return result


def decision_as_dict(decision: Decision) -> dict[str, Any]:
    return {
        "pupil": decision.pupil_number,
        "purpose": decision.purpose,
        "decision": decision.decision,
        "given_by": decision.given_by,
        "giver_name": decision.giver_name,
        "received_on": decision.received_on.isoformat(),
        "method": decision.method,
    }


def decisions_for(db: Database, pupil_number: str, purpose: str | None = None) -> list[Decision]:
    """A pupil's decisions (one purpose, or all), oldest first by date received, then entry."""
    pupil = get_pupil(db, pupil_number)
    sql = _DECISION_SELECT + " WHERE d.pupil_id = ?"
    params: list[Any] = [pupil.id]
    if purpose is not None:
        sql += " AND d.purpose_id = ?"
        params.append(get_purpose(db, purpose).id)
    sql += " ORDER BY d.received_on, d.id"
    return [_decision(row) for row in db.execute(sql, params).fetchall()]


# --------------------------------------------------------------------------- settings


# --------------------------------------------------------------------------- statuses


def _decisions_by_cell(
    db: Database, on: date, where: str, params: list[Any]
) -> dict[tuple[int, int], list[Decision]]:
    """Decisions up to `on` grouped by (pupil id, purpose id), in date order."""
    sql = (
        _DECISION_SELECT
        + where
        + (" AND " if where else " WHERE ")
        + "d.received_on <= ? ORDER BY d.pupil_id, d.purpose_id, d.received_on, d.id"
    )
    cells: dict[tuple[int, int], list[Decision]] = defaultdict(list)
    for row in db.execute(sql, [*params, on.isoformat()]):
        cells[(row[10], row[11])].append(_decision(row))
    return cells


def _latest_decisions_by_cell(
    db: Database, on: date, where: str, params: Sequence[Any]
) -> dict[tuple[int, int], list[Decision]]:
    """Per (pupil id, purpose id) only the decisions of the latest date up to `on`, for the
    cells of pupils `p` × purposes `pu` that `where` (on those aliases) selects.

    The decision that counts always lies on that date (`rules.current_decision`), unless every
    decision of that date is a grant from the wrong giver, which `record_decision` and the
    importer refuse; `_status_from_latest` falls back to the full history for that case. Ten
    years of history (100,000 decisions) made building every `Decision` the bulk of a
    publication check; this reads about one row per cell.
    """
    return _latest_decisions_of_pairs(
        db, "SELECT p.id, pu.id FROM pupils p CROSS JOIN purposes pu" + where, params, on
    )


def _latest_decisions_of_pairs(
    db: Database, pairs_sql: str, params: Sequence[Any], on: date
) -> dict[tuple[int, int], list[Decision]]:
    """The decisions on the latest date up to `on` of each (pupil id, purpose id) pair that
    `pairs_sql` selects: one index search per pair. A GROUP BY over the decisions instead
    sorted a million rows at 20,000 pupils (2.6 s against 0.6 s; issue 18)."""
    return _decisions_on_latest_days(
        db,
        f"WITH pairs(pupil_id, purpose_id) AS ({pairs_sql}),"
        " latest AS (SELECT pupil_id, purpose_id, (SELECT max(x.received_on) FROM decisions x"
        "  WHERE x.pupil_id = pairs.pupil_id AND x.purpose_id = pairs.purpose_id"
        "  AND x.received_on <= ?) AS day FROM pairs) ",
        [*params, on.isoformat()],
    )


def _decisions_on_latest_days(
    db: Database, latest_cte: str, params: Sequence[Any]
) -> dict[tuple[int, int], list[Decision]]:
    """The decisions on the day named by `latest_cte` (a WITH clause defining `latest` as
    pupil_id, purpose_id, day) for each of its cells."""
    sql = latest_cte + _DECISION_SELECT.replace(
        " FROM decisions d",
        " FROM latest l JOIN decisions d ON d.pupil_id = l.pupil_id"
        " AND d.purpose_id = l.purpose_id AND d.received_on = l.day",
    )
    cells: dict[tuple[int, int], list[Decision]] = defaultdict(list)
    for row in db.execute(sql, params):
        cells[(row[10], row[11])].append(_decision(row))
    return cells


def _status_from_latest(
    db: Database,
    pupil: Pupil,
    purpose_id: int,
    latest: list[Decision],
    on: date,
    settings: ConsentSettings,
) -> Status:
    """The status from the latest date's decisions; the full history only when none counts."""
    status = rules.status_on(pupil.birth_date, latest, on, settings)
    if status.state == rules.NO_RECORD and latest:
        history = _decisions_by_cell(
            db, on, " WHERE d.pupil_id = ? AND d.purpose_id = ?", [pupil.id, purpose_id]
        )
        status = rules.status_on(
            pupil.birth_date, history.get((pupil.id, purpose_id), []), on, settings
        )
    return status


def pair_statuses(
    db: Database,
    pairs_sql: str,
    params: Sequence[Any],
    pupils: Mapping[int, Pupil],
    on: date,
) -> dict[tuple[int, int], Status]:
    """The status on `on` of every (pupil id, purpose id) pair selected by `pairs_sql` (a
    SELECT of those two columns, with `params`; every pupil it names must be in `pupils`, by
    id), keyed by the pair. A pair that is not in the result has no decision: NO_RECORD.

    For the takedown list (issue 18): one index search per pair for its latest date, instead
    of a publication check per purpose over every pupil in a publication.
    """
    cells = _latest_decisions_of_pairs(db, pairs_sql, params, on)
    settings = consent_settings(db)
    return {
        (pupil_id, purpose_id): _status_from_latest(
            db, pupils[pupil_id], purpose_id, decisions, on, settings
        )
        for (pupil_id, purpose_id), decisions in cells.items()
    }


def register_statuses(
    db: Database,
    on: date,
    *,
    location: str | None = None,
    class_name: str | None = None,
    include_left: bool = False,
) -> list[tuple[Pupil, dict[str, Status]]]:
    """Every pupil (in register order) with its status for every active purpose code."""
    settings = consent_settings(db)
    pupils = list_pupils(db, location=location, class_name=class_name, include_left=include_left)
    purposes = list_purposes(db)
    where, params = pupil_filter(location, class_name, include_left, alias="p.")
    where += (" AND " if where else " WHERE ") + "pu.retired = 0"
    cells = _latest_decisions_by_cell(db, on, where, params)
    no_record = rules.Status(rules.NO_RECORD, None, None)
    result = []
    for pupil in pupils:
        statuses = {}
        for purpose in purposes:
            decisions = cells.get((pupil.id, purpose.id))
            statuses[purpose.code] = (
                _status_from_latest(db, pupil, purpose.id, decisions, on, settings)
                if decisions
                else no_record
            )
        result.append((pupil, statuses))
    return result


def status_of(db: Database, pupil_number: str, purpose: str, on: date) -> Status:
    """One pupil's status for one purpose on `on`."""
    pupil = get_pupil(db, pupil_number)
    return rules.status_on(
        pupil.birth_date, decisions_for(db, pupil_number, purpose), on, consent_settings(db)
    )


def pupil_statuses(
    db: Database, pupil: Pupil, on: date, purposes: Iterable[str] | None = None
) -> dict[str, Status]:
    """One pupil's status on `on` for each of these purpose codes (default: every active
    purpose), in that order: what the register row, the form entry and the decision dialog
    show for the pupil. One query for all of the pupil's decisions."""
    codes = [p.code for p in list_purposes(db)] if purposes is None else list(purposes)
    settings = consent_settings(db)
    by_purpose: dict[str, list[Decision]] = defaultdict(list)
    for decision in decisions_for(db, pupil.number):
        by_purpose[decision.purpose].append(decision)
    return {
        code: rules.status_on(pupil.birth_date, by_purpose.get(code, []), on, settings)
        for code in codes
    }


def publication_check(
    db: Database, purpose: str, pupil_numbers: Sequence[str], on: date
) -> CheckResult:
    """Who of these pupils may appear for `purpose` on `on` (in the order given)."""
    target = get_purpose(db, purpose)
    pupils = resolve_pupils(db, pupil_numbers)
    if not pupils:
        raise InputError("Kies minstens één leerling.")
    settings = consent_settings(db)
    placeholders = ",".join("?" * len(pupils))
    cells = _latest_decisions_by_cell(
        db,
        on,
        f" WHERE pu.id = ? AND p.id IN ({placeholders})",
        [target.id, *(p.id for p in pupils)],
    )
    result = CheckResult(purpose=target, on=on)
    for pupil in pupils:
        status = _status_from_latest(
            db, pupil, target.id, cells.get((pupil.id, target.id), []), on, settings
        )
        (result.allowed if status.allowed else result.blocked).append((pupil, status))
    return result


def reminders(db: Database, on: date) -> Reminders:
    """What needs attention on `on`, for pupils at school and active purposes.

    `expiring`: consents that end with this school year (validity per school year only);
    `turned_16`: a parent's consent for a pupil who has since turned 16 (flagged or ask_pupil);
    `no_record`: nothing recorded; `expired`: a decision from an earlier school year.
    """
    settings = consent_settings(db)
    purposes = {p.code: p for p in list_purposes(db)}
    year_end = school_year(on, settings)[1] if settings.validity == rules.SCHOOL_YEAR else None
    result = Reminders(on=on)
    for pupil, statuses in register_statuses(db, on):
        for code, status in statuses.items():
            purpose = purposes[code]
            if status.state in (rules.ALLOWED_TURNED_16, rules.ASK_PUPIL):
                assert status.decision is not None
                result.turned_16.append(Turned16Reminder(pupil, purpose, status.decision))
            if status.allowed and year_end is not None and status.valid_until == year_end:
                result.expiring.append(ExpiringReminder(pupil, purpose, year_end))
            elif status.state == rules.NO_RECORD:
                result.no_record.append(NoRecordReminder(pupil, purpose))
            elif status.state == rules.EXPIRED:
                result.expired.append(NoRecordReminder(pupil, purpose))
    return result


# --------------------------------------------------------------------------- imported files


# A decision read from an imported file: (pupil id, purpose id, decision, given by, giver's
# name, date received as ISO text, method).
ImportedDecision = tuple[int, int, str, str, str, str, str]

# The audit entry of an imported decision, as `record_change(..., decision_as_dict(...))`
# writes it (keys sorted), made by SQLite from the inserted rows.
_DECISION_JSON = (
    "json_object('decision', d.decision, 'given_by', d.given_by, 'giver_name', d.giver_name,"
    " 'method', d.method, 'pupil', p.number, 'purpose', pu.code, 'received_on', d.received_on)"
)


def latest_decisions(
    db: Database, pupil_ids: Sequence[int], purpose_ids: Sequence[int], on: date
) -> dict[tuple[int, int], list[Decision]]:
    """Per (pupil id, purpose id) of these pupils × purposes, the decisions of the latest date
    up to `on` (the decision that counts lies among them; `cell_history` when none counts).
    A cell without decisions is not in the result."""
    return _latest_decisions_of_pairs(
        db,
        "SELECT p.value, pu.value FROM json_each(?) p CROSS JOIN json_each(?) pu",
        [json.dumps(list(pupil_ids)), json.dumps(list(purpose_ids))],
        on,
    )


def cell_history(db: Database, pupil_id: int, purpose_id: int, on: date) -> list[Decision]:
    """Every decision of one pupil for one purpose up to `on`, in date order."""
    cells = _decisions_by_cell(
        db, on, " WHERE d.pupil_id = ? AND d.purpose_id = ?", [pupil_id, purpose_id]
    )
    return cells.get((pupil_id, purpose_id), [])


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
