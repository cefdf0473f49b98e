"""Where a database's backups go: `backups/` beside it, or the folder its `safety.backup_dir`
setting names. Apart from `backup.py` so that `outputs.py`, which refuses to write over a
backup, need not import the backups themselves (which import it)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from merlet_desk import sqlite_driver
from merlet_desk.store.errors import StoreError
from merlet_desk.store.settings import get_setting
from merlet_desk.store.sqlite_utils_import import Database

BACKUP_DIR_SETTING = "safety.backup_dir"
DEFAULT_FOLDER = "backups"


def backup_folder(db_path: str | os.PathLike[str], db: Database | None = None) -> Path:
    """The backup folder for the database at `db_path` (the setting, else `backups/` beside it).

    Without `db` the setting is read from the file itself, read-only, so that restoring a
    damaged database still looks where its backups are (when that part of it is readable)."""
    db_path = Path(db_path)
    if db is None:
        return configured_backup_folder(db_path) or db_path.parent / DEFAULT_FOLDER
    try:
        configured = get_setting(db, BACKUP_DIR_SETTING)
    except sqlite_driver.Error:  # a file older than the settings table
        configured = None
    return _folder_from_setting(db_path, configured) or db_path.parent / DEFAULT_FOLDER


def _folder_from_setting(db_path: Path, configured: object) -> Path | None:
    if not configured:
        return None
    folder = Path(str(configured)).expanduser()
    return folder if folder.is_absolute() else db_path.parent / folder


def configured_backup_folder(db_path: str | os.PathLike[str]) -> Path | None:
    """The folder set in `safety.backup_dir` of the file at `db_path`, read without writing
    (None when it is not set or the file cannot be read: missing, not SQLite, damaged where
    the setting is)."""
    from merlet_desk.store.connection import open_raw

    db_path = Path(db_path)
    if not db_path.is_file():
        return None
    try:
        conn = open_raw(db_path, read_only=True, inspect=True)
    except StoreError:
        return None
    try:
        row = conn.execute(
            "SELECT value FROM settings WHERE key = ?", (BACKUP_DIR_SETTING,)
        ).fetchone()
        configured = json.loads(row[0]) if row else None
    except (sqlite_driver.Error, ValueError, TypeError):
        return None
    finally:
        conn.close()
    return _folder_from_setting(db_path, configured)
