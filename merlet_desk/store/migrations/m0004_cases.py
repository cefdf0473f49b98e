"""Schema 4: case log (issue 4). Reserved: filled in by that issue's work."""

import sqlite3

NUMBER = 4
DESCRIPTION = "case log (issue 4)"


def apply(conn: sqlite3.Connection) -> None:
    pass
