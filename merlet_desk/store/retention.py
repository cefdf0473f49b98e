"""Retention: pupils who left school more than N years ago are purged (GDPR storage limitation).

`purge_candidates` lists them; `purge` removes, in one transaction, their personal data,
consent decisions, printed paper forms and the scans kept as proof, replaces their
number in the case log (and publication register, when it exists) by an anonymous token, scrubs the audit entries about them (see migration m0005 for
what and why) and leaves one audit entry with counts only. The purge runs with SQLite's
`secure_delete` on and checkpoints the WAL afterwards, so the deleted rows do not linger in
free pages of the file. Backups made before the purge still hold the data until the rotation
removes them (at most 12 months); a purge itself makes no backup.

The retention period is a setting of the register (`retention.years_after_leaving`), between
`MIN_YEARS` and `MAX_YEARS`. A value outside that range, or no whole number (written by another
tool or by hand), is refused where it is read, with a message saying how to set it again, and
`set_retention_years` refuses to store one: 0 years would purge everyone who ever left, and
3,000 years lies before the calendar starts.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import date

from merlet_desk import clock
from merlet_desk.domain.people import full_name
from merlet_desk.domain.text import count_text
from merlet_desk.store.audit import record_change
from merlet_desk.store.engine import dialect
from merlet_desk.store.errors import StoreError
from merlet_desk.store.migrations.m0005_safety import SCRUBBED
from merlet_desk.store.settings import get_setting, register_default, set_setting
from merlet_desk.store.sqlite_utils_import import Database

RETENTION_SETTING = "retention.years_after_leaving"
DEFAULT_YEARS = 2
MIN_YEARS, MAX_YEARS = 1, 50
register_default(RETENTION_SETTING, DEFAULT_YEARS)


class RetentionSettingError(StoreError):
    """The retention period stored in the register cannot be right; nothing was purged."""


@dataclass(frozen=True)
class Candidate:
    """A pupil who may be purged. Shown to the user before asking; never logged."""

    pupil_id: int
    number: str
    name: str
    class_name: str
    location: str
    left_on: date
    decisions: int
    case_links: int


@dataclass(frozen=True)
class PurgeCounts:
    pupils: int = 0
    decisions: int = 0
    case_links: int = 0
    publication_links: int = 0
    audit_entries_scrubbed: int = 0
    paper_forms: int = 0  # printed forms removed, with their scans

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def _whole_years(value: object) -> int | None:
    """`value` as a whole number of years within the allowed range, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and MIN_YEARS <= value <= MAX_YEARS:
        return value
    return None


def retention_years(db: Database) -> int:
    """The retention period of the register, in years; `RetentionSettingError` when the stored
    value is not a whole number from `MIN_YEARS` to `MAX_YEARS`."""
    value = get_setting(db, RETENTION_SETTING, DEFAULT_YEARS)
    years = _whole_years(value)
    if years is None:
        shown = str(value)[:40]
        raise RetentionSettingError(
            f"De bewaartermijn na vertrek in de database ({shown}) kan niet kloppen: die moet "
            f"tussen {MIN_YEARS} en {MAX_YEARS} jaar liggen. Er is niets opgeschoond. Zet hem "
            "opnieuw in Extra › Leerlingen opschonen, of geef hem mee: "
            "merlet-desk purge --years N."
        )
    return years


def set_retention_years(db: Database, years: int) -> None:
    """Store the retention period (audited); `RetentionSettingError` outside the range."""
    if _whole_years(years) is None:
        raise RetentionSettingError(
            f"Een bewaartermijn van {years} jaar kan niet: kies {MIN_YEARS} tot {MAX_YEARS} jaar. "
            "Er is niets veranderd."
        )
    set_setting(db, RETENTION_SETTING, int(years))


def cutoff_date(today: date, years: int) -> date:
    """Pupils who left before this date are past the retention period (29 Feb -> 28 Feb)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def _tables(db: Database) -> set[str]:
    return set(dialect.table_names(db))


def _columns(db: Database, table: str) -> set[str]:
    return set(dialect.table_columns(db, table))


def _publication_tables(db: Database) -> list[tuple[str, str]]:
    """(table, column) pairs of the publication register that link to a pupil."""
    found: list[tuple[str, str]] = []
    for table in sorted(_tables(db)):
        if table.startswith("publication"):
            columns = _columns(db, table)
            for column in ("pupil_id", "pupil_number"):
                if column in columns:
                    found.append((table, column))
    return found


def _purge_paper_forms(db: Database, pupil_id: int) -> int:
    """Remove the pupil's printed forms, their scans and the scans' links to decisions (before
    the decisions go); returns how many forms."""
    if "consent_forms" not in _tables(db):
        return 0
    db.execute(
        "DELETE FROM decision_scans WHERE scan_id IN"
        " (SELECT id FROM form_scans WHERE pupil_id = ?)",
        [pupil_id],
    )
    db.execute("DELETE FROM form_scans WHERE pupil_id = ?", [pupil_id])
    db.execute(
        "DELETE FROM consent_form_purposes WHERE form_id IN"
        " (SELECT id FROM consent_forms WHERE pupil_id = ?)",
        [pupil_id],
    )
    return db.execute("DELETE FROM consent_forms WHERE pupil_id = ?", [pupil_id]).rowcount


def purge_candidates(
    db: Database, today: date | None = None, years: int | None = None
) -> list[Candidate]:
    """Pupils who left more than `years` (setting, default 2) years before `today`."""
    if "pupils" not in _tables(db):
        return []
    today = today or clock.today()
    years = retention_years(db) if years is None else years
    has_cases = "case_people" in _tables(db)
    case_count = (
        "(SELECT count(*) FROM case_people c WHERE c.pupil_number = p.number)" if has_cases else "0"
    )
    rows = db.execute(
        "SELECT p.id, p.number, p.first_name, p.prefix, p.last_name, p.class_name, p.location,"
        " p.left_on, (SELECT count(*) FROM decisions d WHERE d.pupil_id = p.id),"
        f" {case_count} FROM pupils p"
        " WHERE p.left_on IS NOT NULL AND p.left_on < ? ORDER BY p.left_on, p.last_name",
        [cutoff_date(today, years).isoformat()],
    ).fetchall()
    return [
        Candidate(
            row[0],
            row[1],
            full_name(row[2], row[3], row[4]),
            row[5],
            row[6],
            date.fromisoformat(row[7]),
            row[8],
            row[9],
        )
        for row in rows
    ]


def describe_candidates(db: Database, candidates: list[Candidate], years: int | None = None) -> str:
    """Dutch text for the CLI: who will go, and what of them."""
    years = retention_years(db) if years is None else years
    if not candidates:
        return f"Geen leerlingen die langer dan {years} jaar geleden vertrokken zijn."
    lines = [
        count_text(
            len(candidates),
            f"1 leerling is langer dan {years} jaar geleden vertrokken:",
            f"%1 leerlingen zijn langer dan {years} jaar geleden vertrokken:",
        )
    ]
    for c in candidates:
        decisions = count_text(c.decisions, "1 besluit", "%1 besluiten")
        links = count_text(
            c.case_links, "1 koppeling met een incident", "%1 koppelingen met incidenten"
        )
        lines.append(
            f"  {c.number}  {c.name} ({c.class_name}, {c.location}), vertrokken "
            f"{c.left_on:%d-%m-%Y}: {decisions}, {links}"
        )
    return "\n".join(lines)


def describe_purge(counts: PurgeCounts) -> str:
    """ "Opgeschoond: 1 leerling, 3 besluiten, …" for the CLI and the purge dialog alike."""
    parts = (
        count_text(counts.pupils, "1 leerling", "%1 leerlingen"),
        count_text(counts.decisions, "1 besluit", "%1 besluiten"),
        count_text(
            counts.case_links, "1 koppeling met een incident", "%1 koppelingen met incidenten"
        ),
        count_text(
            counts.publication_links,
            "1 koppeling met foto's, video's en publicaties",
            "%1 koppelingen met foto's, video's en publicaties",
        ),
        count_text(
            counts.paper_forms,
            "1 papieren formulier met de scans",
            "%1 papieren formulieren met hun scans",
        ),
    )
    return "Opgeschoond: " + ", ".join(parts) + "."


def anonymous_token() -> str:
    """A reference that stands for a purged pupil in the case log; not derivable from them."""
    return f"verwijderd-{secrets.token_hex(4)}"


def _scrub_audit(db: Database, kind: str, record_ids: list[str], new_record_id: str | None) -> int:
    scrubbed = 0
    for start in range(0, len(record_ids), 500):
        chunk = record_ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        set_id = ", record_id = ?" if new_record_id is not None else ""
        params = [SCRUBBED, SCRUBBED] + ([new_record_id] if new_record_id is not None else [])
        cursor = db.execute(
            "UPDATE audit_log SET"
            " old_value = CASE WHEN old_value IS NULL THEN NULL ELSE ? END,"
            f" new_value = CASE WHEN new_value IS NULL THEN NULL ELSE ? END{set_id}"
            f" WHERE record_kind = ? AND record_id IN ({marks})",
            [*params, kind, *chunk],
        )
        scrubbed += cursor.rowcount
    return scrubbed


def _scrub_mentions(db: Database, number: str) -> int:
    """Entries of any other kind whose values name the pupil number as a JSON string (e.g. a
    publication listing the pupils in a photo): scrubbed too. A whole entry is scrubbed, also
    when it names others; the entry itself (who, when, what kind) stays."""
    token = json.dumps(number, ensure_ascii=False)
    in_old = dialect.contains(db, "coalesce(old_value, '')")
    in_new = dialect.contains(db, "coalesce(new_value, '')")
    return db.execute(
        "UPDATE audit_log SET"
        " old_value = CASE WHEN old_value IS NULL THEN NULL ELSE ? END,"
        " new_value = CASE WHEN new_value IS NULL THEN NULL ELSE ? END"
        f" WHERE {in_old} OR {in_new}",
        [SCRUBBED, SCRUBBED, token, token],
    ).rowcount


def purge(
    db: Database, pupil_ids: list[int], today: date | None = None, years: int | None = None
) -> PurgeCounts:
    """Remove these pupils (all or nothing) and leave one audit entry with counts only.

    Only pupils who are still past the retention period are purged; an id that is not a
    candidate (any more) is skipped, so a stale list can never remove a current pupil.

    On a server only the register's owner purges (`engine.access`): a seat gets
    `NoPermissionError` before anything is read.
    """
    from merlet_desk.store.engine.access import require_owner

    require_owner(db, "Het opschonen na de bewaartermijn")
    today = today or clock.today()
    years = retention_years(db) if years is None else years
    allowed = {c.pupil_id: c for c in purge_candidates(db, today, years)}
    chosen = [allowed[i] for i in dict.fromkeys(pupil_ids) if i in allowed]
    if not chosen:
        return PurgeCounts()
    tables = _tables(db)
    publication = _publication_tables(db)
    decisions = case_links = publication_links = scrubbed = forms = 0
    with dialect.deleting_for_good(db):
        with db.atomic():
            db.execute("INSERT INTO purge_in_progress (id) VALUES (1)")
            db.execute("INSERT INTO audit_scrub_in_progress (id) VALUES (1)")
            for pupil in chosen:
                token = anonymous_token()
                ids = [
                    str(r[0])
                    for r in db.execute(
                        "SELECT id FROM decisions WHERE pupil_id = ?", [pupil.pupil_id]
                    )
                ]
                for table, column in publication:
                    value = pupil.pupil_id if column == "pupil_id" else pupil.number
                    if column == "pupil_id":
                        cursor = db.execute(f'DELETE FROM "{table}" WHERE pupil_id = ?', [value])
                    else:
                        cursor = db.execute(
                            f'UPDATE "{table}" SET pupil_number = ? WHERE pupil_number = ?',
                            [token, value],
                        )
                    publication_links += cursor.rowcount
                forms += _purge_paper_forms(db, pupil.pupil_id)
                if "pupils_informed" in tables:  # when they were told they turned 16
                    db.execute("DELETE FROM pupils_informed WHERE pupil_id = ?", [pupil.pupil_id])
                decisions += db.execute(
                    "DELETE FROM decisions WHERE pupil_id = ?", [pupil.pupil_id]
                ).rowcount
                db.execute("DELETE FROM pupils WHERE id = ?", [pupil.pupil_id])
                if "case_people" in tables:
                    case_links += db.execute(
                        "UPDATE case_people SET pupil_number = ? WHERE pupil_number = ?",
                        [token, pupil.number],
                    ).rowcount
                scrubbed += _scrub_audit(db, "pupil", [pupil.number], token)
                scrubbed += _scrub_audit(db, "decision", ids, None)
                scrubbed += _scrub_mentions(db, pupil.number)
            db.execute("DELETE FROM audit_scrub_in_progress")
            db.execute("DELETE FROM purge_in_progress")
            counts = PurgeCounts(
                len(chosen), decisions, case_links, publication_links, scrubbed, forms
            )
            record_change(
                db,
                "purge",
                "pupil",
                None,
                None,
                {**counts.as_dict(), "retention_years": years},
            )
    return counts
