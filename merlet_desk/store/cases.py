"""The case log in the database: cases, timeline, evidence, and the category/platform lists.

Every write runs inside one `db.atomic()` block together with its audit entry. Case texts are
sensitive: audit entries of cases hold the reference and non-text facts (dates, codes, counts,
names of changed fields), never the summary, description, people or timeline text, so that a
deleted case leaves no text behind in the append-only audit log.

The reference (`2026-0007`) is the year of the report date and the next number of that year's
counter. The counter is bumped by the first statement of the insert's transaction, so it takes
the write lock at once: two saves in the same second, also from two connections, get different
references, and a deleted case's number is never handed out again.
"""

from __future__ import annotations

import hashlib
import io
import logging
import mimetypes
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from merlet_desk import clock
from merlet_desk.domain.cases import (
    AGREEMENT_MAX,
    AGREEMENT_MIN,
    STATUS_ACTIVE,
    STATUS_CLOSED,
    STATUS_LABELS,
    STATUSES,
    TIMELINE_KIND_LABELS,
    Case,
    CasePerson,
    EvidenceInfo,
    TimelineEntry,
    format_reference,
    problems_as_lines,
    validate_case,
)
from merlet_desk.domain.dates import format_date
from merlet_desk.domain.text import fold
from merlet_desk.errors import InputError
from merlet_desk.letterhead import location_names
from merlet_desk.logs import describe_error
from merlet_desk.store.audit import current_user, now_iso, record_change
from merlet_desk.store.connection import inserted_id
from merlet_desk.store.engine import dialect
from merlet_desk.store.sqlite_utils_import import Database

MAX_EVIDENCE_BYTES = 25 * 1024 * 1024
THUMBNAIL_SIZE = 160

CATEGORY_TABLE, PLATFORM_TABLE = "case_categories", "case_platforms"


# -- value types ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseFilter:
    """What the list shows. Empty fields do not filter. The period is on the incident date."""

    location: str | None = None
    status: str | None = None
    category: str | None = None
    platform: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""  # free text over summary, description and timeline (case-insensitive)
    # Only cases whose last step (newest timeline entry, else the report date) is on or before
    # this day: the active cases nobody has touched for a while.
    quiet_since: date | None = None


@dataclass(slots=True)
class CaseRow:
    """One line of the case list (no long texts apart from the summary)."""

    id: int
    reference: str
    incident_date: date
    report_date: date
    location: str
    category: str
    category_label: str
    platform: str
    platform_label: str
    status: str
    summary: str
    agreements: tuple[int, ...]
    closed_on: date | None
    latest_entry_date: date | None
    latest_entry_kind: str | None
    latest_entry_text: str | None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def last_step(self) -> date:
        """The day of the last step: the newest timeline entry, else the report date."""
        return self.latest_entry_date or self.report_date

    @property
    def latest_entry(self) -> str:
        """`24-11-2026 Gesprek gevoerd: ...` or empty when the case has no timeline yet."""
        if self.latest_entry_date is None:
            return ""
        label = TIMELINE_KIND_LABELS.get(self.latest_entry_kind or "", self.latest_entry_kind)
        text = (self.latest_entry_text or "").strip().replace("\n", " ")
        return f"{format_date(self.latest_entry_date)} {label}" + (f": {text}" if text else "")


@dataclass(frozen=True)
class ListEntry:
    """An entry of an editable list (categories, platforms)."""

    code: str
    label: str
    retired: bool
    position: int


log = logging.getLogger(__name__)


# -- helpers ----------------------------------------------------------------------------------


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _fold(value: object) -> str:
    """`domain.text.fold` for SQL: the case search folds as every other search box does."""
    return fold(str(value)) if value is not None else ""


def _register_functions(db: Database) -> None:
    # SQLite's LIKE folds ASCII only; "ozturk" must find "Öztürk", as in the register.
    dialect.register_fold(db)


def _codes(db: Database, table: str, *, include_retired: bool) -> list[str]:
    sql = f"SELECT code FROM {table}" + ("" if include_retired else " WHERE retired = 0")
    return [row[0] for row in db.execute(sql + " ORDER BY position")]


def _audit_facts(case: Case) -> dict[str, Any]:
    """What an audit entry may hold about a case: no free text, no people."""
    return {
        "reference": case.reference,
        "incident_date": _iso(case.incident_date),
        "report_date": _iso(case.report_date),
        "location": case.location,
        "category": case.category,
        "platform": case.platform,
        "status": case.status,
        "closed_on": _iso(case.closed_on),
        "agreements": sorted(set(case.agreements)),
        "parents_informed": case.parents_informed,
        "police_informed": case.police_informed,
        "people": len(case.people),
    }


TEXT_FIELDS = ("summary", "description", "measures", "press_contact", "victim_care")


def case_problems(db: Database, case: Case, *, today: date | None = None) -> dict[str, str]:
    """{field: Dutch message} for every rule `case` breaks (empty when it may be saved)."""
    categories = set(_codes(db, CATEGORY_TABLE, include_retired=False))
    platforms = set(_codes(db, PLATFORM_TABLE, include_retired=False))
    if case.reference:  # a case may keep a code that was retired after it was logged
        row = db.execute(
            "SELECT category, platform FROM cases WHERE reference = ?", [case.reference]
        ).fetchone()
        if row:
            categories.add(row[0])
            platforms.add(row[1])
    return validate_case(
        case,
        today or clock.today(),
        locations=location_names(),
        categories=categories,
        platforms=platforms,
    )


def _check(db: Database, case: Case, today: date | None) -> None:
    problems = case_problems(db, case, today=today)
    if problems:
        raise InputError("Het incident is niet opgeslagen.", problems_as_lines(problems))


def _case_values(case: Case) -> dict[str, Any]:
    return {
        "incident_date": _iso(case.incident_date),
        "report_date": _iso(case.report_date),
        "location": case.location,
        "category": case.category,
        "platform": case.platform,
        "summary": case.summary.strip(),
        "description": case.description.strip(),
        "measures": "\n".join(case.measure_lines()),
        "parents_informed": int(case.parents_informed),
        "parents_informed_on": _iso(case.parents_informed_on),
        "police_informed": int(case.police_informed),
        "police_informed_on": _iso(case.police_informed_on),
        "press_contact": case.press_contact.strip(),
        "victim_care": case.victim_care.strip(),
        "status": case.status,
        "closed_on": _iso(case.closed_on),
    }


def _write_children(db: Database, case_id: int, case: Case) -> None:
    db.execute("DELETE FROM case_people WHERE case_id = ?", [case_id])
    db.execute("DELETE FROM case_agreements WHERE case_id = ?", [case_id])
    db.conn.executemany(
        "INSERT INTO case_people (case_id, position, role, description, pupil_number)"
        " VALUES (?, ?, ?, ?, ?)",
        [
            (
                case_id,
                position,
                person.role,
                person.description.strip(),
                (person.pupil_number or "").strip() or None,
            )
            for position, person in enumerate(case.people, start=1)
        ],
    )
    db.conn.executemany(
        "INSERT INTO case_agreements (case_id, agreement) VALUES (?, ?)",
        [(case_id, number) for number in sorted(set(case.agreements))],
    )


def next_reference(db: Database, year: int) -> str:
    """Take the next reference of `year`. Call inside the transaction that inserts the case,
    as its first statement (it takes the write lock)."""
    row = db.execute(
        "INSERT INTO case_reference_counters (year, last_sequence) VALUES (?, 1)"
        " ON CONFLICT(year)"
        " DO UPDATE SET last_sequence = case_reference_counters.last_sequence + 1"
        " RETURNING last_sequence",
        [year],
    ).fetchone()
    return format_reference(year, int(row[0]))


# -- cases ------------------------------------------------------------------------------------


def create_case(db: Database, case: Case, *, today: date | None = None) -> Case:
    """Save a new case; returns it with its id and reference. InputError when it is invalid."""
    _check(db, replace(case, reference=None), today)
    assert case.report_date is not None
    user, now = current_user(), now_iso()
    with db.atomic():
        reference = next_reference(db, case.report_date.year)
        values = _case_values(case) | {
            "reference": reference,
            "created_at": now,
            "created_by": user,
            "updated_at": now,
            "updated_by": user,
        }
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        cursor = db.execute(
            f"INSERT INTO cases ({columns}) VALUES ({marks})", list(values.values())
        )
        case_id = inserted_id(cursor)
        _write_children(db, case_id, case)
        saved = replace(
            case,
            id=case_id,
            reference=reference,
            created_at=now,
            created_by=user,
            updated_at=now,
            updated_by=user,
        )
        record_change(db, "create", "case", reference, None, _audit_facts(saved))
    return saved


def update_case(db: Database, case: Case, *, today: date | None = None) -> Case:
    """Save changes to an existing case (found by its reference)."""
    if not case.reference:
        raise InputError("Dit incident is nog niet opgeslagen; er is geen kenmerk.")
    old = get_case(db, case.reference)
    _check(db, case, today)
    if (
        _case_values(old) == _case_values(case)
        and old.people == case.people
        and sorted(set(old.agreements)) == sorted(set(case.agreements))
    ):
        return old  # nothing changed: no write, no audit entry
    user, now = current_user(), now_iso()
    with db.atomic():
        values = _case_values(case) | {"updated_at": now, "updated_by": user}
        assignments = ", ".join(f"{name} = ?" for name in values)
        db.execute(f"UPDATE cases SET {assignments} WHERE id = ?", [*values.values(), old.id])
        _write_children(db, int(old.id or 0), case)
        saved = replace(case, id=old.id, created_at=old.created_at, created_by=old.created_by)
        saved.updated_at, saved.updated_by = now, user
        changed_texts = [
            name
            for name in TEXT_FIELDS
            if getattr(old, name).strip() != getattr(saved, name).strip()
        ]
        if old.people != saved.people:
            changed_texts.append("people")
        new_facts = _audit_facts(saved) | {"changed_text_fields": changed_texts}
        record_change(db, "update", "case", case.reference, _audit_facts(old), new_facts)
    return saved


def _counts(db: Database, case_id: int) -> dict[str, int]:
    return {
        table.removeprefix("case_"): db.execute(
            f"SELECT count(*) FROM {table} WHERE case_id = ?", [case_id]
        ).fetchone()[0]
        for table in ("case_people", "case_agreements", "case_timeline", "case_evidence")
    }


def delete_case(db: Database, reference: str) -> None:
    """Delete a case with its people, timeline and evidence. The reference stays used; the
    audit entry holds only the reference and counts, none of the case's text."""
    with db.atomic():
        row = db.execute("SELECT id FROM cases WHERE reference = ?", [reference]).fetchone()
        if row is None:
            raise InputError(f"Incident {reference} bestaat niet.")
        counts = _counts(db, row[0])
        db.execute("DELETE FROM cases WHERE id = ?", [row[0]])
        record_change(db, "delete", "case", reference, {"reference": reference, **counts}, None)


def _case_from_row(db: Database, row: dict[str, Any]) -> Case:
    people = [
        CasePerson(role=p[0], description=p[1], pupil_number=p[2])
        for p in db.execute(
            "SELECT role, description, pupil_number FROM case_people"
            " WHERE case_id = ? ORDER BY position",
            [row["id"]],
        )
    ]
    agreements = [
        r[0]
        for r in db.execute(
            "SELECT agreement FROM case_agreements WHERE case_id = ? ORDER BY agreement",
            [row["id"]],
        )
    ]
    return Case(
        id=row["id"],
        reference=row["reference"],
        incident_date=_date(row["incident_date"]),
        report_date=_date(row["report_date"]),
        location=row["location"],
        category=row["category"],
        platform=row["platform"],
        summary=row["summary"],
        description=row["description"],
        people=people,
        agreements=agreements,
        measures=row["measures"],
        parents_informed=bool(row["parents_informed"]),
        parents_informed_on=_date(row["parents_informed_on"]),
        police_informed=bool(row["police_informed"]),
        police_informed_on=_date(row["police_informed_on"]),
        press_contact=row["press_contact"],
        victim_care=row["victim_care"],
        status=row["status"],
        closed_on=_date(row["closed_on"]),
        created_at=row["created_at"],
        created_by=row["created_by"],
        updated_at=row["updated_at"],
        updated_by=row["updated_by"],
    )


def _fetch_case(db: Database, where: str, value: object) -> dict[str, Any] | None:
    cursor = db.execute(f"SELECT * FROM cases WHERE {where} = ?", [value])
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cursor.description], row, strict=True))


def get_case(db: Database, reference: str) -> Case:
    """The full case with people and agreements. InputError when no case has `reference`."""
    row = _fetch_case(db, "reference", reference.strip())
    if row is None:
        raise InputError(f"Incident {reference} bestaat niet.")
    return _case_from_row(db, row)


def get_case_by_id(db: Database, case_id: int) -> Case:
    row = _fetch_case(db, "id", case_id)
    if row is None:
        raise InputError(f"Incident {case_id} bestaat niet.")
    return _case_from_row(db, row)


def _where(
    db: Database, case_filter: CaseFilter | None, *, with_status: bool = True
) -> tuple[str, list[Any]]:
    f = case_filter or CaseFilter()
    clauses: list[str] = []
    params: list[Any] = []
    status = f.status if with_status else None
    for column, value in (
        ("location", f.location),
        ("status", status if status != STATUS_ACTIVE else None),
        ("category", f.category),
        ("platform", f.platform),
    ):
        if value:
            clauses.append(f"c.{column} = ?")
            params.append(value)
    if status == STATUS_ACTIVE:
        clauses.append("c.status != ?")
        params.append(STATUS_CLOSED)
    if f.quiet_since:
        clauses.append(f"{LAST_STEP_SQL} <= ?")
        params.append(f.quiet_since.isoformat())
    if f.date_from:
        clauses.append("c.incident_date >= ?")
        params.append(f.date_from.isoformat())
    if f.date_to:
        clauses.append("c.incident_date <= ?")
        params.append(f.date_to.isoformat())
    for word in f.text.split():  # every word must occur somewhere; % and _ are plain text
        needle = _fold(word)
        summary, description, text = (
            dialect.contains(db, dialect.fold(db, column))
            for column in ("c.summary", "c.description", "t.text")
        )
        clauses.append(
            f"({summary} OR {description}"
            f" OR EXISTS (SELECT 1 FROM case_timeline t WHERE t.case_id = c.id AND {text}))"
        )
        params += [needle, needle, needle]
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


# The day of a case's last step: its newest timeline entry, else the day it was reported.
LAST_STEP_SQL = (
    "COALESCE((SELECT max(t3.entry_date) FROM case_timeline t3 WHERE t3.case_id = c.id),"
    " c.report_date)"
)

LIST_SQL = """
SELECT c.id, c.reference, c.incident_date, c.report_date, c.location, c.category, k.label,
       c.platform, p.label, c.status, c.summary,
       (SELECT {agreements} FROM case_agreements a WHERE a.case_id = c.id),
       c.closed_on, t.entry_date, t.kind, t.text
FROM cases c
JOIN case_categories k ON k.code = c.category
JOIN case_platforms p ON p.code = c.platform
LEFT JOIN case_timeline t ON t.id = (
    SELECT t2.id FROM case_timeline t2 WHERE t2.case_id = c.id
    ORDER BY t2.entry_date DESC, t2.id DESC LIMIT 1)
"""


def list_cases(db: Database, case_filter: CaseFilter | None = None) -> list[CaseRow]:
    """The cases matching `case_filter`, newest incident first."""
    _register_functions(db)
    where, params = _where(db, case_filter)
    agreements = dialect.group_concat(db, "a.agreement")
    sql = LIST_SQL.format(agreements=agreements) + where
    sql += " ORDER BY c.incident_date DESC, c.reference DESC"
    return [
        CaseRow(
            id=r[0],
            reference=r[1],
            incident_date=date.fromisoformat(r[2]),
            report_date=date.fromisoformat(r[3]),
            location=r[4],
            category=r[5],
            category_label=r[6],
            platform=r[7],
            platform_label=r[8],
            status=r[9],
            summary=r[10],
            agreements=tuple(sorted(int(n) for n in r[11].split(","))) if r[11] else (),
            closed_on=_date(r[12]),
            latest_entry_date=_date(r[13]),
            latest_entry_kind=r[14],
            latest_entry_text=r[15],
        )
        for r in db.execute(sql, params)
    ]


def count_by_status(db: Database, case_filter: CaseFilter | None = None) -> dict[str, int]:
    """{status: count} for the filter, ignoring its status (so all three can be shown)."""
    _register_functions(db)
    where, params = _where(db, case_filter, with_status=False)
    counts = dict.fromkeys(STATUSES, 0)
    for status, count in db.execute(
        f"SELECT c.status, count(*) FROM cases c{where} GROUP BY c.status", params
    ):
        counts[status] = count
    return counts


def count_by_category_and_month(
    db: Database,
    location: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> list[tuple[str, str, int]]:
    """[(month "2026-03", category code, count)] by incident date, sorted by month then
    category position. Only combinations that occur are listed."""
    where, params = _where(db, CaseFilter(location=location, date_from=date_from, date_to=date_to))
    sql = (
        "SELECT substr(c.incident_date, 1, 7) AS month, c.category, count(*)"
        f" FROM cases c JOIN case_categories k ON k.code = c.category{where}"
        " GROUP BY month, c.category, k.position ORDER BY month, k.position"
    )
    return [(r[0], r[1], r[2]) for r in db.execute(sql, params)]


def count_by_category(
    db: Database,
    location: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> dict[str, int]:
    """{category code: count} in list order; every category (also 0, also retired ones that
    occur) is present."""
    counts = {entry.code: 0 for entry in list_categories(db) if not entry.retired}
    for _month, category, count in count_by_category_and_month(db, location, date_from, date_to):
        counts[category] = counts.get(category, 0) + count
    return counts


def count_by_month(
    db: Database,
    location: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> dict[str, int]:
    """{"2026-03": count} for the months that have cases, in order."""
    counts: dict[str, int] = {}
    for month, _category, count in count_by_category_and_month(db, location, date_from, date_to):
        counts[month] = counts.get(month, 0) + count
    return counts


# -- timeline ---------------------------------------------------------------------------------


def _case_reference(db: Database, case_id: int) -> str:
    row = db.execute("SELECT reference FROM cases WHERE id = ?", [case_id]).fetchone()
    if row is None:
        raise InputError(f"Incident {case_id} bestaat niet.")
    return str(row[0])


def add_timeline_entry(
    db: Database,
    case_id: int,
    entry_date: date,
    kind: str,
    text: str = "",
    *,
    author: str | None = None,
    today: date | None = None,
) -> TimelineEntry:
    """Add a dated follow-up note. The audit entry names the kind and date, not the text."""
    problems = []
    if kind not in TIMELINE_KIND_LABELS:
        problems.append(f"Soort: onbekende soort {kind!r}.")
    if entry_date > (today or clock.today()):
        problems.append("Datum: de datum ligt in de toekomst; dat kan niet.")
    if kind == "other" and not text.strip():
        problems.append("Tekst: beschrijf wat er gebeurde.")
    if problems:
        raise InputError("De stap is niet toegevoegd.", problems)
    author = (author or "").strip() or current_user()
    now = now_iso()
    with db.atomic():
        reference = _case_reference(db, case_id)
        cursor = db.execute(
            "INSERT INTO case_timeline (case_id, entry_date, kind, text, author, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [case_id, entry_date.isoformat(), kind, text.strip(), author, now],
        )
        entry_id = inserted_id(cursor)
        record_change(
            db,
            "create",
            "case_timeline",
            entry_id,
            None,
            {"reference": reference, "kind": kind, "entry_date": entry_date.isoformat()},
        )
    return TimelineEntry(entry_id, case_id, entry_date, kind, text.strip(), author, now)


def list_timeline(db: Database, case_id: int) -> list[TimelineEntry]:
    """The case's follow-up notes, oldest first."""
    return [
        TimelineEntry(r[0], r[1], date.fromisoformat(r[2]), r[3], r[4], r[5], r[6])
        for r in db.execute(
            "SELECT id, case_id, entry_date, kind, text, author, created_at FROM case_timeline"
            " WHERE case_id = ? ORDER BY entry_date, id",
            [case_id],
        )
    ]


# -- evidence ---------------------------------------------------------------------------------


def _too_large_message(file_name: str, size: int) -> str:
    return (
        f"{file_name} is {size / (1024 * 1024):.1f} MB; een bewijsstuk mag hoogstens "
        f"{MAX_EVIDENCE_BYTES // (1024 * 1024)} MB zijn. Maak het bestand kleiner "
        "(bijvoorbeeld een schermafbeelding in plaats van een video) en voeg het opnieuw toe."
    )


def make_thumbnail(data: bytes) -> bytes | None:
    """A small PNG of an image, or None when the bytes are no image Pillow can read."""
    from PIL import Image  # Pillow comes with reportlab

    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE))
            image: Image.Image = opened
            if image.mode not in ("RGB", "RGBA", "L", "LA"):
                image = image.convert("RGBA")
            out = io.BytesIO()
            image.save(out, format="PNG", optimize=True)
            return out.getvalue()
    except Exception as exc:  # noqa: BLE001 - Pillow's decoders raise many kinds on bad data
        # A corrupt or unknown image: the file is stored without a thumbnail.
        log.warning("Geen miniatuur van bewijsstuk: %s", describe_error(exc))
        return None


def add_evidence(
    db: Database, case_id: int, file_name: str, data: bytes, mime_type: str | None = None
) -> EvidenceInfo:
    """Attach a file (stored in the database). InputError beyond 25 MB."""
    file_name = Path(file_name).name or "bestand"
    if len(data) > MAX_EVIDENCE_BYTES:
        raise InputError(
            "Het bewijsstuk is niet toegevoegd.", [_too_large_message(file_name, len(data))]
        )
    mime = mime_type or mimetypes.guess_type(file_name)[0] or "application/octet-stream"
    thumbnail = make_thumbnail(data) if mime.startswith("image/") else None
    digest = hashlib.sha256(data).hexdigest()
    user, now = current_user(), now_iso()
    with db.atomic():
        reference = _case_reference(db, case_id)
        cursor = db.execute(
            "INSERT INTO case_evidence (case_id, file_name, mime_type, size, sha256, content,"
            " thumbnail, added_at, added_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [case_id, file_name, mime, len(data), digest, data, thumbnail, now, user],
        )
        evidence_id = inserted_id(cursor)
        record_change(
            db,
            "create",
            "case_evidence",
            evidence_id,
            None,
            {"reference": reference, "mime_type": mime, "size": len(data), "sha256": digest},
        )
    return EvidenceInfo(
        evidence_id, case_id, file_name, mime, len(data), digest, now, user, thumbnail
    )


def add_evidence_file(db: Database, case_id: int, path: str | Path) -> EvidenceInfo:
    """Attach a file from disk; the size is checked before the file is read, and a SQLite
    database (the register itself) is refused unread (`sqlite_files.refuse_database_input`)."""
    from merlet_desk.sqlite_files import refuse_database_input

    path = Path(path)
    refuse_database_input(path)
    try:
        size = path.stat().st_size
        if size > MAX_EVIDENCE_BYTES:
            raise InputError(
                "Het bewijsstuk is niet toegevoegd.", [_too_large_message(path.name, size)]
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path} kan niet gelezen worden: {exc.strerror or exc}.") from exc
    return add_evidence(db, case_id, path.name, data)


def list_evidence(db: Database, case_id: int) -> list[EvidenceInfo]:
    """The case's files with thumbnails, without their bytes, in the order they were added."""
    return [
        EvidenceInfo(*row)
        for row in db.execute(
            "SELECT id, case_id, file_name, mime_type, size, sha256, added_at, added_by,"
            " thumbnail FROM case_evidence WHERE case_id = ? ORDER BY id",
            [case_id],
        )
    ]


def evidence_bytes(db: Database, evidence_id: int) -> bytes:
    row = db.execute("SELECT content FROM case_evidence WHERE id = ?", [evidence_id]).fetchone()
    if row is None:
        raise InputError(f"Bewijsstuk {evidence_id} bestaat niet.")
    return bytes(row[0])


def delete_evidence(db: Database, evidence_id: int) -> None:
    with db.atomic():
        row = db.execute(
            "SELECT e.case_id, c.reference, e.size, e.sha256 FROM case_evidence e"
            " JOIN cases c ON c.id = e.case_id WHERE e.id = ?",
            [evidence_id],
        ).fetchone()
        if row is None:
            raise InputError(f"Bewijsstuk {evidence_id} bestaat niet.")
        db.execute("DELETE FROM case_evidence WHERE id = ?", [evidence_id])
        record_change(
            db,
            "delete",
            "case_evidence",
            evidence_id,
            {"reference": row[1], "size": row[2], "sha256": row[3]},
            None,
        )


# -- categories and platforms -----------------------------------------------------------------


def _list_entries(db: Database, table: str) -> list[ListEntry]:
    return [
        ListEntry(r[0], r[1], bool(r[2]), r[3])
        for r in db.execute(f"SELECT code, label, retired, position FROM {table} ORDER BY position")
    ]


def list_categories(db: Database) -> list[ListEntry]:
    """All categories in list order, retired ones included (check `.retired`)."""
    return _list_entries(db, CATEGORY_TABLE)


def list_platforms(db: Database) -> list[ListEntry]:
    return _list_entries(db, PLATFORM_TABLE)


def category_labels(db: Database) -> dict[str, str]:
    return {entry.code: entry.label for entry in list_categories(db)}


def platform_labels(db: Database) -> dict[str, str]:
    return {entry.code: entry.label for entry in list_platforms(db)}


def _save_entry(db: Database, table: str, kind: str, code: str, label: str) -> None:
    code, label = code.strip(), label.strip()
    problems = []
    if (
        not code
        or not code.replace("_", "").isalnum()
        or not code.isascii()
        or code != code.lower()
    ):
        problems.append(f"Code: {code!r} mag alleen kleine letters, cijfers en _ bevatten.")
    if not label:
        problems.append("Omschrijving: vul een omschrijving in.")
    if problems:
        raise InputError("Niet opgeslagen.", problems)
    with db.atomic():
        row = db.execute(f"SELECT label FROM {table} WHERE code = ?", [code]).fetchone()
        if row is None:
            position = db.execute(f"SELECT coalesce(max(position), 0) + 1 FROM {table}").fetchone()[
                0
            ]
            db.execute(
                f"INSERT INTO {table} (code, label, retired, position) VALUES (?, ?, 0, ?)",
                [code, label, position],
            )
            record_change(db, "create", kind, code, None, {"label": label})
        elif row[0] != label:
            db.execute(f"UPDATE {table} SET label = ? WHERE code = ?", [label, code])
            record_change(db, "update", kind, code, {"label": row[0]}, {"label": label})


def _retire_entry(db: Database, table: str, kind: str, code: str, retired: bool) -> None:
    with db.atomic():
        row = db.execute(f"SELECT retired FROM {table} WHERE code = ?", [code]).fetchone()
        if row is None:
            raise InputError(f"Onbekende code: {code}.")
        if bool(row[0]) != retired:
            db.execute(f"UPDATE {table} SET retired = ? WHERE code = ?", [int(retired), code])
            record_change(db, "update", kind, code, {"retired": bool(row[0])}, {"retired": retired})


def save_category(db: Database, code: str, label: str) -> None:
    """Add a category or change its label (the code never changes)."""
    _save_entry(db, CATEGORY_TABLE, "case_category", code, label)


def retire_category(db: Database, code: str, retired: bool = True) -> None:
    """Retire (or bring back) a category: it is no longer offered, its cases keep it."""
    _retire_entry(db, CATEGORY_TABLE, "case_category", code, retired)


def save_platform(db: Database, code: str, label: str) -> None:
    _save_entry(db, PLATFORM_TABLE, "case_platform", code, label)


def retire_platform(db: Database, code: str, retired: bool = True) -> None:
    _retire_entry(db, PLATFORM_TABLE, "case_platform", code, retired)


def agreement_numbers() -> range:
    return range(AGREEMENT_MIN, AGREEMENT_MAX + 1)


def references(db: Database, ids: Iterable[int]) -> dict[int, str]:
    """{case id: reference} for the given ids."""
    ids = list(ids)
    if not ids:
        return {}
    marks = ",".join("?" for _ in ids)
    return dict(
        db.execute(f"SELECT id, reference FROM cases WHERE id IN ({marks})", ids).fetchall()
    )
