"""Backups: made with the backup API, owner-only, rotated, verified, summarised and restored."""

from __future__ import annotations

import hashlib
import stat
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from merlet_desk.store import migrations, open_database
from merlet_desk.store.backup import (
    BackupError,
    BackupInfo,
    backup_before,
    backup_folder,
    backup_summary,
    backups_to_keep,
    daily_backup,
    list_backups,
    make_backup,
    newest_good_backup,
    restore,
    rotate,
)
from merlet_desk.store.backup import (
    parse_backup_name as parse,
)
from merlet_desk.store.errors import StoreError
from merlet_desk.store.settings import get_setting, set_setting
from merlet_desk.store.verification import verify
from tests.helpers import TODAY, sqlite

pytestmark = pytest.mark.sqlite_only(
    "backups are files beside the register file; a register on a server is backed up with "
    "`backup --db URL -o` (tests/commands/test_server.py)"
)

NAMES = ["Joëlle van den Broek", "Berkay Öztürk", "Zofia Łęcka", "Meryem Boujdaini"]
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fill(db, n: int = 50) -> None:
    with db.atomic():
        for i in range(n):
            set_setting(db, f"test.name{i}", NAMES[i % len(NAMES)] + f" {i}")


def test_backup_before_import_is_a_full_owner_only_copy(db, db_path):
    fill(db)
    target = backup_before(db, "voor-import")
    assert target.parent == db_path.parent / "backups"
    assert target.name.startswith("merlet_") and target.name.endswith("_voor-import.sqlite")
    if sys.platform != "win32":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    assert verify(target).ok
    copy = sqlite.connect(target)
    assert copy.execute("SELECT count(*) FROM settings WHERE key LIKE 'test.%'").fetchone() == (50,)
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    copy.close()
    assert not list(target.parent.glob("*.part"))


def test_backup_folder_is_a_setting(db, db_path, tmp_path):
    set_setting(db, "safety.backup_dir", str(tmp_path / "elders"))
    assert backup_folder(db_path, db) == tmp_path / "elders"
    target = backup_before(db, "voor-import")
    assert target.parent == tmp_path / "elders"


def test_migration_backs_up_the_old_file_first(db_path, monkeypatch):
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:1])
    monkeypatch.setattr(migrations, "LATEST_VERSION", 1)
    old = open_database(db_path)
    old.execute("INSERT INTO settings (key, value) VALUES ('wie', '\"Şükrü Yılmaz\"')")
    old.close()
    monkeypatch.undo()

    open_database(db_path).close()
    backups = list_backups(db_path.parent / "backups", db_path)
    assert [b.reason for b in backups] == ["voor-bijwerken-v1"]
    summary = backup_summary(backups[0].path)
    assert summary.schema_version == 1 and summary.verify.ok
    conn = sqlite.connect(backups[0].path)
    assert conn.execute("SELECT value FROM settings WHERE key='wie'").fetchone() == (
        '"Şükrü Yılmaz"',
    )
    conn.close()
    # A new file and an up-to-date file get no migration backup.
    open_database(db_path).close()
    assert len(list_backups(db_path.parent / "backups", db_path)) == 1


def test_daily_backup_at_most_once_a_day(db, db_path):
    morning = datetime(2026, 11, 24, 8, 0, 0)
    first = daily_backup(db, db_path, now=morning)
    assert first is not None and "2026-11-24_080000_dagelijks" in first.name
    assert daily_backup(db, db_path, now=morning + timedelta(hours=6)) is None
    assert daily_backup(db, db_path, now=morning + timedelta(days=1)) is not None


def test_rotation_keeps_7_daily_4_weekly_12_monthly():
    today = date(2026, 11, 25)
    backups = []
    for days_ago in range(0, 800):
        day = today - timedelta(days=days_ago)
        for hour in (9, 17):  # two a day
            made = datetime(day.year, day.month, day.day, hour)
            backups.append(BackupInfo(Path(f"b-{made:%Y%m%d%H}"), made, "dagelijks"))
    keep = backups_to_keep(backups, today)
    kept = sorted((b for b in backups if b.path in keep), key=lambda b: b.made_at)
    # 7 days, plus weeks and months not already covered by a newer day/week.
    days = {b.made_at.date() for b in kept}
    for n in range(7):
        assert today - timedelta(days=n) in days
    assert all(b.made_at.hour == 17 for b in kept)  # the newest of each period
    assert {(b.made_at.year, b.made_at.month) for b in kept} >= {
        (2026, m) for m in range(1, 12)
    } | {(2025, 12)}
    assert len(kept) <= 7 + 4 + 12
    assert min(b.made_at for b in kept).date() >= date(2025, 12, 1)


def test_rotate_deletes_files_outside_the_scheme_but_never_damaged_copies(db, db_path):
    folder = db_path.parent / "backups"
    start = datetime(2026, 1, 1, 12)
    for n in range(60):
        make_backup(db, db_path, "dagelijks", now=start + timedelta(days=n), rotate_after=False)
    make_backup(db, db_path, "beschadigd", now=start, rotate_after=False)
    make_backup(db, db_path, "handmatig", now=start, rotate_after=False)
    for hour in (8, 9, 10):  # three imports this morning: all kept for a day
        make_backup(db, db_path, "voor-import", now=datetime(2026, 3, 1, hour), rotate_after=False)
    removed = rotate(folder, db_path, now=datetime(2026, 3, 1, 12))
    left = list_backups(folder, db_path)
    assert len(left) + len(removed) == 65
    assert 6 <= len([b for b in left if b.reason == "dagelijks"]) <= 12
    assert len([b for b in left if b.reason == "voor-import"]) == 3
    assert {"beschadigd", "handmatig"} <= {b.reason for b in left}
    assert all(b.reason == "dagelijks" for b in (parse(p) for p in removed))


def test_summary_and_restore_bring_the_data_back(db, db_path):
    fill(db, 10)
    backup = backup_before(db, "handmatig")
    summary = backup_summary(backup)
    assert summary.verify.ok
    assert summary.schema_version == migrations.LATEST_VERSION
    assert summary.facts is not None and summary.facts.count("pupils") == 0
    assert summary.made_at.date() == TODAY

    set_setting(db, "test.name0", "<b>Jan</b> & Zn")
    result = restore(backup, db_path)
    assert result.result.ok
    assert result.previous is not None and result.previous.exists()
    # The open connection sees the restored data (restored in place, not a new file).
    assert get_setting(db, "test.name0") == "Joëlle van den Broek 0"
    prev = sqlite.connect(result.previous)
    assert prev.execute("SELECT value FROM settings WHERE key='test.name0'").fetchone() == (
        '"<b>Jan</b> & Zn"',
    )
    prev.close()


def test_restore_refuses_a_damaged_backup_and_changes_nothing(db, db_path, tmp_path):
    fill(db, 200)
    backup = backup_before(db, "handmatig")
    db.close()
    broken = tmp_path / "broken.sqlite"
    data = backup.read_bytes()
    broken.write_bytes(data[: len(data) // 2])
    before = digest(db_path)
    with pytest.raises(BackupError, match="niet bruikbaar"):
        restore(broken, db_path)
    assert digest(db_path) == before


def test_newest_good_backup_skips_damaged_ones(db, db_path):
    fill(db, 200)
    good = make_backup(db, db_path, "dagelijks", now=datetime(2026, 11, 20, 9))
    newer = make_backup(db, db_path, "dagelijks", now=datetime(2026, 11, 21, 9))
    data = newer.read_bytes()
    newer.write_bytes(data[:4096] + b"\xff" * (len(data) - 4096))
    assert newest_good_backup(db_path) == good


def test_backup_while_another_process_connection_writes(db, db_path):
    other = open_database(db_path)
    fill(other, 30)
    with other.atomic():
        set_setting(other, "test.pending", "Meryem Boujdaini")
        target = backup_before(db, "handmatig")  # sees the last committed state only
    other.close()
    copy = sqlite.connect(target)
    assert copy.execute("SELECT count(*) FROM settings WHERE key LIKE 'test.%'").fetchone() == (30,)
    copy.close()


def test_backup_refuses_to_overwrite(db, tmp_path):
    from merlet_desk.store.backup import backup_to

    target = tmp_path / "mijn-backup.sqlite"
    backup_to(db, target)
    assert verify(target).ok
    with pytest.raises(StoreError, match="wordt niet overschreven"):
        backup_to(db, target)
    notes = tmp_path / "notities.txt"
    notes.write_text("Zofia Łęcka", encoding="utf-8")
    with pytest.raises(BackupError, match="bestaat al"):
        backup_to(db, notes)
    assert notes.read_text(encoding="utf-8") == "Zofia Łęcka"
