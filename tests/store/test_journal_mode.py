"""The journal mode is decided once for a file and its place, and nothing in a process that
holds a connection drops that connection's locks.

The cause of the corruption this guards against: the window's process read the database header
with a plain `open()`/`close()` (each time a worker thread opened its own connection), which on
POSIX drops every lock the process holds on the file; a command-line writer could then switch
the file back to rollback mode at its close, deleting the window's `-wal` under it.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from merlet_desk.sqlite_files import is_sqlite_file, reads_through_wal, sqlite_error
from merlet_desk.store import connection, open_database
from merlet_desk.store.backup import configured_backup_folder
from merlet_desk.store.outputs import refuse_unsafe_output
from merlet_desk.store.settings import get_setting, set_setting
from merlet_desk.store.verification import verify
from tests.helpers import sqlite
from tests.helpers.keystore import key_of_this_pass

SWITCH = r"""
import sys
from merlet_desk import sqlite_driver
from tests.helpers.sqlite import connect
conn = connect(sys.argv[1], timeout=0, isolation_level=None)
try:
    print(conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0])
except sqlite_driver.OperationalError as exc:
    print(exc)
"""


def switch_elsewhere(path) -> str:
    """What another process gets when it tries to take the file out of WAL mode."""
    return subprocess.run(
        [sys.executable, "-c", SWITCH, str(path)], capture_output=True, text=True, check=True
    ).stdout.strip()


def mode_of(path) -> str:
    conn = sqlite.connect(path)
    try:
        return conn.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        conn.close()


def test_a_new_local_file_is_wal_for_good(db_path):
    db = open_database(db_path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["merlet.sqlite"]
    assert mode_of(db_path) == "wal"
    assert reads_through_wal(db_path, key=key_of_this_pass())


@pytest.mark.skipif(sys.platform != "linux", reason="POSIX advisory locks, seen in /proc/locks")
def test_looking_at_the_file_never_drops_the_locks_of_an_open_connection(db_path, tmp_path):
    window = open_database(db_path)  # holds the file in WAL mode, as the window does
    set_setting(window, "test.venster", "Joëlle van den Broek")
    assert switch_elsewhere(db_path) == "database is locked"

    # Everything the program does with the path while the window has it open.
    connection.check_database_file(db_path)
    connection.reader_uri(db_path)
    worker = open_database(db_path, read_only=True, defer_check=True)
    worker.close()
    assert verify(db_path).ok
    assert is_sqlite_file(db_path) and sqlite_error(db_path, key=key_of_this_pass()) is None
    configured_backup_folder(db_path)
    for name in ("kopie.pdf", "merlet.sqlite-wal"):
        try:
            refuse_unsafe_output(db_path.with_name(name), db_path)
        except Exception:  # noqa: BLE001 - refusing the -wal is right; only the locks count here
            pass

    assert switch_elsewhere(db_path) == "database is locked"  # before the fix: "delete"
    assert mode_of(db_path) == "wal"
    set_setting(window, "test.daarna", "Berkay Öztürk")
    window.close()
    check = open_database(db_path, read_only=True)
    assert get_setting(check, "test.daarna") == "Berkay Öztürk"
    check.close()


def test_closing_a_writer_never_switches_the_mode_under_another(db_path):
    window = open_database(db_path)
    command = open_database(db_path)  # a command-line writer, while the window is open
    set_setting(command, "test.import", "Zofia Łęcka")
    command.close()
    assert mode_of(db_path) == "wal"
    assert db_path.with_name("merlet.sqlite-wal").exists()  # still the window's
    set_setting(window, "test.venster", "Meryem Boujdaini")
    other = open_database(db_path, read_only=True)  # another process's view, freshly opened
    assert get_setting(other, "test.venster") == "Meryem Boujdaini"
    assert get_setting(other, "test.import") == "Zofia Łęcka"
    other.close()
    window.close()


def test_an_older_file_in_rollback_mode_gets_wal_once(db_path):
    open_database(db_path).close()
    older = sqlite.connect(db_path)
    older.execute("PRAGMA journal_mode = DELETE")
    older.close()
    assert not reads_through_wal(db_path)
    reader = open_database(db_path, read_only=True)  # a reader never changes it
    reader.close()
    assert mode_of(db_path) == "delete"
    open_database(db_path).close()  # the first writer
    assert mode_of(db_path) == "wal"


def test_a_file_on_a_network_share_keeps_a_rollback_journal(db_path, monkeypatch):
    monkeypatch.setattr(connection, "network_share_kind", lambda path: "nfs4")
    db = open_database(db_path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    db.close()
    assert mode_of(db_path) == "delete"
    reader = open_database(db_path, read_only=True)
    assert reader.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    reader.close()
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["merlet.sqlite"]


def test_a_wal_file_moved_onto_a_share_gets_a_rollback_journal_when_alone(db_path, monkeypatch):
    open_database(db_path).close()  # made on a local disk: WAL
    monkeypatch.setattr(connection, "network_share_kind", lambda path: "cifs")
    first = open_database(db_path)
    assert first.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    first.close()
    assert mode_of(db_path) == "delete"


def test_sqlite_tells_what_a_file_is(tmp_path, db_path):
    open_database(db_path).close()
    notes = tmp_path / "notities.txt"
    notes.write_text("<b>Jan</b> & Zn " * 100, encoding="utf-8")
    assert not is_sqlite_file(notes) and sqlite_error(notes) is not None
    assert is_sqlite_file(db_path)
    assert not is_sqlite_file(tmp_path / "nergens.sqlite")
    empty = tmp_path / "leeg.sqlite"
    empty.touch()
    assert not is_sqlite_file(empty)
    rollback = tmp_path / "oud.sqlite"
    conn = sqlite.connect(rollback)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    assert reads_through_wal(db_path, key=key_of_this_pass()) and not reads_through_wal(rollback)
    assert sorted(p.name for p in tmp_path.iterdir() if "sqlite-" in p.name) == []


def test_the_register_named_as_an_input_file_is_refused_unread(db_path, tmp_path, capsys):
    from merlet_desk.cli import main
    from merlet_desk.imaging.photo import NotAPicture, read_photo
    from merlet_desk.store.items import file_facts

    window = open_database(db_path)  # the register is open, as in the window
    set_setting(window, "test.open", "Joëlle van den Broek")
    wal = db_path.with_name("merlet.sqlite-wal")
    for named in (db_path, wal):
        assert main(["import-consents", str(named), "--db", str(db_path)]) == 2
        err = capsys.readouterr().err
        assert "SQLite-database" in err and "niets ingelezen" in err, err
    with pytest.raises(NotAPicture, match="SQLite-database"):
        read_photo(db_path)
    with pytest.raises(Exception, match="SQLite-database"):
        file_facts(db_path)
    assert switch_elsewhere(db_path) == "database is locked"  # the window's locks held
    window.close()
