"""Worker threads with their own read-only connection (issue 18, issue 19 part 4): the Start
counts and the integrity check run beside the event loop, a window closes cleanly while they
run, and a damaged file is still caught before anything is written to it."""

from __future__ import annotations

import argparse
import hashlib
import threading
import time

import pytest

from merlet_desk.store import integrity, open_database
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store.backup import make_backup
from merlet_desk.store.integrity import DamagedDatabaseError
from merlet_desk.store.settings import get_setting, set_setting
from merlet_desk.ui import launch
from merlet_desk.ui.common import dialogs
from merlet_desk.ui.common.worker import ReaderJob
from merlet_desk.ui.main_window import MainWindow
from merlet_desk.ui.start import section as start_section
from tests.helpers import open_window, school_with_backup

# A statement that runs until it is stopped (SQLite counts to ten billion).
ENDLESS_SQL = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000000000)"
    " SELECT count(*) FROM n"
)


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def endless_sql(db):
    return db.execute(ENDLESS_SQL).fetchone()


def endless_python(db):
    total = 0
    while True:  # a long loop over statuses, between statements
        total += 1


@pytest.mark.parametrize("work", [endless_sql, endless_python], ids=["in SQL", "in Python"])
def test_a_job_stops_in_the_middle_and_delivers_nothing(qtbot, db, db_path, work):
    results = []
    job = ReaderJob(db_path, work)
    job.succeeded.connect(results.append)
    job.failed.connect(results.append)
    job.start()
    qtbot.waitUntil(lambda: job._in_work)
    time.sleep(0.1)
    assert job.running
    assert job.stop(timeout=5)
    qtbot.wait(50)
    assert results == [] and not job.running


def test_a_job_reads_with_its_own_connection_while_the_gui_writes(qtbot, db, db_path):
    """The GUI's connection writes while a worker is in the middle of a read."""
    reading, may_finish = threading.Event(), threading.Event()

    def slow_count(reader):
        assert reader.conn is not db.conn
        first = reader.execute("SELECT count(*) FROM pupils").fetchone()[0]
        reading.set()
        may_finish.wait(5)
        return first

    job = ReaderJob(db_path, slow_count)
    with qtbot.waitSignal(job.succeeded, timeout=5000) as blocker:
        job.start()
        assert reading.wait(5)
        pupil_store.save_pupil(
            db, "1001", "Joëlle", "van den", "Broek", "2012-03-14", "2A", "Cuijk"
        )
        may_finish.set()
    assert blocker.args == [0]  # its snapshot, unaffected by the write
    assert pupil_store.get_pupil(db, "1001").name == "Joëlle van den Broek"


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
    jobs = list(window.readers)
    assert any(job.running for job in jobs)
    start = window.section_widgets["start"]
    assert start.consent_card.count.text() == "…"  # not arrived, and never will
    window.close()
    assert window.readers == []
    assert not any(job.running for job in jobs)
    assert not [t for t in threading.enumerate() if t.name == "merlet-start-consent"]
    qtbot.wait(50)
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
            pass  # Python steps, so a stop reaches it
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
    opened = launch.open_for_gui(damaged, read_only=False, defer_check=True)
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


def test_before_the_check_returns_nothing_is_written_and_no_backup_is_made(
    qtbot, damaged, monkeypatch
):
    release, running = held_check(monkeypatch)
    before = digest(damaged)
    backups = sorted((damaged.parent / "backups").iterdir())
    opened = launch.open_for_gui(damaged, read_only=False, defer_check=True)
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
    opened = launch.open_for_gui(db_path, read_only=False, defer_check=True)
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
    assert not [t for t in threading.enumerate() if t.name == "merlet-integrity"]


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
    assert window.safety_actions["backup"].isEnabled()


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
    running = [job for job in window.readers if job.running]
    assert running
    start = window.section_widgets["start"]
    window.show_section("beleid")
    assert not any(job.running for job in running)
    assert not [t for t in threading.enumerate() if t.name == "merlet-start-consent"]
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
    qtbot.waitUntil(lambda: "merlet-takedown-count" in full and not window.readers)
    before = list(full)
    for key in ("incidenten", "rapporten", "beleid", "publicaties", "incidenten"):
        window.show_section(key)
        qtbot.wait(20)
        qtbot.waitUntil(lambda: not window.readers)
    assert full == before
    expected = takedown_store.publication_count(takedown_store.open_takedowns(db))
    assert window.takedown_count == expected
