"""The `safety.backup_dir` setting as IT uses it (issue 19, part 5): every backup goes into
the folder it names (a relative path is relative to the database's folder), and restoring
finds them there, also when the database itself is damaged."""

from __future__ import annotations

from pathlib import Path

import pytest

from merlet_desk.cli import main
from merlet_desk.store import open_database
from merlet_desk.store.backup import BACKUP_DIR_SETTING, backup_folder, list_backups
from merlet_desk.store.settings import get_setting, set_setting

pytestmark = pytest.mark.sqlite_only("the backups folder lies beside the register file")


@pytest.fixture
def elsewhere(db, db_path):
    """The database keeps its backups in `archief/back-ups Merlet` (a relative setting)."""
    set_setting(db, BACKUP_DIR_SETTING, "archief/back-ups Merlet")
    set_setting(db, "test.wie", "Zofia Łęcka")
    folder = db_path.parent / "archief" / "back-ups Merlet"
    assert backup_folder(db_path, db) == folder
    return folder


def reasons(folder: Path, db_path: Path) -> list[str]:
    return sorted(b.reason for b in list_backups(folder, db_path))


def test_every_kind_of_backup_goes_into_the_configured_folder(db, db_path, elsewhere, capsys):
    from merlet_desk.store.backup import backup_before, daily_backup

    daily_backup(db, db_path)  # the first of the day (later ones that day are skipped)
    backup_before(db, "voor-import")
    db.close()
    assert main(["backup", "--db", str(db_path)]) == 0
    assert str(elsewhere) in capsys.readouterr().out
    assert reasons(elsewhere, db_path) == ["dagelijks", "handmatig", "voor-import"]
    assert not (db_path.parent / "backups").exists()


def test_the_migration_backup_goes_there_too(db_path, tmp_path, monkeypatch):
    from merlet_desk.store import migrations

    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:1])
    monkeypatch.setattr(migrations, "LATEST_VERSION", 1)
    old = open_database(db_path)
    old.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?)",
        [BACKUP_DIR_SETTING, f'"{tmp_path / "archief"}"'],
    )
    old.close()
    monkeypatch.undo()
    open_database(db_path).close()
    assert reasons(tmp_path / "archief", db_path) == ["voor-bijwerken-v1"]


def scribble_over(db_path: Path, table: str) -> None:
    """Damage one table's first page (quick_check fails; the rest stays readable)."""
    db = open_database(db_path)
    page = db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
    size = int(db.execute("PRAGMA page_size").fetchone()[0])  # SQLCipher says "4096"
    db.close()
    with db_path.open("r+b") as handle:
        handle.seek((page - 1) * size)
        handle.write(b"\xde\xad" * (size // 2))


def test_restore_of_a_damaged_file_finds_the_backup_in_the_configured_folder(
    db, db_path, elsewhere, capsys
):
    """The setting lives in the damaged file itself; it is read from what is still readable."""
    db.close()
    assert main(["backup", "--db", str(db_path)]) == 0
    scribble_over(db_path, "audit_log")
    assert main(["verify", "--db", str(db_path)]) == 1
    capsys.readouterr()
    assert main(["restore", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert f"Teruggezet uit {elsewhere}" in out
    assert reasons(elsewhere, db_path) == ["beschadigd", "handmatig"]  # the damaged copy too
    restored = open_database(db_path)
    assert get_setting(restored, "test.wie") == "Zofia Łęcka"
    restored.close()


def test_a_file_too_damaged_to_read_the_setting_from_says_where_it_looked(
    db, db_path, elsewhere, capsys
):
    db.close()
    assert main(["backup", "--db", str(db_path)]) == 0
    db_path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)  # nothing readable left
    capsys.readouterr()
    assert main(["restore", "--db", str(db_path)]) == 2
    err = capsys.readouterr().err
    assert f"gevonden in {db_path.parent / 'backups'}" in err
    assert "noem de back-up zelf: merlet-desk restore BACKUP --db PAD." in err
    [backup] = list_backups(elsewhere, db_path)
    assert main(["restore", str(backup.path), "--db", str(db_path)]) == 0


def test_without_the_setting_backups_beside_the_database_are_found(db, db_path, capsys):
    db.close()
    assert main(["backup", "--db", str(db_path)]) == 0
    db_path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    capsys.readouterr()
    assert main(["restore", "--db", str(db_path)]) == 0
    assert f"Teruggezet uit {db_path.parent / 'backups'}" in capsys.readouterr().out
