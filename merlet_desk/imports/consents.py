"""Importing consents from a file (CSV or .xlsx), in either of two shapes, all or nothing.

**Long** (Merlet Desk's own): one row per decision, with the columns leerlingnummer, doel
(code, name or another name of the purpose), besluit (ja / nee / ingetrokken), gegeven_door
(ouder / voogd / leerling), naam_gever, datum and wijze (optional: papier, e-mail, portaal,
anders). Every row is checked against the register and the consent rules (a grant from a pupil
under 16, or from a parent or guardian for a pupil of 16 or more on that date, is refused).
Decisions are append-only, so a row that is already in the register exactly (same pupil,
purpose, decision, giver, name and date) is skipped: importing the same file twice adds nothing.

**Wide** (a parent portal's export, Magister or SOMtoday): one row per pupil, one column per
question. A column is a purpose when its header, compared as `name_key` compares, is that
purpose's code, name or one of its other names (Instellingen › Doelen), or when `--map` (or
the import dialog, or the mapping remembered for this set of headers) says so. Pupil columns
take the names `import-pupils` takes; a "laatst gewijzigd" column dates each row's answers
(else `received`, default today); optional gegeven_door and naam_gever columns say who.
The answers (`domain.portal.read_answer`) are synchronised with the register by the rules of
`domain.portal.sync`: the file is the portal's current state, the register its history.

Either shape is checked whole before anything is written; the result counts what changes
(or, in a dry run, would change) and names the publications that then enter Te verwijderen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from merlet_desk import clock
from merlet_desk.domain import consent as rules
from merlet_desk.domain import portal
from merlet_desk.domain.people import canonical_pupil_number, pupil_number_problem
from merlet_desk.domain.text import count_text, number_text, text_problem
from merlet_desk.errors import InputError
from merlet_desk.imports.pupils import COLUMNS as PUPIL_COLUMNS
from merlet_desk.imports.pupils import NUMBER_ALIASES
from merlet_desk.imports.tabular import (
    ColumnSpec,
    Table,
    cell,
    extra_cells_problem,
    map_columns,
    normalise_header,
    parse_date,
    read_table,
)
from merlet_desk.store import consent_imports as store
from merlet_desk.store import consent_settings as settings_store
from merlet_desk.store import decisions as decision_store
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store import purposes as purpose_store
from merlet_desk.store import takedowns as takedown_store
from merlet_desk.store.import_mappings import remember_mapping, remembered_mapping
from merlet_desk.store.sqlite_utils_import import Database

LONG = "long"
WIDE = "wide"
MAPPING_KIND = "consents"

LONG_COLUMNS = (
    ColumnSpec("number", "leerlingnummer", NUMBER_ALIASES),
    ColumnSpec("purpose", "doel", ("doel",)),
    ColumnSpec("decision", "besluit", ("besluit",)),
    ColumnSpec("given_by", "gegeven_door", ("gegeven_door",)),
    ColumnSpec("giver_name", "naam_gever", ("naam_gever",)),
    ColumnSpec("received_on", "datum", ("datum",)),
    ColumnSpec("method", "wijze", ("wijze",), required=False),
)

# What a column of a wide file is (a mapping's values): a purpose is "purpose:<code>".
NUMBER = "column:number"
CHANGED_ON = "column:changed_on"
GIVEN_BY = "column:given_by"
GIVER_NAME = "column:giver_name"
PUPIL_INFO = "pupil"  # a column about the pupil (name, class, ...): read by nobody
IGNORE = "ignore"
PURPOSE = "purpose:"
COLUMN_NAMES = {
    NUMBER: "leerlingnummer",
    CHANGED_ON: "laatst gewijzigd",
    GIVEN_BY: "gegeven_door",
    GIVER_NAME: "naam_gever",
    PUPIL_INFO: "leerlinggegevens",
    IGNORE: "overslaan",
}
_WIDE_ALIASES = {
    NUMBER: NUMBER_ALIASES,
    CHANGED_ON: (
        "laatst gewijzigd",
        "laatste wijziging",
        "gewijzigd op",
        "gewijzigd",
        "datum gewijzigd",
        "wijzigingsdatum",
        "laatst bijgewerkt",
        "bijgewerkt op",
        "datum ingevuld",
        "ingevuld op",
        "datum",
    ),
    GIVEN_BY: ("gegeven_door", "gegeven door"),
    GIVER_NAME: ("naam_gever", "naam gever", "naam ouder", "naam ouder/verzorger"),
    PUPIL_INFO: (
        *(alias for spec in PUPIL_COLUMNS if spec.key != "number" for alias in spec.aliases),
        "naam",
        "leerling",
        "leerlingnaam",
        "volledige naam",
        "leerjaar",
        "geslacht",
        "studie",
        "profiel",
        "e-mail",
        "mentor",
    ),
    IGNORE: ("negeren", "overslaan", "ignore"),
}
_WIDE_BY_NAME = {
    normalise_header(alias): target for target, names in _WIDE_ALIASES.items() for alias in names
}

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
# A parent's name is not in a portal export; the register says so instead of leaving it blank.
NO_GIVER_NAME = "(naam niet in de export)"
# More than this share of unknown pupil numbers: a file of another school, refused.
UNKNOWN_SHARE_LIMIT = 0.5
COUNT_KEYS = ("granted", "refused", "withdrawn", "unchanged", "conflicts", "unknown_pupils")


@dataclass
class ImportOptions:
    """How to read a file: `mapping` header -> target (`NUMBER`, `IGNORE`, "purpose:<code>",
    ...) for the headers the names do not decide (wins over the remembered mapping, which wins
    over the names); `ignore` headers to leave out; `sheet` of a workbook; `received` the date
    of answers without a "laatst gewijzigd" (default today); `mapping_name` what the mapping
    is remembered as ("Magister-export")."""

    mapping: dict[str, str] = field(default_factory=dict)
    ignore: tuple[str, ...] = ()
    sheet: str | None = None
    received: date | None = None
    mapping_name: str | None = None
    remember: bool = True


@dataclass(frozen=True)
class Column:
    """One column of the file and how it is read."""

    index: int
    header: str
    target: str  # "" when nothing says what it is
    how: str  # "name" (its header), "remembered", "chosen" (--map, the dialog), "" (none)

    @property
    def purpose_code(self) -> str | None:
        return self.target[len(PURPOSE) :] if self.target.startswith(PURPOSE) else None


@dataclass(frozen=True)
class Conflict:
    """An answer the register cannot take: it holds a decision that would still count."""

    row: int
    pupil: pupil_store.Pupil
    purpose: purpose_store.Purpose
    answer: bool
    answered_on: date
    current: rules.Decision

    def as_text(self) -> str:
        current = self.current
        return (
            f"rij {self.row}: leerling {self.pupil.number}, {self.purpose.label}: het bestand "
            f"zegt {portal.answer_text(self.answer)} ({self.answered_on:%d-%m-%Y}), het "
            f"register {rules.DECISION_LABELS[current.decision].lower()} van "
            f"{current.received_on:%d-%m-%Y} "
            f"({rules.METHOD_LABELS.get(current.method, current.method).lower()})"
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "pupil": self.pupil.number,
            "purpose": self.purpose.code,
            "file": portal.answer_text(self.answer),
            "file_date": self.answered_on.isoformat(),
            "register": self.current.decision,
            "register_date": self.current.received_on.isoformat(),
            "register_method": self.current.method,
        }


@dataclass
class ConsentImportResult:
    """What an import did, or with `dry_run` would do."""

    file: str
    shape: str = LONG
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    dry_run: bool = False
    received: date | None = None
    columns: list[Column] = field(default_factory=list)
    mapping_name: str | None = None  # the remembered mapping this file was read with
    granted: int = 0
    refused: int = 0
    withdrawn: int = 0
    unchanged: int = 0
    not_answered: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    unknown_pupils: list[tuple[int, str]] = field(default_factory=list)  # (row, number)
    takedowns: list[takedown_store.PublicationTakedowns] = field(default_factory=list)

    @property
    def added(self) -> int:
        return self.granted + self.refused + self.withdrawn

    @property
    def already_present(self) -> int:
        return self.unchanged

    def counts(self) -> dict[str, int]:
        return {
            "granted": self.granted,
            "refused": self.refused,
            "withdrawn": self.withdrawn,
            "unchanged": self.unchanged,
            "conflicts": len(self.conflicts),
            "unknown_pupils": len(self.unknown_pupils),
            "not_answered": self.not_answered,
        }

    def summary(self) -> str:
        """One Dutch line for the status bar or the terminal."""
        if self.dry_run:
            text = count_text(
                self.added,
                "1 besluit zou worden vastgelegd",
                "%1 besluiten zouden worden vastgelegd",
            )
        else:
            text = count_text(self.added, "1 besluit toegevoegd", "%1 besluiten toegevoegd")
        text = f"{self.file}: {text}"
        if self.added:
            text += (
                f" ({count_text(self.granted, '1 toestemming', '%1 toestemmingen')}, "
                f"{count_text(self.refused, '1 weigering', '%1 weigeringen')}, "
                f"{count_text(self.withdrawn, '1 intrekking', '%1 intrekkingen')})"
            )
        if self.unchanged:
            text += ", " + (
                count_text(
                    self.unchanged,
                    "1 stond er al in (overgeslagen)",
                    "%1 stonden er al in (overgeslagen)",
                )
                if self.shape == LONG
                else f"{number_text(self.unchanged)} ongewijzigd"
            )
        if self.conflicts:
            text += ", " + count_text(
                len(self.conflicts),
                "1 conflict voor u om op te lossen",
                "%1 conflicten voor u om op te lossen",
            )
        if self.unknown_pupils:
            text += ", " + count_text(
                len(self.unknown_pupils),
                "1 onbekende leerling overgeslagen",
                "%1 onbekende leerlingen overgeslagen",
            )
        if self.dry_run:
            text += " (proef: er is niets opgeslagen)"
        return text + "."

    def report_lines(self) -> list[str]:
        """The summary with the conflicts, the unknown pupils and the publications that enter
        Te verwijderen (pupils by number: the output may land in logs)."""
        lines = [self.summary()]
        if self.conflicts:
            lines += ["", "Conflicten (niets vastgelegd; los ze op in Toestemmingen):"]
            lines += [f"  - {conflict.as_text()}" for conflict in self.conflicts]
        if self.unknown_pupils:
            lines += [
                "",
                "Onbekende leerlingen (importeer eerst de leerlingen): "
                + ", ".join(f"{number} (rij {row})" for row, number in self.unknown_pupils),
            ]
        if self.takedowns:
            when = "moeten daarna" if self.dry_run else "moeten nu"
            lines += ["", f"Deze publicaties {when} offline (Te verwijderen):"]
            for group in self.takedowns:
                lines.append(
                    f"  - {group.item_title} — {group.purpose_label}, gepubliceerd "
                    f"{group.published_on:%d-%m-%Y}: leerling "
                    + ", ".join(t.pupil.number for t in group.takedowns)
                )
        return lines

    def as_json(self) -> dict[str, Any]:
        """The document of `import-consents --json`."""
        return {
            "file": self.file,
            "shape": self.shape,
            "dry_run": self.dry_run,
            "received": self.received.isoformat() if self.received else None,
            "sheet": self.sheet,
            "mapping": self.mapping_name,
            "columns": [{"header": c.header, "target": c.target} for c in self.columns],
            "counts": self.counts(),
            "conflicts": [conflict.as_json() for conflict in self.conflicts],
            "unknown_pupils": [
                {"row": row, "pupil": number} for row, number in self.unknown_pupils
            ],
            "takedowns": [
                {
                    "publication": group.publication_id,
                    "item": group.item_title,
                    "channel": group.first.purpose_code,
                    "link": group.link,
                    "pupils": [t.pupil.number for t in group.takedowns],
                }
                for group in self.takedowns
            ],
        }


def _failed(path: Path, problems: list[str], codes: Iterable[str] = ()) -> InputError:
    return InputError(
        f"{path.name} is niet geïmporteerd; er is niets veranderd.", problems, codes=codes
    )


def shape_of(table: Table) -> str:
    """Long when the file has the columns doel and besluit, else wide."""
    names = {normalise_header(header) for header in table.header}
    return LONG if {"doel", "besluit"} <= names else WIDE


# --------------------------------------------------------------------------- the columns


def purpose_target(code: str) -> str:
    return PURPOSE + code


def target_of_option(db: Database, text: str) -> str:
    """The target a `--map HEADER=TEXT` names: a purpose (code, name or other name), or one of
    the column names leerlingnummer, laatst gewijzigd, gegeven_door, naam_gever, overslaan."""
    purpose = purpose_store.find_purpose(db, text)
    if purpose is not None:
        return purpose_target(purpose.code)
    target = _WIDE_BY_NAME.get(normalise_header(text))
    if target is not None and target != PUPIL_INFO:
        return target
    known = ", ".join(p.code for p in purpose_store.list_purposes(db))
    raise InputError(
        f"--map: onbekend doel '{text}' (bekende doelen: {known}; of leerlingnummer, "
        "laatst gewijzigd, gegeven_door, naam_gever, overslaan)."
    )


def read_columns(
    db: Database, table: Table, options: ImportOptions
) -> tuple[list[Column], str | None]:
    """How each column of a wide file is read, and the name of the remembered mapping used:
    the options first, then the mapping remembered for these headers, then the names."""
    purposes = purpose_store.purposes_by_name(purpose_store.list_purposes(db, include_retired=True))
    remembered = remembered_mapping(db, MAPPING_KIND, table.header)
    saved = {normalise_header(h): t for h, t in (remembered.mapping if remembered else {}).items()}
    chosen = {normalise_header(h): t for h, t in options.mapping.items()}
    chosen.update({normalise_header(h): IGNORE for h in options.ignore})
    columns = []
    for index, header in enumerate(table.header):
        key = normalise_header(header)
        if not key:
            columns.append(Column(index, header, IGNORE, "name"))
        elif key in chosen:
            columns.append(Column(index, header, chosen[key], "chosen"))
        elif key in saved:
            columns.append(Column(index, header, saved[key], "remembered"))
        elif key in _WIDE_BY_NAME:
            columns.append(Column(index, header, _WIDE_BY_NAME[key], "name"))
        elif key in purposes:
            columns.append(Column(index, header, purpose_target(purposes[key].code), "name"))
        else:
            columns.append(Column(index, header, "", ""))
    return columns, remembered.name if remembered else None


def _quoted(headers: Iterable[str], separator: str) -> str:
    return separator.join(f"'{header}'" for header in headers)


def column_problems(
    db: Database, table: Table, columns: Sequence[Column], options: ImportOptions
) -> list[str]:
    """Every reason these columns cannot be read, one line each (empty when they can)."""
    problems: list[str] = []
    row = table.header_row
    headers = {normalise_header(h) for h in table.header}
    for header in [*options.mapping, *options.ignore]:
        if normalise_header(header) not in headers:
            problems.append(
                f"rij {row}: de kolom '{header}' (--map of --ignore) staat niet in de kopregel"
            )
    active = {p.code: p for p in purpose_store.list_purposes(db, include_retired=True)}
    unmapped = [c.header for c in columns if not c.target]
    if unmapped:
        known = ", ".join(f"{p.code} ({p.label})" for p in active.values() if not p.retired)
        problems.append(
            f"rij {row}: onbekende kolommen {_quoted(unmapped, ', ')}: geen "
            f"leerlinggegevens en geen doel (bekende doelen: {known}); koppel ze aan een doel of "
            'sla ze over (--map "KOLOM=DOEL", --ignore KOLOM)'
        )
    by_target: dict[str, list[str]] = {}
    for column in columns:
        if column.target not in ("", IGNORE, PUPIL_INFO):
            by_target.setdefault(column.target, []).append(column.header)
        code = column.purpose_code
        if code is not None and code not in active:
            problems.append(f"rij {row}, kolom {column.header}: onbekend doel '{code}'")
        elif code is not None and active[code].retired:
            problems.append(
                f"rij {row}, kolom {column.header}: het doel '{active[code].label}' is "
                "vervallen; sla de kolom over (--ignore)"
            )
    for target, headers_of in by_target.items():
        if len(headers_of) > 1:
            what = (
                f"doel {active[target[len(PURPOSE) :]].label}"
                if target.startswith(PURPOSE) and target[len(PURPOSE) :] in active
                else COLUMN_NAMES.get(target, target)
            )
            problems.append(
                f"rij {row}: de kolommen {_quoted(headers_of, ' en ')} horen "
                f"allebei bij {what}; koppel er één (--map) of sla er één over (--ignore)"
            )
    if not any(column.target == NUMBER for column in columns):
        problems.append(
            f"rij {row}, kolom leerlingnummer: kolom ontbreekt (verwacht een kolom "
            f"{' of '.join(NUMBER_ALIASES[:3])})"
        )
    if not any(column.purpose_code for column in columns) and not unmapped:
        problems.append(f"rij {row}: geen enkele kolom is een doel")
    return problems


# --------------------------------------------------------------------------- reading rows


@dataclass
class _Plan:
    result: ConsentImportResult
    rows: list[store.ImportedDecision]
    columns: list[Column] = field(default_factory=list)


def read_consent_table(path: str | Path, sheet: str | None = None) -> Table:
    """The file as a table (what the import dialog shows)."""
    return read_table(path, sheet=sheet)


def import_consents(
    db: Database,
    path: str | Path,
    *,
    dry_run: bool = False,
    options: ImportOptions | None = None,
    recorded_by: str | None = None,
    table: Table | None = None,
) -> ConsentImportResult:
    """Import consents from a file of either shape: all or nothing (InputError listing every
    problem, nothing changed). With `dry_run` nothing is written and the result says what
    would change. `table`: the file already read (the dialog reads it once)."""
    path = Path(path)
    options = options or ImportOptions()
    table = table if table is not None else read_table(path, sheet=options.sheet)
    if dry_run:
        result = _plan(db, path, table, options).result
        result.dry_run = True
        return result
    with db.atomic():  # the plan is made again inside the write: what it read still holds
        plan = _plan(db, path, table, options)
        result = plan.result
        store.write_imported_decisions(
            db,
            plan.rows,
            file_name=path.name,
            shape=result.shape,
            counts=result.counts(),
            recorded_by=recorded_by,
        )
        chosen = [c for c in plan.columns if c.how == "chosen"]
        if chosen and options.remember:
            mapping = {c.header: c.target for c in plan.columns if c.how != "name"}
            name = options.mapping_name or result.mapping_name or path.stem
            remember_mapping(db, MAPPING_KIND, table.header, mapping, name)
            result.mapping_name = name
    return result


def _plan(db: Database, path: Path, table: Table, options: ImportOptions) -> _Plan:
    result = ConsentImportResult(
        file=path.name,
        encoding=table.encoding,
        delimiter=table.delimiter,
        sheet=table.sheet,
        shape=shape_of(table),
    )
    if not table.rows:
        raise _failed(path, [f"rij {table.header_row + 1}: het bestand bevat geen besluiten"])
    if result.shape == LONG:
        if options.mapping or options.ignore:
            raise InputError(
                f"{path.name} heeft één rij per besluit (kolommen doel en besluit): --map en "
                "--ignore gelden alleen voor een export met een kolom per doel. Er is niets "
                "veranderd."
            )
        plan = _plan_long(db, path, table)
    else:
        plan = _plan_wide(db, path, table, options)
    return plan


def _pupils_by_number(db: Database) -> dict[str, pupil_store.Pupil]:
    return {
        canonical_pupil_number(pupil.number) or pupil.number: pupil
        for pupil in pupil_store.all_pupils(db)
    }


def _word(value: object, words: dict[str, str]) -> str | None:
    return words.get(normalise_header(str(value)))


def _plan_wide(db: Database, path: Path, table: Table, options: ImportOptions) -> _Plan:
    columns, remembered = read_columns(db, table, options)
    problems = column_problems(db, table, columns, options)
    if problems:
        raise _failed(path, problems)
    today = clock.today()
    received = options.received or today
    result = ConsentImportResult(
        file=path.name,
        shape=WIDE,
        encoding=table.encoding,
        delimiter=table.delimiter,
        sheet=table.sheet,
        received=received,
        columns=columns,
        mapping_name=remembered,
    )
    purposes = {p.code: p for p in purpose_store.list_purposes(db, include_retired=True)}
    asked = [(c.index, c.header, purposes[c.purpose_code]) for c in columns if c.purpose_code]
    index_of = {c.target: c.index for c in columns}
    number_at = index_of[NUMBER]
    date_at, giver_at, name_at = (index_of.get(t) for t in (CHANGED_ON, GIVEN_BY, GIVER_NAME))
    header_of = {c.index: c.header for c in columns}
    pupils = _pupils_by_number(db)
    width = len(table.header)

    asked_at = [index for index, _, _ in asked]
    read_answer = portal.read_answer
    # Every row read and checked first; each known pupil's answers kept for the sync.
    answers: list[tuple[int, pupil_store.Pupil, date, str | None, str, list[bool | None]]] = []
    seen: dict[int, tuple[int, list[bool | None]]] = {}
    numbers = 0
    for row in table.rows:
        row_problems: list[str] = []
        if len(row.cells) > width:
            extra = extra_cells_problem(table, row)
            if extra:
                problems.append(extra)

        def problem(
            index: int, message: str, into: list[str] = row_problems, at: int = row.number
        ) -> None:
            into.append(f"rij {at}, kolom {header_of[index]}: {message}")

        cells = row.cells if len(row.cells) >= width else [*row.cells, *[""] * width]
        raw = str(cells[number_at]).strip()
        try:  # every answer at once; the slow way only for a row with a problem
            row_answers = [read_answer(str(cells[index])) for index in asked_at]
        except ValueError:
            row_answers = []
            for index in asked_at:
                try:
                    row_answers.append(read_answer(str(cells[index])))
                except ValueError as exc:
                    problem(index, str(exc))
                    row_answers.append(None)
        if not raw:
            if any(answer is not None for answer in row_answers):
                problem(number_at, "leerlingnummer ontbreekt")
            problems.extend(row_problems)
            continue
        numbers += 1
        number_problem = pupil_number_problem(raw)
        pupil = None if number_problem else pupils.get(canonical_pupil_number(raw) or raw)
        if number_problem:
            problem(number_at, number_problem)
        elif pupil is None:
            result.unknown_pupils.append((row.number, raw))
            problems.extend(row_problems)
            continue
        answered_on = received
        if date_at is not None and cell(row, date_at) != "":
            try:
                answered_on = parse_date(cell(row, date_at))
            except ValueError as exc:
                problem(date_at, str(exc))
        given_by = None
        if giver_at is not None and cell(row, giver_at) != "":
            given_by = _word(cell(row, giver_at), GIVER_WORDS)
            if given_by is None:
                problem(
                    giver_at,
                    f"onbekende gever '{cell(row, giver_at)}' (ouder, voogd of leerling)",
                )
        giver_name = str(cell(row, name_at)).strip() if name_at is not None else ""
        if giver_name and text_problem(giver_name):
            problem(name_at or 0, f"naam {text_problem(giver_name)}")
        if pupil is not None:
            if answered_on > today:
                problem(
                    date_at if date_at is not None else number_at,
                    f"de datum {answered_on:%d-%m-%Y} ligt in de toekomst",
                )
            elif answered_on < pupil.birth_date:
                problem(
                    date_at if date_at is not None else number_at,
                    f"de datum {answered_on:%d-%m-%Y} ligt vóór de geboortedatum",
                )
            elif given_by is not None and True in row_answers:
                grant = rules.grant_problem(pupil.birth_date, given_by, answered_on)
                if grant:
                    problem(giver_at or 0, grant[:1].lower() + grant[1:])
            earlier = seen.get(pupil.id)
            if earlier is not None and earlier[1] != row_answers:
                problem(
                    number_at,
                    f"leerling {pupil.number} staat ook in rij {earlier[0]}, met andere antwoorden",
                )
            elif earlier is None:
                seen[pupil.id] = (row.number, row_answers)
                if not row_problems:
                    answers.append(
                        (row.number, pupil, answered_on, given_by, giver_name, row_answers)
                    )
        problems.extend(row_problems)
    unknown = len(result.unknown_pupils)
    if numbers and unknown / numbers > UNKNOWN_SHARE_LIMIT:
        raise InputError(
            f"{path.name} is niet geïmporteerd: {unknown} van de {numbers} leerlingnummers "
            f"({unknown * 100 // numbers} %) zijn onbekend in dit register. Is dit een bestand "
            "van een andere school, of zijn de leerlingen nog niet geïmporteerd? Er is niets "
            "veranderd."
        )
    if problems:
        raise _failed(path, problems)
    return _sync(db, result, asked, answers, today)


def _sync(
    db: Database,
    result: ConsentImportResult,
    asked: Sequence[tuple[int, str, purpose_store.Purpose]],
    answers: Sequence[tuple[int, pupil_store.Pupil, date, str | None, str, list[bool | None]]],
    today: date,
) -> _Plan:
    """The decisions the answers make, by the rules of `portal.sync`, and their consequences."""
    settings = settings_store.consent_settings(db)
    latest = decision_store.latest_decisions(
        db, [pupil.id for _, pupil, *_ in answers], [purpose.id for *_, purpose in asked], today
    )
    rows: list[store.ImportedDecision] = []
    changed: dict[
        tuple[int, int], tuple[pupil_store.Pupil, list[rules.Decision], list[rules.Decision]]
    ] = {}
    counts = {rules.GRANTED: 0, rules.REFUSED: 0, rules.WITHDRAWN: 0}
    not_answered = 0
    for row_number, pupil, answered_on, given_by, name, row_answers in answers:
        giver = given_by or rules.default_giver(pupil.birth_date, answered_on)
        giver_name = name or (pupil.name if giver == rules.PUPIL else NO_GIVER_NAME)
        on_text = answered_on.isoformat()
        for (_, _, purpose), answer in zip(asked, row_answers, strict=True):
            if answer is None:
                not_answered += 1
                continue
            cell_key = (pupil.id, purpose.id)
            decisions = latest.get(cell_key)
            if not decisions:
                # Nothing recorded: the answer is new and nothing can conflict with it (the
                # usual case of a first import: 140,000 cells at a school board's size).
                kind = rules.GRANTED if answer else rules.REFUSED
                counts[kind] += 1
                rows.append((pupil.id, purpose.id, kind, giver, giver_name, on_text, "portal"))
                continue
            if rules.current_decision(pupil.birth_date, decisions, today) is None:
                decisions = decision_store.cell_history(db, pupil.id, purpose.id, today)
            outcome = portal.sync(
                pupil.birth_date, decisions, answer, answered_on, today, settings, given_by=giver
            )
            if outcome.outcome == portal.UNCHANGED:
                result.unchanged += 1
                continue
            if outcome.outcome == portal.CONFLICT:
                assert outcome.current is not None
                result.conflicts.append(
                    Conflict(row_number, pupil, purpose, answer, answered_on, outcome.current)
                )
                continue
            kind = outcome.decision or rules.GRANTED
            counts[kind] += 1
            rows.append((pupil.id, purpose.id, kind, giver, giver_name, on_text, "portal"))
            if kind != rules.GRANTED:
                new = rules.Decision(
                    pupil.number, purpose.code, kind, giver, giver_name, answered_on, "portal"
                )
                changed[cell_key] = (pupil, list(decisions), [new])
    result.not_answered = not_answered
    result.granted = counts[rules.GRANTED]
    result.refused = counts[rules.REFUSED]
    result.withdrawn = counts[rules.WITHDRAWN]
    result.takedowns = _consequences(db, changed, today, settings)
    return _Plan(result, rows, list(result.columns))


Changes = Mapping[
    tuple[int, int], tuple[pupil_store.Pupil, list[rules.Decision], list[rules.Decision]]
]


def _consequences(
    db: Database, changed: Changes, today: date, settings: rules.ConsentSettings
) -> list[takedown_store.PublicationTakedowns]:
    """The publications that enter Te verwijderen once these new decisions are recorded (per
    cell: the pupil, the decisions it holds, the new ones): only a cell allowed now and
    blocked after can put one there."""
    statuses = {}
    for cell_key, (pupil, decisions, new) in changed.items():
        if not rules.status_on(pupil.birth_date, decisions, today, settings).allowed:
            continue
        after = rules.status_on(pupil.birth_date, [*decisions, *new], today, settings)
        if not after.allowed:
            statuses[cell_key] = after
    return takedown_store.group_by_publication(takedown_store.takedowns_after(db, today, statuses))


def _plan_long(db: Database, path: Path, table: Table) -> _Plan:
    result = ConsentImportResult(
        file=path.name,
        shape=LONG,
        encoding=table.encoding,
        delimiter=table.delimiter,
        sheet=table.sheet,
    )
    problems: list[str] = []
    columns = map_columns(table, LONG_COLUMNS, problems)
    if problems:
        raise _failed(path, problems)
    result.columns = [
        Column(index, table.header[index], f"column:{key}", "name")
        for key, index in sorted(columns.items(), key=lambda item: item[1])
    ]
    header = {key: table.header[index] for key, index in columns.items()}
    header.setdefault("method", "wijze")
    pupils = _pupils_by_number(db)
    purposes: dict[str, purpose_store.Purpose | None] = {}
    today = clock.today()
    pending: list[tuple[pupil_store.Pupil, purpose_store.Purpose, str, str, str, date, str]] = []
    for row in table.rows:
        extra = extra_cells_problem(table, row)
        if extra:
            problems.append(extra)
        values = {spec.key: str(cell(row, columns.get(spec.key))) for spec in LONG_COLUMNS}
        row_problems: list[tuple[str, str]] = []

        def problem(key: str, message: str, into: list[tuple[str, str]] = row_problems) -> None:
            into.append((key, message))

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
        purpose = None
        if values["purpose"]:
            if values["purpose"] not in purposes:
                purposes[values["purpose"]] = purpose_store.find_purpose(db, values["purpose"])
            purpose = purposes[values["purpose"]]
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
            for key, message in rules.decision_problem(
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
    if problems:
        raise _failed(path, problems)

    existing = store.decision_keys(db, [pupil.id for pupil, *_ in pending])
    rows: list[store.ImportedDecision] = []
    new_by_cell: dict[tuple[int, int], tuple[pupil_store.Pupil, list[rules.Decision]]] = {}
    for pupil, purpose, decision, given_by, giver_name, received, method in pending:
        identity = (pupil.id, purpose.id, decision, given_by, giver_name, received.isoformat())
        if identity in existing:
            result.unchanged += 1
            continue
        existing.add(identity)
        rows.append((*identity, method))
        setattr(result, decision, getattr(result, decision) + 1)
        new = rules.Decision(
            pupil.number, purpose.code, decision, given_by, giver_name, received, method
        )
        new_by_cell.setdefault((pupil.id, purpose.id), (pupil, []))[1].append(new)
    result.takedowns = _long_consequences(db, new_by_cell, today)
    return _Plan(result, rows, result.columns)


def _long_consequences(
    db: Database,
    new_by_cell: Mapping[tuple[int, int], tuple[pupil_store.Pupil, list[rules.Decision]]],
    today: date,
) -> list[takedown_store.PublicationTakedowns]:
    settings = settings_store.consent_settings(db)
    changed = {}
    for (pupil_id, purpose_id), (pupil, new) in new_by_cell.items():
        if all(decision.decision == rules.GRANTED for decision in new):
            continue
        history = decision_store.cell_history(db, pupil_id, purpose_id, today)
        changed[(pupil_id, purpose_id)] = (pupil, history, new)
    return _consequences(db, changed, today, settings)


# --------------------------------------------------------------------------- the dialog's preview


def preview(
    db: Database,
    table: Table,
    columns: Sequence[Column],
    received: date | None = None,
    limit: int = 8,
) -> tuple[list[str], list[list[str]]]:
    """The first rows as the import will read them: headings and cells (the pupil by number
    and name, each purpose's answer as ja, nee or —, the date), a problem marked with ⚠."""
    if shape_of(table) == LONG:
        return ["Rij", *table.header], [
            [str(row.number), *(str(value) for value in row.cells)] for row in table.rows[:limit]
        ]
    purposes = {p.code: p for p in purpose_store.list_purposes(db, include_retired=True)}
    asked = [c for c in columns if c.purpose_code in purposes]
    number_at = next((c.index for c in columns if c.target == NUMBER), None)
    date_at = next((c.index for c in columns if c.target == CHANGED_ON), None)
    wanted = [str(cell(row, number_at)).strip() for row in table.rows[:limit]]
    known = (
        pupil_store.pupils_by_number(db, [n for n in wanted if n]) if number_at is not None else {}
    )
    headings = ["Rij", "Leerling", *(purposes[c.purpose_code or ""].label for c in asked)]
    headings.append("Datum")
    rows = []
    for row, number in zip(table.rows[:limit], wanted, strict=False):
        pupil = known.get(number)
        who = f"{number} {pupil.name}" if pupil else (f"⚠ {number}: onbekend" if number else "⚠ —")
        answers = []
        for column in asked:
            value = str(cell(row, column.index))
            try:
                answers.append(portal.answer_text(portal.read_answer(value)))
            except ValueError:
                answers.append(f"⚠ {value}")
        when = received or clock.today()
        shown = f"{when:%d-%m-%Y}"
        if date_at is not None and cell(row, date_at) != "":
            try:
                shown = f"{parse_date(cell(row, date_at)):%d-%m-%Y}"
            except ValueError:
                shown = f"⚠ {cell(row, date_at)}"
        rows.append([str(row.number), who, *answers, shown])
    return headings, rows
