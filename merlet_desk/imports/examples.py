"""Example files for the imports ("Voorbeeldbestand opslaan"): what a file must look like, as
a CSV a spreadsheet program opens (UTF-8 with a byte-order mark, so Excel shows "Öztürk"
right; `;` as Dutch Excel writes it). Fictional pupils; the consent examples use this
register's own purposes.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from merlet_desk import clock
from merlet_desk.store import purposes as store
from merlet_desk.store.sqlite_utils_import import Database

PUPILS = "pupils"
CONSENTS = "consents"  # the parent portal's shape: one row per pupil, one column per purpose
CONSENTS_LONG = "consents_long"  # Merlet Desk's own shape: one row per decision
KINDS = (PUPILS, CONSENTS, CONSENTS_LONG)
FILE_NAMES = {
    PUPILS: "voorbeeld-leerlingen.csv",
    CONSENTS: "voorbeeld-toestemmingen-ouderportaal.csv",
    CONSENTS_LONG: "voorbeeld-toestemmingen-per-besluit.csv",
}

# Ages, not birth dates: the examples must import in any year, and Meryem must stay old enough
# to give consent herself (the long example has her do so) while the others stay under 16.
_PUPILS = [
    ("100234", "Joëlle", "van den", "Broek", (13, 3, 14), "1A", "Cuijk"),
    ("100235", "Berkay", "", "Öztürk", (14, 11, 2), "1A", "Cuijk"),
    ("100236", "Zofia", "", "Łęcka", (14, 2, 29), "2B", "Grave"),
    ("100237", "Meryem", "", "Boujdaini", (17, 6, 30), "4H", "Mill"),
]


def _birth_date(age: int, month: int, day: int) -> str:
    """The birthday (month, day) that makes a pupil `age` today, as the file writes it
    (29 February becomes 28 February in a year without it)."""
    today = clock.today()
    year = today.year - age - (1 if (month, day) > (today.month, today.day) else 0)
    try:
        born = date(year, month, day)
    except ValueError:
        born = date(year, month, 28)
    return f"{born:%d-%m-%Y}"


def example_rows(db: Database, kind: str) -> list[list[str]]:
    """The example's header and rows."""
    if kind == PUPILS:
        header = ["Leerlingnummer", "Roepnaam", "Voorvoegsel", "Achternaam", "Geboortedatum"]
        return [
            [*header, "Stamgroep", "Vestiging"],
            *(
                [number, first, prefix, last, _birth_date(*born), group, location]
                for number, first, prefix, last, born, group, location in _PUPILS
            ),
        ]
    day = f"{clock.today():%d-%m-%Y}"
    purposes = store.list_purposes(db)
    if kind == CONSENTS:
        answers = ["Ja", "Nee", "", "Ja", "Ja", "Nee", "Ja"]
        rows: list[list[str]] = [
            ["Leerlingnummer", "Roepnaam", "Achternaam", *(p.label for p in purposes)]
            + ["Laatst gewijzigd"]
        ]
        for offset, (number, first, prefix, last, *_rest) in enumerate(_PUPILS):
            cells = [answers[(i + offset) % len(answers)] for i in range(len(purposes))]
            rows.append([number, first, f"{prefix} {last}".strip(), *cells, day])
        return rows
    if kind == CONSENTS_LONG:
        header = ["leerlingnummer", "doel", "besluit", "gegeven_door", "naam_gever", "datum"]
        code = purposes[0].code if purposes else "website"
        return [
            [*header, "wijze"],
            ["100234", code, "ja", "ouder", "A. van den Broek", day, "papier"],
            ["100235", code, "nee", "ouder", "E. Öztürk", day, "e-mail"],
            ["100237", code, "ja", "leerling", "", day, "portaal"],
        ]
    raise ValueError(f"unknown example {kind!r}")


def write_example(
    db: Database,
    kind: str,
    path: str | Path,
    *,
    db_path: str | os.PathLike[str] | None = None,
) -> Path:
    """Write the example file of `kind` to `path`, whole or not at all and never onto the
    register `db_path` or its files (`csv_export.write_csv`)."""
    from merlet_desk.csv_export import write_csv

    header, *rows = example_rows(db, kind)
    write_csv(path, header, rows, db_path=db_path)
    return Path(path)
