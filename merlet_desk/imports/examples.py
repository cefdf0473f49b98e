"""Example files for the imports ("Voorbeeldbestand opslaan"): what a file must look like, as
a CSV a spreadsheet program opens (UTF-8 with a byte-order mark, so Excel shows "Öztürk"
right; `;` as Dutch Excel writes it). Fictional pupils; the consent examples use this
register's own purposes.
"""

from __future__ import annotations

import os
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

_PUPILS = [
    ("100234", "Joëlle", "van den", "Broek", "14-03-2013", "1A", "Cuijk"),
    ("100235", "Berkay", "", "Öztürk", "02-11-2012", "1A", "Cuijk"),
    ("100236", "Zofia", "", "Łęcka", "29-02-2012", "2B", "Grave"),
    ("100237", "Meryem", "", "Boujdaini", "30-06-2009", "4H", "Mill"),
]


def example_rows(db: Database, kind: str) -> list[list[str]]:
    """The example's header and rows."""
    if kind == PUPILS:
        header = ["Leerlingnummer", "Roepnaam", "Voorvoegsel", "Achternaam", "Geboortedatum"]
        return [[*header, "Stamgroep", "Vestiging"], *([*pupil] for pupil in _PUPILS)]
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
