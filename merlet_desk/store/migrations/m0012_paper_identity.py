"""Schema 12: the register's paper identity exists from the day the file is made.

Every QR code on a printed consent form carries this id (setting `paper_forms.database_id`,
8 hex digits), so that a form of another register is recognised as such. Until now it was made
at the first `report forms`; a restore to a backup from before that day gave the register a
new one, and every form already handed out then read as "formulier van een andere Merlet
Desk-database". From now on:

- a new file gets a random id when it is created (`apply_to_new_file`), so every backup of it
  holds the same id;
- an older file keeps the id it already made (forms on paper keep reading);
- an older file without one gets an id derived from its first policy version (loaded when the
  file was created and never changed), so the file and every backup of it from before this
  migration arrive at the same id, whichever of them is migrated.

Only a setting is added: no row changes, no table changes.
"""

import hashlib
import json
import secrets

from merlet_desk import sqlite_driver

NUMBER = 12
DESCRIPTION = "the register's paper identity from the day the file is made"

SETTING = "paper_forms.database_id"  # store.paper_forms.DATABASE_ID_SETTING


def _has_identity(conn: sqlite_driver.Connection) -> bool:
    row = conn.execute("SELECT value FROM settings WHERE key = ?", [SETTING]).fetchone()
    return row is not None and bool(json.loads(row[0]))


def _store(conn: sqlite_driver.Connection, value: str) -> None:
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [SETTING, json.dumps(value)],
    )


def derived_identity(conn: sqlite_driver.Connection) -> str | None:
    """8 hex digits from the file's first policy version: the same in every copy of it."""
    row = conn.execute(
        "SELECT id, label, title, loaded_at, source FROM policy_versions ORDER BY id LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    digest = hashlib.sha256(b"merlet-desk paper identity\0")
    for part in row:
        digest.update(str(part).encode("utf-8") + b"\0")
    return digest.hexdigest()[:8].upper()


def apply(conn: sqlite_driver.Connection) -> None:
    if _has_identity(conn):
        return
    _store(conn, derived_identity(conn) or secrets.token_hex(4).upper())


def apply_to_new_file(conn: sqlite_driver.Connection) -> None:
    """A file being created: a random id (two files made in the same second differ)."""
    _store(conn, secrets.token_hex(4).upper())
