"""`merlet-desk backup | restore | verify` as IT uses them."""

from __future__ import annotations

import hashlib
import json
import socket
import subprocess

import pytest

from merlet_desk.cli import main
from merlet_desk.store import open_database
from merlet_desk.store.backup import list_backups
from merlet_desk.store.lock import lock_path
from merlet_desk.store.settings import get_setting, set_setting
from tests.helpers.processes import ANOTHER_INSTANCE


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_verify_backup_truncate_restore_verify(tmp_path, capsys):
    db_path = tmp_path / "school" / "merlet-desk.sqlite"
    assert main(["init", "--demo", "--pupils", "60", "--db", str(db_path)]) == 0
    db = open_database(db_path)
    set_setting(db, "test.wie", "Şükrü Yılmaz")
    db.close()
    capsys.readouterr()

    assert main(["verify", "--db", str(db_path)]) == 0
    assert "in orde" in capsys.readouterr().out

    assert main(["backup", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "Back-up gemaakt:" in out and "handmatig" in out
    backups = list_backups(db_path.parent / "backups", db_path)
    assert len(backups) == 1

    # A truncated file: verify says so (exit 1) and writes nothing.
    data = db_path.read_bytes()
    db_path.write_bytes(data[: len(data) // 2])
    before = digest(db_path)
    assert main(["verify", "--db", str(db_path)]) == 1
    err = capsys.readouterr().err
    assert "BESCHADIGD" in err and str(db_path) in err
    assert digest(db_path) == before
    # Opening it for work is refused with the clear message, also untouched.
    assert main(["purge", "--db", str(db_path), "--dry-run"]) == 2
    assert "beschadigd of afgekapt" in capsys.readouterr().err
    assert digest(db_path) == before

    assert main(["restore", "--db", str(db_path)]) == 0  # the newest good backup
    out = capsys.readouterr().out
    assert f"Back-up van {backups[0].made_at:%d-%m-%Y %H:%M}" in out and "60 leerlingen" in out
    assert f"Teruggezet uit {backups[0].path}" in out
    assert "beschadigd" in out  # the damaged file was kept aside
    assert main(["verify", "--db", str(db_path)]) == 0
    db = open_database(db_path)
    assert get_setting(db, "test.wie") == "Şükrü Yılmaz"
    db.close()
    kept = [
        b for b in list_backups(db_path.parent / "backups", db_path) if b.reason == "beschadigd"
    ]
    assert len(kept) == 1 and digest(kept[0].path) == before
    assert not list((db_path.parent / "backups").glob("*-wal"))  # no empty side files


@pytest.mark.sqlite_only("backups beside the file; a server's: tests/commands/test_server.py")
def test_backup_to_file_and_bad_input(db, db_path, tmp_path, capsys):
    target = tmp_path / "kopie.sqlite"
    assert main(["backup", "--db", str(db_path), "-o", str(target)]) == 0
    assert main(["verify", "--db", str(target)]) == 0
    capsys.readouterr()
    assert main(["verify", "--db", str(tmp_path / "nergens.sqlite")]) == 2
    assert "bestaat niet" in capsys.readouterr().err
    assert main(["backup", "--db", str(db_path), "-o", str(target)]) == 2
    assert "is een SQLite-database; die wordt niet overschreven" in capsys.readouterr().err
    notes = tmp_path / "notes.txt"
    notes.write_text("<b>Jan</b> & Zn")
    assert main(["backup", "--db", str(db_path), "-o", str(notes)]) == 2
    assert "bestaat al" in capsys.readouterr().err
    assert main(["verify", "--db", str(notes)]) == 2  # not a database: bad input
    said = capsys.readouterr().err
    assert "geen SQLite-bestand" in said and "BESCHADIGD" not in said
    empty = tmp_path / "leeg.sqlite"
    empty.touch()
    assert main(["verify", "--db", str(empty)]) == 2
    assert "leeg" in capsys.readouterr().err
    assert main(["restore", str(notes), "--db", str(db_path)]) == 2
    assert "niet bruikbaar" in capsys.readouterr().err
    lonely = tmp_path / "zonder-backups.sqlite"
    lonely.write_bytes(db_path.read_bytes())
    assert main(["restore", "--db", str(lonely)]) == 2
    assert "geen goede back-up" in capsys.readouterr().err


@pytest.mark.sqlite_only("the file's lock; a server takes many seats")
def test_restore_refused_while_another_instance_has_it_open(db, db_path, tmp_path, capsys):
    target = tmp_path / "kopie.sqlite"
    main(["backup", "--db", str(db_path), "-o", str(target)])
    child = subprocess.Popen(ANOTHER_INSTANCE)
    try:
        info = {"pid": child.pid, "host": socket.gethostname(), "user": "zofia", "since": "x"}
        lock_path(db_path).write_text(json.dumps(info))
        before = digest(db_path)
        assert main(["restore", str(target), "--db", str(db_path)]) == 2
        assert "zofia" in capsys.readouterr().err
        assert digest(db_path) == before
    finally:
        child.kill()
        child.wait()


@pytest.mark.sqlite_only("the backup beside the file before an import; a server's backups are IT's")
def test_cli_import_backs_up_first_and_a_bad_file_makes_no_backup(db, db_path, tmp_path, capsys):
    good = tmp_path / "leerlingen.csv"
    good.write_text(
        "leerlingnummer;roepnaam;tussenvoegsel;achternaam;geboortedatum;klas;locatie\n"
        "3001;Meryem;;Boujdaini;01-02-2011;2B;Mill\n",
        encoding="utf-8",
    )
    bad = tmp_path / "fout.csv"
    bad.write_text("leerlingnummer;roepnaam\n3002;<b>Jan</b> & Zn\n", encoding="utf-8")
    assert main(["import-pupils", str(bad), "--db", str(db_path)]) == 2
    assert list_backups(db_path.parent / "backups", db_path) == []
    assert main(["import-pupils", str(good), "--db", str(db_path)]) == 0
    backups = list_backups(db_path.parent / "backups", db_path)
    assert [b.reason for b in backups] == ["voor-import"]
    copy = open_database(backups[0].path, read_only=True)
    assert copy.execute("SELECT count(*) FROM pupils").fetchone()[0] == 0  # the state before
    copy.close()


def test_restore_without_a_name_takes_the_later_of_two_backups_in_one_second(tmp_path, capsys):
    """An import (its automatic backup holds the register before it) and a manual backup
    straight after, in the same second (the clock stands still in tests): `restore` without a
    name must put back the manual one, with the imported pupils, whatever the reasons' names."""
    db_path = tmp_path / "merlet.sqlite"
    assert main(["init", "--db", str(db_path)]) == 0
    pupils = tmp_path / "leerlingen.csv"
    pupils.write_text(
        "leerlingnummer;roepnaam;tussenvoegsel;achternaam;geboortedatum;klas;locatie\n"
        + "".join(
            f"10{n:02d};{first};{prefix};{last};01-05-2013;1A;Cuijk\n"
            for n, (first, prefix, last) in enumerate(
                [("Joëlle", "van den", "Broek"), ("Berkay", "", "Öztürk")] * 4
            )
        ),
        encoding="utf-8",
    )
    assert main(["import-pupils", str(pupils), "--db", str(db_path)]) == 0
    assert main(["backup", "--db", str(db_path)]) == 0
    made = list_backups(db_path.parent / "backups", db_path)
    assert [b.reason for b in made] == ["handmatig", "voor-import"]  # newest first
    assert made[0].made_at == made[1].made_at  # the same second
    db = open_database(db_path)
    set_setting(db, "test.na-de-back-up", "Meryem Boujdaini")
    db.close()
    capsys.readouterr()
    assert main(["restore", "--db", str(db_path)]) == 0
    assert "8 leerlingen" in capsys.readouterr().out
    db = open_database(db_path, read_only=True)
    assert db.execute("SELECT count(*) FROM pupils").fetchone()[0] == 8
    db.close()


def test_restore_offers_only_this_registers_backups_and_refuses_another_by_name(tmp_path, capsys):
    """Two registers of one file name back up into one shared folder: `restore` without a
    name takes this register's newest, not the other's newer one; `restore FILE` of the
    other register is refused with one line (exit 2, nothing changed) unless
    `--other-register` says so."""
    shared = tmp_path / "share" / "back-ups"
    school, empty = tmp_path / "laptop" / "merlet.sqlite", tmp_path / "pc2" / "merlet.sqlite"
    for path in (school, empty):
        assert main(["init", "--db", str(path)]) == 0
        db = open_database(path)
        set_setting(db, "safety.backup_dir", str(shared))
        db.close()
    pupils = tmp_path / "leerlingen.csv"
    pupils.write_text(
        "leerlingnummer;roepnaam;tussenvoegsel;achternaam;geboortedatum;klas;locatie\n"
        "1001;Joëlle;van den;Broek;01-05-2013;1A;Cuijk\n"
        "1002;Zofia;;Łęcka;02-06-2012;2A;Grave\n",
        encoding="utf-8",
    )
    assert main(["import-pupils", str(pupils), "--db", str(school)]) == 0
    assert main(["backup", "--db", str(school)]) == 0
    [ours] = [b.path for b in list_backups(shared, school) if b.reason == "handmatig"]
    db = open_database(school)
    set_setting(db, "test.later", "Meryem Boujdaini")
    db.close()
    assert main(["backup", "--db", str(empty)]) == 0  # the same second, numbered after: newer
    [theirs] = [
        b.path for b in list_backups(shared, empty) if b.path != ours and b.reason == "handmatig"
    ]
    capsys.readouterr()

    before = digest(school)
    assert main(["restore", str(theirs), "--db", str(school)]) == 2
    said = capsys.readouterr()
    assert "Nu in merlet.sqlite: 2 leerlingen" in said.out
    assert "0 leerlingen" in said.out
    [line] = said.err.strip().splitlines()
    assert "is een back-up van een ander register" in line and "--other-register" in line
    assert digest(school) == before

    assert main(["restore", "--db", str(school)]) == 0
    assert f"Teruggezet uit {ours}." in capsys.readouterr().out
    db = open_database(school, read_only=True)
    assert db.execute("SELECT count(*) FROM pupils").fetchone()[0] == 2
    assert get_setting(db, "test.later") is None
    db.close()

    assert main(["restore", str(theirs), "--db", str(school), "--other-register"]) == 0
    db = open_database(school, read_only=True)
    assert db.execute("SELECT count(*) FROM pupils").fetchone()[0] == 0
    db.close()
