"""A register on a PostgreSQL server (`store.engine`): the same schema as the file, the same
answers from the wrapper as from sqlite3, the append-only history, one writer at a time, and
a server database that is not a register refused untouched.

These are about the server itself; the store's own tests run on both engines through the
`db` fixture (tests/conftest.py)."""

from __future__ import annotations

import threading
import time
from datetime import date, datetime

import pytest

from merlet_desk import sqlite_driver
from merlet_desk.store import migrations, open_database
from merlet_desk.store.engine import dialect, server
from merlet_desk.store.engine.errors import ServerIntegrityError
from merlet_desk.store.engine.schema import (
    BOOTSTRAP,
    META_TABLE,
    ServerNotEmptyError,
    create_register,
)
from merlet_desk.store.errors import (
    BusyError,
    MissingDatabaseError,
    ReadOnlyError,
    SchemaOutdatedError,
    SchemaTooNewError,
)
from merlet_desk.store.identity import ForeignDatabaseError


@pytest.fixture
def url(postgres_server):
    target = postgres_server.new_register()
    yield target
    postgres_server.drop(target)


@pytest.fixture
def server_db(url):
    database = open_database(url)
    yield database
    database.close()


@pytest.fixture
def empty_url(postgres_server):
    target = postgres_server.new_database()
    yield target
    postgres_server.drop(target)


# -- the schema ---------------------------------------------------------------------------


def _sqlite_schema(db):
    tables = {}
    for table in dialect.table_names(db):
        info = db.execute(f'PRAGMA table_info("{table}")').fetchall()
        keys = tuple(row[1] for row in sorted(info, key=lambda row: row[5]) if row[5])
        foreign = {
            (row[3], row[2], row[4]) for row in db.execute(f'PRAGMA foreign_key_list("{table}")')
        }
        not_null = {row[1] for row in info if row[3] or row[5]}  # a key is NOT NULL there
        tables[table] = ([row[1] for row in info], keys, foreign, not_null)
    indexes = {
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        )
    }
    triggers = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    return tables, indexes, triggers


def _server_schema(db):
    tables = {}
    for table in dialect.table_names(db):
        columns = dialect.table_columns(db, table)
        keys = tuple(
            row[0]
            for row in db.execute(
                "SELECT a.attname FROM pg_index i"
                " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
                " WHERE i.indrelid = CAST(? AS regclass) AND i.indisprimary"
                " ORDER BY array_position(i.indkey, a.attnum)",
                [table],
            )
        )
        foreign = {
            (row[0], row[1], row[2])
            for row in db.execute(
                "SELECT kcu.column_name, ccu.table_name, ccu.column_name"
                " FROM information_schema.table_constraints tc"
                " JOIN information_schema.key_column_usage kcu"
                "   ON kcu.constraint_name = tc.constraint_name"
                " JOIN information_schema.constraint_column_usage ccu"
                "   ON ccu.constraint_name = tc.constraint_name"
                " WHERE tc.table_name = ? AND tc.constraint_type = 'FOREIGN KEY'",
                [table],
            )
        }
        not_null = {
            row[0]
            for row in db.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?"
                " AND table_schema = current_schema() AND is_nullable = 'NO'",
                [table],
            )
        }
        tables[table] = (columns, keys, foreign, not_null)
    indexes = {
        row[0]
        for row in db.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
            " AND indexname NOT LIKE '%\\_pkey' AND indexname NOT LIKE '%\\_key'"
        )
    }
    triggers = {
        row[0] for row in db.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
    }
    return tables, indexes, triggers


def test_the_server_schema_is_the_files_schema(server_db, tmp_path):
    file_db = open_database(tmp_path / "merlet.sqlite")
    try:
        tables, indexes, triggers = _sqlite_schema(file_db)
    finally:
        file_db.close()
    server_tables, server_indexes, server_triggers = _server_schema(server_db)
    assert server_tables.keys() == tables.keys()
    for table, (columns, keys, foreign, not_null) in tables.items():
        assert server_tables[table][0] == columns, table
        assert server_tables[table][1] == keys, table
        assert server_tables[table][2] == foreign, table
        assert server_tables[table][3] == not_null, table
    assert server_indexes == indexes
    assert triggers <= server_triggers  # and TRUNCATE guards, and the change notices
    assert dialect.schema_version(server_db.server) == migrations.LATEST_VERSION


def test_ids_are_identity_columns_whose_sequence_hands_out_new_ids(server_db):
    first = server_db.execute(
        "INSERT INTO audit_log (at, user, action, record_kind) VALUES (?, ?, ?, ?)",
        ["2026-11-24T10:00:00", "Joëlle", "create", "x"],
    )
    second = server_db.execute(
        "INSERT INTO audit_log (at, user, action, record_kind) VALUES (?, ?, ?, ?)",
        ["2026-11-24T10:00:01", "Berkay", "create", "x"],
    )
    assert second.lastrowid == first.lastrowid + 1
    assert server_db.conn.total_changes == 2
    # the column, not the login name that a bare `user` means on PostgreSQL
    assert [row[0] for row in server_db.execute("SELECT user FROM audit_log ORDER BY id")] == [
        "Joëlle",
        "Berkay",
    ]


def test_values_come_back_as_sqlite3_gives_them(server_db):
    row = server_db.execute(
        "SELECT ? = 1, sum(position), avg(position), CAST(? AS json), ?, ?, ? FROM purposes",
        [True, '{"a": [1, 2]}', date(2026, 11, 24), datetime(2026, 11, 24, 9, 5), b"\x00\xff"],
    ).fetchone()
    assert row == (1, 28, 4.0, '{"a": [1, 2]}', "2026-11-24", "2026-11-24 09:05:00", b"\x00\xff")
    assert type(row[1]) is int and type(row[2]) is float


def test_text_sorts_and_compares_byte_by_byte_as_in_sqlite(server_db, tmp_path):
    names = ["Łęcka", "Zofia", "zofia", "Öztürk", "Østergaard", "de Vries", "Åsa", "10", "9"]
    file_db = open_database(tmp_path / "merlet.sqlite")
    try:
        for db in (server_db, file_db):
            db.conn.executemany(
                "INSERT INTO settings (key, value) VALUES (?, '1')", [(n,) for n in names]
            )
        order = "SELECT key FROM settings WHERE key <> ? ORDER BY key"
        expected = [r[0] for r in file_db.execute(order, ["retention_years"])]
        assert [r[0] for r in server_db.execute(order, ["retention_years"])] == expected
    finally:
        file_db.close()


# -- the append-only history ----------------------------------------------------------------


def _a_decision(db):
    with db.atomic():
        db.execute(
            "INSERT INTO pupils (number, first_name, prefix, last_name, birth_date, class_name,"
            " location) VALUES ('100234', 'Joëlle', 'van den', 'Broek', '2012-03-04', '1A',"
            " 'Cuijk')"
        )
        return db.execute(
            "INSERT INTO decisions (pupil_id, purpose_id, decision, given_by, giver_name,"
            " received_on, method, recorded_by, recorded_at) SELECT p.id, pu.id, 'granted',"
            " 'parent', 'M. van den Broek', '2026-09-01', 'paper', 'anna', '2026-09-02T10:00:00'"
            " FROM pupils p, purposes pu WHERE pu.code = 'website'"
        )


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE decisions SET decision = 'refused'",
        "DELETE FROM decisions",
        "TRUNCATE decisions CASCADE",
    ],
)
def test_decisions_are_append_only_on_the_server_too(server_db, statement):
    _a_decision(server_db)
    with pytest.raises(sqlite_driver.IntegrityError, match="consent decisions are append-only"):
        server_db.execute(statement)
    assert server_db.execute("SELECT decision FROM decisions").fetchall() == [("granted",)]


def test_only_the_purge_switch_lets_a_decision_go(server_db):
    _a_decision(server_db)
    with server_db.atomic():
        server_db.execute("INSERT INTO purge_in_progress (id) VALUES (1)")
        server_db.execute("DELETE FROM decisions")
        server_db.execute("DELETE FROM purge_in_progress")
    assert server_db.execute("SELECT count(*) FROM decisions").fetchone()[0] == 0


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET user = 'iemand anders'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
    ],
)
def test_the_audit_log_is_append_only_and_only_scrubbable(server_db, statement):
    server_db.execute(
        "INSERT INTO audit_log (at, user, action, record_kind, new_value) VALUES"
        " ('2026-11-24T10:00:00', 'anna', 'create', 'pupil', '{\"naam\": \"Zofia Łęcka\"}')"
    )
    with pytest.raises(ServerIntegrityError, match="append-only"):
        server_db.execute(statement)
    with server_db.atomic():
        server_db.execute("INSERT INTO audit_scrub_in_progress (id) VALUES (1)")
        with pytest.raises(ServerIntegrityError, match="can only be scrubbed"):
            with server_db.atomic():
                server_db.execute("UPDATE audit_log SET user = 'iemand anders'")
        server_db.execute("UPDATE audit_log SET new_value = '\"geschoond\"'")
        server_db.execute("DELETE FROM audit_scrub_in_progress")
    assert server_db.execute("SELECT user, new_value FROM audit_log").fetchall() == [
        ("anna", '"geschoond"')
    ]


# -- transactions --------------------------------------------------------------------------


def test_atomic_is_all_or_nothing_and_nests_as_savepoints(server_db):
    with server_db.atomic():
        server_db.execute("INSERT INTO settings (key, value) VALUES ('a', '1')")
        with pytest.raises(ZeroDivisionError):
            with server_db.atomic():
                server_db.execute("INSERT INTO settings (key, value) VALUES ('b', '1')")
                raise ZeroDivisionError
    with pytest.raises(ZeroDivisionError):
        with server_db.atomic():
            server_db.execute("INSERT INTO settings (key, value) VALUES ('c', '1')")
            raise ZeroDivisionError
    keys = {row[0] for row in server_db.execute("SELECT key FROM settings")}
    assert "a" in keys and not {"b", "c"} & keys


def test_writers_of_two_seats_take_turns_and_readers_do_not_wait(url, server_db):
    other = open_database(url)
    reader = open_database(url, read_only=True)
    order: list[str] = []
    try:
        with server_db.atomic():
            server_db.execute("INSERT INTO settings (key, value) VALUES ('eerste', '1')")

            def second_seat():
                with other.atomic():
                    order.append("tweede begint")
                    other.execute("INSERT INTO settings (key, value) VALUES ('tweede', '1')")

            thread = threading.Thread(target=second_seat)
            thread.start()
            time.sleep(0.5)
            assert order == []  # the second writer waits for the first one's COMMIT
            assert (
                reader.execute("SELECT count(*) FROM settings WHERE key = 'eerste'").fetchone()[0]
                == 0
            )  # and a reader reads the last committed state, without waiting
            order.append("eerste klaar")
        thread.join(10)
        assert order == ["eerste klaar", "tweede begint"]
    finally:
        other.close()
        reader.close()


def test_a_writer_that_waits_too_long_is_told_so(url, server_db, monkeypatch):
    monkeypatch.setattr(server, "LOCK_TIMEOUT", "300ms")
    other = open_database(url)
    try:
        with server_db.atomic():
            server_db.execute("INSERT INTO settings (key, value) VALUES ('eerste', '1')")
            with pytest.raises(BusyError, match="een andere werkplek schrijft nu"):
                with other.atomic():
                    other.execute("INSERT INTO settings (key, value) VALUES ('tweede', '1')")
        assert (
            other.execute("SELECT count(*) FROM settings WHERE key = 'tweede'").fetchone()[0] == 0
        )
    finally:
        other.close()


def test_a_read_only_seat_cannot_write(url):
    reader = open_database(url, read_only=True)
    try:
        with pytest.raises(ReadOnlyError, match="alleen-lezen"):
            reader.execute("INSERT INTO settings (key, value) VALUES ('x', '1')")
    finally:
        reader.close()


# -- what is and is not a register ------------------------------------------------------------


def test_an_empty_database_is_no_register_until_server_init(empty_url):
    with pytest.raises(MissingDatabaseError, match="is leeg.*server init"):
        open_database(empty_url)
    with pytest.raises(MissingDatabaseError):
        open_database(empty_url, read_only=True)
    db = open_database(empty_url, empty_server=True)
    try:
        with db.atomic():
            create_register(db)
    finally:
        db.close()
    again = open_database(empty_url)
    try:
        assert again.execute("SELECT count(*) FROM purposes").fetchone()[0] == 7
        paper_id = again.execute(
            "SELECT value FROM settings WHERE key = 'paper_forms.database_id'"
        ).fetchone()[0]
        assert len(paper_id.strip('"')) == 8  # a new register's own, as a new file gets
    finally:
        again.close()
    with pytest.raises(ServerNotEmptyError, match="niet leeg"):
        open_database(empty_url, empty_server=True)


def _objects(postgres_server, url):
    name = postgres_server.name_of(url)
    return postgres_server.sql(
        "SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' ORDER BY 1",
        database=name,
    )


def test_another_programs_database_is_refused_untouched(postgres_server, empty_url):
    name = postgres_server.name_of(empty_url)
    postgres_server.sql("CREATE TABLE klanten (id int, naam text)", database=name)
    before = _objects(postgres_server, empty_url)
    for kwargs in ({}, {"read_only": True}, {"empty_server": True}):
        with pytest.raises(ForeignDatabaseError, match="ander programma"):
            open_database(empty_url, **kwargs)
    assert _objects(postgres_server, empty_url) == before


def test_a_meta_row_of_another_program_is_refused(postgres_server, empty_url):
    name = postgres_server.name_of(empty_url)
    postgres_server.sql(BOOTSTRAP.replace("1297239108", "42"), database=name)
    with pytest.raises(ForeignDatabaseError):
        open_database(empty_url)


def test_a_register_of_a_newer_version_is_refused_unchanged(postgres_server, url):
    name = postgres_server.name_of(url)
    newer = migrations.LATEST_VERSION + 1
    postgres_server.sql(f"UPDATE {META_TABLE} SET schema_version = {newer}", database=name)
    before = _objects(postgres_server, url)
    for kwargs in ({}, {"read_only": True}):
        with pytest.raises(SchemaTooNewError, match="nieuwere versie"):
            open_database(url, **kwargs)
    assert _objects(postgres_server, url) == before
    assert postgres_server.sql(f"SELECT schema_version FROM {META_TABLE}", database=name) == [
        (newer,)
    ]


def test_an_older_register_is_migrated_by_the_same_numbered_list(empty_url, monkeypatch):
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:10])
    monkeypatch.setattr(migrations, "LATEST_VERSION", 10)
    db = open_database(empty_url, empty_server=True)
    with db.atomic():
        create_register(db)
        db.execute(
            "INSERT INTO purposes (code, label, position) VALUES ('sport', 'Sportdag <&>', 8)"
        )
    db.close()
    monkeypatch.undo()
    with pytest.raises(SchemaOutdatedError):
        open_database(empty_url, read_only=True)
    migrated = open_database(empty_url)
    try:
        assert dialect.schema_version(migrated.server) == migrations.LATEST_VERSION
        rows = dict(migrated.execute("SELECT code, aliases FROM purposes").fetchall())
        assert rows["sport"] == "[]" and "Toestemming website" in rows["website"]
    finally:
        migrated.close()


# -- other seats' commits ------------------------------------------------------------------


def _decisions(db, count, pupil_number):
    with db.atomic():
        db.execute(
            "INSERT INTO pupils (number, first_name, prefix, last_name, birth_date, class_name,"
            " location) VALUES (?, 'Meryem', '', 'Boujdaini', '2011-02-03', '2B', 'Mill')",
            [pupil_number],
        )
        for _ in range(count):
            db.execute(
                "INSERT INTO decisions (pupil_id, purpose_id, decision, given_by, giver_name,"
                " received_on, method, recorded_by, recorded_at) SELECT p.id, pu.id, 'granted',"
                " 'parent', 'A. Boujdaini', '2026-09-01', 'email', 'bert', '2026-09-02T10:00:00'"
                " FROM pupils p, purposes pu WHERE p.number = ? AND pu.code = 'website'",
                [pupil_number],
            )


def test_a_window_hears_what_other_seats_commit_and_not_its_own(url, server_db):
    from merlet_desk.store.engine.notices import ChangeNotices

    other = open_database(url)
    notices = ChangeNotices.listen(server_db.target)
    try:
        assert notices.poll(server_db) is None
        _decisions(server_db, 2, "100235")  # this window's own writes
        assert notices.poll(server_db) is None
        _decisions(other, 3, "100236")
        deadline = time.monotonic() + 5
        change = None
        while change is None and time.monotonic() < deadline:
            change = notices.poll(server_db)
            time.sleep(0.05)
        assert change is not None
        assert {"pupils", "decisions"} <= change.tables
        assert change.new_decisions == 3
        assert change.message() == "Bijgewerkt: 3 besluiten van een andere werkplek"
        assert notices.poll(server_db) is None  # heard once
    finally:
        notices.close()
        other.close()


def test_data_version_moves_for_other_seats_commits_only(url, server_db):
    other = open_database(url)
    try:
        before = dialect.data_version(server_db)
        server_db.execute("INSERT INTO settings (key, value) VALUES ('eigen', '1')")
        assert dialect.data_version(server_db) == before  # its own write
        other.execute("INSERT INTO settings (key, value) VALUES ('ander', '1')")
        # At once, as SQLite's: a commit that returned is seen by the next look.
        assert dialect.data_version(server_db) > before
    finally:
        other.close()
