"""The one place where a database connection is opened.

Everything that touches the SQLite file goes through `open_database`, so that encryption at
rest (SQLCipher) or a server database can later be added here without touching the callers.
`open_raw` is its low-level sibling for the safety code (verify, backup, restore), which must
read damaged files and backups that `open_database` would refuse.

Before anything is written to an existing file (enabling WAL or migrating both write), the
file gets a `PRAGMA quick_check`: a damaged or truncated file raises `DamagedDatabaseError`
untouched, and a file with pending migrations is first backed up.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Generator
from pathlib import Path
from urllib.parse import quote

from sqlite_utils import Database

from merlet_desk.store import migrations
from merlet_desk.store.errors import (
    DatabaseUnavailableError,
    NotADatabaseError,
    SchemaTooNewError,
    StoreError,
)
from merlet_desk.store.integrity import (
    DamagedDatabaseError,
    damaged_message,
    quick_check,
    raise_if_busy,
)

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


def _check_existing_file(path: Path) -> None:
    """Refuse, without writing a byte, anything that is not a SQLite file."""
    if path.is_dir():
        raise DatabaseUnavailableError(f"{path} is een map, geen databasebestand.")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise DatabaseUnavailableError(
            f"{path} kan niet gelezen worden: {exc.strerror or exc}."
        ) from exc
    if header and header != SQLITE_HEADER:
        raise NotADatabaseError(f"{path} is geen Merlet Desk-database (geen SQLite-bestand).")


def _create_empty_file(path: Path) -> None:
    """Create the file readable and writable by its owner only (it holds data about minors)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except OSError as exc:
        raise DatabaseUnavailableError(
            f"{path} kan niet aangemaakt worden: {exc.strerror or exc}."
        ) from exc


def _connect(path: Path, read_only: bool, immutable: bool = False) -> sqlite3.Connection:
    try:
        if read_only:
            uri = f"file:{quote(str(path))}?mode=ro" + ("&immutable=1" if immutable else "")
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        else:
            conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as exc:
        raise DatabaseUnavailableError(f"{path} kan niet geopend worden: {exc}.") from exc
    return conn


class MerletDatabase(Database):
    """sqlite-utils' Database whose outermost `atomic()` starts with `BEGIN IMMEDIATE`.

    A deferred `BEGIN` that reads first and writes later (save a pupil: look it up, then insert)
    cannot wait for another process's write: SQLite fails it at once with "database is locked",
    because its snapshot is stale. Taking the write lock at the start makes the busy timeout
    apply, so writers from two windows or processes queue up instead of failing.
    """

    def __init__(self, conn: sqlite3.Connection, *, read_only: bool = False) -> None:
        super().__init__(conn)
        self.read_only = read_only

    @contextlib.contextmanager
    def atomic(self) -> Generator[Database, None, None]:
        if self.conn.in_transaction or self.read_only:
            with super().atomic() as db:
                yield db
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                self.rollback()
                raise


def open_raw(
    path: str | os.PathLike[str],
    *,
    read_only: bool = True,
    create: bool = False,
    inspect: bool = False,
) -> sqlite3.Connection:
    """A bare connection without checks or migrations, for verify, backup and restore.

    `read_only` uses SQLite's `mode=ro` (nothing is ever written); `create` makes a missing
    file first, readable by its owner only. `inspect` (with `read_only`) looks at a file that
    nobody has open (no `-wal`/`-journal` beside it) as immutable, so SQLite does not even
    create its `-wal`/`-shm` side files next to a damaged file or a backup.
    """
    path = Path(path).expanduser()
    if not path.exists():
        if read_only or not create:
            raise DatabaseUnavailableError(f"{path} bestaat niet.")
        _create_empty_file(path)
    if path.is_dir():
        raise DatabaseUnavailableError(f"{path} is een map, geen databasebestand.")
    idle = not any(path.with_name(path.name + side).exists() for side in ("-wal", "-journal"))
    return _connect(path, read_only, immutable=read_only and inspect and idle)


def _is_foreign_database(conn: sqlite3.Connection) -> bool:
    """A SQLite file with tables but no Merlet Desk schema version belongs to another program."""
    count = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    return count > 0


def open_database(
    path: str | os.PathLike[str],
    *,
    read_only: bool = False,
    create: bool = True,
) -> Database:
    """Open (and if needed create and migrate) the Merlet Desk database at `path`.

    Raises a `StoreError` with a one-line Dutch message, and leaves the file untouched, when the
    path is not a SQLite file, belongs to another program, was written by a newer version, or
    cannot be read. A read-only database is opened with SQLite's `mode=ro`.
    """
    path = Path(path).expanduser()
    is_new = not path.exists() or path.stat().st_size == 0
    if path.exists():
        _check_existing_file(path)
    elif read_only or not create:
        raise DatabaseUnavailableError(f"{path} bestaat niet.")
    else:
        _create_empty_file(path)

    conn = _connect(path, read_only)
    try:
        try:
            version = migrations.schema_version(conn)
            if version == 0 and not is_new and _is_foreign_database(conn):
                raise NotADatabaseError(
                    f"{path} is een SQLite-bestand van een ander programma, "
                    "geen Merlet Desk-database."
                )
        except sqlite3.DatabaseError as exc:
            raise_if_busy(exc)
            raise DamagedDatabaseError(damaged_message(path), path, [str(exc)]) from exc
        if not is_new:
            # Before any write: enabling WAL or migrating would write to a damaged file.
            problems = quick_check(conn)
            if problems:
                raise DamagedDatabaseError(damaged_message(path), path, problems)
        if version > migrations.LATEST_VERSION:
            raise SchemaTooNewError(
                f"{path} is gemaakt met een nieuwere versie van Merlet Desk "
                f"(schemaversie {version}, deze versie kent tot {migrations.LATEST_VERSION}). "
                "Werk Merlet Desk bij."
            )
        if read_only:
            if version < migrations.LATEST_VERSION:
                raise StoreError(
                    f"{path} moet eerst bijgewerkt worden naar schemaversie "
                    f"{migrations.LATEST_VERSION}; open het eenmaal zonder alleen-lezen."
                )
        else:
            if not is_new and 0 < version < migrations.LATEST_VERSION:
                from merlet_desk.store.backup import backup_before_migration

                backup_before_migration(conn, path, version)
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                migrations.migrate(conn)
            except sqlite3.OperationalError as exc:
                raise DatabaseUnavailableError(
                    f"{path} kan niet bijgewerkt worden: {exc}."
                ) from exc
    except BaseException:
        conn.close()
        raise
    return MerletDatabase(conn, read_only=read_only)


def database_path(db: Database) -> Path | None:
    """The file behind an open database (None for an in-memory one)."""
    row = db.execute("PRAGMA database_list").fetchone()
    return Path(row[2]) if row and row[2] else None
