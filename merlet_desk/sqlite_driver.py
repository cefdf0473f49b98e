"""The SQLite library of the whole program: SQLCipher 4 (`sqlcipher3`), for every file.

SQLCipher is SQLite with page-level AES-256 encryption; a connection that is given no key
reads and writes a plain SQLite file exactly as SQLite does. Every connection of Merlet Desk
comes from here (through `store.connection`), plain or encrypted, so that there is one set
of exception classes: `sqlcipher3`'s `Error`, `DatabaseError`, ... are *not* subclasses of
the standard library's `sqlite3.Error`, and a module that caught `sqlite3.Error` around a
SQLCipher connection would let every error through. `tests/store/test_sqlite_driver.py`
reads the source: no module of the program imports `sqlite3` itself.

sqlite-utils is made to use this library too (`store.sqlite_utils_import`), so the errors it
catches inside (a savepoint that cannot be released, `drop(ignore=True)`) are these.

For the type checker the names are the standard library's: `sqlcipher3` ships no type
information and speaks the same DB-API (it is a fork of the standard library's module), so
`typings/sqlcipher3` tells mypy just that.
"""

from __future__ import annotations

from sqlcipher3 import dbapi2
from sqlcipher3.dbapi2 import (
    Connection,
    Cursor,
    DatabaseError,
    Error,
    IntegrityError,
    NotSupportedError,
    OperationalError,
    ProgrammingError,
    Row,
    complete_statement,
    connect,
    sqlite_version,
)

__all__ = [
    "Connection",
    "Cursor",
    "DatabaseError",
    "Error",
    "IntegrityError",
    "KeyedConnection",
    "NotSupportedError",
    "OperationalError",
    "ProgrammingError",
    "Row",
    "complete_statement",
    "connect",
    "dbapi2",
    "error_name",
    "key_of",
    "sqlite_version",
]


class KeyedConnection(Connection):
    """A connection that remembers the raw key it was opened with (None: a plain file), so
    that a backup of it is written under the same key (`store.backup`)."""

    key: bytes | None = None


def key_of(conn: Connection) -> bytes | None:
    """The raw key `conn` was opened with; None for a plain file."""
    return getattr(conn, "key", None)


def error_name(exc: BaseException) -> str:
    """SQLite's name of the error ("SQLITE_NOTADB"), or "" when it has none."""
    return str(getattr(exc, "sqlite_errorname", "") or "")


def _quiet() -> None:
    # SQLCipher writes every failed decryption (a wrong key, a damaged page) to stderr as
    # "ERROR CORE ..."; the program says what went wrong in one Dutch line of its own. The
    # log level is process-wide.
    probe = connect(":memory:")
    try:
        probe.execute("PRAGMA cipher_log_level = NONE")
    finally:
        probe.close()


_quiet()
