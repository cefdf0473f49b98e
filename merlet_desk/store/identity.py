"""Is this SQLite file a Merlet Desk database? Checked before anything touches a file.

A Merlet Desk database carries `PRAGMA application_id = APPLICATION_ID` (the bytes "MRLD" in
its header, set with the first migration of a new file and by migration 7 for older files).
A file without the mark is ours only when it is

- brand new: schema version 0 and no tables at all (an empty file that `init` may fill), or
- a genuine file of an older version (schema below `migrations.MARKED_SINCE`, made before
  the mark existed): its tables,
  columns, indexes and triggers are exactly those the migrations up to its version made.
  The expected schema is rebuilt by running those migrations on an in-memory database.

Anything else, whatever its `user_version`, belongs to another program and is refused untouched.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from merlet_desk import sqlite_driver
from merlet_desk.store.errors import NotADatabaseError
from merlet_desk.store.migrations import m0007_application_id

# b"MRLD"; written by the migration that introduced the mark, so the migrations need not
# import this module.
APPLICATION_ID = m0007_application_id.APPLICATION_ID

Schema = frozenset[tuple[str, str, str, tuple[str, ...]]]


class ForeignDatabaseError(NotADatabaseError):
    """A SQLite file of another program (no Merlet Desk mark, not a genuine older file)."""


def foreign_message(path: Path | str) -> str:
    return (
        f"{path} is geen Merlet Desk-database (een SQLite-bestand van een ander programma). "
        "Er is niets in geschreven."
    )


def application_id(conn: sqlite_driver.Connection) -> int:
    return int(conn.execute("PRAGMA application_id").fetchone()[0])


def schema_of(conn: sqlite_driver.Connection) -> Schema:
    """Every table (with its columns), index, trigger and view; SQLite's own objects left out."""
    objects = set()
    rows = conn.execute(
        "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
    ).fetchall()
    for kind, name, table in rows:
        columns: tuple[str, ...] = ()
        if kind == "table":
            columns = tuple(
                row[1] for row in conn.execute(f'PRAGMA table_info("{name.replace(chr(34), "")}")')
            )
        objects.add((kind, name, table, columns))
    return frozenset(objects)


@cache
def expected_schema(version: int) -> Schema:
    """The schema migrations 1..`version` make, built in memory."""
    from merlet_desk.store import migrations

    conn = sqlite_driver.connect(":memory:", isolation_level=None)
    try:
        for module in migrations.MIGRATIONS[:version]:
            conn.execute("BEGIN")
            module.apply(conn)
            conn.execute("COMMIT")
        return schema_of(conn)
    finally:
        conn.close()


def is_ours(conn: sqlite_driver.Connection) -> bool:
    """Whether the open file is (or may become) a Merlet Desk database. Reads only."""
    from merlet_desk.store.migrations import MARKED_SINCE

    if application_id(conn) == APPLICATION_ID:
        return True
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version == 0:
        tables: int = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        return tables == 0
    if not 0 < version < MARKED_SINCE:
        return False
    return schema_of(conn) == expected_schema(version)


def check_ours(conn: sqlite_driver.Connection, path: Path | str) -> None:
    """Raise `ForeignDatabaseError` for a file that is not a Merlet Desk database."""
    if not is_ours(conn):
        raise ForeignDatabaseError(foreign_message(path))
