"""Importing the files school administration systems export: pupils and consent decisions.

Pure Python (no Qt): the CLI and the GUI call the same functions. Every import is
all-or-nothing: the whole file is read and checked first, every problem is reported as
"rij N, kolom X: ..." (rows as the user sees them in the file, the header is row 1), and the
database is only touched when there is no problem at all, inside one transaction.
"""

from merlet_desk.imports.consents import ConsentImportResult, import_consents
from merlet_desk.imports.pupils import PupilImportResult, import_pupils
from merlet_desk.imports.tabular import Table, parse_date, read_table

__all__ = [
    "ConsentImportResult",
    "PupilImportResult",
    "Table",
    "import_consents",
    "import_pupils",
    "parse_date",
    "read_table",
]
