"""Work off the GUI thread, and its outcome back on it: the one way the UI does this.

    task = tasks.submit(work, context=widget, on_result=show, on_error=say, on_progress=step)
    # work(progress, cancelled) -> result, on a worker thread;
    # show(result) / say(exception) / step(latest progress value), on the GUI thread
    task.cancel()        # cooperative: the work checks `cancelled()`; nothing is delivered
    task.wait(timeout)   # for tests and for closing the window

Delivery. The worker thread makes no Qt call: it puts the call that delivers into the queue
of a dispatcher (created once, in the GUI thread, never parented, never deleted) and writes a
byte to a socket pair, whose notifier wakes the GUI thread's event loop. There the call checks
that the task was not cancelled and that `context` (the widget that asked, held weakly) still
exists (`shiboken6.isValid`) before it calls back. (A signal emitted from the worker, or a
queued invocation from it, crashed the test suite now and then in Qt's layout code; no Qt
call from a worker, no crash.) No timer polls for outcomes. The delivered task lets go of its
callbacks in the GUI thread. Python's cyclic garbage collector never runs in a worker: it
is off, and the GUI thread's event loop collects instead (`garbage.install`, done with the
dispatcher).

Progress is coalesced: the worker may report thousands of times a second, the GUI thread gets
the latest value once per turn of its event loop.

Cancelling is cooperative only. `cancelled()` is true once `cancel()` was called; Python loops
check it (or `stop_requested()` where the token was not handed down, such as in the store).
A database read (`reading`, `TaskGroup.read`) runs on a read-only connection of its own opened
by `store.open_database`; cancelling interrupts it (`conn.interrupt()`) and a progress handler
fails every later statement. A worker blocked in C (a hanging read from a network share) does
not notice; `TaskGroup.shutdown` waits a bounded time for it and then lets the window go.

A `Lane` runs one request at a time on one worker; a newer request with the same key replaces
the older one (the photo preview: only the photo chosen last matters).

`wait_with_progress` is the one place with a nested event loop, guarded like qutebrowser's
`qtutils.EventLoop`: a report the officer waits for (behind a window-modal progress dialog),
and only one such wait at a time.
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import functools
import itertools
import logging
import sys
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QObject,
    QSocketNotifier,
    QThread,
    QTimer,
)

from merlet_desk.store.server_url import ServerUrl  # cheap: no psycopg, no sqlite-utils

if TYPE_CHECKING:  # the store loads after the first paint
    from PySide6.QtWidgets import QWidget

    from merlet_desk.store.sqlite_utils_import import Database

log = logging.getLogger(__name__)
T = TypeVar("T")
Progress = Callable[[object], None]
Work = Callable[[Progress, "CancelToken"], T]

# How long closing the window waits for its workers before it lets the window go anyway.
CLOSE_WAIT_SECONDS = 3.0
PROGRESS_DELAY_MS = 500  # a wait shorter than this shows no progress dialog


class Cancelled(Exception):  # what happened, not an error
    """The work was stopped before it finished (raised by `CancelToken.check`)."""


class CancelToken:
    """Set once by `cancel()` (in the GUI thread); read by the work (`token()` or `is_set`).
    Callbacks added with `on_cancel` run when it is set, in the thread that sets it: they
    interrupt what the work waits in (an SQLite statement)."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[], object]] = []

    def __call__(self) -> bool:
        return self._event.is_set()

    def is_set(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise `Cancelled` once cancelled: for a loop that has nothing to return then."""
        if self._event.is_set():
            raise Cancelled

    def on_cancel(self, callback: Callable[[], object]) -> None:
        with self._lock:
            if not self._event.is_set():
                self._callbacks.append(callback)
                return
        callback()

    def remove(self, callback: Callable[[], object]) -> None:
        with self._lock:
            if callback in self._callbacks:
                self._callbacks.remove(callback)

    def set(self) -> None:
        with self._lock:
            if self._event.is_set():
                return
            self._event.set()
            callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            try:
                callback()
            except Exception:  # a connection closed meanwhile
                log.debug("cancel callback failed", exc_info=True)


_current = threading.local()
_exiting = False  # the interpreter is ending: workers still running post nothing


@atexit.register
def _stop_posting() -> None:
    global _exiting
    _exiting = True


def stop_requested() -> bool:
    """True in a worker whose task was cancelled: for Python loops the token did not reach."""
    token = getattr(_current, "token", None)
    return token is not None and token.is_set()


class _Dispatcher(QObject):
    """Lives as long as the application, in the GUI thread. A worker appends a call to its
    queue and, when none is pending, writes one byte to a socket pair; a socket notifier wakes
    the GUI thread's event loop, which runs the queue (`_drain`). The worker makes no Qt call
    at all: nothing of Qt's runs in its thread."""

    def __init__(self) -> None:
        import socket  # with the first task, after the window's first paint (2 ms)

        super().__init__(None)
        self._calls: collections.deque[Callable[[], object]] = collections.deque()
        self._lock = threading.Lock()
        self._asked = False
        self._wake, self._woken = socket.socketpair()
        for end in (self._wake, self._woken):
            end.setblocking(False)
        self._notifier = QSocketNotifier(self._woken.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)

    def post(self, call: Callable[[], object]) -> None:
        """From any thread: run `call` in the GUI thread, after the calls posted before it."""
        with self._lock:
            self._calls.append(call)
            if self._asked:
                return
            self._asked = True
        with contextlib.suppress(BlockingIOError):  # full: a wake-up is already waiting
            self._wake.send(b"!")

    def _drain(self) -> None:
        with contextlib.suppress(BlockingIOError):
            while self._woken.recv(4096):
                pass
        while True:
            with self._lock:
                if not self._calls:
                    self._asked = False
                    return
                call = self._calls.popleft()
            try:
                call()
            except Exception:  # noqa: BLE001 - as Qt does for a slot: to the error hook
                sys.excepthook(*sys.exc_info())


_dispatcher: _Dispatcher | None = None


def _the_dispatcher() -> _Dispatcher:
    """The dispatcher, made on first use, in the GUI thread (where `submit` is called)."""
    global _dispatcher
    if _dispatcher is None:
        app = QCoreApplication.instance()
        if app is None or QThread.currentThread() is not app.thread():
            raise RuntimeError("tasks.submit must be called in the GUI thread")
        from merlet_desk.ui.common import garbage

        garbage.install()
        _dispatcher = _Dispatcher()
    return _dispatcher


def _worker_ended(thread: threading.Thread) -> None:
    """In the GUI thread, once `thread` has posted its last outcome: it only has to return."""
    thread.join()


def _alive(context: QObject | None) -> bool:
    return context is None or shiboken6.isValid(context)


def _spent(_progress: Progress, _cancelled: CancelToken) -> Any:
    raise RuntimeError("this task has run")


class Task(Generic[T]):
    """One piece of work; see the module docstring."""

    _numbers = itertools.count(1)

    def __init__(
        self,
        work: Work[T],
        *,
        context: QObject | None,
        on_result: Callable[[T], object] | None,
        on_error: Callable[[BaseException], object] | None = None,
        on_progress: Callable[[Any], object] | None = None,
        name: str = "task",
    ) -> None:
        self.name = name
        self.number = next(self._numbers)
        self.token = CancelToken()
        self._work = work
        # Weakly: a pending task must not keep a closed widget's wrapper alive.
        self._context = weakref.ref(context) if context is not None else None
        self._on_result = on_result
        self._on_error = on_error
        self._on_progress = on_progress
        self._dispatcher = _the_dispatcher()
        self._ended = threading.Event()
        self._lock = threading.Lock()
        self._progress: object = None
        self._progress_posted = False
        self._on_end: list[Callable[[], object]] = []  # GUI thread only
        self._delivered = False  # GUI thread only
        self._thread: threading.Thread | None = None  # its own (not a lane's)
        self.started = False
        self.outcome: tuple[bool, object] | None = None  # (ok, result or exception), once ended

    # -- GUI thread ---------------------------------------------------------------------------

    def start(self) -> Task[T]:
        """Run on a thread of its own (a `Lane` runs it on its worker instead)."""
        self.started = True
        self._thread = threading.Thread(target=self.run, name=f"merlet-{self.name}", daemon=True)
        self._thread.start()
        return self

    def cancel(self) -> None:
        """Stop asking for the outcome; tell the work to stop (it may not notice at once)."""
        self.token.set()

    @property
    def cancelled(self) -> bool:
        return self.token.is_set()

    @property
    def done(self) -> bool:
        """The work has ended (delivered, failed or cancelled)."""
        return self._ended.is_set()

    @property
    def running(self) -> bool:
        """Started and not ended yet."""
        return self.started and not self._ended.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the work to end, without delivering anything. True when it has ended."""
        return self._ended.wait(timeout)

    def when_ended(self, callback: Callable[[], object]) -> None:
        """Call `callback` in the GUI thread once the work has ended, however it ended."""
        if not self._delivered and not self._ended.is_set():
            self._on_end.append(callback)
            return
        callback()

    # -- worker thread ------------------------------------------------------------------------

    def report(self, value: object) -> None:
        """The work's progress callback: keep the latest value, post at most one delivery."""
        if self._on_progress is None:
            return
        with self._lock:
            self._progress = value
            if self._progress_posted:
                return
            self._progress_posted = True
        if not _exiting:
            self._dispatcher.post(self._deliver_progress)

    def run(self) -> None:
        """Run the work here (the worker thread) and post its outcome to the GUI thread."""
        self.started = True
        _current.token = self.token
        outcome: tuple[bool, object]
        try:
            if self.token.is_set():
                raise Cancelled
            outcome = (True, self._work(self.report, self.token))
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread
            outcome = (False, exc)
        finally:
            _current.token = None
        self.outcome = outcome
        # Posted before the task counts as ended: once `wait()` returns, this thread touches
        # no Qt object any more (a window that closes and a program that exits rely on it).
        if not _exiting:
            self._dispatcher.post(self._deliver)
        self._ended.set()

    # -- back on the GUI thread ---------------------------------------------------------------

    def _wanted(self) -> bool:
        if self.token.is_set():
            return False
        if self._context is None:
            return True
        context = self._context()
        return context is not None and shiboken6.isValid(context)

    def _deliver_progress(self) -> None:
        with self._lock:
            value, self._progress_posted = self._progress, False
        if self._on_progress is not None and self._wanted():
            self._on_progress(value)

    def _deliver(self) -> None:
        self._delivered = True
        ended, self._on_end = self._on_end, []
        try:
            self._deliver_outcome()
        finally:
            for callback in ended:
                callback()
            self._let_go()
            if self._thread is not None:
                _worker_ended(self._thread)
                self._thread = None

    def _let_go(self) -> None:
        """Drop every reference to the GUI's objects here, in the GUI thread. The worker may
        hold this task last; a widget whose last reference went away in that thread would be
        destroyed there, which crashes Qt."""
        self._context = None
        self._on_result = self._on_error = self._on_progress = None
        self._work = _spent

    def _deliver_outcome(self) -> None:
        assert self.outcome is not None
        ok, value = self.outcome
        if not self._wanted():
            return
        if ok:
            if self._on_result is not None:
                self._on_result(value)  # type: ignore[arg-type]
            return
        assert isinstance(value, BaseException)
        if isinstance(value, Cancelled):
            return
        if self._on_error is not None:
            self._on_error(value)
        else:
            log.error("Taak %s mislukt", self.name, exc_info=value)


def submit(
    work: Work[T],
    *,
    context: QObject | None,
    on_result: Callable[[T], object] | None,
    on_error: Callable[[BaseException], object] | None = None,
    on_progress: Callable[[Any], object] | None = None,
    name: str = "task",
) -> Task[T]:
    """Run `work(progress, cancelled)` on a worker thread; call back on the GUI thread while
    `context` exists (None: no widget to outlive) and the task was not cancelled."""
    return Task(
        work,
        context=context,
        on_result=on_result,
        on_error=on_error,
        on_progress=on_progress,
        name=name,
    ).start()


# -- reading the database ---------------------------------------------------------------------


def _target(db_path: Path | str | ServerUrl) -> Path | ServerUrl:
    return db_path if isinstance(db_path, ServerUrl) else Path(db_path)


def reading(db_path: Path | str | ServerUrl, read: Callable[[Database], T]) -> Work[T]:
    """Work that runs `read(db)` on a read-only connection of its own to `db_path` (a file,
    or a register on a server), closed when done. Cancelling interrupts the statement
    running and fails every later one."""

    def work(_progress: Progress, cancelled: CancelToken) -> T:
        from merlet_desk.store import open_database

        db = open_database(_target(db_path), read_only=True, defer_check=True)
        try:
            db.conn.set_progress_handler(lambda: 1 if cancelled() else 0, 10_000)
            interrupt = db.conn.interrupt
            cancelled.on_cancel(interrupt)
            try:
                cancelled.check()
                return read(db)
            finally:
                cancelled.remove(interrupt)
        finally:
            db.close()

    return work


class TaskGroup:
    """The window's workers on its database: `read` starts one, `shutdown` stops them all at
    close (or when another database is opened). While `hold()` is on (the integrity check of
    the file has not passed yet) new reads wait, so the switch to WAL after the check meets
    no reader; `release()` starts them."""

    def __init__(self, db_path: Path | str | ServerUrl) -> None:
        self.db_path = _target(db_path)
        self.tasks: list[Task[Any]] = []
        self._held: list[Task[Any]] | None = None

    def read(
        self,
        read: Callable[[Database], T],
        *,
        context: QObject | None,
        on_result: Callable[[T], object] | None,
        on_error: Callable[[BaseException], object] | None = None,
        name: str = "reader",
    ) -> Task[T]:
        """`read(db)` on a worker with its own read-only connection to this database."""
        return self.submit(
            reading(self.db_path, read),
            context=context,
            on_result=on_result,
            on_error=on_error,
            name=name,
        )

    def submit(
        self,
        work: Work[T],
        *,
        context: QObject | None,
        on_result: Callable[[T], object] | None,
        on_error: Callable[[BaseException], object] | None = None,
        on_progress: Callable[[Any], object] | None = None,
        name: str = "task",
        now: bool = False,
    ) -> Task[T]:
        """`tasks.submit`, stopped with the others by `shutdown`; `now` starts it even while
        held (the integrity check itself)."""
        task = Task(
            work,
            context=context,
            on_result=on_result,
            on_error=on_error,
            on_progress=on_progress,
            name=name,
        )
        self.tasks.append(task)
        task.when_ended(lambda: self._forget(task))
        if self._held is not None and not now:
            self._held.append(task)
        else:
            task.start()
        return task

    def _forget(self, task: Task[Any]) -> None:
        if task in self.tasks:
            self.tasks.remove(task)

    def cancel(self, task: Task[Any] | None) -> None:
        """Stop one (its screen no longer wants it); a held one never starts."""
        if task is None:
            return
        task.cancel()
        if self._held is not None and task in self._held:
            self._held.remove(task)
            self._forget(task)

    def hold(self) -> None:
        if self._held is None:
            self._held = []

    def release(self) -> None:
        held, self._held = self._held or [], None
        for task in held:
            if not task.cancelled:
                task.start()

    @property
    def running(self) -> list[Task[Any]]:
        return [task for task in self.tasks if task.running]

    def shutdown(self, timeout: float | None = None) -> bool:
        """Cancel every task and wait at most `timeout` seconds (CLOSE_WAIT_SECONDS) for them
        all. True when all have ended; otherwise the ones still running are logged and left
        (daemon threads: they cannot keep the program from ending)."""
        timeout = CLOSE_WAIT_SECONDS if timeout is None else timeout
        self._held = None
        tasks, self.tasks = self.tasks, []
        for task in tasks:
            task.cancel()
        deadline = time.monotonic() + timeout
        stuck = [
            task
            for task in tasks
            if task.started and not task.wait(max(0.0, deadline - time.monotonic()))
        ]
        for task in stuck:
            log.warning(
                "Taak %s stopte niet binnen %.1f s; het venster sluit toch", task.name, timeout
            )
        return not stuck


# -- a lane: one worker, the newest request wins ------------------------------------------------


class Lane:
    """One worker thread for a kind of work where only the newest request per key matters
    (the photo a view shows). A request replaces the one with the same key that waits, and
    cancels the one that runs; the worker ends when nothing waits."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._lock = threading.Lock()
        # By a number, never by the widget: the worker must hold no reference to a widget.
        self._waiting: dict[int, Task[Any]] = {}
        self._running: dict[int, Task[Any]] = {}
        self._thread: threading.Thread | None = None
        self._dispatcher: _Dispatcher | None = None

    def submit(
        self,
        key: int,
        work: Work[T],
        *,
        context: QObject | None,
        on_result: Callable[[T], object] | None,
        on_error: Callable[[BaseException], object] | None = None,
    ) -> Task[T]:
        task = Task(work, context=context, on_result=on_result, on_error=on_error, name=self.name)
        with self._lock:
            for older in (self._waiting.pop(key, None), self._running.get(key)):
                if older is not None:
                    older.cancel()
            self._waiting[key] = task
            self._dispatcher = task._dispatcher
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._serve, name=f"merlet-{self.name}", daemon=True
                )
                self._thread.start()
        return task

    def _serve(self) -> None:
        while True:
            with self._lock:
                if not self._waiting:
                    self._thread = None
                    if not _exiting and self._dispatcher is not None:
                        this = threading.current_thread()
                        self._dispatcher.post(functools.partial(_worker_ended, this))
                    return
                key = next(iter(self._waiting))
                task = self._running[key] = self._waiting.pop(key)
            try:
                task.run()
            finally:
                with self._lock:
                    if self._running.get(key) is task:
                        del self._running[key]

    def idle(self) -> bool:
        with self._lock:
            return self._thread is None


# -- the one nested event loop ------------------------------------------------------------------


class EventLoop(QEventLoop):
    """A QEventLoop that refuses to run twice at once, in the whole program (after
    qutebrowser's `qtutils.EventLoop`): two nested waits would end in the wrong order."""

    _executing = False

    def exec(
        self, flags: QEventLoop.ProcessEventsFlag = QEventLoop.ProcessEventsFlag.AllEvents
    ) -> int:
        if EventLoop._executing:
            raise AssertionError("a second nested event loop: wait for one thing at a time")
        EventLoop._executing = True
        try:
            return super().exec(flags)
        finally:
            EventLoop._executing = False


def wait_with_progress(
    parent: QWidget | None,
    label: str,
    work: Work[T],
    *,
    cancel_text: str | None = None,
    name: str = "wait",
) -> T:
    """Run `work` on a worker while the officer waits behind a window-modal progress dialog
    (shown after half a second); the window keeps repainting. Returns the result, or raises
    the work's exception here. With `cancel_text` the dialog has a stop button that cancels
    the task (and this raises `Cancelled` once the work has ended); the progress values are
    fractions from 0 to 1 then."""
    # Not at the top: the Qt namespace costs the start-up 15-20 ms before the first paint.
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QProgressDialog

    loop = EventLoop()
    steps = 100 if cancel_text is not None else 0
    dialog = QProgressDialog(label, cancel_text or "", 0, steps, parent)
    if cancel_text is None:
        dialog.setCancelButton(None)
    dialog.setWindowTitle(QCoreApplication.translate("tasks", "Bezig…"))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.hide()

    def step(fraction: Any) -> None:
        dialog.setValue(int(float(fraction) * 100))

    task = Task(
        work,
        context=None,
        on_result=None,
        on_error=lambda _exc: None,  # raised below
        on_progress=step if cancel_text is not None else None,
        name=name,
    )
    dialog.canceled.connect(task.cancel)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(dialog.show)
    timer.start(0 if cancel_text is not None else PROGRESS_DELAY_MS)
    ended: list[bool] = []

    def end() -> None:
        ended.append(True)
        loop.quit()

    task.when_ended(end)
    task.start()
    if not ended:  # the end is delivered by the event loop, so only inside exec()
        loop.exec()
    timer.stop()
    dialog.hide()
    dialog.deleteLater()
    assert task.outcome is not None
    ok, value = task.outcome
    if task.cancelled:  # stopped: whatever the work made of it, the officer asked to stop
        raise Cancelled from (None if ok else value)  # type: ignore[misc]
    if ok:
        return value  # type: ignore[return-value]
    raise value  # type: ignore[misc]
