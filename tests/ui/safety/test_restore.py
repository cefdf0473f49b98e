"""Extra › Back-up maken and Back-up terugzetten: a place of the officer's choosing, only this
register's backups, the counts side by side before the question, and a restore that the window
makes with its own connection closed."""

from __future__ import annotations

import pytest

from merlet_desk import sqlite_driver
from merlet_desk.store import backup as backup_store
from merlet_desk.store import open_database
from merlet_desk.store.backup import list_backups
from merlet_desk.store.connection import open_raw
from merlet_desk.store.decisions import record_decision
from merlet_desk.store.pupils import save_pupil
from merlet_desk.store.settings import get_setting, set_setting
from merlet_desk.ui.common import dialogs
from merlet_desk.ui.safety.restore import RestoreDialog
from tests.helpers import (
    TODAY,
    add_consent_school,
    backup_from_menu,
    born_aged,
    dump_tables,
    open_window,
)
from tests.helpers.processes import every_row, every_row_in_another_process


@pytest.fixture
def asked(monkeypatch):
    """The questions asked, each answered yes."""
    questions: list[str] = []
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda p, t, q: questions.append(q) or True)
    return questions


def open_restore(qtbot, window) -> RestoreDialog:
    """Extra › Back-up terugzetten, once its list and the register's counts are read."""
    window.safety_actions["restore"].trigger()
    dialog = window.findChildren(RestoreDialog)[-1]
    qtbot.waitUntil(lambda: dialog.comparison.now is not None, timeout=10_000)
    return dialog


def wait_for_backup(qtbot, dialog: RestoreDialog) -> None:
    qtbot.waitUntil(lambda: "gecontroleerd" not in dialog.verdict.text(), timeout=10_000)


def column(dialog: RestoreDialog, n: int) -> dict[str, str]:
    model = dialog.comparison
    return {
        model.index(row, 0).data(): model.index(row, n).data() for row in range(model.rowCount())
    }


def test_backup_goes_to_the_place_chosen_and_offers_the_registers_folder(
    qtbot, db, db_path, tmp_path, shown, monkeypatch
):
    add_consent_school(db)
    window = open_window(qtbot, db, db_path, show=False)
    offered, answered = backup_from_menu(window, monkeypatch)
    assert offered == db_path.parent / "backups"
    [made] = list_backups(offered, db_path)
    assert made.path == answered and made.reason == "handmatig"
    assert shown[-1][:2] == ("show_info", "Back-up gemaakt") and str(made.path) in shown[-1][2]

    usb = tmp_path / "USB-stick Łęcka"
    usb.mkdir()
    _, copy = backup_from_menu(window, monkeypatch, place=usb)
    assert copy.parent == usb and str(copy) in shown[-1][2]
    conn = open_raw(copy, read_only=True, inspect=True)  # under the register's key, if any
    assert conn.execute("SELECT count(*) FROM pupils").fetchone()[0] == 6
    conn.close()
    offered, _ = backup_from_menu(window, monkeypatch, place=usb / "niet-er")
    assert offered == usb  # the folder chosen last time is offered again
    assert shown[-1][0] == "show_error" and "bestaat niet" in shown[-1][2]
    window.db.close()


def test_restore_lists_only_this_registers_backups_and_shows_both_counts_first(
    qtbot, db, db_path, tmp_path, shown, asked, monkeypatch
):
    """A register and an empty one of the same file name share a backup folder: the dialog
    lists this register's backup only, shows the counts side by side, asks with them, and
    restores it."""
    shared = tmp_path / "share" / "back-ups"
    set_setting(db, "safety.backup_dir", str(shared))
    add_consent_school(db)
    window = open_window(qtbot, db, db_path, show=False)
    _, ours = backup_from_menu(window, monkeypatch)
    other_path = tmp_path / "pc2" / db_path.name
    other = open_database(other_path)
    set_setting(other, "safety.backup_dir", str(shared))
    theirs = backup_store.make_backup(other, other_path, "dagelijks")  # newer, same name
    other.close()
    assert {b.path for b in list_backups(shared, db_path)} == {ours, theirs}

    save_pupil(window.db, "1007", "Meryem", "", "Boujdaini", born_aged(13, 2), "1A", "Cuijk")
    record_decision(window.db, "1007", "website", "granted", "parent", "<b>Jan</b> & Zn", TODAY)
    dialog = open_restore(qtbot, window)
    assert [b.path for b in dialog.list_model.rows()] == [ours]
    wait_for_backup(qtbot, dialog)
    assert dialog.restore_button.isEnabled()
    now, then = column(dialog, 1), column(dialog, 2)
    assert (now["Leerlingen"], then["Leerlingen"]) == ("7", "6")
    assert (now["Besluiten"], then["Besluiten"]) == ("7", "6")
    assert then["Laatste besluit vastgelegd"] == f"{TODAY:%d-%m-%Y}"
    assert "minder dan het register nu" in dialog.verdict.text()

    assert dialog.confirm_and_restore() is True
    assert "Leerlingen: 7 → 6" in asked[0] and "Besluiten: 7 → 6" in asked[0]
    assert window.db.execute("SELECT count(*) FROM pupils").fetchone()[0] == 6
    assert shown[-1][2].startswith("De back-up van")
    other_process = every_row_in_another_process(db_path)
    assert other_process["integrity"] == ["ok"]
    assert other_process["rows"] == every_row(window.db.conn)
    window.db.close()


def test_the_window_restores_with_its_connection_closed_and_its_workers_stopped(
    qtbot, db, db_path, shown, asked, monkeypatch
):
    add_consent_school(db)
    window = open_window(qtbot, db, db_path, show=False)
    _, backup = backup_from_menu(window, monkeypatch)
    set_setting(window.db, "test.wie", "Zofia Łęcka")
    held = window.db
    seen = {}
    restore = backup_store.restore

    def watched(*args, **kwargs):
        try:
            held.conn.execute("SELECT 1")
        except sqlite_driver.ProgrammingError:  # "Cannot operate on a closed database."
            seen["closed"] = True
        seen["running"] = list(window.tasks.running)
        return restore(*args, **kwargs)

    monkeypatch.setattr(backup_store, "restore", watched)
    dialog = open_restore(qtbot, window)
    wait_for_backup(qtbot, dialog)
    assert dialog.confirm_and_restore() is True
    assert seen == {"closed": True, "running": []}
    assert window.db is not held
    assert get_setting(window.db, "test.wie") is None
    register = window.show_section("toestemmingen")
    assert register.context.db is window.db  # every section built afresh on the new connection
    window.db.close()


def test_restore_says_no_changes_nothing(qtbot, db, db_path, shown, monkeypatch):
    add_consent_school(db)
    window = open_window(qtbot, db, db_path, show=False)
    backup_from_menu(window, monkeypatch)
    set_setting(window.db, "test.wie", "Meryem Boujdaini")
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda *a: False)
    dialog = open_restore(qtbot, window)
    wait_for_backup(qtbot, dialog)
    held = window.db
    assert dialog.confirm_and_restore() is False
    assert window.db is held
    assert get_setting(window.db, "test.wie") == "Meryem Boujdaini"
    window.db.close()


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (lambda data: data[: len(data) // 2], "BESCHADIGD"),  # a backup cut off halfway
        (lambda data: b"Zofia \xc5\x81\xc4\x99cka <b>Jan</b> & Zn\n" * 50, "geen SQLite-bestand"),
    ],
)
def test_a_damaged_file_chosen_by_hand_says_why_and_cannot_be_restored(
    qtbot, db, db_path, tmp_path, shown, asked, monkeypatch, damage, says
):
    add_consent_school(db)
    window = open_window(qtbot, db, db_path, show=False)
    _, good = backup_from_menu(window, monkeypatch)
    broken = tmp_path / "kapot.sqlite"
    broken.write_bytes(damage(good.read_bytes()))
    set_setting(window.db, "test.wie", "Meryem Boujdaini")  # what restoring would undo
    before = dump_tables(window.db)
    starts = []

    def choose(parent, title, file_filter, kind="open", folder=None):
        starts.append(folder)
        return broken

    monkeypatch.setattr(dialogs, "choose_open_path", choose)
    dialog = open_restore(qtbot, window)
    wait_for_backup(qtbot, dialog)
    dialog.other_file.click()
    assert starts == [db_path.parent / "backups"]  # the file dialog opens in the backup folder
    qtbot.waitUntil(lambda: says in dialog.verdict.text(), timeout=10_000)
    assert not dialog.restore_button.isEnabled()
    assert dialog.confirm_and_restore() is False
    assert asked == []
    assert dump_tables(window.db) == before
    assert [b.path for b in list_backups(db_path.parent / "backups", db_path)] == [good]
    window.db.close()


def test_another_registers_backup_chosen_by_hand_is_named_so_before_the_question(
    qtbot, db, db_path, tmp_path, shown, asked, monkeypatch
):
    add_consent_school(db)
    window = open_window(qtbot, db, db_path, show=False)
    other_path = tmp_path / "andere school" / "merlet-desk.sqlite"
    other = open_database(other_path)
    theirs = backup_store.backup_to(other, tmp_path / "andere-school.sqlite", db_path=other_path)
    other.close()
    monkeypatch.setattr(dialogs, "choose_open_path", lambda *a, **k: theirs)
    dialog = open_restore(qtbot, window)
    dialog.other_file.click()
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=10_000)
    assert "een back-up van een ander register" in dialog.verdict.text()
    assert (column(dialog, 1)["Leerlingen"], column(dialog, 2)["Leerlingen"]) == ("6", "0")
    assert dialog.confirm_and_restore() is True
    assert "Dit is een back-up van een ander register." in asked[0]
    assert window.db.execute("SELECT count(*) FROM pupils").fetchone()[0] == 0
    window.db.close()


def test_a_file_that_cannot_be_opened_after_the_restore_closes_the_window_with_a_reason(
    qtbot, db, db_path, shown, asked, monkeypatch
):
    from merlet_desk import store
    from merlet_desk.store.errors import StoreError

    add_consent_school(db)
    window = open_window(qtbot, db, db_path)
    backup_from_menu(window, monkeypatch)
    dialog = open_restore(qtbot, window)
    wait_for_backup(qtbot, dialog)

    def cannot(*args, **kwargs):
        raise StoreError("De schijf met Zofia Łęcka & <b>Jan</b> is weg.")

    monkeypatch.setattr(store, "open_database", cannot)
    assert dialog.confirm_and_restore() is False
    assert shown[-1][:2] == ("show_error", "Back-up terugzetten")
    assert "Zofia Łęcka & <b>Jan</b>" in shown[-1][2]
    qtbot.waitUntil(lambda: not window.isVisible())
    assert window.refused_damaged  # run_gui ends with exit code 2
