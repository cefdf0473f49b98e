"""The one place where a database connection is made.

Everything that touches the SQLite file goes through `store.open_database` (`database.py`,
which opens through this module), so that encryption at rest (SQLCipher) and a server
database are added here without touching the callers. `open_raw` is its low-level sibling for
the safety code (verify, backup, restore), which must read damaged files and backups that
`open_database` would refuse. `open_database` itself lives apart because it backs a file up
before migrating it, and the backups open their files through this module.

Encryption at rest: every connection is SQLCipher's (`merlet_desk.sqlite_driver`). A file that
SQLite reads without a key is plain; one it does not ("file is not a database") is opened with
the first key at hand that fits (`store.keys`: the key file given, else each key in this
user's key store), and a file no key opens gets one Dutch line that says what to do
(`keys.no_key_error`), the file only read. A new file is plain unless a key is given.

Before anything is written to an existing file (settling its journal mode or migrating both
write), the file gets a `PRAGMA quick_check`: a damaged or truncated file raises
`DamagedDatabaseError` untouched, and a file with pending migrations is first backed up.

The journal mode is a property of the file and its place, decided once and never switched per
command: WAL for a file on a local disk, a rollback journal (`DELETE`) on a network share, where
WAL does not work (`journal_mode_for`). A new file gets it when it is created, a restored file
when it is put back, and a file found in the other mode (made by an older version, which left
every file in rollback mode, or moved to or from a share) at the first open of a writer
(`settle_journal_mode`). Nothing here reads the database file or its side files except through
SQLite (`merlet_desk.sqlite_files`): a plain `open()` and `close()` would drop this process's locks on it.
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading
import time
from collections.abc import Generator
from pathlib import Path

from merlet_desk import sqlite_driver
from merlet_desk.sqlite_files import (
    file_uri,
    is_not_a_database,
    note_encrypted_database,
    reads_through_wal,
    side_file,
    sqlite_error,
)
from merlet_desk.store.errors import (
    DatabaseUnavailableError,
    KeyFileError,
    MissingDatabaseError,
    NotADatabaseError,
    NotWritableError,
    StoreError,
    os_error_reason,
)
from merlet_desk.store.integrity import (
    DamagedDatabaseError,
    damaged_message,
    explain_sqlite_error,
)
from merlet_desk.store.netshare import network_share_kind
from merlet_desk.store.sqlite_utils_import import Database

BUSY_TIMEOUT_MS = 5000


def _kind_problem(path: Path) -> str | None:
    """Why `path` cannot be a database file, from `stat` alone (never opened: a FIFO blocks)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DatabaseUnavailableError(
            f"{path} kan niet gelezen worden: {os_error_reason(exc)}."
        ) from exc
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return f"{path} is een map, geen databasebestand."
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return f"{path} is een apparaat (device), geen databasebestand. Er is niets geschreven."
    if stat.S_ISFIFO(mode):
        return f"{path} is een pipe (FIFO), geen databasebestand. Er is niets geschreven."
    return f"{path} is geen gewoon bestand (socket of ander speciaal bestand)."


def refuse_special_file(path: Path) -> None:
    """Refuse a folder, device, pipe or socket (from `stat`; a missing path passes)."""
    problem = _kind_problem(Path(path).expanduser())
    if problem:
        raise DatabaseUnavailableError(problem)


def missing_message(path: Path, empty: bool = False) -> str:
    what = "is leeg (0 bytes)" if empty else "bestaat niet"
    return (
        f"{path} {what}; dat is geen Merlet Desk-database. Controleer het pad, of maak een "
        f'nieuwe database met: merlet-desk init --db "{path}"'
    )


def check_database_file(path: Path) -> None:
    """Refuse, from `stat` and SQLite's first look alone, a path that cannot be a Merlet Desk
    database: missing, empty, a folder, device or pipe, or not a SQLite file."""
    path = Path(path).expanduser()
    refuse_special_file(path)
    if not path.exists():
        raise MissingDatabaseError(missing_message(path))
    if path.stat().st_size == 0:
        raise MissingDatabaseError(missing_message(path, empty=True))
    _check_existing_file(path)


def _check_existing_file(path: Path) -> None:
    """Refuse, without writing a byte, a file that cannot be read. Asked through SQLite
    (`merlet_desk.sqlite_files`), never opened. Whether it is a database at all is decided
    when it is opened (`_connect`): an encrypted file reads as "not a database" without its
    key, just as a text file does; only a key tells them apart."""
    refuse_special_file(path)
    error = sqlite_error(path)
    if error is None or is_not_a_database(error):
        return
    if sqlite_driver.error_name(error).startswith("SQLITE_CANTOPEN"):
        reason = "geen toestemming (rechten)" if not os.access(path, os.R_OK) else str(error)
        raise DatabaseUnavailableError(f"{path} kan niet gelezen worden: {reason}.")
    # Anything else (damage on the first page, an I/O error) is found and explained by the
    # open itself and its integrity check.


def not_sqlite_message(path: Path) -> str:
    return f"{path} is geen Merlet Desk-database (geen SQLite-bestand)."


def may_be_encrypted(path: Path) -> bool:
    """Whether a file SQLite cannot read without a key may be an encrypted database: SQLCipher
    writes whole pages (a multiple of 512 bytes) and nothing in them can be told from random
    bytes, so the size is all there is to go by (`stat` only)."""
    try:
        size = path.stat().st_size
    except OSError:
        return False
    return size >= 512 and size % 512 == 0


def _create_empty_file(path: Path) -> None:
    """Create the file readable and writable by its owner only (it holds data about minors)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except OSError as exc:
        raise DatabaseUnavailableError(
            f"{path} kan niet aangemaakt worden: {os_error_reason(exc)}."
        ) from exc


def _nonempty(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


def reader_uri(path: Path, *, inspect: bool = False) -> str:
    """How a reader opens `path` without writing to it or leaving any file beside it.

    - A `-shm` or `-journal` beside it (a writer has it open, crashed, or stopped halfway):
      `mode=ro`, which reads through those files and creates none; SQLite says itself when a
      half-finished write needs a writer first.
    - A file in rollback-journal mode (a file on a network share): `mode=ro`. SQLite's locks
      work, a writer elsewhere is seen, and nothing is created.
    - A file in WAL mode (every local file) with nothing beside it: nobody has it open.
      - Where this process may write the folder and the file: opened like a writer but
        `PRAGMA query_only` (`mode=rw`, see `_reader`), so that SQLite keeps its WAL locks
        (a writer who comes meanwhile is seen, never half) and, as the last connection, removes
        the `-wal` and `-shm` it made again when it closes.
      - Where it cannot (a read-only folder or disk, a share): `immutable`. Only safe because
        nobody who cannot create a `-shm` there can write the file; a writer who can creates
        one as it opens, and every later connection (each worker job, each command) uses it.
    - A WAL file whose `-wal` holds changes but whose `-shm` is missing: refused with its own
      message, since `immutable` would skip those changes.
    - `inspect` (verify, backups, damaged files): `immutable` whenever nothing is beside it.
    """
    return _reader(path, inspect=inspect)[0]


def _reader(path: Path, *, inspect: bool = False, key: bytes | None = None) -> tuple[str, bool]:
    """`reader_uri` and whether the connection must be made `query_only` (a `mode=rw` one)."""
    read_only = file_uri(path, mode="ro")
    wal, shm, journal = (side_file(path, s) for s in ("-wal", "-shm", "-journal"))
    if shm.exists() or journal.exists():
        return read_only, False
    changes = _nonempty(wal)
    if inspect:
        return (read_only if changes else file_uri(path, mode="ro", immutable="1")), False
    if not reads_through_wal(path, key=key):  # an encrypted file's header needs its key
        return read_only, False
    if changes:
        raise NotWritableError(
            f"{path}: naast de database staat een -wal-bestand met wijzigingen maar geen "
            "-shm-bestand, en zonder dat kan alleen-lezen die wijzigingen niet lezen. Open de "
            "database één keer gewoon (niet alleen-lezen), met schrijfrechten op de map."
        )
    if not_writable_reason(path) is None and not network_share_kind(path):
        return file_uri(path, mode="rw"), True
    return file_uri(path, mode="ro", immutable="1"), False


class _Detect:
    """The key of a file is found out: plain, or the first key at hand that opens it."""


DETECT = _Detect()
KeyChoice = bytes | None | _Detect


def _open_connection(
    path: Path, read_only: bool, *, inspect: bool = False, key: bytes | None = None
) -> sqlite_driver.Connection:
    # Worker threads open their own connection (`ui/common/tasks.py`), never borrow the GUI's
    # ; check_same_thread stays off for the tests that race two threads.
    factory = sqlite_driver.KeyedConnection
    try:
        if read_only:
            uri, query_only = _reader(path, inspect=inspect, key=key)
            conn = sqlite_driver.connect(
                uri, uri=True, isolation_level=None, check_same_thread=False, factory=factory
            )
        else:
            query_only = False
            conn = sqlite_driver.connect(
                str(path), isolation_level=None, check_same_thread=False, factory=factory
            )
    except sqlite_driver.Error as exc:
        raise explain_sqlite_error(exc, path) from exc
    try:
        if key is not None:
            _apply_key(conn, key)
        if query_only:
            conn.execute("PRAGMA query_only = ON")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite_driver.Error as exc:
        conn.close()
        raise explain_sqlite_error(exc, path) from exc
    return conn


def _apply_key(conn: sqlite_driver.Connection, key: bytes) -> None:
    # A raw 256-bit key ("x'...'"): no key derivation on each open (SQLCipher's passphrase
    # route costs 256,000 PBKDF2 rounds, a quarter of a second, per connection). Given before
    # anything reads the file.
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.key = key  # type: ignore[attr-defined]  # a KeyedConnection (`_open_connection`)


def page_one_reads(conn: sqlite_driver.Connection) -> bool:
    """False when SQLite says "file is not a database": a key is missing or wrong (or the file
    is no database). Anything else (damage further on, busy) is for the caller to find."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite_driver.DatabaseError as exc:
        return not is_not_a_database(exc)
    return True


def _connect(
    path: Path, read_only: bool, *, inspect: bool = False, key: KeyChoice = DETECT
) -> sqlite_driver.Connection:
    """A connection to `path`: plain (`key` None), under `key`, or (DETECT) plain when SQLite
    reads it so and else under the first key at hand that opens it (`store.keys`: the key
    file given, or this user's key store). A key that does not fit raises the error that says
    what to do (`keys.no_key_error`); the file is only read, never written."""
    if isinstance(key, bytes):
        conn = _open_connection(path, read_only, inspect=inspect, key=key)
        if not page_one_reads(conn):
            conn.close()
            from merlet_desk.store import keys

            raise keys.wrong_key_error(path, key)
        note_encrypted_database(path)
        return conn
    conn = _open_connection(path, read_only, inspect=inspect)
    if key is None or page_one_reads(conn):
        return conn
    conn.close()
    # Here, not at the top: a plain register opens without the key file and the key store.
    from merlet_desk.store import keys

    try:
        candidates = keys.candidate_keys()
    except KeyFileError:
        if not may_be_encrypted(path):  # a text file named by mistake: not the key's fault
            raise NotADatabaseError(not_sqlite_message(path)) from None
        raise
    for candidate in candidates.keys:
        conn = _open_connection(path, read_only, inspect=inspect, key=candidate)
        if page_one_reads(conn):
            note_encrypted_database(path)
            return conn
        conn.close()
    if not may_be_encrypted(path):
        raise NotADatabaseError(not_sqlite_message(path))
    raise keys.no_key_error(path, candidates)


def opens_with_a_key_at_hand(path: Path) -> bool:
    """Whether `path` is an encrypted database that a key at hand (the key file given, the
    key store) opens: an output must never overwrite one (`store.outputs`). Only read."""
    if not may_be_encrypted(path):
        return False
    from merlet_desk.store import keys

    try:
        candidates = keys.candidate_keys()
    except KeyFileError:
        return False
    for candidate in candidates.keys:
        try:
            conn = _open_connection(path, True, inspect=True, key=candidate)
        except StoreError:
            return False
        try:
            if page_one_reads(conn):
                return True
        finally:
            conn.close()
    return False


def not_writable_reason(path: Path) -> str | None:
    """Why the database at `path` cannot be written here (None when it can).

    SQLite writes the file and creates its journal beside it, so both the file and its folder
    must be writable. Checked before a writer opens it, so a read-only folder gets a true
    message instead of a confusing SQLite error halfway.
    """
    folder = path.absolute().parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # a new file: its folders are made first
    if not os.access(folder, os.W_OK):
        return f"de map {folder} kan niet beschreven worden (alleen-lezen map of schijf, of geen schrijfrechten)"
    if path.exists() and not os.access(path, os.W_OK):
        return "het bestand is alleen-lezen (geen schrijfrechten)"
    return None


class IntegrityGate:
    """The integrity check of a file opened with `defer_check`, run elsewhere (a worker
    thread with its own connection). Until `settle` is called, writes wait for it; after a
    failed check they raise `DamagedDatabaseError`. Thread-safe: `settle` may be called from
    the thread that ran the check."""

    def __init__(self, path: Path, *, wal: bool = True) -> None:
        self.path = path
        self.wal = wal  # settle the journal mode once the check passed (see open_database)
        self._done = threading.Event()
        self.problems: list[str] = []

    def settle(self, problems: list[str]) -> None:
        """Record the outcome of the check ([] when healthy) and let waiting writes go on."""
        self.problems = list(problems)
        self._done.set()

    @property
    def settled(self) -> bool:
        return self._done.is_set()

    def wait(self) -> list[str]:
        self._done.wait()
        return self.problems


class MerletDatabase(Database):
    """sqlite-utils' Database whose outermost `atomic()` starts with `BEGIN IMMEDIATE`.

    A deferred `BEGIN` that reads first and writes later (save a pupil: look it up, then insert)
    cannot wait for another process's write: SQLite fails it at once with "database is locked",
    because its snapshot is stale. Taking the write lock at the start makes the busy timeout
    apply, so writers from two windows or processes queue up instead of failing.

    Closing it never changes the journal mode: another connection, in this process or
    another, may still hold the file (see the module docstring).

    Opened with `defer_check`, its integrity check has not run yet (`integrity_gate`): the
    connection is `PRAGMA query_only` and the first `atomic()` waits for the check, so nothing
    is ever written to a damaged file.
    """

    engine = "sqlite"  # the other is "postgresql" (store.engine)

    def __init__(
        self,
        conn: sqlite_driver.Connection,
        *,
        read_only: bool = False,
        integrity_gate: IntegrityGate | None = None,
    ) -> None:
        # No sqlite-utils plugins: none is used, loading them scans every installed package's
        # entry points (40 ms of start-up), and a plugin could add code to this connection.
        super().__init__(conn, execute_plugins=False)
        self.read_only = read_only
        self.integrity_gate = integrity_gate
        if integrity_gate is not None:
            conn.execute("PRAGMA query_only = ON")

    def wait_for_integrity_check(self) -> None:
        """Wait for a deferred integrity check; writable after a clean one, else
        `DamagedDatabaseError`. Every write (`atomic`) and every backup calls this first."""
        self._pass_integrity_gate()

    def _pass_integrity_gate(self) -> None:
        gate = self.integrity_gate
        if gate is None:
            return
        problems = gate.wait()
        if problems:
            raise DamagedDatabaseError(damaged_message(gate.path), gate.path, problems)
        self.conn.execute("PRAGMA query_only = OFF")
        if gate.wal:
            settle_journal_mode(self.conn, gate.path)
        self.integrity_gate = None

    @contextlib.contextmanager
    def atomic(self) -> Generator[Database, None, None]:
        if self.conn.in_transaction or self.read_only:
            with super().atomic() as db:
                yield db
            return
        self._pass_integrity_gate()
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                self.rollback()
                raise


def open_raw(
    path: str | os.PathLike[str],
    *,
    read_only: bool = True,
    create: bool = False,
    inspect: bool = False,
    key: KeyChoice = DETECT,
) -> sqlite_driver.Connection:
    """A bare connection without checks or migrations, for verify, backup and restore.

    `read_only` opens as `reader_uri` does (nothing is written, and nothing is left beside
    the file); `create` makes a missing file first, readable by its owner only. `inspect` (with
    `read_only`) reads a file that nobody has open as immutable, for damaged files and backups.
    `key`: see `_connect`; a new file given `key` bytes is encrypted under it.
    """
    path = Path(path).expanduser()
    refuse_special_file(path)
    if not path.exists():
        if read_only or not create:
            raise MissingDatabaseError(f"{path} bestaat niet.")
        _create_empty_file(path)
    return _connect(path, read_only, inspect=inspect and read_only, key=key)


def journal_mode_for(path: Path) -> str:
    """The journal mode a database file at `path` keeps: `wal` on a local disk (readers never
    wait for the writer, and a writer killed halfway leaves a file that every reader finds
    whole), `delete` on a network share, where WAL's shared memory does not work."""
    return "delete" if network_share_kind(path) else "wal"


def settle_journal_mode(conn: sqlite_driver.Connection, path: Path) -> None:
    """Give the file the journal mode of its place (`journal_mode_for`) if it has another.

    Called when a writer opens a file: a new file, or one an older version left in rollback
    mode, or one moved to or from a network share. It does nothing to a file that already has
    its mode, so no command ever switches the mode back and forth. Into WAL is an ordinary
    write that other connections follow; out of WAL is only done when no other connection has
    the file (SQLite refuses it then, at once) and otherwise left for a later writer.
    """
    wanted = journal_mode_for(path)
    if conn.execute("PRAGMA journal_mode").fetchone()[0] == wanted:
        return
    if wanted == "wal":
        switch_to_wal(conn, path)
        return
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
    except sqlite_driver.OperationalError as exc:
        if "locked" not in str(exc):
            raise
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def switch_to_wal(conn: sqlite_driver.Connection, path: Path) -> None:
    """Set the journal mode of `path`'s place (`journal_mode_for`: WAL, or on a network share
    the rollback journal), waiting for other programs that open the file at the same moment.

    Two programs opening the same file at once both hold a shared lock and both want the
    exclusive one the switch needs; SQLite answers one of them "locked" at once, without its
    busy timeout, to break that deadlock. That one lets go and tries again, within the same
    time a busy write would wait.
    """
    mode = journal_mode_for(path).upper()
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute(f"PRAGMA journal_mode = {mode}")
            return
        except sqlite_driver.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.005)


def inserted_id(cursor: sqlite_driver.Cursor) -> int:
    """The rowid of the row an INSERT just wrote (sqlite3 types it as optional)."""
    if cursor.lastrowid is None:  # pragma: no cover - only for a statement that inserted none
        raise StoreError("Er is niets opgeslagen (geen nieuwe rij).")
    return int(cursor.lastrowid)


def database_path(db: Database) -> Path | None:
    """The file behind an open database (None for an in-memory one, or one on a server)."""
    if getattr(db, "engine", "sqlite") != "sqlite":
        return None
    row = db.execute("PRAGMA database_list").fetchone()
    return Path(row[2]) if row and row[2] else None
