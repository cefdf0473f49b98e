"""Running a multi-statement SQL script inside an open transaction, on either engine."""

from typing import Any

from merlet_desk import sqlite_driver


def split_statements(script: str) -> list[str]:
    """The statements of a SQLite script, each complete (SQLite's own test of completeness)."""
    statements = []
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite_driver.complete_statement(statement):
            if statement.strip():
                statements.append(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement: {statement.strip()[:80]}")
    return statements


def run_sql(conn: Any, script: str, *, server: str = "") -> None:
    """Run a multi-statement SQL script inside the current transaction.

    `executescript` would commit first, which would break the one-transaction-per-migration rule.
    On a PostgreSQL server the script's DDL is translated and its triggers are replaced by
    `server`, their PostgreSQL text (`store.engine.ddl`).
    """
    statements = split_statements(script)
    if getattr(conn, "engine", "sqlite") == "postgresql":
        from merlet_desk.store.engine.ddl import run_on_server

        run_on_server(conn, statements, server)
        return
    for statement in statements:
        conn.execute(statement)
