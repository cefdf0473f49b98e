"""Paper consent forms in the database: the forms that were printed, and the scans that came back.

`issue_forms` records each printed form (pupil, who must sign, the purposes in their printed
order with the labels as printed) in one transaction, under a random number that is never given
out twice (`domain.paper_form.FORM_ID_MIN`). `look_up_form` says what a scanned QR code refers
to: a form of this database, one from another database, one printed for another pupil than the
code names, one for a pupil who has left, or one whose scan was already recorded.
`record_scan` writes a read form as decisions through `store.decisions.record_decision` (the same
rules as the decision dialog: who may grant at what age, nothing in the future; and nothing
received before the form was printed) together with the scan as proof, all or nothing, with
the look-up repeated inside its write transaction: a form another window or command recorded
meanwhile is a duplicate (InputError with the code FORM_DUPLICATE), never a second scan.

The register's paper identity (`DATABASE_ID_SETTING`, in every QR code) is made when the file
is created, or by migration 12 for an older file (`store.migrations.m0012_paper_identity`), so
it is in every backup. No Qt here.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from merlet_desk import clock
from merlet_desk.domain import consent as rules
from merlet_desk.domain import paper_form as layout
from merlet_desk.domain.paper_form import FormCode
from merlet_desk.errors import InputError
from merlet_desk.store.audit import current_user, now_iso, record_change
from merlet_desk.store.connection import inserted_id
from merlet_desk.store.decisions import record_decision
from merlet_desk.store.pupils import Pupil, get_pupil, pupil_from_row
from merlet_desk.store.purposes import Purpose, list_purposes
from merlet_desk.store.settings import get_setting
from merlet_desk.store.sqlite_utils_import import Database

DATABASE_ID_SETTING = "paper_forms.database_id"

# What a scanned form code refers to.
FORM_OK = "ok"
FORM_FOREIGN = "foreign"  # issued by another database
FORM_UNKNOWN = "unknown"  # our database id, but no such form (purged with its pupil)
FORM_LEFT = "left"  # the pupil has left school
FORM_DUPLICATE = "duplicate"  # its scan was recorded before
FORM_PUPIL_MISMATCH = "pupil_mismatch"  # the code names another pupil than the form's

LOOKUP_MESSAGES = {
    FORM_FOREIGN: "formulier van een andere Merlet Desk-database",
    FORM_UNKNOWN: "onbekend formulier (niet in deze database; mogelijk verwijderd)",
    FORM_LEFT: "de leerling is vertrokken",
    FORM_DUPLICATE: "dit formulier is al eerder verwerkt",
}


@dataclass(frozen=True)
class FormPurpose:
    """One row of an issued form: the purpose, and its label as it was printed."""

    purpose_id: int
    code: str
    label: str


@dataclass(frozen=True)
class IssuedForm:
    id: int
    pupil: Pupil
    signer: str
    issued_on: date
    purposes: tuple[FormPurpose, ...]
    database_id: str

    @property
    def code(self) -> FormCode:
        return FormCode(self.database_id, self.id, self.pupil.number)

    @property
    def label(self) -> str:
        return layout.form_label(self.id)


@dataclass(frozen=True)
class FormLookup:
    """What a form code refers to in this database."""

    status: str
    form: IssuedForm | None = None
    scan_id: int | None = None
    scan_recorded_at: str | None = None
    pupil_on_form: str | None = None  # the pupil number in the code (None on an old form)

    @property
    def message(self) -> str:
        if self.status == FORM_PUPIL_MISMATCH and self.form is not None:
            return (
                f"de code op het papier noemt leerling {self.pupil_on_form}, maar formulier "
                f"{self.form.label} is in deze database afgedrukt voor leerling "
                f"{self.form.pupil.number}; niet vastgelegd, met de hand nakijken"
            )
        text = LOOKUP_MESSAGES.get(self.status, "")
        if self.status == FORM_DUPLICATE and self.scan_recorded_at:
            day = date.fromisoformat(self.scan_recorded_at[:10])
            text += f" (vastgelegd op {day.strftime('%d-%m-%Y')})"
        return text


@dataclass(frozen=True)
class ScanRecord:
    """A stored scan: the proof behind the decisions it produced."""

    id: int
    form_id: int
    pupil_number: str
    source: str
    scanned_on: date
    received_on: date
    recorded_by: str
    recorded_at: str
    reading: dict[str, Any] = field(default_factory=dict)
    decision_ids: tuple[int, ...] = ()

    @property
    def form_label(self) -> str:
        return layout.form_label(self.form_id)


# --------------------------------------------------------------------------- issuing


def database_id(db: Database) -> str:
    """This register's own id in the QR codes (8 hex digits), the same in every backup.

    Made with the file (or by migration 12), so a file at the current schema always has one.
    """
    value = get_setting(db, DATABASE_ID_SETTING)
    if not value:
        raise InputError(
            "Deze database heeft geen formulier-identiteit; open haar eenmaal zonder alleen-lezen."
        )
    return str(value)


def _new_form_id(db: Database) -> int:
    """A form number never given out before in this register (checked) nor, as far as chance
    allows, in any earlier state of it (random over nine digits)."""
    while True:
        candidate = layout.FORM_ID_MIN + secrets.randbelow(
            layout.FORM_ID_MAX - layout.FORM_ID_MIN + 1
        )
        if db.execute("SELECT 1 FROM consent_forms WHERE id = ?", [candidate]).fetchone() is None:
            return candidate


def signer_for(pupil: Pupil, on: date) -> str:
    """Who signs a form printed on `on`: a parent while the pupil is under 16, else the pupil."""
    if rules.decides_own_consent(pupil.birth_date, on):
        return layout.SIGNER_PUPIL
    return layout.SIGNER_PARENT


def form_purposes(db: Database, codes: Sequence[str] | None) -> list[Purpose]:
    """The purposes to print: these codes in this order, or every active purpose."""
    active = list_purposes(db)
    if codes:
        by_code = {p.code: p for p in list_purposes(db, include_retired=True)}
        chosen = []
        for code in dict.fromkeys(c.strip().lower() for c in codes if c.strip()):
            purpose = by_code.get(code)
            if purpose is None:
                known = ", ".join(p.code for p in active)
                raise InputError(f"Onbekend doel '{code}' (bekende doelen: {known}).")
            if purpose.retired:
                raise InputError(f"Het doel '{purpose.label}' is vervallen.")
            chosen.append(purpose)
    else:
        chosen = active
    if not chosen:
        raise InputError("Er zijn geen doelen om op het formulier te zetten.")
    if len(chosen) > layout.MAX_PURPOSES:
        raise InputError(
            f"Een formulier heeft plaats voor {layout.MAX_PURPOSES} doelen, niet "
            f"{len(chosen)}; kies er minder met --purposes."
        )
    return chosen


def _check_forms(pupils: Sequence[Pupil], purposes: Sequence[Purpose]) -> None:
    if not pupils:
        raise InputError("Kies minstens één leerling.")
    left = [p for p in pupils if p.left_on is not None]
    if left:
        raise InputError(
            f"{left[0].name} ({left[0].number}) is vertrokken; voor vertrokken leerlingen "
            "worden geen formulieren gemaakt."
        )
    if not purposes or len(purposes) > layout.MAX_PURPOSES:
        raise InputError(f"Een formulier heeft 1 tot {layout.MAX_PURPOSES} doelen.")


def draft_forms(pupils: Sequence[Pupil], purposes: Sequence[Purpose], on: date) -> list[IssuedForm]:
    """The forms `issue_forms` would record, for a preview: nothing is written, and they have
    no number (0) nor register id, so no QR code can be made of them. Same refusals."""
    _check_forms(pupils, purposes)
    rows = tuple(FormPurpose(p.id, p.code, p.label) for p in purposes)
    return [IssuedForm(0, pupil, signer_for(pupil, on), on, rows, "") for pupil in pupils]


def issue_forms(
    db: Database, pupils: Sequence[Pupil], purposes: Sequence[Purpose], on: date
) -> list[IssuedForm]:
    """Record one form per pupil (all in one transaction); returns them in the given order."""
    _check_forms(pupils, purposes)
    user, at = current_user(), now_iso()
    rows = tuple(FormPurpose(p.id, p.code, p.label) for p in purposes)
    forms = []
    with db.atomic():
        db_id = database_id(db)
        for pupil in pupils:
            signer = signer_for(pupil, on)
            form_id = _new_form_id(db)
            db.execute(
                "INSERT INTO consent_forms (id, pupil_id, signer, issued_on, issued_by, issued_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [form_id, pupil.id, signer, on.isoformat(), user, at],
            )
            db.conn.executemany(
                "INSERT INTO consent_form_purposes (form_id, position, purpose_id, label)"
                " VALUES (?, ?, ?, ?)",
                [(form_id, i, row.purpose_id, row.label) for i, row in enumerate(rows, 1)],
            )
            forms.append(IssuedForm(form_id, pupil, signer, on, rows, db_id))
        record_change(
            db,
            "create",
            "consent_form",
            forms[0].label if len(forms) == 1 else f"{forms[0].label} (+{len(forms) - 1})",
            None,
            {
                "forms": len(forms),
                "labels": [form.label for form in forms],
                "pupils": [form.pupil.number for form in forms],
                "purposes": [row.code for row in rows],
                "issued_on": on.isoformat(),
            },
        )
    return forms


def get_form(db: Database, form_id: int) -> IssuedForm | None:
    row = db.execute(
        "SELECT f.id, f.signer, f.issued_on, p.id, p.number, p.first_name, p.prefix,"
        " p.last_name, p.birth_date, p.class_name, p.location, p.left_on"
        " FROM consent_forms f JOIN pupils p ON p.id = f.pupil_id WHERE f.id = ?",
        [form_id],
    ).fetchone()
    if row is None:
        return None
    purposes = tuple(
        FormPurpose(purpose_id, code, label)
        for purpose_id, code, label in db.execute(
            "SELECT fp.purpose_id, pu.code, fp.label FROM consent_form_purposes fp"
            " JOIN purposes pu ON pu.id = fp.purpose_id WHERE fp.form_id = ?"
            " ORDER BY fp.position",
            [form_id],
        )
    )
    return IssuedForm(
        id=row[0],
        pupil=pupil_from_row(row[3:]),
        signer=row[1],
        issued_on=date.fromisoformat(row[2]),
        purposes=purposes,
        database_id=database_id(db),
    )


def latest_form_of(db: Database, pupil_number: str) -> IssuedForm | None:
    """The pupil's most recently printed form (for a page whose code could not be read)."""
    pupil = get_pupil(db, pupil_number)
    row = db.execute(
        "SELECT id FROM consent_forms WHERE pupil_id = ? ORDER BY issued_at DESC, rowid DESC",
        [pupil.id],
    ).fetchone()
    return get_form(db, row[0]) if row else None


def look_up_form(db: Database, code: FormCode) -> FormLookup:
    """What a form code refers to; a form is only FORM_OK when its scan may be recorded.

    A code that names another pupil than the one this database printed the form for is
    FORM_PUPIL_MISMATCH: the paper is someone else's, whatever its number says."""
    if code.database_id != database_id(db):
        return FormLookup(FORM_FOREIGN, pupil_on_form=code.pupil_number)
    form = get_form(db, code.form_id)
    if form is None:
        return FormLookup(FORM_UNKNOWN, pupil_on_form=code.pupil_number)
    if code.pupil_number is not None and code.pupil_number != form.pupil.number:
        return FormLookup(FORM_PUPIL_MISMATCH, form, pupil_on_form=code.pupil_number)
    scan = db.execute(
        "SELECT id, recorded_at FROM form_scans WHERE form_id = ?", [form.id]
    ).fetchone()
    if scan is not None:
        return FormLookup(FORM_DUPLICATE, form, scan[0], scan[1], code.pupil_number)
    if form.pupil.left_on is not None:
        return FormLookup(FORM_LEFT, form, pupil_on_form=code.pupil_number)
    return FormLookup(FORM_OK, form, pupil_on_form=code.pupil_number)


# --------------------------------------------------------------------------- recording scans

# "Geen kruisje betekent geen toestemming", says the form: an empty row of a signed form is a
# refusal, so that a grant recorded earlier stops counting, as the parent was told.
DECISION_FOR_OUTCOME = {
    layout.JA: rules.GRANTED,
    layout.NEE: rules.REFUSED,
    layout.LEEG: rules.REFUSED,
}


def giver_name(form: IssuedForm) -> str:
    """Who the decisions of a scanned form are from (the handwritten name is on the scan)."""
    if form.signer == layout.SIGNER_PUPIL:
        return form.pupil.name
    return f"Ouder of voogd (ondertekend formulier {form.label})"


@dataclass(frozen=True)
class ScanImage:
    """The page as it will be kept: compressed bytes and their size in pixels."""

    data: bytes
    image_type: str
    width: int
    height: int


def record_scan(
    db: Database,
    form: IssuedForm,
    outcomes: Sequence[str],
    *,
    signed: bool,
    image: ScanImage,
    source: str,
    scanned_on: date,
    received_on: date,
    reading: dict[str, Any],
) -> ScanRecord:
    """Record a read form: a decision per row (ja granted; nee and leeg refused) and the scan
    that proves them.

    All or nothing: an outcome that is not ja, nee or leeg, an unsigned form, a received date
    before the form was printed or after today, a form scanned before (also by another
    connection a moment ago: InputError with the code FORM_DUPLICATE), a pupil who has left,
    or a decision the consent rules refuse (a parent's ja for a pupil who was 16 on
    `received_on`) raises InputError and writes nothing. The message of a refused decision is
    the decision dialog's, after the purpose's label.
    """
    if len(outcomes) != len(form.purposes):
        raise InputError(
            f"Formulier {form.label}: {len(outcomes)} antwoorden voor {len(form.purposes)} doelen."
        )
    open_rows = [
        row.label
        for row, outcome in zip(form.purposes, outcomes, strict=True)
        if outcome not in (layout.JA, layout.NEE, layout.LEEG)
    ]
    if open_rows:
        raise InputError(f"Formulier {form.label}: nog niet beslist voor {', '.join(open_rows)}.")
    if not signed:
        raise InputError(f"Formulier {form.label} is niet ondertekend.")
    problem = layout.receipt_problem(
        received_on, form.issued_on, clock.today(), "de datum van ontvangst"
    )
    if problem:
        raise InputError(f"Formulier {form.label}: {problem}.")
    given_by = rules.PUPIL if form.signer == layout.SIGNER_PUPIL else rules.PARENT
    name = giver_name(form)
    user, at = current_user(), now_iso()
    decision_ids = []
    with db.atomic():
        # Looked up inside the write transaction: another window or command that recorded this
        # form a moment ago is seen here, not by the UNIQUE constraint on form_scans.form_id.
        lookup = look_up_form(db, form.code)
        if lookup.status != FORM_OK:
            raise InputError(f"Formulier {form.label}: {lookup.message}.", codes=[lookup.status])
        for row, outcome in zip(form.purposes, outcomes, strict=True):
            decision = DECISION_FOR_OUTCOME.get(outcome)
            if decision is None:
                continue
            try:
                made = record_decision(
                    db,
                    form.pupil.number,
                    row.code,
                    decision,
                    given_by,
                    name,
                    received_on,
                    method="paper",
                    recorded_by=user,
                    recorded_at=at,
                )
            except InputError as exc:
                raise InputError(f"{row.label}: {exc.message}", exc.problems) from exc
            assert made.id is not None
            decision_ids.append(made.id)
        cursor = db.execute(
            "INSERT INTO form_scans (form_id, pupil_id, image, image_type, width, height,"
            " source, scanned_on, received_on, reading, recorded_by, recorded_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                form.id,
                form.pupil.id,
                image.data,
                image.image_type,
                image.width,
                image.height,
                source,
                scanned_on.isoformat(),
                received_on.isoformat(),
                json.dumps(reading, ensure_ascii=False, sort_keys=True),
                user,
                at,
            ],
        )
        scan_id = inserted_id(cursor)
        db.conn.executemany(
            "INSERT INTO decision_scans (decision_id, scan_id) VALUES (?, ?)",
            [(decision_id, scan_id) for decision_id in decision_ids],
        )
        record_change(
            db,
            "create",
            "form_scan",
            scan_id,
            None,
            {
                "form": form.label,
                "pupil": form.pupil.number,
                "decisions": decision_ids,
                "received_on": received_on.isoformat(),
                "source": source,
            },
        )
    return ScanRecord(
        id=scan_id,
        form_id=form.id,
        pupil_number=form.pupil.number,
        source=source,
        scanned_on=scanned_on,
        received_on=received_on,
        recorded_by=user,
        recorded_at=at,
        reading=reading,
        decision_ids=tuple(decision_ids),
    )


# --------------------------------------------------------------------------- reading scans back

_SCAN_SELECT = (
    "SELECT s.id, s.form_id, p.number, s.source, s.scanned_on, s.received_on, s.recorded_by,"
    " s.recorded_at, s.reading,"
    " (SELECT json_group_array(decision_id) FROM decision_scans ds WHERE ds.scan_id = s.id)"
    " FROM form_scans s JOIN pupils p ON p.id = s.pupil_id"
)


def _scan(row: Sequence[Any]) -> ScanRecord:
    return ScanRecord(
        id=row[0],
        form_id=row[1],
        pupil_number=row[2],
        source=row[3],
        scanned_on=date.fromisoformat(row[4]),
        received_on=date.fromisoformat(row[5]),
        recorded_by=row[6],
        recorded_at=row[7],
        reading=json.loads(row[8]),
        decision_ids=tuple(sorted(json.loads(row[9] or "[]"))),
    )


def scans_of_pupil(db: Database, pupil_number: str) -> list[ScanRecord]:
    """A pupil's stored scans, oldest first."""
    pupil = get_pupil(db, pupil_number)
    rows = db.execute(_SCAN_SELECT + " WHERE s.pupil_id = ? ORDER BY s.id", [pupil.id])
    return [_scan(row) for row in rows]


def scans_of_pupils(db: Database, pupil_ids: Sequence[int]) -> dict[int, list[ScanRecord]]:
    """Stored scans per pupil id (for a class in the consent overview), in one query."""
    result: dict[int, list[ScanRecord]] = {}
    rows = db.execute(
        _SCAN_SELECT.replace("SELECT s.id,", "SELECT s.pupil_id, s.id,")
        + " WHERE s.pupil_id IN (SELECT value FROM json_each(?)) ORDER BY s.id",
        [json.dumps(list(pupil_ids))],
    )
    for row in rows:
        result.setdefault(row[0], []).append(_scan(row[1:]))
    return result


def scan_ids_by_decision(db: Database, decision_ids: Sequence[int]) -> dict[int, int]:
    """decision id -> the id of the scan that produced it (decisions from a scan only)."""
    return dict(
        db.execute(
            "SELECT decision_id, scan_id FROM decision_scans"
            " WHERE decision_id IN (SELECT value FROM json_each(?))",
            [json.dumps(list(decision_ids))],
        ).fetchall()
    )


def scan_image(db: Database, scan_id: int) -> ScanImage:
    row = db.execute(
        "SELECT image, image_type, width, height FROM form_scans WHERE id = ?", [scan_id]
    ).fetchone()
    if row is None:
        raise InputError(f"Onbekende scan {scan_id}.")
    return ScanImage(bytes(row[0]), row[1], row[2], row[3])
