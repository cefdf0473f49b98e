"""What a PostgreSQL server's errors mean to the program, said in one Dutch line.

Two kinds:

- What a user can act on (the server is gone, asks a password, refuses the login, the
  database is missing, another seat holds the write lock, the disk is full, a read-only
  seat tried to write) becomes a `StoreError`, as SQLite's equivalents do in
  `store.integrity.explain_sqlite_error`: the CLI prints it and exits 2, the window shows it.
- Everything else (a constraint, an append-only trigger, a bug in a query) is raised as a
  subclass of the SQLite library's DB-API class of the same meaning (`IntegrityError`,
  `OperationalError`): every ``except sqlite_driver.Error`` of the program catches a server's
  error too, without knowing which engine it talks to.

Imported only once a server is used (it imports psycopg).
"""

from __future__ import annotations

import psycopg

from merlet_desk import sqlite_driver
from merlet_desk.store.errors import (
    BusyError,
    DatabaseUnavailableError,
    DiskFullError,
    MissingDatabaseError,
    NoPermissionError,
    ReadOnlyError,
    ServerUnavailableError,
    StoreError,
)
from merlet_desk.store.server_url import ServerUrl

UNREACHABLE = "De server is niet bereikbaar"


class PasswordNeededError(ServerUnavailableError):
    """The server asks a password and libpq found none (no ~/.pgpass entry, no PGPASSWORD,
    none in the key store): the window asks for it, the CLI says where to put it."""

    def __init__(self, message: str, target: ServerUrl) -> None:
        super().__init__(message)
        self.target = target


class LoginRefusedError(DatabaseUnavailableError):
    """The server refused the user: wrong password, or no access to that database."""


class ServerIntegrityError(sqlite_driver.IntegrityError):
    """A constraint or one of the register's triggers refused a write (e.g. the append-only
    decision history); the transaction was rolled back."""


class ServerOperationalError(sqlite_driver.OperationalError):
    """Any other error the server reported about a statement."""


def _reason(exc: BaseException) -> str:
    """libpq's reason for a failed connection, in Dutch where it is a common one."""
    text = str(exc).strip()
    lowered = text.lower()
    known = (
        ("connection refused", "de verbinding werd geweigerd (draait de server, klopt de poort?)"),
        ("could not translate host name", "de servernaam is onbekend"),
        ("name or service not known", "de servernaam is onbekend"),
        ("timeout expired", "geen antwoord binnen de wachttijd"),
        ("timed out", "geen antwoord binnen de wachttijd"),
        ("no such file or directory", "er draait hier geen server (geen socket gevonden)"),
        ("server closed the connection", "de verbinding is verbroken"),
        ("terminating connection", "de server is gestopt of herstart"),
        ("connection is lost", "de verbinding is verbroken"),
        ("connection is closed", "de verbinding is verbroken"),
        ("consuming input failed", "de verbinding is verbroken"),
        ("the database system is shutting down", "de server wordt gestopt"),
        ("the database system is starting up", "de server start nog op"),
        ("server does not support ssl", "de server biedt geen versleutelde verbinding (sslmode)"),
        ("certificate verify failed", "het certificaat van de server klopt niet (sslmode)"),
        ("does not match host name", "het certificaat hoort niet bij deze servernaam (sslmode)"),
        ("root certificate file", "het basiscertificaat ontbreekt (sslrootcert, sslmode)"),
        ("network is unreachable", "het netwerk is niet bereikbaar"),
        ("no route to host", "de server is niet bereikbaar over het netwerk"),
    )
    for needle, dutch in known:
        if needle in lowered:
            return dutch
    return text.splitlines()[0] if text else type(exc).__name__


def connect_error(exc: psycopg.Error, target: ServerUrl) -> StoreError:
    """The Dutch line for a connection that could not be made."""
    state = exc.sqlstate or ""
    text = str(exc)
    user = target.user or "(de standaardgebruiker)"
    if "no password supplied" in text or "password is required" in text.lower():
        return PasswordNeededError(
            f"De server {target.host} vraagt een wachtwoord voor {user}. Zet het in ~/.pgpass "
            "(Windows: %APPDATA%\\postgresql\\pgpass.conf) of, voor een script, in PGPASSWORD.",
            target,
        )
    if state in ("28P01", "28000") or "password authentication failed" in text:
        return LoginRefusedError(
            f"De server {target.host} weigert gebruiker {user} voor database "
            f"{target.database}: het wachtwoord klopt niet, of deze gebruiker heeft geen "
            "toegang. Er is niets veranderd."
        )
    if state == "3D000" or ("database" in text and "does not exist" in text):
        return MissingDatabaseError(
            f"De database {target.database} bestaat niet op de server {target.host}. IT maakt "
            "haar aan (docs/deployment.md, Meerdere werkplekken); daarna: merlet-desk server "
            f'init --db "{target}".'
        )
    return ServerUnavailableError(
        f"{UNREACHABLE} ({target}): {_reason(exc)}. Er is niets veranderd."
    )


def connection_lost(exc: BaseException, target: ServerUrl, *, outcome: str) -> StoreError:
    """The Dutch line for a connection that dropped; `outcome` says what that meant for the
    write in progress ("" for a read)."""
    tail = f" {outcome}" if outcome else ""
    return ServerUnavailableError(f"{UNREACHABLE} ({target}): {_reason(exc)}.{tail}")


NOT_SAVED = "De wijziging is niet opgeslagen; er is niets veranderd."
MAYBE_SAVED = (
    "Of de wijziging nog is opgeslagen, is niet zeker: kijk het na zodra de verbinding terug is."
)


def is_connection_error(exc: psycopg.Error, pg: psycopg.Connection[object] | None) -> bool:
    """A dropped connection or a stopping server, not an error about the statement."""
    if pg is not None and pg.broken:
        return True
    state = exc.sqlstate or ""
    if state.startswith("08") or state in ("57P01", "57P02", "57P03"):
        return True
    return isinstance(exc, psycopg.OperationalError) and not state


def _refusal(first: str) -> str:
    """Why the server refused a seat (its rights, `store.engine.access`), in Dutch."""
    if "row-level security" in first:
        return "buiten de eigen locaties"
    if " for table " in first:
        return "geen recht op de tabel " + first.rsplit(" for table ", 1)[1]
    if "to create role" in first:
        return "geen recht om gebruikers te maken"
    return "geen recht"


def statement_error(exc: psycopg.Error, target: ServerUrl) -> BaseException:
    """What a failed statement (not a dropped connection) is to the program."""
    state = exc.sqlstate or ""
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    if state == "55P03":  # lock_not_available: lock_timeout passed
        return BusyError(
            f"{target}: een andere werkplek schrijft nu in het register. Probeer het over een "
            "ogenblik opnieuw; er is niets veranderd."
        )
    if state in ("40001", "40P01"):  # serialization failure, deadlock: nothing was kept
        return BusyError(
            f"{target}: een andere werkplek schreef tegelijk. Probeer het opnieuw; er is niets "
            "veranderd."
        )
    if state == "25006":  # read_only_sql_transaction
        return ReadOnlyError(f"{target} is alleen-lezen geopend: er is niets veranderd.")
    if state == "42501":  # insufficient_privilege, or a row outside the seat's locations
        return NoPermissionError(
            f"{target}: de server staat gebruiker {target.user or '(standaard)'} dit niet toe "
            f"({_refusal(first)}). Er is niets veranderd."
        )
    if state in ("53100", "53200"):  # disk_full, out_of_memory
        return DiskFullError(
            f"{target}: de server heeft geen ruimte meer ({first}). Er is niets veranderd."
        )
    if state == "57014":  # query_canceled: the program stopped it (a closed window)
        return ServerOperationalError("interrupted")
    if state.startswith("23") or state == "P0001":
        return ServerIntegrityError(first)
    return ServerOperationalError(first)
