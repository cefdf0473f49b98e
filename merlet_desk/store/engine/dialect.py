"""Where the SQL of the two engines differs in meaning: one function per difference.

A query asks for the piece it needs by what it means (`json_values(db, "int")`, not
"json_each") and gets the spelling of the engine `db` runs on; the pieces keep SQLite's
``?`` parameters, which the server's wrapper translates with the rest of the text
(`store.engine.sqltext`). Nothing outside `store/` calls these. The list of every difference,
mechanical ones included, is in `store/engine/__init__.py`.

`db` is anything with an `engine` attribute ("sqlite" or "postgresql"): a database, or the
raw connection a migration gets. A plain `sqlite_driver.Connection` (migrations on SQLite, the
safety code) has none and is SQLite.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any, Literal

from merlet_desk import sqlite_driver

Engine = Literal["sqlite", "postgresql"]
SQLITE: Engine = "sqlite"
POSTGRESQL: Engine = "postgresql"

META_TABLE = "merlet_desk_meta"
NOTIFY_CHANNEL = "merlet_desk"  # the server's change notices (engine.schema, engine.notices)


def engine_of(db: Any) -> Engine:
    """The engine of a database or a connection (a bare sqlite3 connection: SQLite)."""
    engine: Engine = getattr(db, "engine", SQLITE)
    return engine


def on_server(db: Any) -> bool:
    return engine_of(db) == POSTGRESQL


# -- JSON --------------------------------------------------------------------------------------


def json_values(db: Any, kind: Literal["int", "text"] = "int") -> str:
    """A one-column table (`value`) of the elements of one JSON-list parameter (``?``): the
    store passes a list of ids or numbers as one parameter, whatever its length.

    SQLite's `json_each` gives each element its JSON type. On PostgreSQL a list of ids becomes
    a bigint array (``[1, 2]`` → ``{1, 2}``), whose length its planner reads: it guesses 100
    rows for any JSON list, and for the one pupil of a takedown list after a decision it then
    scanned whole tables (0.7 ms against 0.05 ms at 2,000 pupils, ten times that at 20,000).
    Text stays JSON (its escapes are not an array's), read into an array by
    `json_array_elements_text`: an array the planner cannot see it takes for 10 rows, so a
    class's pupil numbers are looked up in the index (0.15 ms at 20,000 pupils) instead of
    hashed against every pupil (2.2 ms), also in a plan made once for any class
    (`planned_once`). A check of the whole school (20,000 look-ups) took as long as before,
    0.55–0.75 s on the server."""
    if on_server(db):
        if kind == "int":
            return (
                "(SELECT unnest(CAST(translate(CAST(? AS text), '[]', '{}') AS bigint[])) AS value)"
            )
        return "(SELECT unnest(ARRAY(SELECT json_array_elements_text(CAST(? AS json)))) AS value)"
    return "(SELECT value FROM json_each(?))"


def json_object(db: Any, *pairs: tuple[str, str]) -> str:
    """A JSON object built in SQL from (key, SQL expression) pairs, as text.

    The text differs in spacing between the engines (SQLite writes it compact); whoever
    reads it parses it."""
    args = ", ".join(f"'{key}', {expr}" for key, expr in pairs)
    if on_server(db):
        return f"CAST(json_build_object({args}) AS text)"
    return f"json_object({args})"


def json_array(db: Any, *exprs: str) -> str:
    """A JSON array of SQL expressions (inside `json_array_agg`)."""
    name = "json_build_array" if on_server(db) else "json_array"
    return f"{name}({', '.join(exprs)})"


def as_json(db: Any, expr: str) -> str:
    """A column holding JSON text, as JSON (not as a string) inside `json_object` or
    `json_array`: SQLite's ``json(…)``, a cast on the server."""
    if on_server(db):
        return f"CAST({expr} AS json)"
    return f"json({expr})"


def json_array_agg(db: Any, expr: str) -> str:
    """An aggregate: the JSON array (as text, ``[]`` for no rows) of `expr` (a `json_array`)."""
    if on_server(db):
        return f"COALESCE(CAST(json_agg({expr}) AS text), '[]')"
    return f"json_group_array({expr})"


# -- text --------------------------------------------------------------------------------------


def group_concat(db: Any, expr: str) -> str:
    """An aggregate: the values of `expr` as one comma-separated text (NULL for no rows).
    The order is not defined on either engine; callers sort what they split."""
    if on_server(db):
        return f"string_agg(CAST({expr} AS text), ',')"
    return f"group_concat({expr})"


def contains(db: Any, haystack: str, needle: str = "?") -> str:
    """A condition: the text `needle` occurs in `haystack` (plain text, no wildcards)."""
    if on_server(db):
        return f"(strpos({haystack}, {needle}) > 0)"
    return f"(instr({haystack}, {needle}) > 0)"


def fold(db: Any, expr: str) -> str:
    """`expr` folded as `domain.text.fold` folds a search word: lower case, no accents.

    SQLite calls the program's own `fold` (registered per connection by `register_fold`);
    the server uses the `unaccent` extension and `lower` (created with the register). They
    agree on the Latin letters of names (Öztürk, Łęcka, Østergaard, ß); on the server,
    letters outside ASCII that `unaccent` leaves alone (Cyrillic, Greek) are not lowered."""
    if on_server(db):
        return f"lower(unaccent({expr}))"
    return f"merlet_fold({expr})"


def materialized(db: Any) -> str:
    """``MATERIALIZED`` before a CTE's ``AS (…)`` where it must be computed once, before the
    query that reads it: the server's planner otherwise folds the latest-day CTEs of the
    statuses into a join that reads every decision of the pupils (10-27 ms against 0.8 ms for
    a class). SQLite already plans them that way and keeps its own plan."""
    return "MATERIALIZED " if on_server(db) else ""


def register_fold(db: Any) -> None:
    """Make `fold` available on this connection (SQLite: a Python function; the server has
    it in the database already)."""
    if on_server(db):
        return
    from merlet_desk.domain.text import fold as fold_text

    def _fold(value: object) -> str:
        return fold_text(str(value)) if value is not None else ""

    db.conn.create_function("merlet_fold", 1, _fold, deterministic=True)


# -- the file's own facts: schema version, mark, tables -----------------------------------------


def schema_version(conn: Any) -> int:
    """The schema version of the register (0 for a new, empty one): SQLite keeps it in the
    file's header (`PRAGMA user_version`), the server in the one-row table `META_TABLE`."""
    if on_server(conn):
        if not _has_table(conn, META_TABLE):
            return 0
        row = conn.execute(f"SELECT schema_version FROM {META_TABLE}").fetchone()
        return int(row[0]) if row else 0
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def set_schema_version(conn: Any, version: int) -> None:
    if on_server(conn):
        conn.execute(f"UPDATE {META_TABLE} SET schema_version = ?", [int(version)])
    else:
        conn.execute(f"PRAGMA user_version = {int(version)}")


def application_id(conn: Any) -> int | None:
    """The mark that says "a Merlet Desk register" (`store.identity.APPLICATION_ID`): the
    file header's `application_id`, or the server's meta row; None on a server database
    without the meta table."""
    if on_server(conn):
        if not _has_table(conn, META_TABLE):
            return None
        row = conn.execute(f"SELECT application_id FROM {META_TABLE}").fetchone()
        return int(row[0]) if row else None
    return int(conn.execute("PRAGMA application_id").fetchone()[0])


def stamp_application_id(conn: Any, value: int) -> None:
    if on_server(conn):
        conn.execute(f"UPDATE {META_TABLE} SET application_id = ?", [int(value)])
    else:
        conn.execute(f"PRAGMA application_id = {int(value)}")


def _has_table(conn: Any, table: str) -> bool:
    found: int = conn.execute("SELECT to_regclass(?) IS NOT NULL", [table]).fetchone()[0]
    return found == 1


def table_names(db: Any) -> list[str]:
    """The register's tables, sorted (on the server: of the current schema, not the server's
    own ``merlet_desk_…`` tables: the meta table, the seats and their access)."""
    if on_server(db):
        rows = db.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            " AND table_name <> ? AND table_name NOT LIKE 'merlet\\_desk\\_%' ORDER BY table_name",
            [META_TABLE],
        )
    else:
        rows = db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
        )
    return [row[0] for row in rows]


def table_columns(db: Any, table: str) -> list[str]:
    """The columns of `table`, in their order."""
    if on_server(db):
        return [
            row[0]
            for row in db.execute(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND table_name = ?"
                " ORDER BY ordinal_position",
                [table],
            )
        ]
    return [row[1] for row in db.execute(f'PRAGMA table_info("{table.replace(chr(34), "")}")')]


# -- change detection, caches, deleting for good ------------------------------------------------


def data_version(db: Any, *, after_reads: bool = False) -> int:
    """A number that moves when another connection has committed a change, and not for this
    connection's own writes.

    SQLite's `PRAGMA data_version`. On the server: the number of other connections' commits
    this connection has heard of through the register's change notices (LISTEN/NOTIFY, see
    `ServerConnection.other_commits`), which takes a round trip to be sure of the latest;
    `after_reads` (asked right after reads that waited for the server's answer: they brought
    the notices in) saves it."""
    if on_server(db):
        return int(db.conn.other_commits(answered=after_reads))
    return int(db.execute("PRAGMA data_version").fetchone()[0])


@contextlib.contextmanager
def together(db: Any) -> Iterator[None]:
    """The reads executed in this block travel together: on the server one round trip at the
    block's end (`ServerConnection.pipeline`), after which their cursors hold the rows; on
    SQLite, in the same process, each runs where it is executed. Code in the block executes
    its reads and fetches their rows only after it (a fetch inside waits for the answer)."""
    if on_server(db):
        with db.conn.pipeline():
            yield
        return
    yield


@contextlib.contextmanager
def planned_once(db: Any) -> Iterator[None]:
    """As `together`, for small reads repeated with other parameters (one pupil's rows
    after each decision): on the server each is also a prepared statement, planned once per
    connection for any parameters (`ServerConnection.planned_once`), where planning a
    five-table join again each time cost ten times its run. SQLite plans a statement in
    microseconds, and sqlite3 keeps the prepared statements of a connection itself."""
    if on_server(db):
        with db.conn.planned_once():
            yield
        return
    yield


@contextlib.contextmanager
def larger_cache(db: Any) -> Iterator[None]:
    """A larger page cache while one transaction writes a lot (SQLite's default cache spills
    to the journal before the commit) or one report reads a lot. The server sizes its own
    buffers: nothing to do. The old size comes back after, and with it the memory."""
    if on_server(db):
        yield
        return
    old = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute("PRAGMA cache_size = -131072")  # 128 MiB, given back at once
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size = {int(old)}")


@contextlib.contextmanager
def larger_cache_when_encrypted(db: Any) -> Iterator[None]:
    """`larger_cache` while one report reads most of an encrypted register. The consent
    overview of a location reads its pages more than once (at 20,000 pupils 93 MB of distinct
    pages, three times that through the connection's 8 MiB cache), and on an encrypted file
    every read decrypts and checks the page again: 1.14× the plain time with 8 MiB, 1.06× with
    128 MiB. A plain file's pages come back from the system's file cache for the price of a
    system call, so a plain register keeps its small cache and its memory."""
    conn = getattr(db, "conn", db)
    if on_server(db) or sqlite_driver.key_of(conn) is None:
        yield
        return
    with larger_cache(db):
        yield


@contextlib.contextmanager
def deleting_for_good(db: Any) -> Iterator[None]:
    """Deletes in this block leave no readable trace in the file: SQLite overwrites freed
    pages (`secure_delete`) and, once the block succeeded, empties its WAL. On the server,
    deleted rows stay in the table's pages until (auto)vacuum reuses them; the server's own
    disk and backups are IT's (docs/deployment.md, Meerdere werkplekken)."""
    if on_server(db):
        yield
        return
    db.execute("PRAGMA secure_delete = ON")
    try:
        yield
    finally:
        db.execute("PRAGMA secure_delete = OFF")
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # old pages out of the WAL file
    except sqlite_driver.Error as exc:  # another reader may hold the WAL; it checkpoints later
        from merlet_desk.logs import describe_error

        logging.getLogger(__name__).warning(
            "WAL na opschonen niet leeggemaakt: %s", describe_error(exc)
        )
