"""The register encrypted at rest: what its bytes show, converting it whole, its backups,
restoring, and a process killed in the middle of `encrypt`."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from merlet_desk import sqlite_driver
from merlet_desk.store import open_database
from merlet_desk.store.backup import list_backups, make_backup, restore
from merlet_desk.store.connection import open_raw
from merlet_desk.store.encryption import encrypt_register, table_counts
from merlet_desk.store.errors import MissingKeyError, WrongKeyError
from merlet_desk.store.verification import verify
from tests.helpers import dump_tables
from tests.helpers.builders import leaked_secrets, sensitive_school
from tests.helpers.keystore import TEST_KEY, write_test_key_file

KEY = bytes.fromhex("5a" * 32)


@pytest.fixture
def key_file(tmp_path, monkeypatch):
    """The key file route (as IT's scripts use it), holding KEY."""
    from merlet_desk.store import keys

    path = write_test_key_file(tmp_path / "sleutel.hex", KEY)
    monkeypatch.setenv(keys.KEY_FILE_ENV, str(path))
    return path


def backup_of(path, reason="handmatig"):
    """A backup of the closed register at `path`, the connection closed again."""
    conn = open_raw(path)
    try:
        return make_backup(conn, path, reason)
    finally:
        conn.close()


def stdlib_cannot_read(path) -> bool:
    """Whether Python's own sqlite3 (any SQLite tool) fails to read the file."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        return "file is not a database" in str(exc)
    finally:
        conn.close()
    return False


HOLD_OPEN = r"""
import sys, time
from merlet_desk.store import open_database
from merlet_desk.store import pupils
db = open_database(sys.argv[1])
db.conn.execute("PRAGMA wal_autocheckpoint = 0")  # the change stays in the -wal
pupils.save_pupil(db, "987650002", "Zofia", "", "Łęcka", "2012-01-02", "1A", "Cuijk")
print(db.execute("PRAGMA journal_mode").fetchone()[0], flush=True)
time.sleep(60)
"""


def test_the_file_its_wal_and_its_backups_show_no_name_number_or_evidence(db_path, key_file):
    sensitive_school(db_path)
    assert leaked_secrets(db_path)  # the plain register shows them: the grep finds them
    backup_of(db_path)
    [plain_backup] = list_backups(db_path.parent / "backups", db_path)
    assert leaked_secrets(plain_backup.path)

    result = encrypt_register(db_path, KEY)
    assert result.converted == [plain_backup.path]  # the plain backup is encrypted too
    db = open_database(db_path)
    make_backup(db, db_path, "dagelijks")
    db.close()
    # A writer holds the register with a change in its -wal (a child: nothing in this test
    # process may open the file while a connection lives).
    writer = subprocess.Popen(
        [sys.executable, "-c", HOLD_OPEN, str(db_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout.readline().strip() == "wal"
        wal = db_path.with_name(db_path.name + "-wal")
        assert wal.stat().st_size > 0
        files = [db_path, wal, *(b.path for b in list_backups(db_path.parent / "backups"))]
        assert len(files) == 4
        for path in files:
            assert leaked_secrets(path) == [], path
        for path in (db_path, *files[2:]):
            assert stdlib_cannot_read(path), path
    finally:
        writer.kill()
        writer.wait()
    db = open_database(db_path, read_only=True)
    assert db.execute("SELECT count(*) FROM pupils WHERE number = '987650002'").fetchone() == (1,)
    db.close()


def test_encrypting_keeps_every_row_and_replaces_the_plain_file(db_path, key_file):
    sensitive_school(db_path)
    plain = open_database(db_path, read_only=True)
    before = dump_tables(plain)
    plain.close()
    inode = db_path.stat().st_ino
    encrypt_register(db_path, KEY)
    assert db_path.stat().st_ino != inode  # a new file swapped in; the old one has no name
    assert sorted(p.name for p in db_path.parent.iterdir()) == [
        "merlet.sqlite",
        "sleutel.hex",
    ]
    db = open_database(db_path)
    assert sqlite_driver.key_of(db.conn) == KEY
    assert dump_tables(db) == before
    assert db.execute("PRAGMA application_id").fetchone()[0] == 0x4D524C44
    db.close()
    assert verify(db_path).ok
    if os.name == "posix":
        assert db_path.stat().st_mode & 0o777 == 0o600


def test_a_wrong_or_missing_key_leaves_the_file_byte_for_byte_and_adds_nothing(
    db_path, tmp_path, key_store, monkeypatch
):
    from merlet_desk.store import keys
    from tests.helpers.processes import digest, listing

    sensitive_school(db_path, key=KEY)
    before, files = digest(db_path), listing(tmp_path)
    with pytest.raises(MissingKeyError) as missing:  # an empty key store
        open_database(db_path)
    assert "merlet-desk key recover" in str(missing.value)
    wrong = write_test_key_file(tmp_path / "ander.hex", TEST_KEY)
    files = listing(tmp_path)
    keys.use_key_file(wrong)
    for read_only in (False, True):
        with pytest.raises(WrongKeyError) as caught:
            open_database(db_path, read_only=read_only)
        assert str(wrong) in str(caught.value) and "beschadigd" not in str(caught.value)
    with pytest.raises(WrongKeyError):
        open_database(db_path, key=TEST_KEY)
    assert digest(db_path) == before and listing(tmp_path) == files


def test_a_backup_is_encrypted_under_the_register_key_and_restores_encrypted(
    db_path, tmp_path, key_file
):
    sensitive_school(db_path, key=KEY)
    db = open_database(db_path)
    backup = make_backup(db, db_path, "handmatig")
    before = dump_tables(db)
    db.execute("DELETE FROM settings WHERE key LIKE 'test.%'")
    with db.atomic():
        db.execute("INSERT INTO settings (key, value) VALUES ('test.later', '\"Berkay\"')")
    db.close()
    assert leaked_secrets(backup) == [] and stdlib_cannot_read(backup)
    copy = open_raw(backup, read_only=True, inspect=True)
    assert sqlite_driver.key_of(copy) == KEY
    copy.close()

    restored = restore(backup, db_path)
    assert restored.result.ok
    assert leaked_secrets(db_path) == [] and stdlib_cannot_read(db_path)
    db = open_database(db_path)
    assert sqlite_driver.key_of(db.conn) == KEY and dump_tables(db) == before
    db.close()
    # The file that was replaced is kept as a backup, encrypted as well.
    assert leaked_secrets(restored.previous) == []


def test_a_plain_backup_restored_onto_an_encrypted_register_comes_back_encrypted(
    db_path, tmp_path, key_file
):
    old = sensitive_school(tmp_path / "oud" / "merlet.sqlite")
    plain_backup = backup_of(old)
    sensitive_school(db_path, key=KEY)
    result = restore(plain_backup, db_path, other_register=True)  # the old file's backup
    assert result.result.ok
    assert leaked_secrets(db_path) == [] and stdlib_cannot_read(db_path)
    db = open_database(db_path)
    assert sqlite_driver.key_of(db.conn) == KEY
    assert db.execute("SELECT count(*) FROM pupils").fetchone() == (7,)
    db.close()


def test_a_damaged_plain_backup_that_cannot_be_encrypted_is_removed_and_said(db_path, key_file):
    sensitive_school(db_path)
    backup = backup_of(db_path)
    data = bytearray(backup.read_bytes())
    data[3 * 4096 : 3 * 4096 + 800] = os.urandom(800)
    backup.write_bytes(bytes(data))
    result = encrypt_register(db_path, KEY)
    assert result.removed == [backup] and not backup.exists()
    assert any(str(backup) in line and "Verwijderd" in line for line in result.backup_lines())


def test_rotating_reencrypts_register_and_backups_and_the_old_key_opens_nothing(db_path, key_file):
    sensitive_school(db_path, key=KEY)
    db = open_database(db_path)
    backup = make_backup(db, db_path, "handmatig")
    before = dump_tables(db)
    db.close()
    new = bytes.fromhex("c3" * 32)
    result = encrypt_register(db_path, new, old_key=KEY)
    assert result.converted == [backup]
    for path in (db_path, backup):
        with pytest.raises(WrongKeyError):
            open_raw(path, read_only=True, inspect=True, key=KEY)
        conn = open_raw(path, read_only=True, inspect=True, key=new)
        conn.close()
    db = open_database(db_path, key=new)
    assert dump_tables(db) == before
    db.close()


def test_encrypting_a_register_that_a_window_has_open_is_refused(db_path, key_file):
    from merlet_desk.store.lock import LockedError, acquire_lock
    from tests.helpers.processes import digest

    sensitive_school(db_path)
    before = digest(db_path)
    with acquire_lock(db_path), pytest.raises(LockedError):
        encrypt_register(db_path, KEY)
    assert digest(db_path) == before


def test_encrypting_while_another_program_reads_it_is_refused_untouched(db_path, key_file):
    from merlet_desk.store.errors import BusyError

    sensitive_school(db_path)
    reader = open_database(db_path)  # not a window (no lock file), but a connection
    reader.execute("SELECT count(*) FROM pupils").fetchone()
    before = table_counts(reader.conn)
    try:
        with pytest.raises(BusyError, match="geopend door een ander programma"):
            encrypt_register(db_path, KEY)
        assert table_counts(reader.conn) == before  # the reader's file still has a name
        assert sqlite_driver.key_of(reader.conn) is None
    finally:
        reader.close()
    assert not any(p.name.endswith(".omzetten") for p in db_path.parent.iterdir())


# -- SIGKILL during encrypt ------------------------------------------------------------------

# The real command in a child, optionally stopped at a named moment (the kill then lands
# exactly there): before the copy, after it was written and checked but before the swap, and
# after the swap before the folder was flushed.
ENCRYPT = r"""
import os, sys, time
from merlet_desk.store import encryption

stop = sys.argv[2]

def stall(name):
    if name == stop:
        print(name, flush=True)
        time.sleep(60)

export, replace, fsync = encryption.export_attached, encryption.os.replace, encryption._fsync

def export_attached(*args):
    stall("voor-kopie")
    export(*args)

def replace_(*args):
    stall("voor-wissel")
    replace(*args)
    stall("na-wissel")

encryption.export_attached = export_attached
encryption.os.replace = replace_
from merlet_desk.cli import main
print("start", flush=True)
sys.exit(main(["encrypt", "--db", sys.argv[1]]))
"""


def _state_after_kill(db_path, before) -> str:
    """Which file is there now: "plain" or "encrypted", each whole; fails on anything else."""
    plain = open_raw(db_path, read_only=True, inspect=True, key=None)
    try:
        from merlet_desk.store.connection import page_one_reads

        is_plain = page_one_reads(plain)
    finally:
        plain.close()
    db = open_database(db_path, key=None if is_plain else KEY)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert table_counts(db.conn) == before
    finally:
        db.close()
    return "plain" if is_plain else "encrypted"


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_during_encrypt_leaves_the_plain_file_or_the_complete_encrypted_one(
    tmp_path, key_file
):
    from merlet_desk.demo import fill_demo

    master = tmp_path / "origineel.sqlite"
    db = open_database(master, key=None)
    fill_demo(db, 800)
    before = table_counts(db.conn)
    db.close()
    db_path = tmp_path / "merlet.sqlite"

    def run(stop: str) -> subprocess.Popen:
        for suffix in ("", "-wal", "-shm", "-journal"):
            db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
        db_path.write_bytes(master.read_bytes())
        return subprocess.Popen(
            [sys.executable, "-c", ENCRYPT, str(db_path), stop],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    # At the named moments.
    for stop, expected in (
        ("voor-kopie", "plain"),
        ("voor-wissel", "plain"),
        ("na-wissel", "encrypted"),
    ):
        child = run(stop)
        assert child.stdout.readline().strip() == "start"
        assert child.stdout.readline().strip() == stop, child.stderr.read()
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        assert _state_after_kill(db_path, before) == expected, stop

    # An uninterrupted run, for its length; then kills at random moments within it.
    child = run("-")
    assert child.stdout.readline().strip() == "start"
    started = time.monotonic()
    assert child.wait(timeout=120) == 0, child.stderr.read()
    length = time.monotonic() - started
    assert _state_after_kill(db_path, before) == "encrypted"
    rng = random.Random(26)
    seen = set()
    for _attempt in range(6):
        child = run("-")
        assert child.stdout.readline().strip() == "start"
        time.sleep(rng.uniform(0, length * 1.1))
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        seen.add(_state_after_kill(db_path, before))
    assert seen <= {"plain", "encrypted"}


def test_the_encrypted_register_named_as_an_input_file_is_refused_unread(db_path, key_file, capsys):
    """Without its key SQLite takes the register for "not a database"; read as a CSV or a
    photo it would still drop this process's locks on it. So a file this process opened as
    an encrypted database is refused as input too, and its -wal with it."""
    from merlet_desk.cli import main
    from merlet_desk.imaging.photo import NotAPicture, read_photo
    from merlet_desk.store.settings import set_setting

    sensitive_school(db_path, key=KEY)
    window = open_database(db_path)  # held as the window holds it
    set_setting(window, "test.open", "Joëlle van den Broek")
    try:
        for named in (db_path, db_path.with_name(db_path.name + "-wal")):
            assert main(["import-consents", str(named), "--db", str(db_path)]) == 2
            err = capsys.readouterr().err
            assert "SQLite-database" in err and "niets ingelezen" in err, err
        with pytest.raises(NotAPicture, match="SQLite-database"):
            read_photo(db_path)
    finally:
        window.close()
