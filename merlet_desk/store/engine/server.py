"""A register on a PostgreSQL server, with the surface the store uses of a SQLite one.

`store.open_database` returns a `ServerDatabase` for a ``postgresql://`` target. It offers
what the store, the commands, the reports and the window use of sqlite-utils' `Database`
(`execute`, `atomic()` with nested savepoints, `conn.executemany`, `conn.total_changes`,
`conn.interrupt`, `close`, `read_only`, `query`, `table_names`), so none of them asks which
engine it has. On the way, each statement's spelling is translated (`store.engine.sqltext`)
and each server error is said in the program's terms (`store.engine.errors`).

What the wrapper does to behave like the SQLite connection:

- **Autocommit outside `atomic()`**, as sqlite3 with ``isolation_level=None``.
- **One writer at a time.** SQLite's writers queue on the file (`BEGIN IMMEDIATE`), and
  every check the store makes before a write relies on it: publishing checks consent inside
  the transaction that records the publication, so a withdrawal committed meanwhile is seen;
  a bulk import reads ``max(id)`` and then its own new rows. On the server, the outermost
  write transaction takes a transaction-scoped advisory lock first
  (``pg_advisory_xact_lock``), the database's own lock, released by COMMIT, ROLLBACK or a
  dropped connection (a crashed seat never leaves it behind). Writers from every seat queue
  on it in the order they asked; readers never wait for it (MVCC). The history's ids are
  therefore handed out in commit order. A writer waits at most `LOCK_TIMEOUT` for it.
- **Result types as sqlite3 gives them**: booleans as 0/1, `numeric` (``sum``, ``avg``) as
  int or float, JSON as text; `bool` parameters as 0/1 and `date`/`datetime` ones as ISO
  text (sqlite3's default adapters).
- **`cursor.lastrowid`** after a one-row ``INSERT … VALUES`` into a table with an identity
  id (``RETURNING id`` is appended); `total_changes` counts the rows this connection's
  INSERT, UPDATE and DELETE statements touched.
- **Read-only** seats get ``default_transaction_read_only``: the server refuses any write.

When the connection drops, the error says so in one line (`ServerUnavailableError`), says
whether a write in progress was saved, and `reconnect()` makes a new connection in the same
object, so that every holder of the database (a window, its sections) keeps it.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

import psycopg
from psycopg.adapt import Dumper, Loader
from psycopg.types.numeric import Int8Dumper

from merlet_desk import sqlite_driver
from merlet_desk.store.engine import errors
from merlet_desk.store.engine.dialect import NOTIFY_CHANNEL, POSTGRESQL, Engine
from merlet_desk.store.engine.sqltext import to_server
from merlet_desk.store.errors import ServerUnavailableError, StoreError
from merlet_desk.store.server_url import ServerUrl
from merlet_desk.store.sqlite_utils_import import Database

WRITER_LOCK = 0x4D524C44  # the advisory lock every writer takes first ("MRLD", as the file's mark)
LOCK_TIMEOUT = "20s"  # how long a write waits for another seat's write; SQLite waits 5 s
CONNECT_TIMEOUT = 10  # seconds, unless the URL says otherwise
MINIMUM_SERVER = 130000  # PostgreSQL 13: unaccent is a trusted extension, pg_current_snapshot

Params = Iterable[Any] | Mapping[str, Any] | None

# psycopg warns through its logger when a connection dies under a batch ("error ignored
# terminating Pipeline"). The program says that in its own one line; psycopg's goes to the
# log file like every other message (root's handlers), never bare to the terminal (Python's
# last-resort handler, used when a logger has none).
logging.getLogger("psycopg").addHandler(logging.NullHandler())


class _BoolAsInt(Dumper):
    """`True`/`False` as 1/0, as sqlite3 stores them (the register's flags are integers)."""

    oid = Int8Dumper.oid

    def dump(self, obj: Any) -> bytes:
        return b"1" if obj else b"0"


class _IsoText(Dumper):
    """A `date` or `datetime` parameter as ISO text, as sqlite3's default adapters write it
    (the register keeps dates as text on both engines)."""

    oid = 0  # unknown: the server reads it as the text column it is compared with

    def dump(self, obj: Any) -> bytes:
        text = obj.isoformat(" ") if isinstance(obj, datetime) else obj.isoformat()
        return str(text).encode()


class _BoolAsIntLoader(Loader):
    def load(self, data: Any) -> int:
        return 1 if bytes(data) == b"t" else 0


class _NumberLoader(Loader):
    """`numeric` (what ``sum`` and ``avg`` give) as int when whole, else float: SQLite's
    types for the same results."""

    def load(self, data: Any) -> int | float:
        text = bytes(data).decode()
        if "." in text or "e" in text.lower() or "n" in text.lower():
            return float(Decimal(text))
        return int(text)


class _TextLoader(Loader):
    """JSON as the text it is, as SQLite returns it; the store parses what it reads."""

    def load(self, data: Any) -> str:
        return bytes(data).decode()


class StoreCursor(psycopg.Cursor[Any]):
    """psycopg's cursor with sqlite3's `lastrowid` (see `ServerConnection.execute`)."""

    lastrowid: int | None = None


def _arguments(params: Params) -> tuple[Any, ...] | dict[str, Any]:
    if params is None:
        return ()
    if isinstance(params, Mapping):
        return dict(params)
    return tuple(params)


class ServerConnection:
    """The connection under a `ServerDatabase`: sqlite3's `Connection` surface that the store
    uses (`execute`, `executemany`, `total_changes`, `in_transaction`, `interrupt`, `close`),
    over a psycopg connection in autocommit mode."""

    engine: Engine = POSTGRESQL

    def __init__(self, target: ServerUrl, *, read_only: bool, password: str | None = None):
        self.target = target
        self.read_only = read_only
        self.total_changes = 0
        self._password = password
        self._lock = threading.RLock()
        self._depth = 0  # nesting of `transaction()`: 0 outside one
        self._listening = False
        self._pipelined = False  # inside `pipeline()`
        self._prepared = False  # inside `planned_once()`: statements are prepared
        self._other_commits = 0
        # Learned at the first INSERT that needs it: a read-only open or a report never
        # asks, and a new connection's first look at the catalogue is its costliest query.
        self._identity_tables: frozenset[str] | None = None
        self._pg = self._connect()

    # -- connecting -----------------------------------------------------------------------

    def _connect(self) -> psycopg.Connection[Any]:
        # Only the statements of `planned_once` are prepared (psycopg would prepare any
        # statement after its fifth run), and a prepared one keeps one plan for any
        # parameters; every other statement is planned for its parameters each time.
        settings = [f"lock_timeout={LOCK_TIMEOUT}", "plan_cache_mode=force_generic_plan"]
        if self.read_only:
            settings.append("default_transaction_read_only=on")
        kwargs: dict[str, Any] = {
            "autocommit": True,
            "application_name": "merlet-desk",
            "options": " ".join(f"-c {setting}" for setting in settings),
            "cursor_factory": StoreCursor,
            # Never by itself (None would refuse `prepare=True` too).
            "prepare_threshold": 2**31,
        }
        if "connect_timeout" not in self.target.conninfo:
            kwargs["connect_timeout"] = CONNECT_TIMEOUT
        if self._password is not None:
            kwargs["password"] = self._password
        try:
            pg = psycopg.connect(self.target.conninfo, **kwargs)
        except psycopg.Error as exc:
            raise errors.connect_error(exc, self.target) from None
        if pg.info.server_version < MINIMUM_SERVER:
            version = pg.info.server_version
            pg.close()
            raise ServerUnavailableError(
                f"{self.target}: de server draait PostgreSQL {version // 10000}; Merlet Desk "
                f"heeft versie {MINIMUM_SERVER // 10000} of nieuwer nodig."
            )
        adapters = pg.adapters
        adapters.register_dumper(bool, _BoolAsInt)
        adapters.register_dumper(date, _IsoText)
        adapters.register_dumper(datetime, _IsoText)
        adapters.register_loader("bool", _BoolAsIntLoader)
        adapters.register_loader("numeric", _NumberLoader)
        adapters.register_loader("json", _TextLoader)
        adapters.register_loader("jsonb", _TextLoader)
        return pg

    def refresh_identity_tables(self) -> None:
        """Forget which tables have an identity `id` (for `lastrowid`), after the schema
        changed (a migration): the next INSERT that needs it reads the catalogue again."""
        self._identity_tables = None

    def _identity(self) -> frozenset[str]:
        if self._identity_tables is None:
            rows = self._pg.execute(
                "SELECT c.relname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
                " WHERE c.relnamespace = to_regnamespace(current_schema())"
                " AND a.attname = 'id' AND a.attidentity <> '' AND NOT a.attisdropped"
            ).fetchall()
            self._identity_tables = frozenset(row[0] for row in rows)
        return self._identity_tables

    def reconnect(self) -> None:
        """A new connection to the same server in place of a dropped one (raises the
        connection error again while the server is still away)."""
        with self._lock:
            old = self._pg
            self._pg = self._connect()
            with contextlib.suppress(psycopg.Error):
                old.close()
            self.refresh_identity_tables()
            self._listening = False
            self._other_commits += 1  # whatever was committed meanwhile is news

    def other_commits(self, *, answered: bool = False) -> int:
        """How many commits of other connections this one has heard of: SQLite's
        `PRAGMA data_version` (which moves when another connection commits, never for this
        one's own writes). The first call starts listening to the register's change notices
        (`engine.schema.CHANGE_NOTICES`); each later one takes what arrived meanwhile.

        As exact as SQLite's: a commit that returned before this call is counted. The
        committing server process signals the listeners before its COMMIT returns, and the
        server sends a pending notice before it answers a statement, so one round trip
        (``SELECT 1``) brings every such notice in; without it a notice still on its way
        (a few milliseconds) would be missed by this call.

        `answered`: the caller's own reads were answered just now, which brought in every
        notice of a commit that returned before they were sent; no round trip of its own
        then (when already listening)."""
        with self._lock, self.translated_errors():
            if not self._listening:
                self._pg.execute(f"LISTEN {NOTIFY_CHANNEL}")
                self._listening = True
            elif not answered:
                self._pg.execute("SELECT 1")
            own = self._pg.info.backend_pid
            for notice in self._pg.notifies(timeout=0):
                if notice.pid != own:
                    self._other_commits += 1
        return self._other_commits

    @property
    def broken(self) -> bool:
        return self._pg.broken or self._pg.closed

    @property
    def pg(self) -> psycopg.Connection[Any]:
        """The psycopg connection itself, for the server-only code (copy, backup, notify)."""
        return self._pg

    # -- statements -----------------------------------------------------------------------

    @contextlib.contextmanager
    def translated_errors(self, *, writes: bool = False) -> Iterator[None]:
        """Say a server error in the program's terms (see `store.engine.errors`)."""
        try:
            yield
        except psycopg.Error as exc:
            if errors.is_connection_error(exc, self._pg):
                outcome = ""
                if self.in_transaction or writes:
                    outcome = errors.NOT_SAVED if self.in_transaction else errors.MAYBE_SAVED
                raise errors.connection_lost(exc, self.target, outcome=outcome) from None
            raise errors.statement_error(exc, self.target) from exc

    def execute(self, sql: str, params: Params = None) -> StoreCursor:
        statement = to_server(sql)
        arguments = _arguments(params)
        with self._lock, self.translated_errors(writes=statement.writes):
            cursor = cast(StoreCursor, self._pg.cursor())
            if statement.returning_table and statement.returning_table in self._identity():
                cursor.execute(statement.sql + " RETURNING id", arguments)
                rows = cursor.fetchall()
                cursor.lastrowid = int(rows[-1][0]) if rows else None
            else:
                cursor.execute(statement.sql, arguments, prepare=self._prepared or None)
            if statement.writes:
                self.total_changes += max(cursor.rowcount, 0)
        return cursor

    def executemany(self, sql: str, seq_of_params: Iterable[Params]) -> StoreCursor:
        statement = to_server(sql)
        rows = [_arguments(params) for params in seq_of_params]
        with self._lock, self.translated_errors(writes=statement.writes):
            cursor = cast(StoreCursor, self._pg.cursor())
            if rows:
                cursor.executemany(statement.sql, rows)
            if statement.writes:
                self.total_changes += max(cursor.rowcount, 0)
        return cursor

    def stream(self, sql: str, params: Params = None, size: int = 500) -> Iterator[tuple[Any, ...]]:
        """The rows of a big read, `size` at a time: a server-side cursor inside a
        transaction (a copy's snapshot), else an ordinary read."""
        statement = to_server(sql)
        arguments = _arguments(params)
        if self._depth == 0:
            yield from self.execute(sql, params)
            return
        with self._lock, self.translated_errors():
            cursor = self._pg.cursor(name=f"merlet_stream_{id(statement)}")
            try:
                cursor.execute(statement.sql, arguments)
                while batch := cursor.fetchmany(size):
                    yield from batch
            finally:
                cursor.close()

    def execute_script(self, script: str) -> None:
        """Run server SQL as written (no translation: the PostgreSQL side of a migration,
        with its own `$$` function bodies)."""
        with self._lock, self.translated_errors(writes=True):
            self._pg.execute(cast(Any, script))

    @contextlib.contextmanager
    def pipeline(self) -> Iterator[None]:
        """Reads executed in this block are sent together and answered in one round trip,
        at its end (psycopg's pipeline mode); their cursors hold the rows after it. Each
        query on its own costs a round trip to the server, which on a busy machine is also
        a wait until the server's process gets a turn: a dozen of them cost more than the
        queries. Only for reads: a write's row count is not known inside the block."""
        with self._lock:
            if self._pipelined:  # inside another: it answers them all at its end
                yield
                return
            self._pipelined = True
            try:
                with self.translated_errors(), self._pg.pipeline():
                    yield
            finally:
                self._pipelined = False

    @contextlib.contextmanager
    def planned_once(self) -> Iterator[None]:
        """Reads executed in this block are sent together (as `pipeline`), each as a
        prepared statement that the server plans once for this connection, with a plan for
        any parameters (``plan_cache_mode = force_generic_plan``, which only prepared
        statements follow, and only these are prepared). For the small reads that follow
        every decision: the server otherwise plans their joins again each time, which took
        ten times as long as running them. Not for reads whose best plan depends on the
        parameters (a list of thousands of pupils, the whole register)."""
        with self._lock, self.pipeline():
            if self._prepared:
                yield
                return
            self._prepared = True
            try:
                yield
            finally:
                self._prepared = False

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    @contextlib.contextmanager
    def transaction(self, *, write: bool) -> Iterator[None]:
        """A transaction, or a savepoint inside one. The outermost write transaction takes
        the writer lock first (see the module docstring).

        A dropped connection is said in one line: "not saved" when it dropped before the
        COMMIT was sent (the server rolls such a transaction back), "not sure" when the
        COMMIT itself got no answer."""
        outermost = self._depth == 0
        body_done = False
        with self._lock:
            try:
                with self._pg.transaction():
                    self._depth += 1
                    try:
                        if outermost and write and not self.read_only:
                            with self.translated_errors(writes=True):
                                self._pg.execute("SELECT pg_advisory_xact_lock(%s)", [WRITER_LOCK])
                        yield
                        body_done = True
                    finally:
                        self._depth -= 1
            except psycopg.Error as exc:  # BEGIN, COMMIT or a raw statement in the body
                if errors.is_connection_error(exc, self._pg):
                    saved = errors.MAYBE_SAVED if body_done and outermost else errors.NOT_SAVED
                    raise errors.connection_lost(exc, self.target, outcome=saved) from None
                raise errors.statement_error(exc, self.target) from exc

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """One consistent view of the whole register for a long read (a backup): a
        ``REPEATABLE READ, READ ONLY`` transaction. Writers of other seats go on meanwhile;
        what they commit is not seen."""
        with self._lock, self.translated_errors():
            with self._pg.transaction():
                self._depth += 1
                try:
                    self._pg.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    yield
                finally:
                    self._depth -= 1

    def interrupt(self) -> None:
        """Stop the statement running now (a window closing while a worker reads)."""
        with contextlib.suppress(psycopg.Error):
            self._pg.cancel_safe(timeout=5)

    def set_progress_handler(self, handler: Any, n: int) -> None:
        """SQLite calls a handler to let a long statement be stopped; on the server,
        `interrupt` cancels it instead, so there is nothing to install."""

    def close(self) -> None:
        with contextlib.suppress(psycopg.Error):
            self._pg.close()


class ServerDatabase(Database):
    """A register on a PostgreSQL server, used as the store uses a SQLite `Database`.

    A subclass of sqlite-utils' `Database` for the type checker only: its constructor does not
    run, and every method the program calls is defined here. A sqlite-utils helper that the
    program does not use (`db["table"].insert(...)`) would send SQLite's catalogue queries to
    the server and fail there, loudly."""

    engine: Engine = POSTGRESQL
    integrity_gate = None  # SQLite's deferred file check; a server checks itself

    def __init__(self, conn: ServerConnection, *, read_only: bool) -> None:
        # No super().__init__: it wants a SQLite connection (see the class docstring).
        # The store's signatures say sqlite3: duck-typed (execute, executemany,
        # total_changes, in_transaction, interrupt, close), see ServerConnection.
        self.conn = cast(sqlite_driver.Connection, conn)
        self.server = conn
        self.read_only = read_only
        self.target = conn.target

    def execute(self, sql: str, parameters: Params = None) -> sqlite_driver.Cursor:
        # The store reads fetchone/fetchall/iteration/rowcount/lastrowid/description.
        return cast(sqlite_driver.Cursor, self.server.execute(sql, parameters))

    def query(  # type: ignore[override]
        self, sql: str, params: Params = None
    ) -> Iterator[dict[str, Any]]:
        cursor = self.server.execute(sql, params)
        names = [column.name for column in cursor.description or ()]
        for row in cursor:
            yield dict(zip(names, row, strict=True))

    def table_names(self, fts4: bool = False, fts5: bool = False) -> list[str]:
        from merlet_desk.store.engine.dialect import table_names

        return table_names(self)

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Database]:
        """A transaction (a savepoint when nested), all or nothing, as on SQLite."""
        with self.server.transaction(write=not self.read_only):
            yield self

    def wait_for_integrity_check(self) -> None:
        """SQLite checks a file before the first write; a server checks its own pages."""

    def reconnect(self) -> None:
        """Connect again after the server was away; raises `ServerUnavailableError` while it
        still is."""
        self.server.reconnect()

    def close(self) -> None:
        self.server.close()

    def __repr__(self) -> str:
        return f"<ServerDatabase {self.target}>"


def connect(target: ServerUrl, *, read_only: bool, password: str | None = None) -> ServerDatabase:
    """A connection to `target` (not yet checked to be a register: `open_database` does)."""
    conn = ServerConnection(target, read_only=read_only, password=password)
    return ServerDatabase(conn, read_only=read_only)


def is_server_database(db: object) -> bool:
    return isinstance(db, ServerDatabase)


__all__ = [
    "LOCK_TIMEOUT",
    "ServerConnection",
    "ServerDatabase",
    "StoreError",
    "connect",
]
