"""Running a multi-statement SQL script inside an open transaction."""

import sqlite3


def run_sql(conn: sqlite3.Connection, script: str) -> None:
    """Run a multi-statement SQL script inside the current transaction.

    `executescript` would commit first, which would break the one-transaction-per-migration rule.
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            if statement.strip():
                conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement: {statement.strip()[:80]}")
