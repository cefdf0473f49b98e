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

Which register a file is (`register_identity`): the paper identity every printed form carries
(setting `paper_forms.database_id`, made with the file or by migration 12), the same in the file
and in every backup of it, so a backup of another register (another school's, an empty test
register in the same folder) is told apart from this register's own. A backup older than that
setting is recognised by what migration 12 would derive from it: its first policy version.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from merlet_desk import sqlite_driver
from merlet_desk.store.errors import NotADatabaseError
from merlet_desk.store.migrations import m0007_application_id, m0012_paper_identity

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


@dataclass(frozen=True)
class RegisterIdentity:
    """Which register a file holds. `paper_id`: the paper identity in its settings (None in a
    file older than migration 12 that never printed a form); `origin`: what migration 12
    derives from its first policy version, the same in every copy of the register (None when
    it has none to read)."""

    paper_id: str | None
    origin: str | None

    def same_register(self, other: RegisterIdentity) -> bool | None:
        """True or False when the two can be compared, None when they cannot (a file whose
        identity could not be read). Two paper identities decide; only a file without one is
        compared by its origin, which two registers made from the same policy text in the
        same second share (so it never overrules two paper identities that differ)."""
        if self.paper_id and other.paper_id:
            return self.paper_id == other.paper_id
        if self.origin and other.origin:
            return self.origin == other.origin
        return None

    @property
    def known(self) -> bool:
        return bool(self.paper_id or self.origin)

    def __str__(self) -> str:
        return self.paper_id or self.origin or "?"


UNKNOWN = RegisterIdentity(None, None)


def register_identity(conn: sqlite_driver.Connection) -> RegisterIdentity:
    """The identity of the register open on `conn` (only read). Parts that cannot be read (a
    file older than the table, a damaged page) are None."""
    paper_id: str | None = None
    try:
        row = conn.execute(
            "SELECT value FROM settings WHERE key = ?", [m0012_paper_identity.SETTING]
        ).fetchone()
        if row is not None and row[0]:
            value = json.loads(row[0])
            paper_id = str(value) if value else None
    except (sqlite_driver.Error, ValueError, TypeError):
        paper_id = None
    try:
        origin = m0012_paper_identity.derived_identity(conn)
    except sqlite_driver.Error:
        origin = None
    return RegisterIdentity(paper_id, origin)
