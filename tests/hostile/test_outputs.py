"""Output never lands on data: every -o and save target that is the database (however spelled),
its side files, its backups or any SQLite file is refused, with nothing written (issue 13)."""

from __future__ import annotations

import os
import sys

import pytest

from merlet_desk.cli import main
from merlet_desk.store import open_database
from merlet_desk.store import outputs as outputs_module
from merlet_desk.store.backup import backup_before
from merlet_desk.store.errors import UnsafeOutputError
from merlet_desk.store.outputs import refuse_unsafe_output
from merlet_desk.store.settings import set_setting
from tests.helpers import sqlite
from tests.helpers.processes import digest, listing


@pytest.fixture
def school(tmp_path):
    """A database with a backup, in its own folder; returns (folder, db path, backup path)."""
    folder = tmp_path / "school"
    folder.mkdir()
    db_path = folder / "merlet.sqlite"
    assert main(["init", "--db", str(db_path)]) == 0
    db = open_database(db_path)
    backup = backup_before(db, "voor-import")
    db.close()
    return folder, db_path, backup


def other_sqlite(path):
    conn = sqlite.connect(path)
    conn.execute("CREATE TABLE notities (tekst TEXT)")
    conn.commit()
    conn.close()
    return path


UNSAFE = {
    "the database": lambda f, db, bk: db,
    "the database via ..": lambda f, db, bk: f / "sub" / ".." / db.name,
    "a symbolic link to it": lambda f, db, bk: f / "link.pdf",
    "a hard link to it": lambda f, db, bk: f / "hard.pdf",
    "its -wal": lambda f, db, bk: f / (db.name + "-wal"),
    "its -shm": lambda f, db, bk: f / (db.name + "-shm"),
    "its -journal": lambda f, db, bk: f / (db.name + "-journal"),
    "its lock file": lambda f, db, bk: f / (db.name + ".lock"),
    "a backup": lambda f, db, bk: bk,
    "a new file in the backup folder": lambda f, db, bk: bk.parent / "rapport.pdf",
    "another SQLite file named .pdf": lambda f, db, bk: other_sqlite(f / "ander.pdf"),
    "the side file of another SQLite file": lambda f, db, bk: (
        other_sqlite(f / "ander.db"),
        f / "ander.db-journal",
    )[1],
    "a folder": lambda f, db, bk: f / "sub",
}


def prepare(school):
    folder, db_path, backup = school
    (folder / "sub").mkdir(exist_ok=True)
    if not (folder / "link.pdf").exists():
        os.symlink(db_path, folder / "link.pdf")
        os.link(db_path, folder / "hard.pdf")
    return folder, db_path, backup


@pytest.mark.parametrize("what", sorted(UNSAFE))
def test_refused_targets(school, what):
    folder, db_path, backup = prepare(school)
    target = UNSAFE[what](folder, db_path, backup)
    with pytest.raises(UnsafeOutputError, match="Er is niets geschreven"):
        refuse_unsafe_output(target, db_path)


@pytest.mark.parametrize("what", sorted(UNSAFE))
def test_report_refuses_each_target_with_exit_2_and_writes_nothing(school, what, capsys):
    folder, db_path, backup = prepare(school)
    target = UNSAFE[what](folder, db_path, backup)
    before = {p: digest(p) for p in (db_path, backup)}
    files = listing(folder)
    assert main(["report", "policy", "--db", str(db_path), "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("merlet-desk: ") and len(err.strip().splitlines()) == 1, err
    assert {p: digest(p) for p in before} == before
    assert listing(folder) == files


@pytest.mark.parametrize(
    "what", ["its -wal", "its -journal", "a new file in the backup folder", "a folder"]
)
def test_backup_dash_o_refuses_the_same_targets(school, what, capsys):
    folder, db_path, backup = prepare(school)
    target = UNSAFE[what](folder, db_path, backup)
    files = listing(folder)
    assert main(["backup", "--db", str(db_path), "-o", str(target)]) == 2
    assert "Er is niets geschreven" in capsys.readouterr().err
    assert listing(folder) == files


def test_the_configured_backup_folder_is_protected_too(school, tmp_path, capsys):
    folder, db_path, _ = school
    elsewhere = tmp_path / "kluis"
    db = open_database(db_path)
    set_setting(db, "safety.backup_dir", str(elsewhere))
    backup_before(db, "voor-import")
    db.close()
    target = elsewhere / "rapport.pdf"
    assert main(["report", "policy", "--db", str(db_path), "-o", str(target)]) == 2
    assert f"ligt in de back-upmap {elsewhere}" in capsys.readouterr().err
    assert not target.exists()


@pytest.mark.skipif(sys.platform != "linux", reason="a character device at /dev/null")
def test_a_device_is_never_replaced(school, capsys):
    _, db_path, _ = school
    assert main(["report", "policy", "--db", str(db_path), "-o", "/dev/null"]) == 2
    assert "apparaat" in capsys.readouterr().err
    assert os.path.exists("/dev/null") and not os.path.isfile("/dev/null")


def test_another_case_is_the_same_file_where_the_file_system_ignores_case(school, monkeypatch):
    folder, db_path, _ = school
    monkeypatch.setattr(outputs_module, "_ignores_case", lambda path: True)
    for name in ("MERLET.SQLITE", "Merlet.sqlite-WAL", "BACKUPS/x.pdf"):
        with pytest.raises(UnsafeOutputError):
            refuse_unsafe_output(folder / name, db_path)


def test_ordinary_targets_are_allowed(school, capsys):
    folder, db_path, _ = school
    if not outputs_module._ignores_case(db_path):  # ext4: another spelling is another file
        refuse_unsafe_output(folder / "MERLET.SQLITE", db_path)
    old_pdf = folder / "beleid.pdf"
    old_pdf.write_bytes(b"%PDF-1.4 oud")
    assert main(["report", "policy", "--db", str(db_path), "-o", str(old_pdf)]) == 0
    assert old_pdf.read_bytes().startswith(b"%PDF") and b"oud" not in old_pdf.read_bytes()
    assert main(["backup", "--db", str(db_path), "-o", str(folder / "kopie.sqlite")]) == 0
