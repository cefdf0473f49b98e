"""A whole register from one engine to the other: a file onto a server, a server into a file.

    copy_register(source, target)       # every row of every table, ids kept, then verified

Used by `server copy FILE --db URL` and `restore FILE --db URL` (a file onto an empty server
database, in the target's one transaction) and by `backup --db URL -o FILE`
(`backup_to_file`: one ``REPEATABLE READ`` snapshot of the server into a new, ordinary
register file that opens read-only anywhere, without a network). The target is a register just made (its schema at the latest
version, the migrations' seeds in it); the seeds are removed and the source's rows written
with their own ids, so case references, form codes and publication ids mean the same on both
sides. On a server each id sequence is then moved past the highest copied id.

Verified before the caller commits: the number of rows of every table, and a checksum of
every row of every table (every decision, every scan's image and every piece of evidence
among them), read back from the target inside the same transaction. A difference raises
`CopyMismatchError` and the caller's transaction rolls back.

Both sides must be at the same schema version with the same columns; the tables are copied
in the order their foreign keys need (from the SQLite side's schema).
"""

from __future__ import annotations

import hashlib
import os
import struct
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from merlet_desk.domain.text import count_text
from merlet_desk.store.engine.dialect import on_server, table_columns, table_names
from merlet_desk.store.errors import StoreError
from merlet_desk.store.sqlite_utils_import import Database

BATCH = 500  # rows read and written at a time (scans are 100-150 kB each)

# The tables whose checksums the report names (the issue asks for these by name).
NAMED = {
    "decisions": "besluiten",
    "form_scans": "scans",
    "case_evidence": "bewijsstukken",
}


class CopyMismatchError(StoreError):
    """The copy does not match its source; nothing was kept."""


@dataclass
class CopyReport:
    """What was copied: rows and a checksum per table, in copy order."""

    rows: dict[str, int] = field(default_factory=dict)
    checksums: dict[str, str] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """One line per table with rows, for the command's output."""
        out = []
        for table, count in self.rows.items():
            if not count:
                continue
            line = f"  {table}: {count_text(count, '1 rij', '%1 rijen')}"
            if table in NAMED:
                line += f" (controlegetal {NAMED[table]}: {self.checksums[table][:16]})"
            out.append(line)
        return out

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _sqlite_side(source: Database, target: Database) -> Database:
    return target if on_server(source) else source


def copy_order(db: Database) -> list[str]:
    """The register's tables in an order where every table comes after the tables its
    foreign keys point to (from a SQLite register's schema)."""
    tables = table_names(db)
    needs = {
        table: {row[2] for row in db.execute(f'PRAGMA foreign_key_list("{table}")')} - {table}
        for table in tables
    }
    ordered: list[str] = []
    while needs:
        ready = sorted(table for table, parents in needs.items() if parents <= set(ordered))
        if not ready:  # pragma: no cover - a cycle; the schema has none
            raise StoreError(f"kringverwijzing tussen de tabellen {sorted(needs)}")
        ordered.extend(ready)
        for table in ready:
            del needs[table]
    return ordered


def _key_columns(db: Database, table: str) -> list[str]:
    """The primary key's columns (SQLite side), else every column: a stable row order."""
    info = list(db.execute(f'PRAGMA table_info("{table}")'))
    keys = [row[1] for row in sorted(info, key=lambda row: row[5]) if row[5]]
    return keys or [row[1] for row in info]


def _quoted(columns: Iterable[str]) -> str:
    return ", ".join(f'"{column}"' for column in columns)


def _rows(db: Database, sql: str) -> Iterator[tuple[Any, ...]]:
    """The rows of `sql`, a batch at a time (a server-side cursor on the server)."""
    if on_server(db):
        yield from db.server.stream(sql)  # type: ignore[attr-defined]
        return
    cursor = db.execute(sql)
    while batch := cursor.fetchmany(BATCH):
        yield from batch


def _encode(value: Any) -> bytes:
    """One value, typed, for a checksum that is the same on both engines."""
    if value is None:
        return b"n"
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int):
        return b"i" + str(value).encode()
    if isinstance(value, float):
        return b"f" + repr(value).encode()
    if isinstance(value, str):
        data = value.encode()
        return b"s" + struct.pack(">Q", len(data)) + data
    data = bytes(value)
    return b"b" + struct.pack(">Q", len(data)) + data


def table_checksum(
    db: Database, table: str, columns: list[str], order: list[str]
) -> tuple[int, str]:
    """(rows, SHA-256 of every row in key order) of `table` in `db`."""
    digest = hashlib.sha256()
    count = 0
    sql = f'SELECT {_quoted(columns)} FROM "{table}" ORDER BY {_quoted(order)}'
    for row in _rows(db, sql):
        count += 1
        for value in row:
            digest.update(_encode(value))
        digest.update(b"\n")
    return count, digest.hexdigest()


def copy_register(source: Database, target: Database) -> CopyReport:
    """Copy every row of `source` into the new register `target` and verify it (see the
    module docstring). Runs inside the caller's transaction on `target`."""
    reference = _sqlite_side(source, target)
    order = copy_order(reference)
    missing = set(table_names(source)) ^ set(order)
    if missing or set(table_names(target)) != set(order):
        raise CopyMismatchError(
            "De twee registers hebben niet dezelfde tabellen "
            f"({', '.join(sorted(missing or set(table_names(target)) ^ set(order)))}); "
            "er is niets gekopieerd."
        )
    columns = {table: table_columns(reference, table) for table in order}
    for table in order:
        for side in (source, target):
            if table_columns(side, table) != columns[table]:
                raise CopyMismatchError(
                    f"De tabel {table} heeft aan beide kanten niet dezelfde kolommen; er is "
                    "niets gekopieerd."
                )
    with target.atomic():
        for table in reversed(order):  # the new register's seeds
            target.execute(f'DELETE FROM "{table}"')
        for table in order:
            _copy_table(source, target, table, columns[table])
        if on_server(target):
            _move_sequences(target, order)
        report = CopyReport()
        for table in order:
            keys = _key_columns(reference, table)
            expected = table_checksum(source, table, columns[table], keys)
            found = table_checksum(target, table, columns[table], keys)
            if expected != found:
                raise CopyMismatchError(
                    f"De kopie van de tabel {table} klopt niet met het origineel ({expected[0]} "
                    f"rijen, gekopieerd {found[0]}); er is niets bewaard."
                )
            report.rows[table], report.checksums[table] = expected
        if on_server(target):
            # A register copied in one go has no statistics until autovacuum comes by: the
            # server's planner guessed meanwhile, and read the register's rows four times as
            # slowly as the file (figure 8c, measured right after the copy).
            target.execute("ANALYZE " + _quoted(order))
    return report


def _copy_table(source: Database, target: Database, table: str, columns: list[str]) -> None:
    select = f'SELECT {_quoted(columns)} FROM "{table}"'
    insert = f'INSERT INTO "{table}" ({_quoted(columns)}) VALUES ({", ".join("?" * len(columns))})'
    batch: list[tuple[Any, ...]] = []
    for row in _rows(source, select):
        batch.append(tuple(row))
        if len(batch) >= BATCH:
            target.conn.executemany(insert, batch)
            batch = []
    if batch:
        target.conn.executemany(insert, batch)


def _move_sequences(target: Database, order: list[str]) -> None:
    """Each identity sequence past the highest copied id, so new rows get new ids."""
    for table in order:
        if "id" not in table_columns(target, table):
            continue
        target.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
            f' COALESCE((SELECT max(id) FROM "{table}"), 0) + 1, false)'
            f" WHERE pg_get_serial_sequence('{table}', 'id') IS NOT NULL"
        )


def backup_to_file(source: Database, target: Path) -> CopyReport:
    """Write the server register `source` into the new file `target`, from one consistent
    snapshot, whole or not at all.

    The file is made beside `target` under a temporary name (readable by its owner only: it
    holds data about minors), filled and verified, switched to a single self-contained file
    (rollback journal, as every backup is) and only then renamed: an ordinary Merlet Desk
    register that opens read-only anywhere. A failure (the server gone, a full disk) leaves
    nothing behind."""
    from merlet_desk.errors import os_error_reason
    from merlet_desk.store.connection import open_raw
    from merlet_desk.store.database import open_database

    if not on_server(source):
        raise TypeError("backup_to_file copies a register on a server")

    def failed(reason: str) -> StoreError:
        return StoreError(f"De back-up naar {target} is mislukt: {reason}. Er is niets geschreven.")

    try:
        handle, name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=target.parent
        )
        os.close(handle)
    except OSError as exc:
        raise failed(os_error_reason(exc)) from exc
    temporary = Path(name)
    try:
        copy = open_database(temporary)
        try:
            with source.server.snapshot():  # type: ignore[attr-defined]
                report = copy_register(source, copy)
        finally:
            copy.close()
        conn = open_raw(temporary, read_only=False)
        try:
            conn.execute("PRAGMA journal_mode = DELETE")
        finally:
            conn.close()
        if os.name == "posix":
            os.chmod(temporary, 0o600)
        os.replace(temporary, target)
    except OSError as exc:
        raise failed(os_error_reason(exc)) from exc
    finally:
        for leftover in (
            temporary,
            *(Path(f"{temporary}{s}") for s in ("-wal", "-shm", "-journal")),
        ):
            leftover.unlink(missing_ok=True)
    return report
