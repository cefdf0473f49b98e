"""Reading the audit log back: filter by period, user, kind of record and pupil; export as CSV.

What an entry is about is shown as people read it: a pupil by name and number, a publication
by its item and purpose, a step or piece of evidence by its incident, never a bare row id.

Used by the audit log viewer (`ui/safety/audit_view.py`) and the letterhead report
(`reports/audit_log.py`). No Qt here.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from merlet_desk import sqlite_driver
from merlet_desk.domain.text import count_text
from merlet_desk.store.engine import dialect
from merlet_desk.store.errors import NoPermissionError
from merlet_desk.store.sqlite_utils_import import Database

# Dutch labels (source text; the UI translates them). The audit log is what a privacy officer
# or an auditor reads: every field and value is shown in words, never as a code.
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
    "file": "bestand vastgelegd",
    "informed": "leerling geïnformeerd (16 geworden)",
    "informed_undone": "markering geïnformeerd ongedaan gemaakt",
}
KIND_LABELS = {
    "pupil": "leerling",
    "decision": "besluit",
    "purpose": "doel",
    "setting": "instelling",
    "case": "incident",
    "case_timeline": "stap van een incident",
    "case_evidence": "bewijsstuk",
    "case_category": "incidentcategorie",
    "case_platform": "platform",
    "pupil_file": "leerlingbestand",
    "consent_file": "toestemmingenbestand",
    "import_mapping": "kolomindeling van een import",
    "policy": "beleid",
    "policy_version": "beleidsversie",
    "publication": "publicatie",
    "publication_item": "foto of video",
    "consent_form": "papieren formulier",
    "form_scan": "gescand formulier",
    "demo": "demogegevens",
}
CSV_HEADER = ("Tijdstip", "Gebruiker", "Actie", "Soort", "Betreft", "Oude waarde", "Nieuwe waarde")

FIELD_LABELS = {
    # pupils
    "number": "leerlingnummer",
    "first_name": "roepnaam",
    "prefix": "tussenvoegsel",
    "last_name": "achternaam",
    "birth_date": "geboortedatum",
    "class_name": "klas",
    "location": "locatie",
    "left_on": "van school af op",
    # decisions
    "pupil": "leerling",
    "purpose": "doel",
    "decision": "besluit",
    "given_by": "gegeven door",
    "giver_name": "naam gever",
    "received_on": "ontvangen op",
    "informed_on": "geïnformeerd op",
    "method": "hoe ontvangen",
    # purposes, categories, platforms, policy versions
    "code": "code",
    "label": "naam",
    "retired": "buiten gebruik",
    "aliases": "andere namen",
    "mapping": "kolommen",
    # photos and videos, publications
    "item": "item",
    "title": "titel",
    "description": "omschrijving",
    "file_name": "bestandsnaam",
    "file_path": "bestandslocatie",
    "file_size": "bestandsgrootte",
    "file_hash": "controlegetal",
    "media_kind": "soort",
    "taken_on": "opgenomen op",
    "thumbnail": "miniatuur",
    "pupils": "leerlingen",
    "channel": "doel",
    "published_on": "gepubliceerd op",
    "link": "link of omschrijving",
    "checklist": "afspraken nagelopen",
    "how": "hoe onherkenbaar",
    "basis": "onherkenbaar door",
    "regions": "vakken",
    "owners": "vak van leerling",
    "status": "stand van de toestemming",
    "taken_down_on": "offline gehaald op",
    "note": "toelichting",
    "reason": "reden",
    "since": "sinds",
    "removed": "eruit gehaald",
    "added": "toegevoegd",
    # paper forms
    "form": "formulier",
    "forms": "formulieren",
    "labels": "formulieren",
    "issued_on": "afgedrukt op",
    "source": "bron",
    # imports
    "updated": "bijgewerkt",
    "unchanged": "ongewijzigd",
    "already_present": "stond er al",
    "granted": "nieuwe toestemmingen",
    "refused": "nieuwe weigeringen",
    "withdrawn": "intrekkingen",
    "conflicts": "conflicten",
    "unknown_pupils": "onbekende leerlingen",
    "not_answered": "niet beantwoord",
    # incidents
    "reference": "kenmerk",
    "incident_date": "datum incident",
    "report_date": "datum melding",
    "category": "categorie",
    "platform": "platform",
    "closed_on": "gesloten op",
    "agreements": "afspraken",
    "parents_informed": "ouders geïnformeerd",
    "police_informed": "politie geïnformeerd",
    "people": "betrokkenen",
    "changed_text_fields": "gewijzigde teksten",
    "kind": "soort stap",
    "entry_date": "datum stap",
    "mime_type": "bestandstype",
    "size": "grootte",
    "sha256": "controlegetal",
    "timeline": "stappen",
    "evidence": "bewijsstukken",
    "summary": "samenvatting",
    "measures": "maatregelen",
    "press_contact": "perscontact",
    "victim_care": "zorg voor het slachtoffer",
    # retention purge, demo
    "decisions": "besluiten",
    "case_links": "koppelingen met incidenten",
    "publication_links": "koppelingen met publicaties",
    "audit_entries_scrubbed": "auditregels zonder persoonsgegevens gemaakt",
    "retention_years": "bewaartermijn (jaren)",
    "demo_cases": "demo-incidenten",
}
# Where one field name means something else for one kind of record.
FIELD_LABELS_BY_KIND = {
    "case": {"status": "status", "people": "aantal betrokkenen"},
    "publication": {"kind": "soort bestand", "style": "hoe onherkenbaar"},
}
SETTING_LABELS = {
    "consent.validity": "geldigheid van een besluit",
    "consent.school_year_start": "begin van het schooljaar",
    "consent.pupil_only_from_16": "vanaf 16 jaar telt alleen de leerling",
    "setup.settings_checked": "instellingen van de school gecontroleerd",
    "retention.years_after_leaving": "bewaartermijn na vertrek (jaren)",
    "safety.backup_dir": "map voor back-ups",
    "paper_forms.database_id": "kenmerk van dit register op de papieren formulieren",
}
_MONTHS = (
    "januari februari maart april mei juni juli augustus september oktober november december"
).split()


@dataclass(frozen=True)
class Names:
    """The labels of the codes and the names of the pupils, photos and publications the log
    refers to, as the register holds them now (a purged pupil is no longer named)."""

    purposes: dict[str, str] = field(default_factory=dict)
    categories: dict[str, str] = field(default_factory=dict)
    platforms: dict[str, str] = field(default_factory=dict)
    pupils: dict[str, str] = field(default_factory=dict)  # number -> name
    items: dict[str, str] = field(default_factory=dict)  # id -> title
    publications: dict[str, str] = field(default_factory=dict)  # id -> "title · purpose"

    @classmethod
    def read(cls, db: Database) -> Names:
        def pairs(sql: str) -> dict[str, str]:
            try:
                return {str(key): value for key, value in db.execute(sql)}
            # A database without that part of the register, or a seat on a server that may
            # not read it (an incidents seat reads no publications): its entries keep ids.
            except (sqlite_driver.Error, NoPermissionError):
                return {}

        from merlet_desk.domain.people import full_name

        try:
            pupils = {
                number: full_name(first, prefix, last)
                for number, first, prefix, last in db.execute(
                    "SELECT number, first_name, prefix, last_name FROM pupils"
                )
            }
        except (sqlite_driver.Error, NoPermissionError):
            pupils = {}
        return cls(
            pairs("SELECT code, label FROM purposes"),
            pairs("SELECT code, label FROM case_categories"),
            pairs("SELECT code, label FROM case_platforms"),
            pupils,
            pairs("SELECT id, title FROM publication_items"),
            pairs(
                "SELECT pb.id, i.title || ' · ' || pu.label FROM publications pb"
                " JOIN publication_items i ON i.id = pb.item_id"
                " JOIN purposes pu ON pu.id = pb.purpose_id"
            ),
        )

    def pupil(self, number: object) -> str:
        """ "Berkay Öztürk (230123)"; the number alone for a pupil no longer in the register."""
        name = self.pupils.get(str(number))
        return f"{name} ({number})" if name else str(number)


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
    names: Names = field(default_factory=Names, compare=False, repr=False)

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
    def record_display(self) -> str:
        """What the entry is about, in words: the setting's name, the pupil by name and
        number (also of a decision or a scanned form), the photo or publication by its title,
        a step or piece of evidence by its incident; else the number or reference."""
        kind, record, names = self.record_kind, self.record_id, self.names
        if kind == "setting" and record:
            return SETTING_LABELS.get(record, record)
        facts = self._facts()
        if kind == "pupil" and record:
            return names.pupil(record)
        if kind in ("decision", "form_scan") and facts.get("pupil"):
            return names.pupil(facts["pupil"])
        if kind == "consent_form":
            pupils = facts.get("pupils") or []
            if len(pupils) == 1:
                return names.pupil(pupils[0])
            if pupils:
                return count_text(len(pupils), "1 leerling", "%1 leerlingen")
        if kind == "publication" and record in names.publications:
            return names.publications[record]
        if kind == "publication_item" and record in names.items:
            return names.items[record]
        if kind in ("case_timeline", "case_evidence") and facts.get("reference"):
            return f"incident {facts['reference']}"
        return record or ""

    def _facts(self) -> dict[str, Any]:
        """The new value's fields (else the old one's) as stored; {} when not a record."""
        for value in (self.new_value, self.old_value):
            try:
                data = json.loads(value) if value else None
            except ValueError:
                continue
            if isinstance(data, dict):
                return data
        return {}

    @property
    def old_display(self) -> str:
        return value_text(
            self._changed(self.old_value), self.record_kind, self.names, self.record_id
        )

    @property
    def new_display(self) -> str:
        return value_text(
            self._changed(self.new_value), self.record_kind, self.names, self.record_id
        )

    def _changed(self, value: str | None) -> str | None:
        """For a change of a whole record, only the fields that changed (and the reference
        that says which record); other entries as stored."""
        if self.action != "update" or not self.old_value or not self.new_value:
            return value
        try:
            old, new = json.loads(self.old_value), json.loads(self.new_value)
        except ValueError:
            return value
        if not isinstance(old, dict) or not isinstance(new, dict) or value is None:
            return value
        mine = json.loads(value)
        kept = {
            key: val
            for key, val in mine.items()
            if key in ("reference", "changed_text_fields") or old.get(key) != new.get(key)
        }
        return json.dumps(kept, ensure_ascii=False)

    def row(self) -> tuple[str, ...]:
        return (
            self.at_display,
            self.user,
            self.action_label,
            self.kind_label,
            self.record_display,
            self.old_display,
            self.new_display,
        )


@dataclass(frozen=True)
class AuditFilter:
    """Inclusive dates; None means no limit. `user`/`kind` None means everyone/every kind;
    `pupil` (a number) the entries about that pupil: the pupil's record, and every entry
    whose values name them (a decision, a form, a photo or publication they are in)."""

    start: date | None = None
    end: date | None = None
    user: str | None = None
    kind: str | None = None
    pupil: str | None = None


def value_text(
    value: str | None, kind: str = "", names: Names | None = None, record: str | None = None
) -> str:
    """A stored JSON value as short readable Dutch: `roepnaam: Zofia, klas: 2B`; codes shown
    as the words people use (`reden: toestemming verlopen`, `doel: Website van de school`)."""
    if value is None:
        return ""
    try:
        data = json.loads(value)
    except ValueError:
        return value
    names = names or Names()
    if isinstance(data, dict):
        return ", ".join(
            f"{field_label(key, kind)}: {_value(key, val, kind, names)}"
            for key, val in data.items()
        )
    if kind == "setting" and record:
        return _setting_value(record, data)
    return _scalar(data)


def field_label(key: str, kind: str = "") -> str:
    return FIELD_LABELS_BY_KIND.get(kind, {}).get(key) or FIELD_LABELS.get(
        key, key.replace("_", " ")
    )


def _value(key: str, value: object, kind: str, names: Names) -> str:
    """One field's value in words."""
    from merlet_desk.domain import cases as case_rules
    from merlet_desk.domain import consent as rules
    from merlet_desk.domain import publications as publication_rules

    if isinstance(value, list):
        if key == "changed_text_fields":
            return ", ".join(field_label(str(v), kind) for v in value) or "—"
        if key == "pupils":
            return ", ".join(names.pupil(v) for v in value) or "—"
        if key == "decisions":  # the ids of the decisions a scanned form produced
            return str(len(value))
        return ", ".join(_value(key, v, kind, names) for v in value) or "—"
    if not isinstance(value, str):
        if key in ("file_size", "size") and isinstance(value, int):
            return count_text(value, "1 byte", "%1 bytes")
        if key == "item" and str(value) in names.items:
            return names.items[str(value)]
        return _scalar(value)
    if key == "pupil":
        return names.pupil(value)
    lookups: dict[str, dict[str, str]] = {
        "decision": rules.DECISION_LABELS,
        "given_by": rules.GIVER_LABELS,
        "method": rules.METHOD_LABELS,
        "reason": publication_rules.TAKEDOWN_REASON_LABELS,
        "media_kind": publication_rules.MEDIA_KIND_LABELS,
        "basis": publication_rules.HIDDEN_BASIS_LABELS,
        "kind": case_rules.TIMELINE_KIND_LABELS,
        "purpose": names.purposes,
        "channel": names.purposes,
        "category": names.categories,
        "platform": names.platforms,
        "status": case_rules.STATUS_LABELS if kind == "case" else rules.STATE_LABELS,
    }
    found = lookups.get(key, {}).get(value)
    if found is None:
        return _scalar(value)
    # The program's own words in lower case inside a sentence; the register's names as named.
    return found if key in ("purpose", "channel", "category", "platform") else found.lower()


def _setting_value(key: str, value: object) -> str:
    from merlet_desk.domain import consent as rules

    if key == "consent.validity":
        return {rules.SCHOOL_YEAR: "per schooljaar", rules.UNTIL_WITHDRAWN: "tot intrekking"}.get(
            str(value), _scalar(value)
        )
    if key == "consent.school_year_start" and isinstance(value, str) and len(value) == 5:
        try:
            return f"{int(value[3:])} {_MONTHS[int(value[:2]) - 1]}"
        except (ValueError, IndexError):
            return value
    return _scalar(value)


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
    if isinstance(value, int):
        return str(value)
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
    if f.pupil:
        # The pupil as a JSON string in a value: what the retention purge scrubs as a mention
        # of them (store/retention.py), so the filter shows what the purge would clear.
        token = json.dumps(f.pupil, ensure_ascii=False)
        in_old = dialect.contains(db, "coalesce(old_value, '')")
        in_new = dialect.contains(db, "coalesce(new_value, '')")
        where.append(f"((record_kind = 'pupil' AND record_id = ?) OR {in_old} OR {in_new})")
        params += [f.pupil, token, token]
    sql = "SELECT id, at, user, action, record_kind, record_id, old_value, new_value FROM audit_log"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY at DESC, id DESC"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    names = Names.read(db)
    return [
        AuditEntry(id_, at, user, action, kind, record, old, new, names)
        for id_, at, user, action, kind, record, old, new in db.execute(sql, params).fetchall()
    ]


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


def first_entry_day(db: Database) -> date | None:
    """The day of the oldest entry (where "Alles tonen" starts), or None when the log is empty."""
    first = db.execute("SELECT min(at) FROM audit_log").fetchone()[0]
    return date.fromisoformat(first[:10]) if first else None


@dataclass(frozen=True)
class RecordEntry:
    """One audit entry of one record, its values read from their JSON."""

    at: str
    user: str
    action: str
    old: dict[str, Any]
    new: dict[str, Any]


def record_history(db: Database, kind: str, record_id: str) -> list[RecordEntry]:
    """Every audit entry of one record (a pupil by number: `("pupil", "1001")`), oldest first."""
    return [
        RecordEntry(
            at, user, action, json.loads(old) if old else {}, json.loads(new) if new else {}
        )
        for at, user, action, old, new in db.execute(
            "SELECT at, user, action, old_value, new_value FROM audit_log"
            " WHERE record_kind = ? AND record_id = ? ORDER BY id",
            [kind, record_id],
        )
    ]
