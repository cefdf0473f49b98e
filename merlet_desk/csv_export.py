"""Writing a CSV file for Excel and LibreOffice: the one CSV writer of the program.

Every cell is made spreadsheet-safe by OWASP's CSV-injection rule: a cell that begins with
`=`, `+`, `-`, `@`, a tab or a carriage return gets a leading single quote, so Excel and
LibreOffice show it as text instead of running it as a formula (`=HYPERLINK(...)` in a pupil
number, `@SUM(...)` as an OS user name). The file is UTF-8 with a BOM and `;` between cells (what
Dutch Excel opens directly), readable by its owner only, written to a temporary file and renamed
when complete, and never onto the register's data (`store.outputs.refuse_unsafe_output`).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Sequence

from merlet_desk.output_file import atomic_output

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    """The cell as text that a spreadsheet will not evaluate: "=1+1" becomes "'=1+1"."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(
    path: str | os.PathLike[str],
    header: Sequence[object],
    rows: Iterable[Sequence[object]],
    *,
    db_path: str | os.PathLike[str] | None = None,
) -> None:
    """Write `header` and `rows` to `path`, every cell through `spreadsheet_safe`.

    `db_path` is the open database, which the file may not overwrite. Raises `OutputError`
    (nothing left behind) when the file cannot be written.
    """
    with atomic_output(path, db_path=db_path) as temporary:
        with temporary.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow([spreadsheet_safe(cell) for cell in header])
            for row in rows:
                writer.writerow([spreadsheet_safe(cell) for cell in row])
