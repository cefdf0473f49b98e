"""`verify`: is a database file whole, are its references sound, which schema does it have.

It opens the file read-only (SQLite `mode=ro`, through `connection.open_raw`) and never writes
to it, so it can be run on a damaged file, a backup, or a file another program has open. The
checks themselves are in `integrity.py`, which `connection` imports; this module imports
`connection`, so it stands apart.
"""

from __future__ import annotations

import os
from pathlib import Path

from merlet_desk import sqlite_driver
from merlet_desk.sqlite_files import is_not_a_database, sqlite_error
from merlet_desk.store import migrations
from merlet_desk.store.connection import open_raw
from merlet_desk.store.identity import is_ours
from merlet_desk.store.integrity import (
    MAX_REPORTED,
    VerifyResult,
    missing_from_schema,
    raise_unless_damage,
)


def verify(path: str | os.PathLike[str]) -> VerifyResult:
    """Integrity check, foreign-key check and schema version of the file at `path`.

    Opened read-only; never writes. Whether it is a SQLite file at all is asked of SQLite
    (`merlet_desk.sqlite_files`), never read from its bytes: another connection of this process may hold
    it. Raises `DatabaseUnavailableError` when the path does not exist or cannot be read (bad
    input, not a damaged database).
    """
    path = Path(path).expanduser()
    result = VerifyResult(path)
    conn = open_raw(path, read_only=True, inspect=True)  # raises for a missing path
    try:
        if path.stat().st_size == 0:
            result.not_a_database = True
            result.other.append("het bestand is leeg")
            return result
        if sqlite_driver.key_of(conn) is None and is_not_a_database(sqlite_error(path)):
            result.not_a_database = True
            result.other.append("geen SQLite-bestand (de kop ontbreekt of is overschreven)")
            return result
        try:
            result.schema_version = migrations.schema_version(conn)
            ours = is_ours(conn)
        except sqlite_driver.DatabaseError as exc:
            raise_unless_damage(exc, path)
            result.other.append(f"het bestand is beschadigd of afgekapt ({exc})")
            return result
        if not ours:
            result.foreign = True
            result.other.append(
                "geen Merlet Desk-database: een SQLite-bestand van een ander programma "
                "(het kenmerk en de tabellen van Merlet Desk ontbreken)"
            )
            return result
        try:
            rows = conn.execute(f"PRAGMA integrity_check({MAX_REPORTED + 1})").fetchall()
            problems = [str(row[0]) for row in rows]
            if problems != ["ok"]:
                result.integrity = problems
        except sqlite_driver.DatabaseError as exc:
            raise_unless_damage(exc, path)
            result.integrity = [str(exc)]
        if result.integrity:
            return result  # a foreign-key check on a broken file says nothing more
        try:
            for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
                result.foreign_keys.append(
                    f"tabel {table}, rij {rowid}: verwijst naar een ontbrekende rij in {parent}"
                )
        except sqlite_driver.DatabaseError as exc:
            result.foreign_keys.append(str(exc))
        version = result.schema_version
        if 0 < version <= migrations.LATEST_VERSION:
            result.missing = missing_from_schema(conn, version)
        if version > migrations.LATEST_VERSION:
            result.other.append(
                f"schemaversie {version} is nieuwer dan deze versie van Merlet Desk kent "
                f"({migrations.LATEST_VERSION})"
            )
        elif version == 0:
            result.other.append("een lege database: nog geen Merlet Desk-gegevens (schemaversie 0)")
    finally:
        conn.close()
    return result
