"""Schema 6: publication register (issue 6). Reserved: filled in by that issue's work."""

import sqlite3

NUMBER = 6
DESCRIPTION = "publication register (issue 6)"


def apply(conn: sqlite3.Connection) -> None:
    pass
