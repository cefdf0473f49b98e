"""Asking SQLite about a file, instead of reading its bytes.

POSIX advisory locks belong to a process, and closing *any* descriptor of a file drops all of
that process's locks on it. A plain `open()`/`close()` of the database (to read its header, to
hash or copy it) in a process that holds a connection therefore silently unlocks that
connection: another process could then switch the file out of WAL mode and delete the `-wal`
under it, and the register was corrupted exactly that way (SQLite's "How To Corrupt An SQLite
Database File", section 2.2). SQLite itself never closes a descriptor of a file that another
of its connections in the process holds locks on, so every question about a database file is
asked through a short SQLite connection here, and `tests/test_file_access.py` reads the
source to hold that no other code opens the database or its side files. A file the user names
as input (a CSV, a scan, a photo, a video, evidence) passes `refuse_database_input` before it
is read, so that naming the register itself there cannot unlock it either.

This module needs nothing of the program but `merlet_desk.errors`, so every layer may use it
(imaging may not import the store). It opens no register: `store.open_database` stays the one
place where the program's connections are made.

Asking SQLite also works for files without the plain "SQLite format 3" header: an encrypted
register (SQLCipher) reads as "not a database" without its key, and a probe given the key
reads it. The probes use the program's one SQLite library (`merlet_desk.sqlite_driver`): a
second library in the process would not know of the first one's locks.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from urllib.parse import quote

from merlet_desk import sqlite_driver
from merlet_desk.errors import InputError

SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


def side_file(path: Path, suffix: str) -> Path:
    """`path` with `suffix` appended to its name: the `-wal`, `-shm` or `-journal` beside it."""
    return path.with_name(path.name + suffix)


def file_uri(path: Path, **params: str) -> str:
    """The `file:` URI SQLite opens `path` by, with query parameters (`mode="ro"`, ...)."""
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"file:{quote(str(path))}" + (f"?{query}" if query else "")


def _probe(uri: str, key: bytes | None = None) -> sqlite_driver.Error | None:
    """Open `uri` (under `key`) and read the schema cookie on page 1; the error, or None when
    it reads."""
    try:
        conn = sqlite_driver.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    except sqlite_driver.Error as exc:
        return exc
    try:
        if key is not None:
            conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute("PRAGMA schema_version").fetchone()
    except sqlite_driver.Error as exc:
        return exc
    finally:
        conn.close()
    return None


def sqlite_error(path: Path, key: bytes | None = None) -> sqlite_driver.Error | None:
    """What SQLite says when it reads the first page of `path` (None: it reads as SQLite).

    The file is opened `immutable` (no lock, no journal, nothing created beside it); an empty
    file reads as an empty database. `SQLITE_NOTADB` ("file is not a database") means it is
    not a SQLite file, `SQLITE_CANTOPEN` that it cannot be opened (rights)."""
    return _probe(file_uri(path, mode="ro", immutable="1"), key)


def is_not_a_database(error: BaseException | None) -> bool:
    return error is not None and (
        getattr(error, "sqlite_errorname", "") == "SQLITE_NOTADB"
        or "file is not a database" in str(error)
    )


def reads_through_wal(path: Path, key: bytes | None = None) -> bool:
    """Whether SQLite reads `path` through a write-ahead log: the file is in WAL mode, or a
    `-wal` lies beside it (SQLite then uses it whatever the header says).

    Asked with `nolock=1`, which SQLite refuses for WAL (`SQLITE_CANTOPEN`, since a WAL reader
    needs the shared-memory locks) before it creates or opens any file beside the database; a
    rollback-journal file opens. Only meaningful for a file `sqlite_error` reads, or that
    `key` opens (an encrypted file's header, which says WAL, is encrypted too)."""
    error = _probe(file_uri(path, mode="ro", nolock="1"), key)
    return error is not None and (
        getattr(error, "sqlite_errorname", "").startswith("SQLITE_CANTOPEN")
        or str(error) == "unable to open database file"
    )


# Every file this process has opened as an encrypted database, by (device, inode): without
# its key SQLite takes it for "not a database", yet reading it as an input would drop this
# process's locks on it just the same. `store.connection` notes each one it opens.
_ENCRYPTED_HERE: set[tuple[int, int]] = set()


def note_encrypted_database(path: Path) -> None:
    """Remember that this process opened `path` as an encrypted database."""
    try:
        info = os.stat(path)
    except OSError:
        return
    _ENCRYPTED_HERE.add((info.st_dev, info.st_ino))


def _opened_encrypted_here(path: Path, info: os.stat_result) -> bool:
    # A page-sized file: an inode number that a deleted register freed and a new file reused
    # is not taken for it.
    return (info.st_dev, info.st_ino) in _ENCRYPTED_HERE and info.st_size % 512 == 0


def is_sqlite_file(path: Path) -> bool:
    """Whether `path` is an existing, non-empty regular file that SQLite reads as a database
    (also a damaged one: only "not a database" says no), or an encrypted database this
    process opened. Asked through SQLite, never opened."""
    try:
        info = os.stat(path)
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode) or info.st_size == 0:
        return False
    if _opened_encrypted_here(Path(path), info):
        return True
    error = sqlite_error(Path(path))
    if error is None:
        return True
    # A damaged file is still a database; "not a database" or unreadable (rights) is not.
    return not is_not_a_database(error) and not getattr(error, "sqlite_errorname", "").startswith(
        "SQLITE_CANTOPEN"
    )


def refuse_database_input(path: str | os.PathLike[str]) -> None:
    """Raise `InputError` when the file a user named as input is a SQLite database (the
    register itself, a backup, any other) or a `-wal`, `-shm` or `-journal` beside one: read
    as a CSV, scan, photo or video, the register would be unlocked (see the module docstring),
    and it is never what was meant. Nothing is read."""
    path = Path(path)
    for suffix in SIDE_SUFFIXES:
        if path.name.endswith(suffix) and is_sqlite_file(path.with_name(path.name[: -len(suffix)])):
            raise InputError(
                f"{path} is een hulpbestand ({suffix}) van een SQLite-database, geen bestand om "
                "in te lezen. Kies een ander bestand; er is niets ingelezen."
            )
    if is_sqlite_file(path):
        raise InputError(
            f"{path} is een SQLite-database (zoals het register of een back-up), geen bestand om "
            "in te lezen. Kies een ander bestand; er is niets ingelezen."
        )
