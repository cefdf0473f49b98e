"""Starting the GUI from the command line: paint the window, open the database, or explain why not.

The window's frame is painted first; then the database opens with its checks and
dialogs (`opening.py`: read-only, the lock, a damaged file, a network share) and the section
shown is built.

The integrity check of a file that opens without a migration runs after the window is shown,
on a worker thread with its own connection; until it has passed, every write and
backup waits for it (`MerletDatabase.integrity_gate`), so nothing is written to a damaged file.
A damaged file found that way gets the same restore offer, and the window closes unless the
backup is restored.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from merlet_desk import logs, startup_trace
from merlet_desk.errors import InputError
from merlet_desk.store.errors import StoreError
from merlet_desk.store.location import database_path_and_source, read_only_default
from merlet_desk.store.server_url import ServerUrl
from merlet_desk.ui.common.after_paint import after_paint
from merlet_desk.ui.opening import Opened, backup_after_show, offer_restore, open_for_gui, say_error

if TYPE_CHECKING:
    from merlet_desk.ui.main_window import MainWindow


def _tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("launch", text)


def check_after_show(window: MainWindow, opened: Opened, interactive: bool) -> None:
    """The integrity check on a worker thread, then the daily backup; a damaged file gets
    the restore offer, and the window closes (exit code 2) unless the backup is restored."""
    from merlet_desk.store.integrity import DamagedDatabaseError, damaged_message, quick_check
    from merlet_desk.ui.common.tasks import CancelToken, Progress, reading

    gate = getattr(opened.db, "integrity_gate", None)
    path = opened.path
    if isinstance(path, ServerUrl):  # the server checks and backs up its own files
        return

    def backup_after_check() -> None:
        backup_after_show(window, opened)

    if gate is None and not opened.read_only:  # checked before opening (it had to write)
        QTimer.singleShot(0, window, backup_after_check)
        return

    def check(progress: Progress, cancelled: CancelToken) -> list[str]:
        """On the worker: the check, then the gate settled however it ended (a write waiting
        for it must never wait for the event loop)."""
        try:
            problems = reading(path, lambda db: quick_check(db.conn))(progress, cancelled)
        except BaseException as exc:
            if gate is not None:
                gate.settle([str(exc)])
            raise
        if gate is not None:
            gate.settle(problems)
        return problems

    def damaged(error: StoreError) -> None:
        # The window has the damaged file open: it lets go of it before the backup replaces
        # it, and opens the restored file itself (`MainWindow.restore_backup`).
        if offer_restore(path, error, interactive, host=window):
            opened.db = window.db  # the restored file's connection, for the daily backup
            backup_after_check()
            return
        window.refuse_damaged()  # run_gui exits with 2

    def checked(problems: list[str]) -> None:
        if problems:
            damaged(DamagedDatabaseError(damaged_message(path), path, problems))
        else:
            window.integrity_passed()
            backup_after_check()

    def failed(exc: BaseException) -> None:
        if isinstance(exc, StoreError):
            damaged(exc)
        else:
            raise exc

    def start() -> None:
        window.tasks.submit(
            check, context=window, on_result=checked, on_error=failed, name="integrity", now=True
        )

    after_paint(window, start)  # the section shown is painted first


def run_gui(args: argparse.Namespace) -> int:
    """The window: its frame is painted first, then the database opens (with its dialogs:
    a lock, a damaged file, a share) and the section shown is built."""
    from merlet_desk.ui.app import create_application
    from merlet_desk.ui.main_window import MainWindow

    app = create_application(sys.argv[:1])
    interactive = not args.quit_after_show
    try:
        path, source = database_path_and_source(args.db)
        read_only = bool(args.read_only) or read_only_default()
    except InputError as exc:
        logs.setup()
        say_error(interactive, _tr("Instellingen niet gelezen"), str(exc))
        return 2
    window = MainWindow(None, path, read_only=read_only)
    window.show_at_start()
    app.processEvents()  # the first paint: the user sees the program has started
    startup_trace.mark("first-paint")
    # Only what that paint needed is loaded so far; the rest comes now.
    logs.setup()
    from merlet_desk.ui import error_hook
    from merlet_desk.ui.common.key_file_setting import use_remembered_key_file

    use_remembered_key_file()

    # Only the first start at the default location (the user's folder, or where IT's
    # MERLET_DESK_DB or ini file points) makes a new database; `--db` names an existing one.
    opened = open_for_gui(
        path,
        read_only,
        interactive=interactive,
        create=source != "--db" and not read_only and not isinstance(path, ServerUrl),
        defer_check=True,
    )
    if opened is None:
        window.close()
        return 2
    try:
        # Ready: the window has painted its database's section. Posted before the section
        # exists, this runs after that paint and before the work that waits for it (the
        # counts, the integrity check: `after_paint` keeps the order of its calls).
        painted: list[bool] = []

        def ready() -> None:
            startup_trace.mark("ready")
            painted.append(True)

        after_paint(window, ready)
        window.attach(opened.db, opened.read_only, opened.lock)
        if opened.notices:
            window.statusBar().showMessage(" · ".join(opened.notices))
        if interactive:

            def show_error(title: str, text: str) -> None:
                from merlet_desk.ui.common import dialogs  # loads when first needed

                dialogs.show_error(window, title, text)

            error_hook.install(show_error, window.server_lost)
        check_after_show(window, opened, interactive)
        if args.quit_after_show:
            # Shown with its database and painted: what the user waits for. The work that
            # waited for the paint has started too; what still runs on worker threads (the
            # integrity check, the counts) is stopped by the close.
            deadline = time.monotonic() + 30
            while not painted and time.monotonic() < deadline:
                app.processEvents()
            app.processEvents()
            window.close()
            window.db.close()
            return 0
        code = app.exec()
        window.db.close()
        return 2 if window.refused_damaged else code
    finally:
        if opened.lock is not None:
            opened.lock.release()
