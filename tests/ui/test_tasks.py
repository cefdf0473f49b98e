"""The one task runner (ui/common/tasks.py): outcomes reach the GUI thread without polling,
only while the widget that asked exists and the task was not cancelled; cancelling is
cooperative (the SQLite connection is interrupted, Python loops check the token); progress
is coalesced; the photo lane keeps only the newest request; closing waits a bounded time."""

from __future__ import annotations

import gc
import logging
import threading
import time
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QLabel, QWidget

from merlet_desk.store import pupils as pupil_store
from merlet_desk.ui.common import tasks
from tests.helpers import deliveries_settled

# A statement that runs until it is stopped (SQLite counts to ten billion).
ENDLESS_SQL = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000000000)"
    " SELECT count(*) FROM n"
)
MERLET = Path(tasks.__file__).parents[2]


def test_the_result_arrives_in_the_gui_thread(qtbot):
    seen = []
    label = QLabel()
    qtbot.addWidget(label)

    def work(progress, cancelled):
        return threading.current_thread().name

    task = tasks.submit(
        work,
        context=label,
        on_result=lambda name: seen.append((name, threading.current_thread().name)),
        name="naam",
    )
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [("merlet-naam", threading.main_thread().name)]
    assert task.done and not task.running


def test_an_error_goes_to_on_error_with_the_exception(qtbot):
    errors = []

    def work(progress, cancelled):
        raise ValueError("Zofia Łęcka <&>")

    tasks.submit(work, context=None, on_result=None, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ValueError) and str(errors[0]) == "Zofia Łęcka <&>"


def test_progress_is_coalesced_to_the_latest_value(qtbot):
    steps: list[int] = []
    results = []

    def work(progress, cancelled):
        for value in range(1, 20_001):
            progress(value)
        return "klaar"

    tasks.submit(work, context=None, on_result=results.append, on_progress=steps.append)
    qtbot.waitUntil(lambda: bool(results))
    assert steps[-1] == 20_000  # queued before the result, so delivered before it
    assert 0 < len(steps) < 20_000 / 10
    assert steps == sorted(steps)  # never an older value after a newer one


def test_a_cancelled_task_delivers_nothing(qtbot):
    results, errors = [], []
    running = threading.Event()

    def work(progress, cancelled):
        woken = threading.Event()
        cancelled.on_cancel(woken.set)
        running.set()
        while not cancelled():  # a Python loop checks the token
            woken.wait(5)
        return "te laat"

    task = tasks.submit(work, context=None, on_result=results.append, on_error=errors.append)
    assert running.wait(5)
    task.cancel()
    assert task.wait(5)
    deliveries_settled(qtbot)
    assert results == [] and errors == []


def test_cancelling_a_read_interrupts_its_statement(qtbot, db, db_path):
    """The connection is the worker's own, read-only; cancel interrupts the statement that
    runs (and fails every later one)."""
    results, errors = [], []
    started = threading.Event()

    def endless(reader):
        assert reader.conn is not db.conn
        started.set()
        return reader.execute(ENDLESS_SQL).fetchone()

    group = tasks.TaskGroup(db_path)
    task = group.read(endless, context=None, on_result=results.append, on_error=errors.append)
    assert started.wait(5)
    # A sleep: the statement must be inside SQLite's loop when the cancel comes (a statement
    # not yet begun would fail at its first step anyway); nothing outside SQLite shows that.
    time.sleep(0.05)
    assert task.running
    begun = time.monotonic()
    task.cancel()
    assert task.wait(5)
    assert time.monotonic() - begun < 1
    deliveries_settled(qtbot)
    assert results == [] and errors == [] and group.tasks == []


def test_a_read_on_its_own_connection_while_the_gui_writes(qtbot, db, db_path):
    reading, may_finish = threading.Event(), threading.Event()

    def slow_count(reader):
        first = reader.execute("SELECT count(*) FROM pupils").fetchone()[0]
        reading.set()
        may_finish.wait(5)
        return first

    results = []
    tasks.TaskGroup(db_path).read(slow_count, context=None, on_result=results.append)
    assert reading.wait(5)
    pupil_store.save_pupil(db, "1001", "Joëlle", "van den", "Broek", "2012-03-14", "2A", "Cuijk")
    may_finish.set()
    qtbot.waitUntil(lambda: bool(results))
    assert results == [0]  # its snapshot, unaffected by the write
    assert pupil_store.get_pupil(db, "1001").name == "Joëlle van den Broek"


def test_nothing_reaches_a_receiver_that_was_deleted(qtbot):
    delivered = []
    go = threading.Event()
    label = QLabel()

    def work(progress, cancelled):
        go.wait(5)
        return "Berkay Öztürk"

    task = tasks.submit(work, context=label, on_result=lambda text: delivered.append(text))
    label.deleteLater()
    qtbot.waitUntil(lambda: not tasks._alive(label))
    go.set()
    assert task.wait(5)
    deliveries_settled(qtbot)
    assert delivered == []


def test_thousands_of_tasks_while_their_receivers_are_deleted(qtbot):
    """The crash that once led to polling: outcomes arriving while the GUI deletes the views
    that asked. Each task reports progress and ends while its label is being deleted."""
    parent = QWidget()
    qtbot.addWidget(parent)
    shown = []
    submitted = []
    for number in range(3000):
        label = QLabel(parent)

        def work(progress, cancelled, number=number):
            progress(number)
            return number

        submitted.append(
            tasks.submit(
                work,
                context=label,
                on_result=lambda n, label=label: (label.setText(str(n)), shown.append(n)),
                on_progress=lambda n, label=label: label.setText(f"{n}…"),
                name="stress",
            )
        )
        if number % 3 == 1:
            shiboken6.delete(label)  # gone before its outcome can arrive
        elif number % 3 == 2:
            label.deleteLater()  # gone at some turn of the event loop, racing the outcome
        if number % 200 == 0:  # a turn of the event loop: the deleteLater calls race the outcomes
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            QCoreApplication.processEvents()
    for task in submitted:
        assert task.wait(10)
    kept = {n for n in range(3000) if n % 3 == 0}
    qtbot.waitUntil(lambda: kept <= set(shown), timeout=10_000)
    deliveries_settled(qtbot)
    gc.collect()
    assert not {n for n in shown if n % 3 == 1}


def test_the_lane_shows_only_the_newest_request(qtbot):
    """One worker; while it loads the first photo, four more are chosen: the ones between
    are skipped, the last one wins."""
    delivered: list[str] = []
    started, go = threading.Event(), threading.Event()
    lane = tasks.Lane("lane-test")
    ran: list[str] = []

    def load(name):
        def work(progress, cancelled):
            ran.append(name)
            if name == "eerste":
                started.set()
                go.wait(5)
            return name

        return work

    view = QLabel()
    qtbot.addWidget(view)
    requests = [
        lane.submit(1, load(name), context=view, on_result=delivered.append) for name in ("eerste",)
    ]
    assert started.wait(5)
    for name in ("tweede", "derde", "vierde", "laatste"):
        requests.append(lane.submit(1, load(name), context=view, on_result=delivered.append))
    go.set()
    qtbot.waitUntil(lambda: bool(delivered))
    qtbot.waitUntil(lane.idle)
    deliveries_settled(qtbot)
    assert delivered == ["laatste"]
    assert ran == ["eerste", "laatste"]
    assert [r.cancelled for r in requests] == [True, True, True, True, False]
    assert len([t for t in threading.enumerate() if t.name == "merlet-lane-test"]) == 0


def test_shutdown_does_not_wait_for_a_worker_blocked_in_c(qtbot, db_path, db, caplog):
    """A read that hangs (a network share) does not notice a cancel: closing waits the bound,
    then lets go and says so in the log."""
    blocked = threading.Event()
    stay = threading.Event()

    def hanging(reader):
        blocked.set()
        stay.wait(30)  # blocked where no token and no interrupt reaches

    group = tasks.TaskGroup(db_path)
    task = group.read(hanging, context=None, on_result=None, name="hangt")
    assert blocked.wait(5)
    begun = time.monotonic()
    with caplog.at_level(logging.WARNING, logger=tasks.__name__):
        assert group.shutdown(timeout=0.3) is False
    assert time.monotonic() - begun < 1.0
    assert "Taak hangt stopte niet binnen 0.3 s" in caplog.text
    assert task.running
    stay.set()
    assert task.wait(5)


def test_held_reads_start_when_released(qtbot, db_path, db):
    results = []
    group = tasks.TaskGroup(db_path)
    group.hold()
    group.read(lambda reader: "later", context=None, on_result=results.append)
    first = group.submit(
        tasks.reading(db_path, lambda reader: "eerst"),
        context=None,
        on_result=results.append,
        now=True,
    )
    assert first.wait(5)
    qtbot.waitUntil(lambda: bool(results))
    assert results == ["eerst"]
    group.release()
    qtbot.waitUntil(lambda: len(results) == 2)
    assert results == ["eerst", "later"]


def test_waiting_with_progress_returns_the_result_or_raises(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    assert tasks.wait_with_progress(parent, "Bezig", lambda p, c: 6 * 7) == 42

    def broken(progress, cancelled):
        raise OSError("schijf vol")

    with pytest.raises(OSError, match="schijf vol"):
        tasks.wait_with_progress(parent, "Bezig", broken)


def test_only_one_nested_wait_at_a_time(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    inner: list[BaseException] = []
    go = threading.Event()

    def outer(progress, cancelled):
        go.wait(5)
        return "buiten"

    def nest():
        try:
            tasks.wait_with_progress(parent, "Binnen", lambda p, c: "binnen")
        except AssertionError as exc:
            inner.append(exc)
        go.set()

    from PySide6.QtCore import QTimer

    QTimer.singleShot(50, nest)
    assert tasks.wait_with_progress(parent, "Buiten", outer) == "buiten"
    assert len(inner) == 1 and "nested event loop" in str(inner[0])


def test_a_stopped_wait_raises_cancelled_after_the_work_ended(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    cleaned = []

    def video(progress, cancelled):
        woken = threading.Event()
        cancelled.on_cancel(woken.set)
        try:
            while not cancelled():
                progress(0.5)
                woken.wait(0.005)  # one frame's work, cut short by the cancel
        finally:
            cleaned.append("half bestand weg")
        return "af"

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressDialog, QPushButton

    def press_stop():
        [dialog] = [d for d in parent.findChildren(QProgressDialog) if d.isVisible()]
        assert dialog.value() == 50
        [stop] = [b for b in dialog.findChildren(QPushButton) if b.text() == "Stoppen"]
        stop.click()

    QTimer.singleShot(200, press_stop)
    with pytest.raises(tasks.Cancelled):
        tasks.wait_with_progress(parent, "Video", video, cancel_text="Stoppen")
    assert cleaned == ["half bestand weg"]


def test_no_thread_result_is_polled_or_stopped_by_force():
    """One way to leave the GUI thread: no asynchronous exceptions, no timer that looks for
    a worker's outcome, no nested event loop outside tasks.py."""
    found = []
    for source in sorted((MERLET / "merlet_desk" / "ui").rglob("*.py")):
        text = source.read_text("utf-8")
        name = source.relative_to(MERLET)
        if "PyThreadState_SetAsyncExc" in text or "threading.Thread(" in text:
            if source.name != "tasks.py":
                found.append(f"{name}: a thread of its own")
        if "QEventLoop" in text and source.name != "tasks.py":
            found.append(f"{name}: a nested event loop")
    assert found == []
