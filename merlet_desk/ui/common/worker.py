"""Reading the database on a worker thread, with a read-only connection of its own.

    job = ReaderJob(db_path, lambda db: read_attention(db, today), parent=window)
    job.succeeded.connect(show_counts)     # in the GUI thread, with the result
    job.failed.connect(show_problem)       # in the GUI thread, with the exception
    job.start()
    ...
    job.stop()                             # at close: stops the work and joins the thread

The worker never touches the GUI's connection: it opens its own, read-only, through
`store.open_database` (the one place a connection is made), so the event loop may write
through the GUI's connection meanwhile (issue 19 part 4), and closes it when done. What runs
is any function of a `Database`; what it reads is decided in `store/`.

`stop()` interrupts the worker's connection and makes every later statement on it fail at once
(a progress handler), raises `Cancelled` in the worker thread at its next Python step, then
joins the thread, so a window can close while a count is running (issue 18). A stopped job
delivers nothing.

The worker thread touches no Qt object: it leaves its outcome under a lock, and a timer owned
by the job (in the GUI thread) collects it. A signal emitted from the worker while the GUI
thread deletes its receiver (a window closed at that moment) crashes the process; that was
seen once with the photo preview, which worked the same way.
"""

from __future__ import annotations

import ctypes
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

if TYPE_CHECKING:  # the store loads after the first paint (issue 18)
    from merlet_desk.store.sqlite_utils_import import Database


class Cancelled(BaseException):  # noqa: N818 (a signal to stop, not an error)
    """Raised in a worker thread that was stopped."""


def _quiet_about_cancelled(hook: Callable[[Any], object]) -> Callable[[Any], object]:
    """An unraisable-exception hook that says nothing about `Cancelled`: the asynchronous
    stop can land in a callback Python runs on its own (a module lock's weakref callback in
    the middle of an import), where it cannot propagate and would be printed as "Exception
    ignored". Everything else goes to `hook`."""

    def quiet(unraisable: Any) -> None:
        if not isinstance(unraisable.exc_value, Cancelled):
            hook(unraisable)

    quiet.quiets_cancelled = True  # type: ignore[attr-defined]
    return quiet


def _install_quiet_hook() -> None:
    if not getattr(sys.unraisablehook, "quiets_cancelled", False):
        sys.unraisablehook = _quiet_about_cancelled(sys.unraisablehook)


class ReaderJob(QObject):
    """One function of a read-only `Database`, run once on a thread of its own (with
    `db_path` None it gets None: work that reads no database)."""

    succeeded = Signal(object)  # the function's result
    failed = Signal(object)  # the exception it raised (opening the database included)
    finished = Signal()  # after succeeded or failed; not after stop()

    POLL_MS = 10  # how often the GUI thread looks for the outcome while the job runs

    def __init__(
        self,
        db_path: str | Path | None,
        work: Callable[[Database | None], Any],
        *,
        parent: QObject | None = None,
        name: str = "reader",
        in_thread_after: Callable[[bool, object], None] | None = None,
    ) -> None:
        """`in_thread_after(ok, result or exception)` runs in the worker thread when the work
        ends, however it ends (also when the database cannot be opened or the job was
        stopped, then with ok False): for what must not wait for the event loop."""
        super().__init__(parent)
        self.db_path = Path(db_path) if db_path is not None else None
        self._work = work
        self._after = in_thread_after
        self._name = name
        self._stopped = False
        self._in_work = False
        self._db: Database | None = None
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._outcome: tuple[bool, object] | None = None  # set by the worker, under the lock
        self._poll = QTimer(self)
        self._poll.setInterval(self.POLL_MS)
        self._poll.timeout.connect(self._collect)

    # -- GUI thread -------------------------------------------------------------------------

    def start(self) -> ReaderJob:
        self._thread = threading.Thread(target=self._run, name=f"merlet-{self._name}", daemon=True)
        self._thread.start()
        self._poll.start()
        return self

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def stopped(self) -> bool:
        return self._stopped

    def stop(self, timeout: float = 10.0) -> bool:
        """Stop the work and wait for the thread to end. True when it has ended."""
        with self._lock:
            self._stopped = True
            if self._db is not None:
                self._db.conn.interrupt()  # also a PRAGMA quick_check, one long VM step
            thread = self._thread
            if thread is not None and thread.is_alive() and self._in_work and thread.ident:
                _install_quiet_hook()
                # Interrupts Python code between statements (a long loop over statuses);
                # statements themselves are stopped by the progress handler.
                ctypes.pythonapi.PyThreadState_SetAsyncExc(
                    ctypes.c_ulong(thread.ident), ctypes.py_object(Cancelled)
                )
        return self.wait(timeout)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the thread to end (without stopping it). True when it has ended."""
        if self._thread is not None:
            self._thread.join(timeout)
        return not self.running

    def _collect(self) -> None:
        ended = not self.running  # before the look: an ended worker has left its outcome
        with self._lock:
            outcome, self._outcome = self._outcome, None
        if outcome is None:
            if ended:
                self._poll.stop()  # stopped or cancelled: nothing to deliver
            return
        self._poll.stop()
        if self._stopped:
            return
        ok, value = outcome
        (self.succeeded if ok else self.failed).emit(value)
        self.finished.emit()

    # -- worker thread ----------------------------------------------------------------------

    def _should_stop(self) -> int:
        return 1 if self._stopped else 0

    def _run(self) -> None:
        from merlet_desk.store import open_database

        db: Database | None = None
        outcome: tuple[bool, object] = (False, Cancelled())
        try:
            if self.db_path is not None:  # None: work that reads no database (a policy PDF)
                db = open_database(self.db_path, read_only=True, defer_check=True)
                db.conn.set_progress_handler(self._should_stop, 10_000)
            with self._lock:
                if self._stopped:
                    return
                self._db = db
                self._in_work = True
            try:
                outcome = (True, self._work(db))
            finally:
                with self._lock:
                    self._in_work = False
        except Cancelled:
            pass
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread
            outcome = (False, Cancelled() if self._stopped else exc)
        finally:
            with self._lock:
                self._db = None
            if db is not None:
                db.close()
            if self._after is not None:
                self._after(*outcome)
            if not isinstance(outcome[1], Cancelled):
                with self._lock:
                    if not self._stopped:
                        self._outcome = outcome
