"""Making a register encrypted, and giving it a new key: one file swapped for another, whole.

`convert_file` writes the register under its new key (none, or the old one, to a new one) with
SQLCipher's `sqlcipher_export` into a temporary file in the same folder, checks that copy
(`integrity_check`, every table's row count, the schema version and the Merlet Desk mark),
flushes it to disk and only then renames it over the original (`os.replace`, atomic on every
file system the register may live on). A process killed at any moment leaves either the
original, intact, or the complete new file; never neither, never half.

Nobody else may hold the file while it is swapped: a connection left on the old file would
keep reading (and writing) a file that no longer has a name. So first the Merlet Desk lock
(`store.lock`: a window has it open), then SQLite itself: the old file leaves WAL mode, which
SQLite refuses while any other connection has it, and is held with an exclusive lock
(`locking_mode = EXCLUSIVE`) from before the copy until after the rename.

`encrypt_register` and `rotate_register` do that for the register and then for every backup
in its backup folders: plain backups are encrypted, backups under the old key get the new
one, so that no plain copy stays behind and the old key opens nothing. A backup that cannot
be converted (damaged, or under a key this computer lacks) is removed when it is plain (it
would keep the register readable) and otherwise listed as left alone; the result says which.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from merlet_desk import sqlite_driver
from merlet_desk.store.cipher_export import export_attached, header_values, table_counts
from merlet_desk.store.errors import BusyError, EncryptionKeyError, StoreError, os_error_reason
from merlet_desk.store.integrity import DamagedDatabaseError, damaged_message, quick_check

if TYPE_CHECKING:
    from merlet_desk.store.lock import DatabaseLock

TEMP_SUFFIX = ".omzetten"
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


class EncryptionError(StoreError):
    """The register could not be encrypted or given a new key; it is as it was."""


@dataclass
class ConvertResult:
    path: Path
    tables: int
    rows: int


@dataclass
class RegisterResult:
    """What `encrypt_register` / `rotate_register` did, for the command's and window's report."""

    register: ConvertResult
    converted: list[Path] = field(default_factory=list)  # backups now under the new key
    removed: list[Path] = field(default_factory=list)  # plain backups that could not be
    left: list[Path] = field(default_factory=list)  # backups under another key, untouched

    def backup_lines(self) -> list[str]:
        """Dutch lines: which backups were encrypted, removed or left alone."""
        lines = []
        if self.converted:
            lines.append(f"{len(self.converted)} back-up(s) versleuteld met de nieuwe sleutel.")
        for path in self.removed:
            lines.append(f"Verwijderd (onversleuteld en niet om te zetten, beschadigd): {path}")
        for path in self.left:
            lines.append(f"Niet omgezet (versleuteld met een andere sleutel): {path}")
        if not (self.converted or self.removed or self.left):
            lines.append("Er waren geen back-ups om te versleutelen.")
        return lines


def _side(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _fsync(path: Path) -> None:
    """Flush a file (not held by any connection) or a folder to disk."""
    if path.is_dir() and os.name != "posix":
        return  # Windows cannot open a folder; its renames are journalled by NTFS
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_stale_temporaries(path: Path) -> None:
    """Temporary copies a killed conversion left beside `path` (complete or not, never used)."""
    for stale in path.parent.glob(f".{path.name}.*{TEMP_SUFFIX}"):
        for suffix in ("", *SIDE_SUFFIXES):
            _side(stale, suffix).unlink(missing_ok=True)


@contextmanager
def _held_alone(path: Path, key: bytes | None) -> Iterator[sqlite_driver.Connection]:
    """A connection to `path` that nobody else shares: out of WAL, exclusively locked."""
    from merlet_desk.store.connection import BUSY_TIMEOUT_MS, open_raw

    conn = open_raw(path, read_only=False, key=key)
    try:
        try:
            conn.execute("PRAGMA busy_timeout = 0")
            # Also the refusal we want: SQLite leaves WAL only when no other connection has
            # the file, and says "locked" at once otherwise.
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "delete":
                conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA locking_mode = EXCLUSIVE")
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("COMMIT")  # the exclusive lock stays: locking_mode = EXCLUSIVE
        except sqlite_driver.OperationalError as exc:
            if "locked" in str(exc) or sqlite_driver.error_name(exc).startswith("SQLITE_BUSY"):
                raise BusyError(
                    f"{path} is nu geopend door een ander programma of venster. Sluit Merlet "
                    "Desk (en andere programma's die het register lezen) en probeer het "
                    "opnieuw; er is niets veranderd."
                ) from exc
            raise
        yield conn
    finally:
        conn.close()


def convert_file(
    path: Path, old_key: bytes | None, new_key: bytes | None, *, journal_mode: str = "wal"
) -> ConvertResult:
    """Swap the file at `path` (opened with `old_key`; None: plain) for a verified copy under
    `new_key`, atomically. The copy gets `journal_mode`. Raises `StoreError` with one Dutch
    line and leaves the file as it was when anything fails before the swap."""
    from merlet_desk.store.connection import open_raw

    path = Path(path)
    remove_stale_temporaries(path)
    with _held_alone(path, old_key) as conn:
        problems = quick_check(conn, path=path)
        if problems:
            raise DamagedDatabaseError(damaged_message(path), path, problems)
        counts = table_counts(conn)
        header = header_values(conn)
        try:
            fd, name = tempfile.mkstemp(
                prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent
            )
            os.close(fd)
        except OSError as exc:
            raise EncryptionError(
                f"In {path.parent} kan geen tijdelijk bestand gemaakt worden: "
                f"{os_error_reason(exc)}. Er is niets veranderd."
            ) from exc
        temporary = Path(name)
        try:
            export_attached(conn, temporary, new_key)
            copy = open_raw(temporary, read_only=False, key=new_key)
            try:
                _check_copy(copy, counts, header, temporary)
                copy.execute(f"PRAGMA journal_mode = {journal_mode}")
            finally:
                copy.close()
            _fsync(temporary)
            for suffix in SIDE_SUFFIXES:  # nothing of the old file may meet the new one
                if _side(path, suffix).exists():
                    raise EncryptionError(
                        f"Naast {path} staat nog {path.name}{suffix}; er is niets veranderd."
                    )
            os.replace(temporary, path)
            _fsync(path.parent)
        except BaseException:
            for suffix in ("", *SIDE_SUFFIXES):
                _side(temporary, suffix).unlink(missing_ok=True)
            raise
    return ConvertResult(path, len(counts), sum(counts.values()))


def _check_copy(
    copy: sqlite_driver.Connection,
    counts: dict[str, int],
    header: tuple[int, int],
    where: Path,
) -> None:
    problems = [str(row[0]) for row in copy.execute("PRAGMA integrity_check").fetchall()]
    if problems != ["ok"]:
        raise EncryptionError(
            f"De versleutelde kopie {where} doorstaat de integriteitscontrole niet "
            f"({problems[0]}); het register is niet veranderd."
        )
    copied = table_counts(copy)
    if copied != counts or header_values(copy) != header:
        differ = sorted(
            name for name in set(counts) | set(copied) if counts.get(name) != copied.get(name)
        )
        raise EncryptionError(
            "De versleutelde kopie heeft niet dezelfde rijen als het register "
            f"({', '.join(differ) or 'schemaversie of kenmerk'}); het register is niet veranderd."
        )


def _backups_of(db_path: Path) -> list[Path]:
    from merlet_desk.store.backup import backup_folders, list_backups

    found: list[Path] = []
    for folder in backup_folders(db_path):
        found += [info.path for info in list_backups(folder, db_path)]
    return sorted(set(found))


def _key_of_file(path: Path, keys: list[bytes]) -> tuple[bool, bytes | None]:
    """(readable, key): a backup opened plain or under one of `keys` (read-only)."""
    from merlet_desk.store.connection import open_raw, page_one_reads

    for key in [None, *keys]:
        try:
            conn = open_raw(path, read_only=True, inspect=True, key=key)
        except EncryptionKeyError:
            continue
        try:
            if page_one_reads(conn):
                return True, key
        finally:
            conn.close()
    return False, None


def _convert_backups(
    db_path: Path, old_key: bytes | None, new_key: bytes, result: RegisterResult
) -> None:
    known = [old_key] if old_key is not None else []
    for backup in _backups_of(db_path):
        readable, key = _key_of_file(backup, known)
        if not readable:
            result.left.append(backup)
            continue
        if key == new_key:
            continue
        try:
            convert_file(backup, key, new_key, journal_mode="delete")
            result.converted.append(backup)
        except StoreError:
            if key is not None:
                result.left.append(backup)  # under the old key, damaged: nothing in clear
                continue
            for suffix in ("", *SIDE_SUFFIXES):
                _side(backup, suffix).unlink(missing_ok=True)
            result.removed.append(backup)
    # Side files a copy of a damaged register left beside it (`backup._keep_current_file`).
    for folder in {b.parent for b in _backups_of(db_path)}:
        for side in folder.glob(f"{db_path.stem}_*.sqlite-*"):
            if not side.with_name(side.name.rsplit("-", 1)[0]).exists():
                side.unlink(missing_ok=True)


def encrypt_register(
    path: str | os.PathLike[str],
    new_key: bytes,
    *,
    old_key: bytes | None = None,
    lock: DatabaseLock | None = None,
) -> RegisterResult:
    """Encrypt the register at `path` under `new_key` (from plain, or from `old_key`: a
    rotation), then every backup of it. Takes the Merlet Desk lock, or uses `lock` (the
    window's own, its connections closed); raises `LockedError` when a window has it open."""
    from merlet_desk.store.connection import journal_mode_for
    from merlet_desk.store.lock import acquire_lock

    path = Path(path).expanduser()
    with nullcontext(lock) if lock is not None else acquire_lock(path):
        converted = convert_file(path, old_key, new_key, journal_mode=journal_mode_for(path))
        result = RegisterResult(converted)
        _convert_backups(path, old_key, new_key, result)
    return result
