"""Schema 5: backups,locks,retention (issue 7). Reserved: filled in by that issue's work."""

import sqlite3

NUMBER = 5
DESCRIPTION = "backups,locks,retention (issue 7)"


def apply(conn: sqlite3.Connection) -> None:
    pass
