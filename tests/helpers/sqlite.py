"""A bare SQLite connection for tests that look inside a register or hold a lock on it, as
another program would: `connect` is `sqlite3.connect` through the program's SQLite library
(`merlet_desk.sqlite_driver`), with the test key when the file is encrypted (the encrypted pass,
`MERLET_TEST_ENCRYPTED=1`, makes every new register encrypted). Its errors are the program's
(`sqlite_driver.IntegrityError`, ...), which is what a test of the program's errors expects."""

from __future__ import annotations

from typing import Any

from merlet_desk import sqlite_driver
from tests.helpers.keystore import TEST_KEY, encrypted_pass


def _readable(conn: sqlite_driver.Connection) -> bool:
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite_driver.DatabaseError as exc:
        if sqlite_driver.error_name(exc) == "SQLITE_NOTADB":
            return False
    return True


def connect(database: Any, key: bytes | None = None, **kwargs: Any) -> sqlite_driver.Connection:
    """A connection to `database` (a path, or a URI with `uri=True`); keyed with `key`, or
    with the test key when the file turns out to be encrypted in the encrypted pass."""
    conn = sqlite_driver.connect(str(database), **kwargs)
    if key is None and encrypted_pass() and not _readable(conn):
        conn.close()
        key = TEST_KEY
        conn = sqlite_driver.connect(str(database), **kwargs)
    if key is not None:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn
