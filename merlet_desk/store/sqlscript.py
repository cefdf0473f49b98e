"""Running a multi-statement SQL script inside an open transaction."""

from merlet_desk import sqlite_driver


def run_sql(conn: sqlite_driver.Connection, script: str) -> None:
    """Run a multi-statement SQL script inside the current transaction.

    `executescript` would commit first, which would break the one-transaction-per-migration rule.
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite_driver.complete_statement(statement):
            if statement.strip():
                conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement: {statement.strip()[:80]}")
