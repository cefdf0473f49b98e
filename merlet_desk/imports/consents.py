"""Importing consent decisions from a file (CSV or .xlsx), all or nothing.

Columns: leerlingnummer, doel (code or name), besluit (ja / nee / ingetrokken), gegeven_door
(ouder / voogd / leerling), naam_gever, datum, wijze (optional: papier, e-mail, portaal,
anders). Every row is checked against the register and the consent rules (a grant from a pupil
under 16, or from a parent or guardian for a pupil of 16 or more on that date, is refused).
Decisions are append-only, so a row that is already in the register exactly (same pupil,
purpose, decision, giver, name and date) is skipped: importing the same file twice adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from merlet_desk import clock
from merlet_desk.domain import consent as rules
from merlet_desk.domain.people import canonical_pupil_number, pupil_number_problem
from merlet_desk.domain.text import text_problem
from merlet_desk.errors import InputError
from merlet_desk.imports.tabular import (
    ColumnSpec,
    cell,
    extra_cells_problem,
    map_columns,
    normalise_header,
    parse_date,
    read_table,
)
from merlet_desk.store import consent as store
from merlet_desk.store.audit import current_user, now_iso, record_change, record_changes
from merlet_desk.store.sqlite_utils_import import Database

COLUMNS = (
    ColumnSpec("number", "leerlingnummer", ("leerlingnummer", "stamnummer", "stamnr", "llnr")),
    ColumnSpec("purpose", "doel", ("doel",)),
    ColumnSpec("decision", "besluit", ("besluit",)),
    ColumnSpec("given_by", "gegeven_door", ("gegeven_door",)),
    ColumnSpec("giver_name", "naam_gever", ("naam_gever",)),
    ColumnSpec("received_on", "datum", ("datum",)),
    ColumnSpec("method", "wijze", ("wijze",), required=False),
)

DECISION_WORDS = {
    "ja": rules.GRANTED,
    "toestemming": rules.GRANTED,
    "granted": rules.GRANTED,
    "nee": rules.REFUSED,
    "geweigerd": rules.REFUSED,
    "refused": rules.REFUSED,
    "ingetrokken": rules.WITHDRAWN,
    "intrekking": rules.WITHDRAWN,
    "withdrawn": rules.WITHDRAWN,
}
GIVER_WORDS = {
    "ouder": rules.PARENT,
    "parent": rules.PARENT,
    "voogd": rules.GUARDIAN,
    "guardian": rules.GUARDIAN,
    "leerling": rules.PUPIL,
    "pupil": rules.PUPIL,
}
METHOD_WORDS = {
    "": "paper",
    "papier": "paper",
    "formulier": "paper",
    "papierenformulier": "paper",
    "paper": "paper",
    "email": "email",
    "mail": "email",
    "portaal": "portal",
    "ouderportaal": "portal",
    "portal": "portal",
    "app": "portal",
    "anders": "other",
    "overig": "other",
    "other": "other",
}


_AUDIT_FIELDS = ("decision", "given_by", "giver_name", "received_on", "method")


@dataclass
class ConsentImportResult:
    file: str
    added: int = 0
    already_present: int = 0
    encoding: str | None = None
    delimiter: str | None = None
    dry_run: bool = False

    def summary(self) -> str:
        text = f"{self.file}: {self.added} besluiten toegevoegd"
        if self.already_present:
            text += f", {self.already_present} stonden er al in (overgeslagen)"
        if self.dry_run:
            text += " (proef: er is niets opgeslagen)"
        return text + "."


def _word(value: object, words: dict[str, str]) -> str | None:
    return words.get(normalise_header(str(value)))


def _collector(target: list[tuple[str, str]]):  # noqa: ANN202
    def add(key: str, message: str) -> None:
        target.append((key, message))

    return add


def _find_purpose(
    db: Database, text: str, cache: dict[str, store.Purpose | None]
) -> store.Purpose | None:
    if text not in cache:
        cache[text] = store.find_purpose(db, text)
    return cache[text]


def import_consents(
    db: Database, path: str | Path, *, dry_run: bool = False, recorded_by: str | None = None
) -> ConsentImportResult:
    """Import decisions from a file: all or nothing (InputError listing every problem)."""
    path = Path(path)
    table = read_table(path)
    result = ConsentImportResult(
        file=path.name, encoding=table.encoding, delimiter=table.delimiter, dry_run=dry_run
    )
    problems: list[str] = []
    columns = map_columns(table, COLUMNS, problems)
    if problems:
        raise InputError(f"{path.name} is niet geïmporteerd; er is niets veranderd.", problems)
    header = {key: table.header[index] for key, index in columns.items()}
    header.setdefault("method", "wijze")
    pupils = {
        canonical_pupil_number(pupil.number) or pupil.number: pupil
        for pupil in store.list_pupils(db, include_left=True)
    }
    purposes: dict[str, store.Purpose | None] = {}
    today = clock.today()
    pending: list[tuple[store.Pupil, store.Purpose, str, str, str, date, str]] = []
    for row in table.rows:
        extra = extra_cells_problem(table, row)
        if extra:
            problems.append(extra)
        values = {spec.key: str(cell(row, columns.get(spec.key))) for spec in COLUMNS}
        row_problems: list[tuple[str, str]] = []
        problem = _collector(row_problems)
        pupil = pupils.get(canonical_pupil_number(values["number"]) or values["number"])
        for key, value in values.items():
            text_issue = text_problem(value)
            if text_issue:
                problem(key, text_issue)
        if not values["number"]:
            problem("number", "leerlingnummer ontbreekt")
        elif pupil is None:
            problem(
                "number",
                pupil_number_problem(values["number"])
                or (f"onbekende leerling {values['number']}"),
            )
        purpose = _find_purpose(db, values["purpose"], purposes) if values["purpose"] else None
        if not values["purpose"]:
            problem("purpose", "doel ontbreekt")
        elif purpose is None:
            problem("purpose", f"onbekend doel '{values['purpose']}'")
        elif purpose.retired:
            problem("purpose", f"het doel '{purpose.label}' is vervallen")
        decision = _word(values["decision"], DECISION_WORDS)
        if decision is None:
            problem("decision", f"onbekend besluit '{values['decision']}' (ja, nee of ingetrokken)")
        given_by = _word(values["given_by"], GIVER_WORDS)
        if given_by is None:
            problem(
                "given_by", f"onbekende gever '{values['given_by']}' (ouder, voogd of leerling)"
            )
        method = _word(values["method"], METHOD_WORDS)
        if method is None:
            problem(
                "method", f"onbekende wijze '{values['method']}' (papier, e-mail, portaal, anders)"
            )
        received: date | None = None
        try:
            received = parse_date(cell(row, columns.get("received_on")))
        except ValueError as exc:
            problem("received_on", str(exc))
        giver_name = values["giver_name"]
        if not giver_name and given_by in (rules.PARENT, rules.GUARDIAN):
            problem("giver_name", "naam van de ouder of voogd ontbreekt")
        if pupil and purpose and decision and given_by and method and received:
            for key, message in store.decision_problem(
                pupil, purpose, decision, given_by, received, method, today
            ):
                if key == "purpose" and purpose.retired:
                    continue  # already reported
                problem(key, message[:1].lower() + message[1:])
        if row_problems:
            problems.extend(
                f"rij {row.number}, kolom {header[key]}: {message}" for key, message in row_problems
            )
            continue
        assert pupil and purpose and decision and given_by and method and received
        pending.append(
            (pupil, purpose, decision, given_by, giver_name or pupil.name, received, method)
        )
    if not table.rows:
        problems.append(f"rij {table.header_row + 1}: het bestand bevat geen besluiten")
    if problems:
        raise InputError(f"{path.name} is niet geïmporteerd; er is niets veranderd.", problems)

    existing = {
        (r[0], r[1], r[2], r[3], r[4], r[5])
        for r in db.execute(
            "SELECT pupil_id, purpose_id, decision, given_by, giver_name, received_on"
            " FROM decisions"
        ).fetchall()
    }
    new_rows = []
    for pupil, purpose, decision, given_by, giver_name, received, method in pending:
        identity = (pupil.id, purpose.id, decision, given_by, giver_name, received.isoformat())
        if identity in existing:
            result.already_present += 1
            continue
        existing.add(identity)
        new_rows.append((pupil, purpose, decision, given_by, giver_name, received, method))
    result.added = len(new_rows)
    if dry_run:
        return result
    recorded_by = recorded_by or current_user()
    recorded_at = now_iso()
    with db.atomic():
        first_id = db.execute("SELECT coalesce(max(id), 0) + 1 FROM decisions").fetchone()[0]
        db.conn.executemany(
            "INSERT INTO decisions (id, pupil_id, purpose_id, decision, given_by, giver_name,"
            " received_on, method, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    first_id + offset,
                    pupil.id,
                    purpose.id,
                    decision,
                    given_by,
                    giver_name,
                    received.isoformat(),
                    method,
                    recorded_by,
                    recorded_at,
                )
                for offset, (pupil, purpose, decision, given_by, giver_name, received, method) in (
                    enumerate(new_rows)
                )
            ],
        )
        record_changes(
            db,
            [
                (
                    "create",
                    "decision",
                    first_id + offset,
                    None,
                    {
                        "pupil": pupil.number,
                        "purpose": purpose.code,
                        **dict(zip(_AUDIT_FIELDS, fields, strict=True)),
                    },
                )
                for offset, (pupil, purpose, *fields) in enumerate(new_rows)
            ],
        )
        record_change(
            db,
            "import",
            "consent_file",
            path.name,
            None,
            {"added": result.added, "already_present": result.already_present},
        )
    return result
