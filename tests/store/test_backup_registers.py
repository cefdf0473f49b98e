"""Backups that cannot mix registers: a folder holding the backups of several registers (two
files of one name sharing a backup folder, a test register beside the real one) counts,
rotates, offers and restores only this register's; the counts of a register and a backup
side by side; a manual backup to a place of the officer's choosing."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from merlet_desk.store import open_database
from merlet_desk.store.backup import (
    BackupError,
    OtherRegisterError,
    backup_summary,
    backup_to_place,
    daily_backup,
    list_backups,
    make_backup,
    newest_good_backup,
    register_backups,
    restore,
    rotate,
)
from merlet_desk.store.backup_contents import file_facts, file_identity
from merlet_desk.store.connection import open_raw
from merlet_desk.store.decisions import record_decision
from merlet_desk.store.errors import UnsafeOutputError
from merlet_desk.store.items import create_item
from merlet_desk.store.paper_forms import database_id
from merlet_desk.store.pupils import save_pupil
from merlet_desk.store.settings import set_setting
from tests.helpers import TODAY, add_consent_school, all_agreements, born_aged

DAY = datetime(2026, 11, 24, 8, 30)

pytestmark = pytest.mark.sqlite_only(
    "backups per register are files beside a register file; a server's are IT's"
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def shared(tmp_path) -> Path:
    """A backup folder on a share that two computers use."""
    return tmp_path / "share" / "back-ups"


def register(path: Path, shared: Path, *, school: bool):
    """A register at `path` whose backups go to `shared`; with `school` six pupils, decisions,
    a publication and a case, else empty (a register made for a try-out)."""
    from merlet_desk.store import publications as pub

    db = open_database(path)
    set_setting(db, "safety.backup_dir", str(shared))
    if school:
        add_consent_school(db)
        item = create_item(db, "Sportdag & <estafette>", pupil_numbers=["1006"])
        pub.publish(db, item.id, "website", TODAY, "https://merlet.nl", checklist=all_agreements())
    return db


@pytest.fixture
def two_registers(tmp_path, shared):
    """This register (the school's, merlet-desk.sqlite on the laptop) and another of the same
    file name (empty, on a second computer), both backing up into `shared`."""
    ours = register(tmp_path / "laptop" / "merlet-desk.sqlite", shared, school=True)
    theirs = register(tmp_path / "pc2" / "merlet-desk.sqlite", shared, school=False)
    yield ours, theirs
    ours.close()
    theirs.close()


def path_of(db) -> Path:
    return Path(db.execute("PRAGMA database_list").fetchone()[2])


def test_each_register_sees_only_its_own_backups_in_a_shared_folder(two_registers, shared):
    ours, theirs = two_registers
    own = make_backup(ours, path_of(ours), "dagelijks", now=DAY)
    other = make_backup(theirs, path_of(theirs), "dagelijks", now=DAY + timedelta(hours=2))
    assert {b.path for b in list_backups(shared, path_of(ours))} == {own, other}  # one name

    assert [b.path for b in register_backups(path_of(ours))] == [own]
    assert [b.path for b in register_backups(path_of(theirs))] == [other]
    # restore without a name: this register's newest, not the other register's newer one
    assert newest_good_backup(path_of(ours)) == own
    assert file_identity(own).paper_id == database_id(ours)
    assert file_identity(other).paper_id == database_id(theirs) != database_id(ours)


def test_the_daily_backup_and_the_rotation_leave_the_other_registers_backups_alone(
    two_registers, shared
):
    ours, theirs = two_registers
    theirs_old = [
        make_backup(
            theirs, path_of(theirs), "dagelijks", now=DAY - timedelta(days=d), rotate_after=False
        )
        for d in (40, 41, 42)
    ]
    # The other register backed up today: that is no reason to skip this register's backup.
    make_backup(theirs, path_of(theirs), "dagelijks", now=DAY, rotate_after=False)
    assert daily_backup(ours, path_of(ours), now=DAY + timedelta(hours=1)) is not None
    assert daily_backup(ours, path_of(ours), now=DAY + timedelta(hours=2)) is None
    for day in range(3, 30):
        make_backup(ours, path_of(ours), "dagelijks", now=DAY - timedelta(days=day))
    rotate(shared, path_of(ours), now=DAY, identity=file_identity(path_of(ours), cached=False))
    # Three in one month: the other register's own rotation would keep one; ours keeps all.
    assert all(path.exists() for path in theirs_old)
    assert len(register_backups(path_of(ours))) < 27  # this register's own were rotated


def test_restoring_another_registers_backup_is_refused_unless_asked_for(two_registers):
    ours, theirs = two_registers
    other = make_backup(theirs, path_of(theirs), "dagelijks", now=DAY)
    path = path_of(ours)
    ours.close()
    before = digest(path)
    with pytest.raises(OtherRegisterError, match="back-up van een ander register") as caught:
        restore(other, path)
    assert database_id_of(other) in str(caught.value)
    assert digest(path) == before
    assert list(path.parent.glob("*.restored")) == []

    result = restore(other, path, other_register=True)
    assert result.result.ok and result.previous is not None
    assert file_facts(path).count("pupils") == 0
    assert file_facts(result.previous).count("pupils") == 6  # the school's register kept


def database_id_of(path: Path) -> str:
    return str(file_identity(path).paper_id)


def test_a_backup_from_before_the_paper_identity_is_still_this_registers(two_registers, tmp_path):
    """A backup made before migration 12 has no paper identity: it is recognised by what that
    migration derives from it, its first policy version."""
    ours, _ = two_registers
    backup = make_backup(ours, path_of(ours), "voor-bijwerken-v11", now=DAY)
    conn = open_raw(backup, read_only=False)  # under the register's key, if any
    conn.execute("DELETE FROM settings WHERE key = 'paper_forms.database_id'")
    conn.commit()
    conn.close()
    assert file_identity(backup).paper_id is None
    assert [b.path for b in register_backups(path_of(ours))] == [backup]
    assert newest_good_backup(path_of(ours)) == backup


def test_a_register_that_cannot_say_who_it_is_gets_no_backup_chosen_among_two_registers(
    two_registers, shared
):
    ours, theirs = two_registers
    make_backup(ours, path_of(ours), "dagelijks", now=DAY)
    make_backup(theirs, path_of(theirs), "dagelijks", now=DAY + timedelta(hours=1))
    path = path_of(ours)
    ours.close()
    path.write_bytes(b"\xff" * path.stat().st_size)  # nothing of it can be read any more
    with pytest.raises(BackupError, match="2 verschillende registers"):
        newest_good_backup(path, folder=shared)


def test_the_counts_of_register_and_backup_side_by_side(db, db_path):
    add_consent_school(db)
    backup = make_backup(db, db_path, "handmatig", now=DAY)
    save_pupil(db, "1007", "Meryem", "", "Boujdaini", born_aged(13, 2), "1A", "Cuijk")
    record_decision(db, "1007", "website", "granted", "parent", "<b>Jan</b> & Zn", TODAY)
    now, then = file_facts(db_path), backup_summary(backup).facts
    assert then is not None
    assert (now.count("pupils"), then.count("pupils")) == (7, 6)
    assert (now.count("decisions"), then.count("decisions")) == (7, 6)
    assert then.count("publications") == 0 and then.count("cases") == 0
    assert now.newest_decision == TODAY
    assert then.describe() == (
        f"6 leerlingen, 6 besluiten (laatste vastgelegd op {TODAY:%d-%m-%Y}), "
        "0 gescande formulieren, 0 publicaties, 0 incidenten"
    )


def test_a_manual_backup_goes_where_the_officer_chooses_but_never_onto_the_registers_files(
    db, db_path, tmp_path
):
    add_consent_school(db)
    second_disk = tmp_path / "usb"
    second_disk.mkdir()
    copy = backup_to_place(db, db_path, second_disk / "merlet Łęcka & <kopie>.sqlite")
    assert copy == second_disk / "merlet Łęcka & <kopie>.sqlite"
    assert file_facts(copy).count("pupils") == 6

    folder = db_path.parent / "backups"
    kept = backup_to_place(db, db_path, folder / "wat-ik-typte.sqlite")
    assert kept.parent == folder and kept.name.endswith("_handmatig.sqlite")
    assert [b.path for b in register_backups(db_path)] == [kept]

    notes = tmp_path / "notities.txt"
    notes.write_text("Zofia Łęcka <b>Jan</b> & Zn", encoding="utf-8")
    before = {p: digest(p) for p in (db_path, copy, kept, notes)}
    for target, says in (
        (db_path, "de database zelf"),
        (db_path.with_name(db_path.name + "-wal"), "hulpbestand"),
        (copy, "is een SQLite-database"),
        (notes, "bestaat al"),
        (folder / "sub" / "x.sqlite", "back-upmap"),
    ):
        with pytest.raises((UnsafeOutputError, BackupError), match=says):
            backup_to_place(db, db_path, target)
    assert {p: digest(p) for p in before} == before
    assert not (folder / "sub").exists()
