"""Not ours, not touched: another program's SQLite file, an empty or missing file, a typo in
--db, a device, a pipe or a folder are refused with exit 2 and not a byte written (issue 13)."""

from __future__ import annotations

import os
import sys

import pytest

from merlet_desk.cli import main
from merlet_desk.store import migrations, open_database
from merlet_desk.store.identity import APPLICATION_ID, ForeignDatabaseError
from tests.helpers import sqlite
from tests.helpers.processes import HEADER, digest, listing

COMMANDS = [
    ["check", "--purpose", "website", "--pupils", "1"],
    ["cases"],
    ["takedowns"],
    ["report", "policy", "-o", "{folder}/rapport.pdf"],
    ["import-pupils", "{folder}/ok.csv"],
    ["import-consents", "{folder}/ok.csv"],
    ["purge"],
    ["purge", "--dry-run"],
    ["backup"],
    ["init"],
]


def foreign_file(path, user_version):
    conn = sqlite.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.execute("INSERT INTO notes (text) VALUES ('boodschappen: melk & <brood>')")
    conn.execute(f"PRAGMA user_version = {user_version}")
    conn.commit()
    conn.close()
    return path


def run(command, db_path, folder):
    args = [part.replace("{folder}", str(folder)) for part in command]
    return main([*args, "--db", str(db_path)])


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "map"
    folder.mkdir()
    (folder / "ok.csv").write_text(
        HEADER + "9001;Joëlle;van den;Broek;01-05-2012;1A;Cuijk\n", encoding="utf-8"
    )
    return folder


@pytest.mark.parametrize("user_version", [0, 2, 6, 7, migrations.LATEST_VERSION, 99])
def test_another_programs_file_is_refused_by_every_command(folder, user_version, capsys):
    path = foreign_file(folder / "ander.sqlite", user_version)
    before, files = digest(path), listing(folder)
    for command in COMMANDS:
        assert run(command, path, folder) == 2, command
        err = capsys.readouterr().err
        assert "geen Merlet Desk-database" in err, (command, err)
        assert "Traceback" not in err
        assert digest(path) == before, command
        assert listing(folder) == files, command
    assert main(["verify", "--db", str(path)]) == 2  # the wrong file named: bad input
    said = capsys.readouterr()
    assert "geen Merlet Desk-database" in said.out + said.err
    assert "BESCHADIGD" not in said.out + said.err  # not ours is not damaged
    assert digest(path) == before and listing(folder) == files


@pytest.mark.parametrize("user_version", [2, 6])
def test_restore_refuses_a_foreign_file_as_backup_and_as_target(folder, user_version, capsys):
    real = folder / "merlet.sqlite"
    assert main(["init", "--db", str(real)]) == 0
    foreign = foreign_file(folder / "ander.sqlite", user_version)
    real_before, foreign_before = digest(real), digest(foreign)
    assert main(["restore", str(foreign), "--db", str(real)]) == 2
    assert "geen Merlet Desk-database" in capsys.readouterr().err
    assert digest(real) == real_before
    # ... and a good backup is not restored over another program's file either.
    backup = folder / "kopie.sqlite"
    assert main(["backup", "--db", str(real), "-o", str(backup)]) == 0
    assert main(["restore", str(backup), "--db", str(foreign)]) == 2
    assert "geen Merlet Desk-database" in capsys.readouterr().err
    assert digest(foreign) == foreign_before


def older_file(path, version, monkeypatch, sql):
    """A file as an older version left it: migrations 1..`version`, without the mark."""
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:version])
    monkeypatch.setattr(migrations, "LATEST_VERSION", version)
    old = open_database(path)
    old.execute(sql)
    old.execute("PRAGMA application_id = 0")  # made before the mark existed
    old.close()
    monkeypatch.undo()
    return path


def test_a_genuine_older_file_without_the_mark_still_upgrades(folder, monkeypatch):
    """A file made by migrations 1-6 (before the mark) is recognised by its schema."""
    path = older_file(
        folder / "oud.sqlite",
        6,
        monkeypatch,
        "INSERT INTO settings (key, value) VALUES ('wie', '\"Meryem Boujdaini\"')",
    )
    conn = sqlite.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0
    conn.close()

    db = open_database(path)
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert db.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST_VERSION
    assert db.execute("SELECT value FROM settings WHERE key = 'wie'").fetchone()[0] == (
        '"Meryem Boujdaini"'
    )
    db.close()
    assert list((folder / "backups").glob("*voor-bijwerken-v6.sqlite"))


def test_an_older_file_with_one_table_too_many_is_not_taken_for_ours(folder, monkeypatch):
    path = older_file(folder / "bijna.sqlite", 2, monkeypatch, "CREATE TABLE notes (text TEXT)")
    before = digest(path)
    with pytest.raises(ForeignDatabaseError):
        open_database(path)
    assert digest(path) == before


def test_new_databases_carry_the_mark(folder):
    path = folder / "nieuw.sqlite"
    assert main(["init", "--db", str(path)]) == 0
    conn = sqlite.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()


@pytest.mark.parametrize("kind", ["missing", "empty", "typo"])
def test_only_init_creates_a_database(folder, kind, capsys):
    real = folder / "merlet.sqlite"
    assert main(["init", "--db", str(real)]) == 0
    path = {"missing": folder / "nergens.sqlite", "empty": folder / "leeg.sqlite"}.get(
        kind, folder / "merlet.sqlit"
    )
    if kind == "empty":
        path.touch()
    files = listing(folder)
    for command in [c for c in COMMANDS if c[0] != "init"]:
        assert run(command, path, folder) == 2, command
        err = capsys.readouterr().err
        assert f'merlet-desk init --db "{path}"' in err, (command, err)
        assert listing(folder) == files, command
        assert not path.exists() or path.stat().st_size == 0
    assert main(["init", "--db", str(path)]) == 0  # init may
    assert path.stat().st_size > 0


def test_a_failed_import_into_a_new_path_leaves_no_file(folder, capsys):
    bad = folder / "fout.csv"
    bad.write_text(HEADER + "9001;;;Broek;01-05-2012;1A;Cuijk\n", encoding="utf-8")
    files = listing(folder)
    assert main(["import-pupils", str(bad), "--db", str(folder / "nieuw.sqlite")]) == 2
    capsys.readouterr()
    assert listing(folder) == files


@pytest.mark.skipif(sys.platform != "linux", reason="mknod and mkfifo")
@pytest.mark.parametrize("kind", ["device", "fifo", "folder"])
def test_devices_pipes_and_folders_get_their_own_message(tmp_path, kind, capsys):
    folder = tmp_path / "dev"
    folder.mkdir()
    path = folder / kind
    if kind == "device":
        if os.geteuid() != 0:
            pytest.skip("mknod of a character device needs root")
        os.mknod(path, 0o666 | 0o020000, os.makedev(1, 3))  # a copy of /dev/null
    elif kind == "fifo":
        os.mkfifo(path)  # opening it would block: it must never be opened
    else:
        path.mkdir()
    expected = {"device": "apparaat", "fifo": "pipe (FIFO)", "folder": "is een map"}[kind]
    files = listing(folder)
    for command in [*COMMANDS, ["verify"], ["restore"]]:
        assert run(command, path, tmp_path) == 2, command
        err = capsys.readouterr().err
        assert expected in err, (command, err)
        assert listing(folder) == files, command
