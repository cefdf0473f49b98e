"""Reading a table from a CSV/TSV text file or an Excel workbook, the way exports come.

Text files: the encoding is detected (UTF-8 with or without BOM, UTF-16 with BOM, otherwise
Windows-1252, which is what Excel on Windows writes), and the delimiter (`;`, `,` or tab) from
the header line. Workbooks (.xlsx): the first sheet. Row numbers are those the user sees: the
line in the text file or the row in Excel, so the header is row 1 (empty rows before it shift
everything, as they do on screen).
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from merlet_desk.domain.text import name_key
from merlet_desk.errors import InputError
from merlet_desk.logs import describe_error

Cell = str | date

log = logging.getLogger(__name__)
DELIMITERS = (";", "\t", ",")
# An export of a school board's pupils (20,000 rows) is a few MB; far larger is not an export.
MAX_FILE_BYTES = 50_000_000
MAX_UNPACKED_BYTES = 50_000_000  # a workbook, unpacked (xml of every sheet, strings, styles)
MAX_WORKBOOK_ENTRIES = 10_000
DELIMITER_NAMES = {";": "puntkomma", "\t": "tab", ",": "komma"}
# InputError code: a workbook with data on several sheets and none named (the GUI asks which).
SEVERAL_SHEETS = "several_sheets"


@dataclass
class Row:
    number: int  # as the user sees it in the file
    cells: list[Cell]


@dataclass
class Table:
    """A header and its rows (empty rows left out)."""

    path: Path
    header: list[str]
    header_row: int
    rows: list[Row] = field(default_factory=list)
    encoding: str | None = None  # None for a workbook
    delimiter: str | None = None
    sheet: str | None = None  # the sheet read, for a workbook
    sheets: tuple[str, ...] = ()  # a workbook's sheets that hold data


def normalise_header(text: str) -> str:
    """ "Naam gever", "naam_gever" and "NAAM-GEVER" all become "naamgever"; "Geb.datum" is
    "gebdatum" and accents do not count (the one fold, `name_key`)."""
    return name_key(text)


def _clean(value: object) -> Cell:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name) for the bytes of a text export."""
    # A byte-order mark promises an encoding; bytes that break that promise are bad input.
    try:
        if data.startswith(codecs.BOM_UTF8):
            return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "UTF-8 (BOM)"
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16"), "UTF-16"
    except UnicodeDecodeError as exc:
        raise InputError(
            f"Het bestand begint met een {'UTF-8' if data.startswith(codecs.BOM_UTF8) else 'UTF-16'}"
            f"-markering maar bevat ongeldige tekens (byte {exc.start}); sla het opnieuw op als "
            "CSV (UTF-8) of als Excel-werkmap (.xlsx)."
        ) from exc
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        raise InputError(
            "Het bestand is geen tekstbestand in UTF-8 of Windows-1252; sla het op als CSV "
            "(UTF-8) of als Excel-werkmap (.xlsx)."
        ) from exc


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            count += 1
    return count


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the first non-empty line most (`;` first on a tie)."""
    for line in text.splitlines():
        if line.strip():
            counts = {d: _count_outside_quotes(line, d) for d in DELIMITERS}
            best = max(DELIMITERS, key=lambda d: counts[d])
            return best if counts[best] else ";"
    return ";"


def _rows_to_table(path: Path, numbered: Iterable[tuple[int, list[Cell]]]) -> Table:
    header: list[str] | None = None
    header_row = 1
    rows: list[Row] = []
    for number, cells in numbered:
        if not any(cells):  # every cell empty ("" is the only false Cell)
            continue
        if header is None:
            header, header_row = [str(cell) for cell in cells], number
            continue
        rows.append(Row(number, cells))
    if header is None:
        raise InputError(f"{path.name} is leeg: er staat geen kopregel in.")
    while header and header[-1] == "":
        header.pop()
    return Table(path=path, header=header, header_row=header_row, rows=rows)


def _read_text(path: Path, data: bytes) -> Table:
    text, encoding = decode(data)
    delimiter = detect_delimiter(text)
    # NFC once for the whole text rather than per cell (what `_clean` does for a workbook):
    # the same result, since no delimiter, quote or line break composes with what follows it.
    text = unicodedata.normalize("NFC", text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    numbered: list[tuple[int, list[Cell]]] = []
    try:
        for cells in reader:
            # line_num is the line the record ended on: the row number the user sees
            numbered.append((reader.line_num, [" ".join(cell.split()) for cell in cells]))
    except csv.Error as exc:
        row = reader.line_num  # the line it was reading: the row the user sees
        what = (
            f"een cel is langer dan {csv.field_size_limit():,} tekens".replace(",", ".")
            if "field larger" in str(exc)
            else f"de regel is geen geldige CSV ({exc})"
        )
        raise InputError(
            f"{path.name} is niet geïmporteerd; er is niets veranderd.",
            [f"rij {row}: {what}; dit is geen leerlingen- of toestemmingenexport"],
        ) from exc
    table = _rows_to_table(path, numbered)
    table.encoding, table.delimiter = encoding, delimiter
    return table


def check_workbook_size(path: Path, limit: int = MAX_UNPACKED_BYTES) -> None:
    """Refuse a workbook that would unpack to more than `limit` bytes (a "zip bomb": 400 KB
    that unpacks to 400 MB), from the sizes in the zip's central directory, before openpyxl
    reads anything. zipfile never unpacks more than an entry's stated size, so the stated
    sizes are a true bound."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(f"{path.name} kan niet gelezen worden als Excel-werkmap: {exc}") from exc
    total = sum(entry.file_size for entry in entries)
    if total > limit or len(entries) > MAX_WORKBOOK_ENTRIES:
        raise InputError(
            f"{path.name} is niet geïmporteerd: uitgepakt zou de werkmap {_megabytes(total)} "
            f"zijn ({len(entries)} onderdelen), meer dan de grens van {_megabytes(limit)} voor "
            "een export van leerlingen of toestemmingen. Er is niets veranderd."
        )


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.0f} MB".replace(",", ".")


def _has_data(sheet: object) -> bool:
    """True when a sheet holds at least one cell with a value (the empty Blad2 and Blad3 an
    older Excel adds to every workbook do not count)."""
    for values in sheet.iter_rows(values_only=True):  # type: ignore[attr-defined]
        if any(value not in (None, "") for value in values):
            return True
    return False


def _choose_sheet(path: Path, workbook: object, wanted: str | None) -> object:
    sheets = list(workbook.worksheets)  # type: ignore[attr-defined]
    names = [sheet.title for sheet in sheets]
    if wanted is not None:
        for sheet in sheets:
            if sheet.title == wanted or name_key(sheet.title) == name_key(wanted):
                return sheet
        raise InputError(
            f"{path.name} heeft geen blad '{wanted}' (wel: {', '.join(names)}). "
            "Er is niets veranderd."
        )
    filled = [sheet for sheet in sheets if _has_data(sheet)]
    if len(filled) > 1:
        raise InputError(
            f"{path.name} heeft gegevens op {len(filled)} bladen "
            f"({', '.join(sheet.title for sheet in filled)}); kies het blad met de export "
            "(--sheet NAAM). Er is niets veranderd.",
            codes=[SEVERAL_SHEETS],
        )
    return filled[0] if filled else sheets[0]


def _open_workbook(path: Path):  # openpyxl's Workbook, imported when used
    from openpyxl import load_workbook

    check_workbook_size(path)
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        log.warning("Excel-werkmap niet gelezen: %s", describe_error(exc))
        raise InputError(f"{path.name} kan niet gelezen worden als Excel-werkmap: {exc}") from exc


def workbook_sheets(path: str | Path) -> list[str]:
    """The sheets of a workbook that hold data (for asking which one to read)."""
    workbook = _open_workbook(Path(path))
    try:
        return [sheet.title for sheet in workbook.worksheets if _has_data(sheet)]
    finally:
        workbook.close()


def _read_workbook(path: Path, wanted: str | None = None) -> Table:
    workbook = _open_workbook(path)
    try:
        sheet = _choose_sheet(path, workbook, wanted)
        numbered = [
            (index, [_clean(value) for value in values])
            for index, values in enumerate(
                sheet.iter_rows(min_row=1, values_only=True),  # type: ignore[attr-defined]
                start=1,
            )
        ]
    finally:
        workbook.close()
    table = _rows_to_table(path, numbered)
    table.sheet = sheet.title  # type: ignore[attr-defined]
    return table


def read_table(path: str | Path, sheet: str | None = None) -> Table:
    """Read a CSV/TSV/TXT file or an .xlsx workbook into a `Table`. A workbook is read from
    its one sheet with data, or from `sheet`; data on several sheets and none named is an
    InputError with the code `SEVERAL_SHEETS`."""
    from merlet_desk.sqlite_files import refuse_database_input

    path = Path(path)
    refuse_database_input(path)  # the register named as the export: never read, never unlocked
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(
                f"{path.name} is niet geïmporteerd: het bestand is {_megabytes(size)}, meer "
                f"dan de grens van {_megabytes(MAX_FILE_BYTES)} voor een export. "
                "Er is niets veranderd."
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path} kan niet gelezen worden: {exc.strerror or exc}.") from exc
    if path.suffix.lower() == ".xls" and not data.startswith(b"PK"):
        raise InputError(
            f"{path.name} is een oud Excel-bestand (.xls); sla het op als .xlsx of als CSV."
        )
    if data.startswith(b"PK\x03\x04"):
        return _read_workbook(path, sheet)
    return _read_text(path, data)


_DMY = re.compile(r"(\d{1,2})([-/])(\d{1,2})\2(\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME = re.compile(r"\s+\d{1,2}:\d{2}(:\d{2})?$")


def parse_date(value: Cell) -> date:
    """A date from dd-mm-jjjj, d-m-jjjj, dd/mm/jjjj or jjjj-mm-dd (or an Excel date cell).

    Raises ValueError with a Dutch message: "onmogelijke datum '31-02-2012'" or
    "onbekende datumnotatie ...".
    """
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = _DMY.fullmatch(text)  # the usual cell first: no time part to strip
    if not match:
        text = _TIME.sub("", text)
        if not text:
            raise ValueError("datum ontbreekt")
        match = _DMY.fullmatch(text)
    if match:
        day, month, year = int(match[1]), int(match[3]), int(match[4])
    else:
        match = _YMD.fullmatch(text)
        if not match:
            raise ValueError(
                f"onbekende datumnotatie '{value}' (gebruik dd-mm-jjjj, d-m-jjjj, dd/mm/jjjj "
                "of jjjj-mm-dd)"
            )
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"onmogelijke datum '{value}'") from None


@dataclass
class ColumnSpec:
    key: str
    name: str  # the Dutch name used in messages when the column is missing
    aliases: tuple[str, ...]
    required: bool = True


def map_columns(
    table: Table,
    specs: Iterable[ColumnSpec],
    problems: list[str],
    explicit: Mapping[str, str] | None = None,
    missing: list[str] | None = None,
) -> dict[str, int]:
    """key -> column index; missing required and doubled columns are added to `problems`
    (and the keys of the missing ones to `missing`).

    A spec's aliases are tried in their order: the first that names a column wins ("roepnaam"
    before "voornaam"), and only the same name twice is a doubled column. `explicit` maps a
    header (as the file writes it) to a key, or to "" to leave the column out; it wins over
    the aliases.
    """
    specs = list(specs)
    names = {spec.key: spec.name for spec in specs}
    normalised = [normalise_header(h) for h in table.header]
    found: dict[str, int] = {}
    taken: set[int] = set()
    by_header = {normalise_header(header): key for header, key in (explicit or {}).items()}
    for index, name in enumerate(normalised):
        if name in by_header:
            taken.add(index)
            key = by_header[name]
            if key and key in found:
                problems.append(
                    f"rij {table.header_row}, kolom {table.header[index]}: de kolommen "
                    f"{table.header[found[key]]} en {table.header[index]} zijn allebei als "
                    f"{names.get(key, key)} gekozen"
                )
            elif key:
                found[key] = index
    for spec in specs:
        if spec.key in found:
            continue
        for alias in spec.aliases:
            wanted = normalise_header(alias)
            matches = [i for i, name in enumerate(normalised) if name == wanted and i not in taken]
            if not matches:
                continue
            if len(matches) > 1:
                doubled = ", ".join(table.header[i] for i in matches)
                problems.append(
                    f"rij {table.header_row}, kolom {spec.name}: staat meer dan eens in de "
                    f"kopregel ({doubled})"
                )
            found[spec.key] = matches[0]
            taken.update(matches)
            break
        else:
            if spec.required:
                if missing is not None:
                    missing.append(spec.key)
                problems.append(
                    f"rij {table.header_row}, kolom {spec.name}: kolom ontbreekt (verwacht een "
                    f"kolom {' of '.join(spec.aliases[:3])})"
                )
    return found


def cell(row: Row, index: int | None) -> Cell:
    if index is None or index >= len(row.cells):
        return ""
    return row.cells[index]


def extra_cells_problem(table: Table, row: Row) -> str | None:
    """A row with filled cells beyond the header is usually a name with an unquoted delimiter."""
    extra = [c for c in row.cells[len(table.header) :] if c != ""]
    if extra:
        return (
            f"rij {row.number}: meer waarden ({len(row.cells)}) dan kolommen in de kopregel "
            f"({len(table.header)}); staat er een scheidingsteken in een naam?"
        )
    return None
