"""`sqlcipher_export`: a whole database copied into another file under another key (or none).

SQLite's backup API copies pages, so it only copies between two files that are both plain or
both under the same kind of key; a copy across that line (a plain register encrypted, a key
rotated, an encrypted register backed up plain) is made by SQLCipher's `sqlcipher_export`,
which copies the schema and every row. It does not copy the header's `user_version` and
`application_id` (the schema version and the Merlet Desk mark), so these are copied here.

Used by `encryption.py` (converting a register) and `backup.py` (a backup under another key),
apart from both so that neither imports the other.
"""

from __future__ import annotations

from pathlib import Path

from merlet_desk import sqlite_driver


def key_literal(key: bytes | None) -> str:
    """The KEY of an ATTACH: a raw key (no key derivation), or '' for a plain file."""
    return f"\"x'{key.hex()}'\"" if key is not None else "''"


def table_counts(conn: sqlite_driver.Connection, schema: str = "main") -> dict[str, int]:
    """Rows per table (SQLite's own tables included), for checking a copy against its source."""
    names = [
        row[0]
        for row in conn.execute(
            f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' ORDER BY name"
        )
    ]
    return {
        name: int(
            conn.execute(f'SELECT count(*) FROM {schema}."{name.replace(chr(34), "")}"').fetchone()[
                0
            ]
        )
        for name in names
    }


def header_values(conn: sqlite_driver.Connection, schema: str = "main") -> tuple[int, int]:
    """(user_version, application_id): `sqlcipher_export` copies the schema and the rows, not
    these two, and they are the schema version and the Merlet Desk mark."""
    version = int(conn.execute(f"PRAGMA {schema}.user_version").fetchone()[0])
    mark = int(conn.execute(f"PRAGMA {schema}.application_id").fetchone()[0])
    return version, mark


def export_attached(conn: sqlite_driver.Connection, target: Path, key: bytes | None) -> None:
    """Copy the main database of `conn` into the new, empty file `target`, under `key`."""
    conn.execute(f"ATTACH DATABASE ? AS merlet_target KEY {key_literal(key)}", (str(target),))
    try:
        # A scratch copy until it is checked and flushed as a whole (`convert_file`): no
        # journal, no flush per statement (1.5 s of 1.6 for a small register otherwise).
        conn.execute("PRAGMA merlet_target.journal_mode = OFF")
        conn.execute("PRAGMA merlet_target.synchronous = OFF")
        conn.execute("SELECT sqlcipher_export('merlet_target')")
        version, mark = header_values(conn)
        conn.execute(f"PRAGMA merlet_target.user_version = {version}")
        conn.execute(f"PRAGMA merlet_target.application_id = {mark}")
    finally:
        conn.execute("DETACH DATABASE merlet_target")


def export_from(conn: sqlite_driver.Connection, source: Path, key: bytes | None) -> None:
    """Fill the main database of `conn` (new and empty) from the file `source` under `key`:
    the other direction, for a source that is only opened read-only (a backup)."""
    conn.execute(f"ATTACH DATABASE ? AS merlet_source KEY {key_literal(key)}", (str(source),))
    try:
        conn.execute("SELECT sqlcipher_export('main', 'merlet_source')")
        version, mark = header_values(conn, "merlet_source")
        conn.execute(f"PRAGMA main.user_version = {version}")
        conn.execute(f"PRAGMA main.application_id = {mark}")
    finally:
        conn.execute("DETACH DATABASE merlet_source")
