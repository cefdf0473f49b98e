"""What a register or a backup holds, and whose register it is: read before a restore.

- `register_facts(conn)`: the counts shown side by side before a restore (pupils, decisions,
  publications, cases, the day the newest decision was recorded), the schema version and the
  register's identity (`store.identity.register_identity`).
- `file_identity(path)` and `file_facts(path)`: the same of a file, opened read-only through
  SQLite (`connection.open_raw`), never read as bytes: a backup may be encrypted, and the
  register itself may be open in this process.

A backup never changes once written, so the identity of a backup file is kept per path, size
and modification time: listing a folder of backups again opens no file twice.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from merlet_desk import sqlite_driver
from merlet_desk.domain.text import count_text
from merlet_desk.store.errors import StoreError
from merlet_desk.store.identity import UNKNOWN, RegisterIdentity, register_identity

# (table, one, many): what the comparison counts, in the order it is shown.
COUNTED: tuple[tuple[str, str, str], ...] = (
    ("pupils", "1 leerling", "%1 leerlingen"),
    ("decisions", "1 besluit", "%1 besluiten"),
    ("form_scans", "1 gescand formulier", "%1 gescande formulieren"),
    ("publications", "1 publicatie", "%1 publicaties"),
    ("cases", "1 incident", "%1 incidenten"),
)


@dataclass(frozen=True)
class RegisterFacts:
    """What a register holds, for the comparison before a restore. A count is None when its
    table is missing (an older schema) or cannot be read."""

    identity: RegisterIdentity
    schema_version: int | None
    counts: dict[str, int | None]  # table -> rows, in the order of COUNTED
    newest_decision: date | None  # the day the newest decision was recorded

    def count(self, table: str) -> int | None:
        return self.counts.get(table)

    def describe(self) -> str:
        """ "2.000 leerlingen, 18.230 besluiten (laatste vastgelegd op 24-11-2026), ...": one
        line for the command line and the restore question at start-up."""
        parts = []
        for table, one, many in COUNTED:
            value = self.counts.get(table)
            if value is None:
                continue
            text = count_text(value, one, many)
            if table == "decisions" and self.newest_decision is not None:
                text += f" (laatste vastgelegd op {self.newest_decision:%d-%m-%Y})"
            parts.append(text)
        return ", ".join(parts) or "geen gegevens geteld"


def register_facts(conn: sqlite_driver.Connection) -> RegisterFacts:
    """The facts of the register open on `conn` (only read)."""
    try:
        version: int | None = int(conn.execute("PRAGMA user_version").fetchone()[0])
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    except sqlite_driver.Error:
        return RegisterFacts(UNKNOWN, None, {table: None for table, *_ in COUNTED}, None)
    counts: dict[str, int | None] = {}
    for table, *_ in COUNTED:
        try:
            counts[table] = (
                int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
                if table in tables
                else None
            )
        except sqlite_driver.Error:
            counts[table] = None
    newest = None
    if "decisions" in tables:
        try:
            value = conn.execute("SELECT max(recorded_at) FROM decisions").fetchone()[0]
            newest = date.fromisoformat(str(value)[:10]) if value else None
        except (sqlite_driver.Error, ValueError):
            newest = None
    return RegisterFacts(register_identity(conn), version, counts, newest)


def file_facts(path: str | os.PathLike[str]) -> RegisterFacts:
    """`register_facts` of the file at `path`, opened read-only. Raises `StoreError` when it
    cannot be opened at all."""
    from merlet_desk.store.connection import open_raw

    conn = open_raw(Path(path), read_only=True, inspect=True)
    try:
        return register_facts(conn)
    finally:
        conn.close()


_identities: dict[tuple[str, int, int], RegisterIdentity] = {}
_identities_lock = threading.Lock()


def file_identity(path: str | os.PathLike[str], *, cached: bool = True) -> RegisterIdentity:
    """Whose register the file at `path` is (UNKNOWN when it cannot be read: damaged, not a
    database, under a key this computer lacks). `cached`: a backup, which never changes, is
    opened once per size and modification time; the live register is read each time."""
    from merlet_desk.store.connection import open_raw

    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        return UNKNOWN
    key = (str(path.absolute()), stat.st_size, stat.st_mtime_ns)
    if cached:
        with _identities_lock:
            if key in _identities:
                return _identities[key]
    try:
        conn = open_raw(path, read_only=True, inspect=True)
    except (StoreError, sqlite_driver.Error):
        return UNKNOWN
    try:
        identity = register_identity(conn)
    finally:
        conn.close()
    if cached:
        with _identities_lock:
            _identities[key] = identity
    return identity
