"""Where a report, an export or a backup copy may be written: never onto the register's data.

Every command and every save dialog that writes a file the user named calls
`refuse_unsafe_output(target, db_path)` first. It raises `UnsafeOutputError` (one Dutch line,
nothing written) when the target is

- the open database itself, also spelled differently: through a symbolic or hard link, with
  `..` in it, or in another case on a file system that ignores case;
- one of its side files (`-wal`, `-shm`, `-journal`, the `.lock` file), existing or not;
- anything inside its backup folder (the default `backups/` beside it and the configured one);
- any existing SQLite file (whatever its name: SQLite is asked whether it reads it as a
  database, and an encrypted one is recognised by a key at hand opening it; the file is never
  opened here, see `merlet_desk.sqlite_files`), or a side file of one;
- an existing thing that is not a regular file (a device such as /dev/null, a pipe, a folder).

With `db_path=None` only the checks that need no database run (any SQLite file, its side files,
devices): the writers themselves (`build_pdf`, the CSV writer, the backup copy) call it that way
as a second line of defence.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from merlet_desk.sqlite_files import is_sqlite_file as _reads_as_sqlite  # asked of SQLite
from merlet_desk.store.errors import UnsafeOutputError

SIDE_SUFFIXES = ("-wal", "-shm", "-journal", ".lock")


def _real(path: Path) -> Path:
    """The absolute path with every symbolic link and `..` resolved (the target may not exist)."""
    return Path(os.path.realpath(os.path.abspath(os.fspath(path.expanduser()))))


def _comparable(path: Path, fold: bool) -> str:
    text = os.path.normcase(str(path))
    if sys.platform == "win32":  # "db.sqlite." and "db.sqlite " name the same file there
        text = "\\".join(part.rstrip(". ") or part for part in text.split("\\"))
    return text.casefold() if fold else text


def _ignores_case(existing: Path) -> bool:
    """Whether the file system holding `existing` treats names that differ in case as one."""
    name = existing.name
    swapped = name.swapcase()
    if swapped == name:
        return sys.platform in ("win32", "darwin")
    other = existing.with_name(swapped)
    try:
        return other.exists() and os.path.samefile(existing, other)
    except OSError:
        return False


def is_sqlite_file(path: Path) -> bool:
    """Whether `path` is a database SQLite reads (asked of SQLite), or an encrypted one that a
    key at hand opens: its bytes cannot be told from noise without the key."""
    from merlet_desk.store.connection import opens_with_a_key_at_hand

    return _reads_as_sqlite(path) or opens_with_a_key_at_hand(Path(path))


def _kind_of_special(mode: int) -> str | None:
    if stat.S_ISDIR(mode):
        return "een map"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "een apparaat (device)"
    if stat.S_ISFIFO(mode):
        return "een pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "een socket"
    return None


def _same_file(a: Path, b: Path) -> bool:
    """The same file on disk, also through a hard link."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _backup_folders(db_path: Path, backup_dir: Path | None) -> list[Path]:
    from merlet_desk.store.backup_folders import DEFAULT_FOLDER, configured_backup_folder

    folders = [db_path.parent / DEFAULT_FOLDER]
    configured = backup_dir if backup_dir is not None else configured_backup_folder(db_path)
    if configured is not None:
        folders.append(configured)
    return folders


def refuse_unsafe_output(
    target: str | os.PathLike[str],
    db_path: str | os.PathLike[str] | None,
    *,
    backup_dir: Path | None = None,
) -> None:
    """Raise `UnsafeOutputError` when writing `target` could destroy the register's data.

    `db_path` is the open database (None: only the checks that need no database). The backup
    folder is read from the database's settings unless `backup_dir` is given.
    """
    given = Path(target).expanduser()
    real = _real(given)
    shown = str(given)
    try:
        mode = os.stat(real).st_mode
    except OSError:
        mode = None
    if mode is not None:
        special = _kind_of_special(mode)
        if special:
            raise UnsafeOutputError(
                f"{shown} is {special}, geen gewoon bestand; kies een bestandsnaam. "
                "Er is niets geschreven."
            )
        if db_path is not None and _same_file(real, _real(Path(db_path))):
            raise UnsafeOutputError(
                f"{shown} is de database zelf; kies een andere bestandsnaam. Er is niets geschreven."
            )
        if is_sqlite_file(real):
            raise UnsafeOutputError(
                f"{shown} is een SQLite-database; die wordt niet overschreven. Kies een andere "
                "bestandsnaam. Er is niets geschreven."
            )
    fold = _ignores_case(real if mode is not None else real.parent)
    for suffix in SIDE_SUFFIXES:
        name = real.name
        if _comparable(Path(name), fold).endswith(_comparable(Path(suffix), fold)):
            owner = real.with_name(name[: len(name) - len(suffix)])
            if is_sqlite_file(owner):
                raise UnsafeOutputError(
                    f"{shown} is een hulpbestand ({suffix}) van de database {owner.name}; dat "
                    "wordt niet overschreven. Kies een andere bestandsnaam. Er is niets geschreven."
                )
    if db_path is None:
        return
    db = _real(Path(db_path))
    fold = fold or (db.exists() and _ignores_case(db))
    wanted = _comparable(real, fold)
    if wanted == _comparable(db, fold):
        raise UnsafeOutputError(
            f"{shown} is de database zelf; kies een andere bestandsnaam. Er is niets geschreven."
        )
    for suffix in SIDE_SUFFIXES:
        if wanted == _comparable(db.with_name(db.name + suffix), fold):
            raise UnsafeOutputError(
                f"{shown} is een hulpbestand ({suffix}) van de database; dat wordt niet "
                "overschreven. Kies een andere bestandsnaam. Er is niets geschreven."
            )
    for folder in _backup_folders(db, backup_dir):
        if _inside(wanted, _comparable(_real(folder), fold)):
            raise UnsafeOutputError(
                f"{shown} ligt in de back-upmap {folder}; daar komen alleen back-ups. Kies een "
                "andere map. Er is niets geschreven."
            )
