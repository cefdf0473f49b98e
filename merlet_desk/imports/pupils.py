"""Importing a pupil export (CSV or .xlsx): add new pupils, update known ones by number.

Never deletes. Pupils at school, at the locations the file covers, who are missing from the
file are listed in `absent_numbers`; the GUI asks whether to mark them as left and then calls
`store.pupils.mark_pupils_left`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from pathlib import Path
from typing import Any

from merlet_desk import clock
from merlet_desk.domain.people import canonical_pupil_number, full_name
from merlet_desk.domain.text import fold
from merlet_desk.errors import InputError
from merlet_desk.imports.tabular import (
    ColumnSpec,
    Table,
    cell,
    extra_cells_problem,
    map_columns,
    parse_date,
    read_table,
)
from merlet_desk.store import pupils as store
from merlet_desk.store.audit import record_change
from merlet_desk.store.import_mappings import remember_mapping, remembered_mapping
from merlet_desk.store.sqlite_utils_import import Database

# The names Magister and SOMtoday (and a spreadsheet typed by hand) give each column, the
# preferred first: a file with both "roepnaam" and "voornamen" is read by its "roepnaam".
NUMBER_ALIASES = ("leerlingnummer", "stamnummer", "stamnr", "llnr", "leerlingnr", "llnnr")
COLUMNS = (
    ColumnSpec("number", "leerlingnummer", NUMBER_ALIASES),
    ColumnSpec("first_name", "roepnaam", ("roepnaam", "voornaam", "voornamen")),
    ColumnSpec(
        "prefix",
        "tussenvoegsel",
        ("tussenvoegsel", "tussenvoegsels", "tussenv", "voorvoegsel", "voorvoegsels"),
        False,
    ),
    ColumnSpec("last_name", "achternaam", ("achternaam", "geslachtsnaam")),
    ColumnSpec(
        "birth_date", "geboortedatum", ("geboortedatum", "gebdatum", "gebdat", "geboortedat")
    ),
    ColumnSpec("class_name", "klas", ("klas", "stamklas", "stamgroep", "klasnaam", "klasgroep")),
    ColumnSpec(
        "location", "locatie", ("locatie", "vestiging", "vestigingsnaam", "locatienaam"), False
    ),
)
# InputError code: the file has no location column and none was given (the GUI asks for one).
# Only raised when every other column was found: the columns are checked first.
MISSING_LOCATION = "missing_location"
# InputError code: a column the import needs was not found (the GUI offers to map them).
MISSING_COLUMNS = "missing_columns"
MAPPING_KIND = "pupils"
# The encoding read when a text file is neither UTF-8 nor UTF-16 (imports/tabular.py): it has
# no "ę", "ł" or "ş", so a name with one comes out of it without.
LOSSY_ENCODING = "Windows-1252"
NAME_KEYS = ("first_name", "prefix", "last_name")
# What an update changed, per column, as the summary says it.
CHANGE_LABELS = {
    "first_name": "roepnaam",
    "prefix": "tussenvoegsel",
    "last_name": "achternaam",
    "birth_date": "geboortedatum",
    "class_name": "klas",
    "location": "locatie",
    "left_on": "weer op school",
}


@dataclass
class PupilImportResult:
    """What an import did (or, with `dry_run`, would do)."""

    file: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    absent_numbers: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)  # the locations the file covers
    encoding: str | None = None
    delimiter: str | None = None
    dry_run: bool = False
    zeros_dropped: int = 0  # numbers read without their leading zeros (the stated rule)
    # How many updated pupils got a new value in each column (Dutch column name -> count).
    changed: dict[str, int] = field(default_factory=dict)
    # Names the file could not hold (a Windows-1252 file has no "ę", "ł", "ş"): the register's
    # spelling was kept, "Zofia Łęcka" and not the file's "Zofia Lecka".
    names_kept: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged

    def changed_text(self) -> str:
        """What the updates changed, per column: "klas 10, achternaam 1" (empty for none)."""
        return ", ".join(f"{column} {count}" for column, count in self.changed.items())

    def names_kept_text(self) -> str:
        """The warning for names the file could not hold (empty when there were none)."""
        if not self.names_kept:
            return ""
        shown = ", ".join(self.names_kept[:5]) + (" …" if len(self.names_kept) > 5 else "")
        many = len(self.names_kept) > 1
        how = self.encoding if self.encoding == LOSSY_ENCODING else "zonder accenten"
        return (
            f"Let op: in dit bestand ({how}) ontbreken letters als ę, ł en ş; "
            f"{len(self.names_kept)} {'namen zijn' if many else 'naam is'} daarom niet "
            f"overgenomen en {'blijven' if many else 'blijft'} zoals in het register "
            f"({shown}). Sla de export op als CSV (UTF-8) of .xlsx."
        )

    def summary(self) -> str:
        """One Dutch line for the status bar or the terminal."""
        what = self.changed_text()
        text = (
            f"{self.file}: {self.total} leerlingen gelezen; {self.added} toegevoegd, "
            f"{self.updated} bijgewerkt{f' ({what})' if what else ''}, "
            f"{self.unchanged} ongewijzigd"
        )
        if self.zeros_dropped:
            text += (
                f"; {self.zeros_dropped} leerlingnummers zonder voorloopnullen gelezen "
                "(00123 is leerling 123)"
            )
        if self.dry_run:
            text += " (proef: er is niets opgeslagen)"
        if self.absent_numbers:
            text += (
                f". {len(self.absent_numbers)} leerlingen van "
                f"{', '.join(self.locations)} staan niet in het bestand"
            )
        text += "."
        if self.names_kept:
            text += " " + self.names_kept_text()
        return text


def read_pupil_table(path: str | Path, sheet: str | None = None) -> Table:
    """The file as a table (what the mapping step shows)."""
    return read_table(path, sheet=sheet)


def _read_rows(
    table: Table, location: str | None, mapping: Mapping[str, str] | None
) -> tuple[list[dict[str, Any]], PupilImportResult]:
    """Parse and check every row; InputError with every problem, or the clean records."""
    path = table.path
    result = PupilImportResult(file=path.name, encoding=table.encoding, delimiter=table.delimiter)
    problems: list[str] = []
    default_location = None
    if location is not None:
        default_location = store.normalise_location(location)
        if default_location is None:
            raise InputError(
                f"Onbekende locatie '{location}' (bekend: {', '.join(store.known_locations())})."
            )
    missing: list[str] = []
    columns = map_columns(table, COLUMNS, problems, explicit=mapping, missing=missing)
    codes: set[str] = {MISSING_COLUMNS} if missing else set()
    if problems:
        raise InputError(
            f"{path.name} is niet geïmporteerd; er is niets veranderd.", problems, codes=codes
        )
    if "location" not in columns and default_location is None:
        raise InputError(
            f"{path.name} is niet geïmporteerd; er is niets veranderd.",
            [
                f"rij {table.header_row}, kolom locatie: kolom ontbreekt (verwacht een kolom "
                "locatie of vestiging, of geef --location)"
            ],
            codes={MISSING_LOCATION},
        )
    header = {key: table.header[index] for key, index in columns.items()}
    header.setdefault("location", "locatie")
    records: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    today = clock.today()
    # The cells of COLUMNS, in that order, from a row padded to the header's width plus one
    # empty cell, where a missing optional column points.
    width = len(table.header)
    picked = [columns.get(spec.key, width) for spec in COLUMNS]
    pick = itemgetter(*picked)
    blank_needed = width in picked  # an optional column the file lacks reads an empty cell
    text_file = table.encoding is not None  # every cell of a text file is a str
    for row in table.rows:
        if len(row.cells) > width:
            extra = extra_cells_problem(table, row)
            if extra:
                problems.append(extra)
        cells = row.cells
        if blank_needed or len(cells) < width:  # cut extra cells, pad short rows
            cells = cells[:width] + [""] * (width + 1 - min(len(cells), width))
        raw_number, first_name, prefix, last_name, birth_cell, class_name, loc_text = pick(cells)
        if not text_file:
            # A workbook can hold a date or number where text belongs: read it as text.
            raw_number, first_name, prefix, last_name, class_name, loc_text = (
                str(value)
                for value in (raw_number, first_name, prefix, last_name, class_name, loc_text)
            )
        number = canonical_pupil_number(raw_number) or raw_number
        if number != raw_number:
            result.zeros_dropped += 1
        birth: date | None = None
        try:
            birth = parse_date(birth_cell)
        except ValueError as exc:
            problems.append(f"rij {row.number}, kolom {header['birth_date']}: {exc}")
        loc_text = loc_text or (default_location or "")
        for key, message in store.pupil_problems(
            number,
            first_name,
            last_name,
            birth,
            class_name,
            loc_text,
            today,
            prefix=prefix,
        ):
            problems.append(f"rij {row.number}, kolom {header[key]}: {message}")
        if number:
            if number in seen:
                problems.append(
                    f"rij {row.number}, kolom {header['number']}: leerlingnummer {number} staat "
                    f"ook in rij {seen[number]}"
                )
            else:
                seen[number] = row.number
        if birth is not None:
            records.append(
                {
                    "number": number,
                    "first_name": first_name,
                    "prefix": prefix,
                    "last_name": last_name,
                    "birth_date": birth.isoformat(),
                    "class_name": class_name,
                    "location": store.normalise_location(loc_text),
                    "left_on": None,
                }
            )
    if not table.rows:
        problems.append(f"rij {table.header_row + 1}: het bestand bevat geen leerlingen")
    if problems:
        raise InputError(f"{path.name} is niet geïmporteerd; er is niets veranderd.", problems)
    result.locations = sorted({record["location"] for record in records})
    return records, result


def import_pupils(
    db: Database,
    path: str | Path,
    location: str | None = None,
    *,
    dry_run: bool = False,
    mapping: Mapping[str, str] | None = None,
    sheet: str | None = None,
    table: Table | None = None,
    mapping_name: str | None = None,
) -> PupilImportResult:
    """Import a pupil export: all or nothing (InputError listing every problem).

    `location` is used for rows without a location (and required when the file has no
    location column). With `dry_run` the file is checked and counted but nothing is written.
    `mapping` says which header is which column (header -> key of `COLUMNS`, or "" to leave
    it out); without it the mapping remembered for this file's headers is used, if any.
    `table`: the file already read (the mapping step read it once). A `mapping` given is
    remembered for these headers (as `mapping_name`) when the import succeeds.
    """
    path = Path(path)
    table = table if table is not None else read_table(path, sheet=sheet)
    chosen = mapping  # remembered for next time when the import succeeds
    if mapping is None:
        remembered = remembered_mapping(db, MAPPING_KIND, table.header)
        mapping = remembered.mapping if remembered else None
    records, result = _read_rows(table, location, mapping)
    result.dry_run = dry_run
    existing = {
        canonical_pupil_number(pupil.number) or pupil.number: pupil
        for pupil in store.list_pupils(db, include_left=True)
    }
    inserts, updates = [], []
    # A file that cannot hold "ę": Windows-1252, or a text file without a single accent in
    # any name (an export that dropped them is plain ASCII, and reads as UTF-8).
    narrow_file = table.encoding == LOSSY_ENCODING or (
        table.encoding is not None
        and all(str(record[key]).isascii() for record in records for key in NAME_KEYS)
    )
    for record in records:
        old = existing.get(record["number"])
        if old is not None:
            record["number"] = old.number  # stored before the rule, with its leading zeros
        if old is None:
            inserts.append(record)
            continue
        before = old.as_dict()
        if narrow_file and _keep_names(before, record):
            result.names_kept.append(old.name)
        if before != record:
            updates.append((old, record))
            for key, label in CHANGE_LABELS.items():
                if before[key] != record[key]:
                    result.changed[label] = result.changed.get(label, 0) + 1
        else:
            result.unchanged += 1
    result.added, result.updated = len(inserts), len(updates)
    in_file = {record["number"] for record in records}
    result.absent_numbers = sorted(
        pupil.number
        for pupil in existing.values()
        if pupil.number not in in_file
        and pupil.left_on is None
        and pupil.location in result.locations
    )
    if dry_run:
        return result
    with db.atomic():
        if chosen:
            remember_mapping(db, MAPPING_KIND, table.header, chosen, mapping_name or path.stem)
        store.write_pupils(db, inserts, updates)
        record_change(
            db,
            "import",
            "pupil_file",
            path.name,
            None,
            {"added": result.added, "updated": result.updated, "unchanged": result.unchanged},
        )
    return result


def _keep_names(stored: Mapping[str, Any], record: dict[str, Any]) -> bool:
    """Put the stored name parts back into `record` where the file's text is the stored text
    with the letters Windows-1252 lacks lost ("Lecka" or "L?cka" for "Łęcka"); True when one
    was. A name that really changed (another spelling, a new surname) is taken."""
    kept = False
    for key in NAME_KEYS:
        old, new = str(stored[key]), str(record[key])
        if old == new or _fits_cp1252(old):
            continue
        if fold(new) == fold(old) or _lost_letters(old, new):
            record[key] = old
            kept = True
    return kept


def _fits_cp1252(text: str) -> bool:
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _lost_letters(old: str, new: str) -> bool:
    """`new` is `old` with each letter Windows-1252 lacks replaced by "?" (as Excel saves it)."""
    return len(old) == len(new) and all(
        a == b or (b == "?" and not _fits_cp1252(a)) for a, b in zip(old, new, strict=True)
    )


def column_keys(db: Database, table: Table) -> dict[str, str]:
    """What each header is read as (header -> key of `COLUMNS`, "" for none): the mapping
    remembered for these headers, else the names."""
    remembered = remembered_mapping(db, MAPPING_KIND, table.header)
    found = map_columns(table, COLUMNS, [], explicit=remembered.mapping if remembered else None)
    by_index = {index: key for key, index in found.items()}
    return {header: by_index.get(index, "") for index, header in enumerate(table.header)}


def preview(
    table: Table, mapping: Mapping[str, str], location: str | None, limit: int = 8
) -> tuple[list[str], list[list[str]]]:
    """The first rows as the import will read them, a problem marked with ⚠."""
    found = map_columns(table, COLUMNS, [], explicit=mapping)
    headings = ["Rij", "Leerlingnummer", "Naam", "Geboortedatum", "Klas", "Locatie"]
    rows = []
    for row in table.rows[:limit]:
        values = {key: str(cell(row, index)) for key, index in found.items()}
        name = full_name(
            values.get("first_name", ""), values.get("prefix", ""), values.get("last_name", "")
        )
        try:
            birth = f"{parse_date(cell(row, found['birth_date'])):%d-%m-%Y}"
        except (KeyError, ValueError):
            birth = f"⚠ {values.get('birth_date', '—')}"
        place = values.get("location") or location or ""
        shown_place = store.normalise_location(place) if place else None
        rows.append(
            [
                str(row.number),
                values.get("number") or "⚠ —",
                name or "⚠ —",
                birth,
                values.get("class_name") or "⚠ —",
                shown_place or f"⚠ {place or '—'}",
            ]
        )
    return headings, rows
