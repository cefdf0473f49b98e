"""Checking a database file: is it whole, are its references sound, which schema does it have.

`quick_check` is what `open_database` runs before it writes anything; `verification.verify`
(which opens the file itself, so it lives apart from what `connection` imports) reports in
full on a damaged file, a backup, or a file another program has open.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from merlet_desk import sqlite_driver
from merlet_desk.store import migrations
from merlet_desk.store.errors import (
    BusyError,
    DatabaseUnavailableError,
    DiskFullError,
    NotADatabaseError,
    NotWritableError,
    StoreError,
)

MAX_REPORTED = 20  # integrity problems listed; the rest is counted


class DamagedDatabaseError(StoreError):
    """The file is a SQLite database, but damaged or truncated. Nothing was written to it."""

    def __init__(self, message: str, path: Path | None = None, problems: list[str] | None = None):
        super().__init__(message)
        self.path = path
        self.problems = list(problems or [])


def damaged_message(path: Path) -> str:
    """The one Dutch explanation shown by the CLI and the GUI for a damaged file."""
    return (
        f"{path} is beschadigd of afgekapt (de integriteitscontrole van SQLite faalt). "
        "Er is niets naar het bestand geschreven. Zet de nieuwste goede back-up terug "
        "(merlet-desk restore) of laat IT het bestand onderzoeken."
    )


def explain_sqlite_error(exc: sqlite_driver.Error, path: Path | str | None = None) -> StoreError:
    """The true Dutch one-liner for a SQLite error: "damaged" only for real damage.

    Busy, a full disk, a read-only file or folder, a half-finished write that only a writer can
    undo, no access: each gets its own message. "Not a database" (SQLITE_NOTADB: what an
    encrypted file says without its key) is never called damage.
    """
    name = _refined_name(sqlite_driver.error_name(exc), path)
    text = str(exc)
    where = f"{path}: " if path else ""
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text:
        return BusyError(
            f"{where}de database is bezet: een ander programma of venster is er nu mee bezig. "
            "Probeer het over een ogenblik opnieuw; er is niets veranderd."
        )
    if name.startswith("SQLITE_FULL") or "disk is full" in text:
        return DiskFullError(
            f"{where}de schijf is vol. SQLite heeft de wijziging teruggedraaid; er is niets "
            "veranderd. Maak ruimte vrij en probeer het opnieuw."
        )
    if name == "SQLITE_READONLY_ROLLBACK":
        return NotWritableError(
            f"{where}er staat een -journal-bestand naast de database: een schrijver is "
            "halverwege gestopt. Dat kan alleen met schrijfrechten hersteld worden: open de "
            "database één keer gewoon (niet alleen-lezen) in een map die u mag beschrijven."
        )
    if name in ("SQLITE_READONLY_RECOVERY", "SQLITE_READONLY_CANTINIT", "SQLITE_READONLY_CANTLOCK"):
        return NotWritableError(
            f"{where}het -wal- of -shm-bestand naast de database moet hersteld worden en dat kan "
            "alleen met schrijfrechten: open de database één keer gewoon (niet alleen-lezen)."
        )
    if name.startswith("SQLITE_READONLY") or "readonly database" in text:
        return NotWritableError(
            f"{where}de database of haar map kan niet beschreven worden (een alleen-lezen map of "
            "schijf, of geen schrijfrechten). Er is niets veranderd."
        )
    if name.startswith("SQLITE_CANTOPEN") or text == "unable to open database file":
        return DatabaseUnavailableError(
            f"{where}kan niet geopend worden: geen toegang tot het bestand of de map (rechten), "
            "of de map bestaat niet."
        )
    if name in ("SQLITE_PERM", "SQLITE_AUTH"):
        return DatabaseUnavailableError(f"{where}geen toestemming om de database te gebruiken.")
    if name.startswith("SQLITE_IOERR") or "disk I/O error" in text:
        return DatabaseUnavailableError(
            f"{where}een lees- of schrijffout van de schijf ({text}). Er is niets veranderd."
        )
    if name == "SQLITE_NOTADB" or text == "file is not a database":
        return NotADatabaseError(not_readable_message(path or "De database"))
    if name.startswith("SQLITE_CORRUPT") or "malformed" in text:
        return DamagedDatabaseError(
            damaged_message(Path(path)) if path else damaged_message(Path("De database")),
            Path(path) if path else None,
            [text],
        )
    return StoreError(f"{where}{text}")


def not_readable_message(path: Path | str) -> str:
    """What SQLite's "file is not a database" means to the user: the file may be encrypted
    with a key this computer lacks, or be no database at all. Never "restore a backup"."""
    return (
        f"{path} is geen leesbare database: versleuteld met een sleutel die hier ontbreekt, of "
        "geen Merlet Desk-database. Er is niets in geschreven."
    )


def _refined_name(name: str, path: Path | str | None) -> str:
    """SQLCipher's library reports only the primary result code (SQLITE_READONLY, not
    SQLITE_READONLY_ROLLBACK): a hot journal beside the file tells which one it was."""
    if name == "SQLITE_READONLY" and path is not None:
        journal = Path(path).with_name(Path(path).name + "-journal")
        try:
            if journal.stat().st_size > 0:
                return "SQLITE_READONLY_ROLLBACK"
        except OSError:
            pass
    return name


def raise_if_busy(exc: sqlite_driver.Error) -> None:
    """A file another program holds locked is in use, not damaged: say so instead."""
    explained = explain_sqlite_error(exc)
    if isinstance(explained, BusyError):
        raise explained from exc


def raise_unless_damage(exc: sqlite_driver.Error, path: Path) -> None:
    """Raise the true error for anything that is not damage (busy, no access, read-only)."""
    explained = explain_sqlite_error(exc, path)
    if not isinstance(explained, DamagedDatabaseError):
        raise explained from exc


def quick_check(
    conn: sqlite_driver.Connection, limit: int = MAX_REPORTED, path: Path | None = None
) -> list[str]:
    """SQLite's `PRAGMA quick_check`: [] when healthy, else the problems found.

    A file so damaged that SQLite cannot even read its schema yields one problem with the error.
    With `path`, an error that is not damage (no access, read-only) raises its own message.
    """
    try:
        rows = conn.execute(f"PRAGMA quick_check({int(limit)})").fetchall()
    except sqlite_driver.DatabaseError as exc:
        raise_if_busy(exc)
        if path is not None:
            raise_unless_damage(exc, path)
        return [str(exc)]
    problems = [str(row[0]) for row in rows]
    return [] if problems == ["ok"] else problems


@dataclass
class VerifyResult:
    """What `verify` found. `ok` is True only when every check passed."""

    path: Path
    schema_version: int | None = None
    integrity: list[str] = field(default_factory=list)
    foreign_keys: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # tables, indexes, triggers of the schema
    other: list[str] = field(default_factory=list)
    foreign: bool = False  # another program's SQLite file: not ours, which is not damage
    not_a_database: bool = False  # empty, or not a SQLite file at all: also not damage

    @property
    def problems(self) -> list[str]:
        return [*self.other, *self.integrity, *self.foreign_keys, *self.missing]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def bad_input(self) -> bool:
        """The file is no Merlet Desk database at all (empty, not SQLite, another program's):
        the wrong file was named, which is bad input (exit 2), not a damaged register."""
        return self.foreign or self.not_a_database

    def summary(self) -> str:
        """A few Dutch lines for the CLI and the GUI."""
        version = "onbekend" if self.schema_version is None else str(self.schema_version)
        if self.ok:
            return (
                f"{self.path}: in orde (integriteit, verwijzingen en tabellen gecontroleerd, "
                f"schemaversie {version})."
            )
        if self.foreign:  # "damaged" only when a check failed
            return (
                f"{self.path}: geen Merlet Desk-database: een SQLite-bestand van een ander "
                "programma (het kenmerk en de tabellen van Merlet Desk ontbreken). Er is niets "
                "in geschreven."
            )
        if self.not_a_database:
            return f"{self.path}: geen Merlet Desk-database: {self.other[0]}. Er is niets in geschreven."
        lines = [f"{self.path}: BESCHADIGD of onbruikbaar (schemaversie {version})."]
        lines += [f"  - {problem}" for problem in self.problems[:MAX_REPORTED]]
        if len(self.problems) > MAX_REPORTED:
            lines.append(f"  - … en nog {len(self.problems) - MAX_REPORTED} problemen")
        return "\n".join(lines)


_KINDS = {"table": "tabel", "index": "index", "trigger": "trigger", "view": "view"}


@functools.lru_cache(maxsize=8)
def expected_schema(version: int) -> frozenset[tuple[str, str, str]]:
    """(type, name, table) of every table, index, trigger and view the migrations up to
    `version` create, found by running them on an empty database in memory."""
    conn = sqlite_driver.connect(":memory:", isolation_level=None)
    try:
        for module in migrations.MIGRATIONS[:version]:
            conn.execute("BEGIN")
            module.apply(conn)
            conn.execute("COMMIT")
        return frozenset(_schema_of(conn))
    finally:
        conn.close()


def _schema_of(conn: sqlite_driver.Connection) -> set[tuple[str, str, str]]:
    return set(
        conn.execute(
            "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
            " AND type IN ('table', 'index', 'trigger', 'view')"
        ).fetchall()
    )


def missing_from_schema(conn: sqlite_driver.Connection, version: int) -> list[str]:
    """What the file lacks of its schema version: "tabel cases ontbreekt" (a table dropped by
    another tool), "trigger decisions_no_delete ontbreekt" (what keeps history append-only).
    The indexes and triggers of a missing table are not listed again."""
    absent = expected_schema(version) - _schema_of(conn)
    gone = {name for kind, name, _table in absent if kind == "table"}
    order = list(_KINDS)
    return [
        f"{_KINDS[kind]} {name} ontbreekt"
        for kind, name, table in sorted(absent, key=lambda item: (order.index(item[0]), item[1]))
        if kind == "table" or table not in gone
    ]
