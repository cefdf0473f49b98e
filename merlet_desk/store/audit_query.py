"""Reading the audit log back: filter by period, user and kind of record; export as CSV.

Used by the audit log viewer (`ui/safety/audit_view.py`) and the letterhead report
(`reports/audit_log.py`). No Qt here.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlite_utils import Database

# Dutch labels (source text; the UI translates them). Unknown codes are shown as they are.
ACTION_LABELS = {
    "create": "aangemaakt",
    "update": "gewijzigd",
    "delete": "verwijderd",
    "import": "geïmporteerd",
    "purge": "opgeschoond",
    "restore": "teruggezet",
    "pupils": "leerlingen gewijzigd",
    "publish": "gepubliceerd",
    "unrecognisable": "onherkenbaar gemaakt",
    "take_down": "offline gehaald",
    "keep": "blijft staan",
}
KIND_LABELS = {
    "pupil": "leerling",
    "decision": "besluit",
    "purpose": "doel",
    "setting": "instelling",
    "case": "incident",
    "case_timeline": "incidentverloop",
    "case_evidence": "bewijsstuk",
    "case_category": "incidentcategorie",
    "case_platform": "platform",
    "pupil_file": "leerlingbestand",
    "consent_file": "toestemmingenbestand",
    "policy": "beleid",
    "publication": "publicatie",
    "publication_item": "foto of video",
}
CSV_HEADER = ("Tijdstip", "Gebruiker", "Actie", "Soort", "Record", "Oude waarde", "Nieuwe waarde")


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str  # ISO 8601 local time
    user: str
    action: str
    record_kind: str
    record_id: str | None
    old_value: str | None  # JSON
    new_value: str | None

    @property
    def at_display(self) -> str:
        """24-11-2026 14:05:09"""
        try:
            return datetime.fromisoformat(self.at).strftime("%d-%m-%Y %H:%M:%S")
        except ValueError:
            return self.at

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.record_kind, self.record_kind)

    @property
    def old_display(self) -> str:
        return value_text(self.old_value)

    @property
    def new_display(self) -> str:
        return value_text(self.new_value)

    def row(self) -> tuple[str, ...]:
        return (
            self.at_display,
            self.user,
            self.action_label,
            self.kind_label,
            self.record_id or "",
            self.old_display,
            self.new_display,
        )


@dataclass(frozen=True)
class AuditFilter:
    """Inclusive dates; None means no limit. `user`/`kind` None means everyone/every kind."""

    start: date | None = None
    end: date | None = None
    user: str | None = None
    kind: str | None = None


def value_text(value: str | None) -> str:
    """A stored JSON value as short readable text: `naam: Zofia, klas: 2B`."""
    if value is None:
        return ""
    try:
        data = json.loads(value)
    except ValueError:
        return value
    if isinstance(data, dict):
        return ", ".join(f"{key}: {_scalar(val)}" for key, val in data.items())
    return _scalar(data)


def _scalar(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, str):
        try:  # ISO dates shown the Dutch way
            return date.fromisoformat(value).strftime("%d-%m-%Y") if len(value) == 10 else value
        except ValueError:
            return value
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def audit_entries(
    db: Database, audit_filter: AuditFilter | None = None, limit: int | None = None
) -> list[AuditEntry]:
    """Entries matching the filter, newest first."""
    f = audit_filter or AuditFilter()
    where, params = [], []
    if f.start:
        where.append("at >= ?")
        params.append(f.start.isoformat())
    if f.end:
        where.append("at < ?")
        params.append((f.end + timedelta(days=1)).isoformat())
    if f.user:
        where.append("user = ?")
        params.append(f.user)
    if f.kind:
        where.append("record_kind = ?")
        params.append(f.kind)
    sql = "SELECT id, at, user, action, record_kind, record_id, old_value, new_value FROM audit_log"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY at DESC, id DESC"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [AuditEntry(*row) for row in db.execute(sql, params).fetchall()]


def audit_users(db: Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT DISTINCT user FROM audit_log ORDER BY user")]


def audit_kinds(db: Database) -> list[str]:
    return [
        r[0] for r in db.execute("SELECT DISTINCT record_kind FROM audit_log ORDER BY record_kind")
    ]


def write_audit_csv(
    entries: Sequence[AuditEntry],
    path: str | os.PathLike[str],
    *,
    db_path: str | os.PathLike[str] | None = None,
) -> None:
    """CSV for Excel (UTF-8 with BOM, `;`), owner-only, written atomically, formula-safe."""
    from merlet_desk.csv_export import write_csv

    write_csv(path, CSV_HEADER, (entry.row() for entry in entries), db_path=db_path)
