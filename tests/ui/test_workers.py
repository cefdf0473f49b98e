"""Worker threads with their own read-only connection (issue 18, issue 19 part 4): the Start
counts and the integrity check run beside the event loop, a window closes cleanly while they
run, and a damaged file is still caught before anything is written to it."""

from __future__ import annotations

import argparse
import hashlib
import threading
import time

import pytest
from PySide6.QtCore import QCoreApplication

from merlet_desk.store import integrity, open_database
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store.backup import make_backup
from merlet_desk.store.integrity import DamagedDatabaseError
from merlet_desk.store.settings import get_setting, set_setting
from merlet_desk.ui import launch, opening
from merlet_desk.ui.common import dialogs, tasks
from merlet_desk.ui.main_window import MainWindow
from merlet_desk.ui.start import section as start_section
from tests.helpers import deliveries_settled, open_window, school_with_backup

# A statement that runs until it is stopped (SQLite counts to ten billion).
ENDLESS_SQL = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000000000)"
    " SELECT count(*) FROM n"
)


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def threads_named(name):
    """A worker's thread outlives its task's end by its last line (posting the outcome)."""
    return [thread for thread in threading.enumerate() if thread.name == name]


def endless_sql(db):
    return db.execute(ENDLESS_SQL).fetchone()


def test_closing_the_window_while_the_counts_run_stops_them_cleanly(
    qtbot, db, db_path, monkeypatch
):
    pupil_store.save_pupil(db, "1002", "Berkay", "", "Öztürk", "2010-11-02", "4H", "Cuijk")
    started = threading.Event()

    def endless_counts(reader, today):
        started.set()
        return endless_sql(reader)

    monkeypatch.setattr(start_section, "read_consent_counts", endless_counts)
    window = open_window(qtbot, db, db_path)
    qtbot.waitUntil(started.is_set)
    running = window.tasks.running
    assert running
    start = window.section_widgets["start"]
    assert start.consent_card.count.text() == "…"  # not arrived, and never will
    window.close()
    assert window.tasks.tasks == []
    assert not any(task.running for task in running)
    qtbot.waitUntil(lambda: not threads_named("merlet-start-consent"), timeout=1000)
    deliveries_settled(qtbot)
    assert start.consent_card.count.text() == "…"


@pytest.fixture
def damaged(tmp_path):
    """A file whose header and schema read fine (WAL, current schema), damaged further on,
    with a good backup beside it."""
    path = school_with_backup(tmp_path / "school" / "merlet-desk.sqlite")
    data = bytearray(path.read_bytes())
    last = len(data) // 4096
    for page in (last - 2, last - 3):  # scribble over two b-tree pages near the end
        data[page * 4096 + 100 : page * 4096 + 4000] = b"\xff" * 3900
    path.write_bytes(bytes(data))
    return path


def held_check(monkeypatch):
    """The integrity check waits for the test to let it go: 'before the check returns'."""
    release, running = threading.Event(), threading.Event()
    real = integrity.quick_check

    def held(conn, *args):
        running.set()
        deadline = time.monotonic() + 10
        while not release.wait(0.01) and time.monotonic() < deadline:
            if tasks.stop_requested():  # a Python loop checks for a stop
                break
        return real(conn, *args)

    monkeypatch.setattr(integrity, "quick_check", held)
    return release, running


def test_a_damaged_file_is_caught_before_the_first_write(qtbot, damaged, monkeypatch):
    """The window shows before the check has returned; a save clicked then waits for the
    check and is refused; the officer is offered the backup; the file is untouched."""
    release, running = held_check(monkeypatch)
    offered = []
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda *a: offered.append(a[1]) or False)
    monkeypatch.setattr(dialogs, "show_error", lambda *a: offered.append(a[1]))
    before = digest(damaged)
    opened = opening.open_for_gui(damaged, read_only=False, defer_check=True)
    assert opened is not None and opened.db.integrity_gate is not None
    window = MainWindow(opened.db, opened.path)
    qtbot.addWidget(window)
    window.show()
    launch.check_after_show(window, opened, interactive=True)
    qtbot.waitUntil(running.is_set)
    threading.Timer(0.3, release.set).start()  # the check returns while the save waits
    with pytest.raises(DamagedDatabaseError, match="beschadigd of afgekapt"):
        pupil_store.save_pupil(opened.db, "1003", "Zofia", "", "Łęcka", "2011-11-30", "2A", "Cuijk")
    qtbot.waitUntil(lambda: offered == ["Database beschadigd"])
    assert not window.isVisible()  # no restore: the program does not go on
    assert digest(damaged) == before
    opened.db.close()
    opened.lock.release()


def test_a_damaged_file_found_after_the_window_shows_is_restored_by_the_window(
    qtbot, damaged, monkeypatch
):
    """Yes to the backup: the window closes its connection to the damaged file before the
    backup replaces it, then works on the restored file (and stays open)."""
    from merlet_desk.store import backup as backup_store

    release, running = held_check(monkeypatch)
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda *a: True)
    monkeypatch.setattr(dialogs, "show_info", lambda *a: None)
    opened = opening.open_for_gui(damaged, read_only=False, defer_check=True)
    held, restore, closed = opened.db, backup_store.restore, []

    def watched(*args, **kwargs):
        try:
            held.conn.execute("SELECT 1")
        except Exception:  # noqa: BLE001 - "Cannot operate on a closed database."
            closed.append(True)
        return restore(*args, **kwargs)

    monkeypatch.setattr(backup_store, "restore", watched)
    window = MainWindow(opened.db, opened.path, lock=opened.lock)
    qtbot.addWidget(window)
    window.show()
    launch.check_after_show(window, opened, interactive=True)
    qtbot.waitUntil(running.is_set)
    release.set()
    qtbot.waitUntil(lambda: window.db is not held, timeout=20_000)
    assert closed == [True]
    assert window.isVisible() and not window.refused_damaged
    assert get_setting(window.db, "test.299") == "Meryem Boujdaini 299"
    set_setting(window.db, "test.na", "Zofia Łęcka")  # the restored file takes writes
    window.close()
    window.db.close()
    opened.lock.release()


def test_before_the_check_returns_nothing_is_written_and_no_backup_is_made(
    qtbot, damaged, monkeypatch
):
    release, running = held_check(monkeypatch)
    before = digest(damaged)
    backups = sorted((damaged.parent / "backups").iterdir())
    opened = opening.open_for_gui(damaged, read_only=False, defer_check=True)
    window = MainWindow(opened.db, opened.path)
    qtbot.addWidget(window)
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda *a: False)
    launch.check_after_show(window, opened, interactive=False)
    qtbot.waitUntil(running.is_set)
    with pytest.raises(Exception, match="readonly"):  # a write past atomic(): query_only
        opened.db.execute("UPDATE settings SET value = '1'")
    threading.Timer(0.3, release.set).start()
    with pytest.raises(DamagedDatabaseError):
        make_backup(opened.db, damaged, "handmatig")  # would rotate good backups away
    assert sorted((damaged.parent / "backups").iterdir()) == backups
    assert digest(damaged) == before
    window.close()
    opened.db.close()
    opened.lock.release()


def test_a_healthy_file_is_writable_once_its_check_passed(qtbot, db, db_path, monkeypatch):
    set_setting(db, "test.x", "1")
    db.close()
    release, running = held_check(monkeypatch)
    opened = opening.open_for_gui(db_path, read_only=False, defer_check=True)
    window = MainWindow(opened.db, opened.path)
    qtbot.addWidget(window)
    window.show()
    launch.check_after_show(window, opened, interactive=False)
    qtbot.waitUntil(running.is_set)
    threading.Timer(0.2, release.set).start()
    set_setting(opened.db, "test.x", "Şükrü")  # waits for the check, then writes
    assert get_setting(opened.db, "test.x") == "Şükrü"
    assert opened.db.integrity_gate is None
    window.close()
    opened.db.close()
    opened.lock.release()


def test_quit_after_show_does_not_wait_for_the_check(tmp_path, monkeypatch, qapp):
    path = tmp_path / "merlet-desk.sqlite"
    open_database(path).close()
    release, running = held_check(monkeypatch)
    args = argparse.Namespace(db=str(path), read_only=False, quit_after_show=True)
    assert launch.run_gui(args) == 0
    assert not release.is_set()  # the close stopped it; nobody let it go
    for thread in threads_named("merlet-integrity"):
        thread.join(1)  # ended with its task, but for posting the outcome
    assert not threads_named("merlet-integrity")


def test_the_frame_paints_without_a_database_and_fills_when_it_is_attached(
    qtbot, db, db_path, monkeypatch
):
    """Start-up paints the window before the database opens (issue 18): the frame has its
    navigation and menus but builds no section; attach builds the section shown. Read-only
    decided while opening (a lock held by another instance) reaches the title and the menu."""
    from merlet_desk.ui.main_window import MainWindow

    window = MainWindow(None, db_path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.navigation.count() == len(window.section_keys())
    assert window.current_section_key() == "start"
    assert dict(window.section_widgets) == {}  # nothing read before the database is there
    assert window.safety_actions["restore"].isEnabled()

    window.attach(db, read_only=True)
    start = window.section_widgets["start"]
    assert window.stack.currentWidget() is start
    assert window.windowTitle().endswith("(alleen-lezen)")
    assert window.db_label.full_text() == f"Database: {db_path} (alleen-lezen)"
    assert not window.safety_actions["restore"].isEnabled()
    assert not window.safety_actions["purge"].isEnabled()
    assert not window.safety_actions["backup"].isVisible()  # read-only writes no new file


def test_leaving_start_stops_its_counts_and_coming_back_counts_again(
    qtbot, db, db_path, monkeypatch
):
    """The Start counts read the whole register; a section opened meanwhile should not wait
    for work nobody sees (issue 18). Back on Start, the counts are read afresh."""
    pupil_store.save_pupil(db, "1002", "Berkay", "", "Öztürk", "2010-11-02", "4H", "Cuijk")
    started = threading.Event()
    real = start_section.read_consent_counts
    endless = [True]

    def counts(reader, today):
        started.set()
        return endless_sql(reader) if endless[0] else real(reader, today)

    monkeypatch.setattr(start_section, "read_consent_counts", counts)
    window = open_window(qtbot, db, db_path)
    qtbot.waitUntil(started.is_set)
    running = window.tasks.running
    assert running
    start = window.section_widgets["start"]
    window.show_section("beleid")
    assert all(task.wait(5) for task in running)
    qtbot.waitUntil(lambda: not threads_named("merlet-start-consent"), timeout=1000)
    assert start.consent_card.count.text() == "…"

    endless[0] = False
    window.show_section("start")
    qtbot.waitUntil(lambda: start.consent_card.count.text() != "…")
    delivered = start.consent_card.count.text()
    start.refresh()  # the same counts read here and now
    assert start.consent_card.count.text() == delivered


def test_navigating_counts_the_badge_once_and_keeps_the_list(qtbot, db, db_path, monkeypatch):
    """The navigation badge is counted on a worker the first time; the window keeps that
    list, so later navigation and the takedown list in Publicaties compute nothing in full
    (issue 18: 0.7 s each at 20,000 pupils)."""
    from merlet_desk.demo import fill_demo
    from merlet_desk.store import takedowns as takedown_store

    fill_demo(db, 120)
    full: list[str] = []
    compute = takedown_store._compute_open_takedowns

    def counted(conn, on, pupil_ids=None):
        if pupil_ids is None:
            full.append(threading.current_thread().name)
        return compute(conn, on, pupil_ids)

    monkeypatch.setattr(takedown_store, "_compute_open_takedowns", counted)
    window = open_window(qtbot, db, db_path)
    window.show_section("beleid")
    qtbot.waitUntil(lambda: "merlet-takedown-count" in full and not window.tasks.tasks)
    before = list(full)
    for key in ("incidenten", "rapporten", "beleid", "publicaties", "incidenten"):
        window.show_section(key)
        QCoreApplication.processEvents()  # the badge is counted at the next turn of the loop
        qtbot.waitUntil(lambda: not window.tasks.tasks)
    assert full == before
    expected = takedown_store.publication_count(takedown_store.open_takedowns(db))
    assert window.takedown_count == expected


def test_a_worker_blocked_in_a_read_does_not_hold_the_close(qtbot, db, db_path, monkeypatch):
    """A read from a network share that hangs notices no cancel and no interrupt: the window
    waits the bound for it, then closes anyway and logs it."""
    blocked, stay = threading.Event(), threading.Event()

    def hanging(reader, today):
        blocked.set()
        stay.wait(60)  # blocked in C, where nothing reaches it
        return endless_sql(reader)

    monkeypatch.setattr(start_section, "read_consent_counts", hanging)
    monkeypatch.setattr(tasks, "CLOSE_WAIT_SECONDS", 0.5)
    window = open_window(qtbot, db, db_path)
    qtbot.waitUntil(blocked.is_set)
    begun = time.monotonic()
    window.close()
    assert time.monotonic() - begun < 2.0
    assert not window.isVisible()
    stay.set()
