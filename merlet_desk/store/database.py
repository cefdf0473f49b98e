"""`open_database`: open (create, check, migrate) the Merlet Desk database at a path, or
the register on a PostgreSQL server that a ``postgresql://`` URL names (`store.engine`).

The connection itself is made by `connection.py`; this module adds what opening the register
means: the file is checked before anything is written to it, backed up before a migration
(`backup.backup_before_migration`) and migrated. Apart from `connection.py` because the
backups open their files through that module: neither imports the other in a circle.
"""

from __future__ import annotations

import os
from pathlib import Path

from merlet_desk import sqlite_driver
from merlet_desk.store import migrations
from merlet_desk.store.connection import (
    DETECT,
    IntegrityGate,
    KeyChoice,
    MerletDatabase,
    _check_existing_file,
    _connect,
    _create_empty_file,
    _Detect,
    missing_message,
    not_writable_reason,
    refuse_special_file,
    settle_journal_mode,
)
from merlet_desk.store.errors import (
    MissingDatabaseError,
    NotWritableError,
    SchemaOutdatedError,
    SchemaTooNewError,
)
from merlet_desk.store.identity import check_ours
from merlet_desk.store.integrity import (
    DamagedDatabaseError,
    damaged_message,
    explain_sqlite_error,
    quick_check,
)
from merlet_desk.store.server_url import ServerUrl, is_server_url
from merlet_desk.store.sqlite_utils_import import Database


def key_for_new_file() -> bytes | None:
    """The key a new file gets when the caller names none: None, a plain file (encryption is
    chosen explicitly: `init --encrypt`, `encrypt`, the window's offer). The encrypted pass of
    the test suite (`MERLET_TEST_ENCRYPTED=1`) replaces this to run every test on an
    encrypted register."""
    return None


def _backup_before_migration(conn: sqlite_driver.Connection, path: Path, version: int) -> None:
    """`backup.backup_before_migration`, imported here: a current file (every start but the
    first after an update) opens without the backup module and what it imports."""
    from merlet_desk.store.backup import backup_before_migration

    backup_before_migration(conn, path, version)


def open_database(
    path: str | os.PathLike[str] | ServerUrl,
    *,
    read_only: bool = False,
    create: bool = True,
    wal: bool = True,
    defer_check: bool = False,
    password: str | None = None,
    empty_server: bool = False,
    key: KeyChoice = DETECT,
) -> Database:
    """Open (and if needed create and migrate) the Merlet Desk database at `path`.

    `path` may be a ``postgresql://`` URL (a `ServerUrl` or its text): then the register on
    that server is opened (`store.engine.schema.open_server_register`), checked as a file
    is (foreign, too new, outdated while read-only) and migrated. An empty server database is
    refused unless `empty_server` (`server init`, `server copy`, `restore`), which returns it
    unfilled. `password` is for a server that asks one libpq does not know. `create`, `wal`,
    `defer_check` and `key` are about files.

    `key`: an encrypted file is opened with the key at hand (`store.keys`: `--key-file` or
    `MERLET_DESK_KEY_FILE`, else this user's key store), a plain one without. A new file is
    encrypted under `key` when it is given (`init --encrypt`), else plain. A key that is
    missing or wrong raises `EncryptionKeyError` (one line that says what to do), the file
    unread beyond its first page and unchanged.

    `wal`: a writer gives a file whose journal mode does not fit its place the mode of that
    place, once (`settle_journal_mode`; a new file always gets it). With `wal=False` an
    existing file keeps the mode it has. Closing never switches it back.

    Raises a `StoreError` with a one-line Dutch message, and leaves the file untouched, when the
    path is missing or empty (unless `create`), is not a regular file, is not a SQLite file,
    belongs to another program (`store.identity`), was written by a newer version, needs
    migrations while `read_only`, cannot be written (a writer in a read-only folder), or cannot
    be read. A read-only database is opened as `reader_uri` says: nothing is left beside it.

    `defer_check` (the GUI) leaves the integrity check (`PRAGMA quick_check`, O(file size):
    0.2 s at 2,000 pupils, 0.6 s at 20,000) to the caller when no migration is pending: the
    file is opened as it is, `PRAGMA query_only`, and nothing is written to it, not even the
    journal mode, until the caller has run the check on a connection of its own and settled
    `db.integrity_gate`; every write and backup waits for that. A read-only open then checks
    nothing; whoever reads it is the check. An open that must migrate checks first, as always.
    """
    if isinstance(path, str) and is_server_url(path):
        path = ServerUrl.parse(path)
    if isinstance(path, ServerUrl):
        from merlet_desk.store.engine.schema import open_server_register

        return open_server_register(
            path, read_only=read_only, password=password, empty=empty_server
        )
    if empty_server:
        raise ValueError("empty_server is for a server URL, not a file")
    path = Path(path).expanduser()
    refuse_special_file(path)
    exists = path.exists()
    is_new = not exists or path.stat().st_size == 0
    if is_new and (read_only or not create):
        raise MissingDatabaseError(missing_message(path, empty=exists))
    if exists:
        _check_existing_file(path)
    if not read_only:
        reason = not_writable_reason(path)
        if reason:
            raise NotWritableError(f"{path} kan niet geopend worden om te schrijven: {reason}.")
    if not exists:
        _create_empty_file(path)

    if is_new and isinstance(key, _Detect):
        key = key_for_new_file()
    conn = _connect(path, read_only, key=key)
    try:
        try:
            version = migrations.schema_version(conn)
            check_ours(conn, path)
        except sqlite_driver.DatabaseError as exc:
            raise explain_sqlite_error(exc, path) from exc
        gate = None
        if not is_new and defer_check and (read_only or version == migrations.LATEST_VERSION):
            gate = None if read_only else IntegrityGate(path, wal=wal)
        elif not is_new:
            # Before any write: the journal mode or a migration would write to a damaged file.
            problems = quick_check(conn, path=path)
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
                raise SchemaOutdatedError(
                    f"{path} moet eerst bijgewerkt worden naar schemaversie "
                    f"{migrations.LATEST_VERSION}; open het eenmaal zonder alleen-lezen."
                )
        else:
            if not is_new and 0 < version < migrations.LATEST_VERSION:
                _backup_before_migration(conn, path, version)
            try:
                if (wal or is_new) and gate is None:  # with a gate: once the check passed
                    settle_journal_mode(conn, path)
                migrations.migrate(conn)
            except sqlite_driver.Error as exc:
                raise explain_sqlite_error(exc, path) from exc
    except BaseException:
        conn.close()
        raise
    return MerletDatabase(conn, read_only=read_only, integrity_gate=gate)
