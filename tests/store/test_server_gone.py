"""When the server is gone (a network drop, a restart, a crash): one Dutch line, a write that
did not commit is said to have failed and is not half-done, and connecting again works once
the server is back. On a server of this module's own (`own_postgres_server`), killed for real."""

from __future__ import annotations

import pytest

from merlet_desk.store import open_database
from merlet_desk.store.engine.errors import ServerUnavailableError
from tests.helpers import add_case
from tests.helpers.processes import one_line_error, run_cli


@pytest.fixture
def url(own_postgres_server):
    if not own_postgres_server.running():
        own_postgres_server.start()
    return own_postgres_server.new_register()


def test_a_read_after_a_crash_is_one_line_and_reconnecting_works(own_postgres_server, url):
    db = open_database(url)
    try:
        add_case(db, summary="Voor de storing")
        own_postgres_server.kill()
        with pytest.raises(ServerUnavailableError) as caught:
            db.execute("SELECT count(*) FROM cases").fetchone()
        message = str(caught.value)
        assert message.startswith(f"De server is niet bereikbaar ({url}):")
        assert "\n" not in message and "niet opgeslagen" not in message
        with pytest.raises(ServerUnavailableError, match="niet bereikbaar"):
            db.reconnect()  # still gone
        own_postgres_server.start()
        db.reconnect()
        assert db.execute("SELECT summary FROM cases").fetchall() == [("Voor de storing",)]
    finally:
        db.close()


def test_a_write_cut_off_halfway_is_not_saved_and_says_so(own_postgres_server, url):
    db = open_database(url)
    try:
        with pytest.raises(ServerUnavailableError) as caught:
            with db.atomic():
                db.execute("INSERT INTO settings (key, value) VALUES ('eerste', '1')")
                own_postgres_server.kill()
                db.execute("INSERT INTO settings (key, value) VALUES ('tweede', '2')")
        assert "De wijziging is niet opgeslagen; er is niets veranderd." in str(caught.value)
        own_postgres_server.start()
        db.reconnect()
        keys = {row[0] for row in db.execute("SELECT key FROM settings")}
        assert not {"eerste", "tweede"} & keys
    finally:
        db.close()


def test_a_command_against_a_stopped_server_is_one_line_and_exit_2(own_postgres_server, url):
    own_postgres_server.stop()
    try:
        result = run_cli("cases", "--db", url)
        assert result.returncode == 2 and result.stdout == ""
        assert one_line_error(result).startswith("merlet-desk: De server is niet bereikbaar")
    finally:
        own_postgres_server.start()


def test_a_server_killed_in_the_middle_of_an_import_leaves_nothing_half_written(
    own_postgres_server, url, tmp_path
):
    import time

    from tests.helpers.processes import HEADER, start_cli

    export = tmp_path / "leerlingen.csv"
    rows = (
        f"{100000 + n};Joëlle;van den;Broek <{n}> & Zn;01-03-2012;2A;Grave\n" for n in range(20_000)
    )
    export.write_text(HEADER + "".join(rows), encoding="utf-8")
    database = own_postgres_server.name_of(url)

    importing = start_cli("import-pupils", export, "--db", url)
    deadline = time.monotonic() + 60
    while not own_postgres_server.sql(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s"
        " AND query ILIKE 'INSERT INTO pupils%%'",
        params=[database],
    )[0][0]:
        assert importing.poll() is None, importing.communicate()
        assert time.monotonic() < deadline, "the import never started writing"
        time.sleep(0.01)
    own_postgres_server.kill()
    out, err = importing.communicate(timeout=60)

    assert importing.returncode == 2 and out == ""
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert err.startswith("merlet-desk: De server is niet bereikbaar")
    own_postgres_server.start()
    db = open_database(url)
    try:
        assert db.execute("SELECT count(*) FROM pupils").fetchone()[0] == 0
        assert (
            db.execute("SELECT count(*) FROM audit_log WHERE record_kind = 'pupil'").fetchone()[0]
            == 0
        )
    finally:
        db.close()
