"""The store: creating, reopening, migrating, and refusing files it must not touch."""

from __future__ import annotations

import hashlib
import stat
import subprocess
import sys

import pytest

from merlet_desk import sqlite_driver
from merlet_desk.store import migrations, open_database
from merlet_desk.store.errors import (
    DatabaseUnavailableError,
    NotADatabaseError,
    SchemaTooNewError,
    StoreError,
)
from merlet_desk.store.policy_store import add_policy_version, current_policy, policy_versions
from tests.helpers import sqlite

pytestmark = pytest.mark.sqlite_only(
    "the SQLite file itself: its header, journal, permissions and damage (the server's"
    " counterparts are in test_server.py)"
)


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_database_has_latest_schema_wal_and_foreign_keys(db, db_path):
    assert db.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert current_policy(db).agreement(9).number == 9


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_new_database_is_readable_by_owner_only(db, db_path):
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


def test_reopen_keeps_rows(db_path):
    db = open_database(db_path)
    db.execute("INSERT INTO settings (key, value) VALUES ('x', '\"Zofia Łęcka\"')")
    db.close()
    again = open_database(db_path)
    assert again.execute("SELECT value FROM settings WHERE key='x'").fetchone()[0] == (
        '"Zofia Łęcka"'
    )
    assert len(policy_versions(again)) == 1  # the policy is loaded once, not on every open
    again.close()


def test_migrating_an_older_file_keeps_every_row(db_path, monkeypatch):
    # Build a file at schema 1 only, with data in it, then let the full list migrate it.
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:1])
    monkeypatch.setattr(migrations, "LATEST_VERSION", 1)
    old = open_database(db_path)
    assert old.execute("PRAGMA user_version").fetchone()[0] == 1
    with old.atomic():
        for n in range(500):
            old.execute("INSERT INTO settings (key, value) VALUES (?, ?)", [f"k{n}", str(n)])
    old.close()
    monkeypatch.undo()

    db = open_database(db_path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST_VERSION
    assert db.execute("SELECT count(*) FROM settings WHERE key GLOB 'k*'").fetchone()[0] == 500
    assert db.execute("SELECT value FROM settings WHERE key='k499'").fetchone()[0] == "499"
    db.close()


def test_failed_migration_leaves_file_as_it_was(db_path, monkeypatch):
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:1])
    monkeypatch.setattr(migrations, "LATEST_VERSION", 1)
    open_database(db_path).close()
    monkeypatch.undo()

    def broken(conn):
        conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("boom")

    monkeypatch.setattr(migrations.MIGRATIONS[1], "apply", broken)
    with pytest.raises(RuntimeError):
        open_database(db_path)
    conn = sqlite.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "half_done" not in names and "policy_versions" not in names
    conn.close()


def test_the_latest_version_is_the_last_listed_migration():
    """`LATEST_VERSION` is written out (a current file opens without loading the list); it
    must be the number of the last migration, and the numbers contiguous."""
    numbers = [module.NUMBER for module in migrations.MIGRATIONS]
    assert numbers == list(range(1, migrations.LATEST_VERSION + 1))


def test_a_current_file_opens_without_loading_the_migrations(db_path):
    open_database(db_path).close()
    probe = (
        "import sys\n"
        "from merlet_desk.store import open_database\n"
        f"open_database({str(db_path)!r}).close()\n"
        "print(sorted(m for m in sys.modules if m.startswith('merlet_desk.store.migrations.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    # identity reads the mark's value and the paper forms' identity from these two
    assert out.strip() == str(
        [
            "merlet_desk.store.migrations.m0007_application_id",
            "merlet_desk.store.migrations.m0012_paper_identity",
        ]
    )


def test_newer_schema_is_refused_untouched(db_path):
    open_database(db_path).close()
    conn = sqlite.connect(db_path)
    conn.execute(f"PRAGMA user_version = {migrations.LATEST_VERSION + 5}")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    before = digest(db_path)
    with pytest.raises(SchemaTooNewError, match="nieuwere versie"):
        open_database(db_path)
    assert digest(db_path) == before


def test_text_file_is_refused_untouched(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("Boodschappen: melk & <brood>\n", encoding="utf-8")
    before = digest(notes)
    with pytest.raises(NotADatabaseError, match="geen SQLite-bestand"):
        open_database(notes)
    assert digest(notes) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_other_programs_sqlite_file_is_refused_untouched(tmp_path):
    other = tmp_path / "other.db"
    conn = sqlite.connect(other)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    before = digest(other)
    with pytest.raises(NotADatabaseError, match="ander programma"):
        open_database(other)
    assert digest(other) == before


def test_read_only_refuses_writes_and_missing_files(db_path, tmp_path):
    open_database(db_path).close()
    ro = open_database(db_path, read_only=True)
    with pytest.raises(sqlite_driver.OperationalError, match="readonly"):
        ro.execute("INSERT INTO settings (key, value) VALUES ('a', '1')")
    ro.close()
    with pytest.raises(DatabaseUnavailableError, match="bestaat niet"):
        open_database(tmp_path / "nope.sqlite", read_only=True)


def test_directory_is_refused(tmp_path):
    with pytest.raises(StoreError, match="map"):
        open_database(tmp_path)


def test_revised_policy_keeps_the_old_version(db):
    source = current_policy(db)
    text = db.execute("SELECT source FROM policy_versions").fetchone()[0]
    revised = text.replace("Dit reglement is van toepassing", "Deze handreiking geldt")
    add_policy_version(db, "2027", revised, "2027-08-01")
    versions = policy_versions(db)
    assert [v["label"] for v in versions] == [source.version or "1", "2027"]
    assert [v["is_current"] for v in versions] == [0, 1]
    assert current_policy(db).agreement(1).body.startswith("Deze handreiking geldt")
