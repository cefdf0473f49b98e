"""Schema 3: pupils,purposes,decisions (issue 3). Reserved: filled in by that issue's work."""

import sqlite3

NUMBER = 3
DESCRIPTION = "pupils,purposes,decisions (issue 3)"


def apply(conn: sqlite3.Connection) -> None:
    pass
