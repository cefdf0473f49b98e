"""Starting the GUI from the command line: open the database, show the window, or explain why not.

Before the window opens: read-only when asked (`--read-only`, `MERLET_DESK_READ_ONLY`, the ini
file), a lock file so a second instance is offered read-only, a damaged file refused untouched
with an offer to restore the newest good backup, a warning for a network share, and the
once-a-day backup (just after the window is shown).

The integrity check of a file that opens without a migration runs after the window is shown,
on a worker thread with its own connection (issue 18); until it has passed, every write and
backup waits for it (`MerletDatabase.integrity_gate`), so nothing is written to a damaged file.
A damaged file found that way gets the same restore offer, and the window closes unless the
backup is restored.
"""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer

from merlet_desk import logs, startup_trace
from merlet_desk.errors import InputError
from merlet_desk.logs import describe_error, scrub
from merlet_desk.store.errors import StoreError
from merlet_desk.store.location import database_path_and_source, read_only_default

if TYPE_CHECKING:  # the store itself loads after the first paint (issue 18)
    from merlet_desk.store.sqlite_utils_import import Database

log = logging.getLogger(__name__)


@dataclass
class Opened:
    """What the launcher hands to the main window."""

    db: Database
    path: Path
    read_only: bool
    lock: object | None  # merlet_desk.store.lock.DatabaseLock
    notices: list[str]  # shown in the status bar (network share, backup problems)


def _tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("launch", text)


def _say(interactive: bool, kind: str, title: str, message: str) -> None:
    from merlet_desk.ui.common import dialogs

    print(f"merlet-desk: {message}", file=sys.stderr)
    log.warning("%s: %s", title, scrub(message))
    if interactive:
        getattr(dialogs, kind)(None, title, message)


def _offer_restore(path: Path, error: StoreError, interactive: bool) -> bool:
    """The damaged-file dialog: explain, and restore the newest good backup only if asked."""
    from merlet_desk.store.backup import backup_summary, newest_good_backup
    from merlet_desk.ui.common import dialogs

    title = _tr("Database beschadigd")
    print(f"merlet-desk: {error}", file=sys.stderr)
    log.warning("Database beschadigd: %s", describe_error(error))
    if not interactive:
        return False
    backup = newest_good_backup(path)
    if backup is None:
        dialogs.show_error(
            None,
            title,
            str(error)
            + "\n\n"
            + _tr("Er is geen goede back-up gevonden. Er is niets verplaatst of veranderd."),
        )
        return False
    summary = backup_summary(backup)
    question = (
        str(error)
        + "\n\n"
        + _tr(
            "De nieuwste goede back-up is van %1 (%2).\n\nWilt u die terugzetten? Het "
            "beschadigde bestand wordt dan eerst als kopie in de back-upmap bewaard. Kiest u "
            "Nee, dan wordt er niets verplaatst of veranderd."
        )
        .replace("%1", summary.made_at.strftime("%d-%m-%Y %H:%M"))
        .replace("%2", describe_counts(summary.counts))
    )
    if not dialogs.ask_yes_no(None, title, question):
        return False
    from merlet_desk.store.backup import restore

    try:
        result = restore(backup, path)
    except StoreError as exc:
        dialogs.show_error(None, title, str(exc))
        return False
    dialogs.show_info(
        None,
        _tr("Back-up teruggezet"),
        _tr("De back-up van %1 is teruggezet. Het beschadigde bestand staat in %2.")
        .replace("%1", summary.made_at.strftime("%d-%m-%Y %H:%M"))
        .replace("%2", str(result.previous)),
    )
    return True


def describe_counts(counts: dict[str, int]) -> str:
    """ "512 leerlingen, 3.020 besluiten" (Dutch thousands separator)."""
    from merlet_desk.store.backup import counted

    if not counts:
        return _tr("geen gegevens geteld")
    return ", ".join(counted(label, n) for label, n in counts.items())


def open_for_gui(
    path: Path,
    read_only: bool,
    *,
    interactive: bool = True,
    create: bool = False,
    defer_check: bool = False,
) -> Opened | None:
    """Everything between "which file" and "show the window". None: do not start.

    `create`: a missing file may be made (the first start at the default location; a path
    given with `--db` must exist, so a typo never starts an empty register). A database whose
    file or folder cannot be written is opened read-only, with a notice saying why.
    `defer_check`: leave the integrity check to `check_after_show` (see `open_database`).
    """
    from merlet_desk.store import open_database
    from merlet_desk.store.connection import not_writable_reason
    from merlet_desk.store.integrity import DamagedDatabaseError
    from merlet_desk.store.lock import LockedError, acquire_lock
    from merlet_desk.store.netshare import network_warning
    from merlet_desk.ui.common import dialogs

    lock = None
    notices: list[str] = []
    if not read_only and path.is_file():
        reason = not_writable_reason(path)
        if reason:
            read_only = True
            print(f"merlet-desk: alleen-lezen geopend: {reason}", file=sys.stderr)
            notices.append(
                _tr("Alleen-lezen geopend: de map van de database kan niet beschreven worden.")
            )

    def take_lock() -> bool:
        nonlocal lock, read_only
        try:
            lock = acquire_lock(path)
        except LockedError as exc:
            question = str(exc) + "\n\n" + _tr("Wilt u de database alleen-lezen openen?")
            print(f"merlet-desk: {exc}", file=sys.stderr)
            if interactive and not dialogs.ask_yes_no(None, _tr("Database al geopend"), question):
                return False
            read_only = True  # without a dialog (--quit-after-show): read-only, never a write
        except StoreError as exc:  # a folder we cannot write in: SQLite will say more
            notices.append(str(exc))
        return True

    if not read_only and path.is_file() and not take_lock():
        return None
    try:
        db = _open(path, read_only, interactive, DamagedDatabaseError, create, defer_check)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    if db is None:
        if lock is not None:
            lock.release()
        return None
    if not read_only and lock is None and not notices:
        take_lock()  # a new file: nobody else can have it open yet
        if read_only:  # lost a race with another instance that just created it
            db.close()
            db = open_database(path, read_only=True)

    warning = network_warning(path)
    if warning:
        notices.insert(0, warning)
        if interactive:
            dialogs.show_warning(None, _tr("Database op een netwerkschijf"), warning)
    return Opened(db, path, read_only, lock, notices)


def run_daily_backup(opened: Opened) -> str | None:
    """The once-a-day backup on start (not in read-only mode). Returns a problem, or None.

    `run_gui` calls it just after the window is shown, so start-up does not wait for it.
    """
    if opened.read_only:
        return None
    from merlet_desk.store.backup import daily_backup

    try:
        daily_backup(opened.db, opened.path)
    except StoreError as exc:
        log.warning("Dagelijkse back-up mislukt: %s", describe_error(exc))
        return str(exc)
    return None


def backup_after_show(window: Any, opened: Opened) -> str | None:
    """The daily backup, run once the window shows. A failure does not stop the work: it is
    shown in the status bar (and logged), and returned."""
    problem = run_daily_backup(opened)
    if problem:
        window.statusBar().showMessage(
            _tr("De dagelijkse back-up is niet gemaakt: %1").replace("%1", problem)
        )
    return problem


def open_for_window(window: Any, path: Path) -> Opened | None:
    """Bestand > Andere database openen, and the reload after a restore: the same checks as at
    start (lock with a read-only offer, damaged file with a restore offer, network share).
    The window's lock moves to the new file; a window that accepted read-only stays so."""
    from merlet_desk.store import open_database
    from merlet_desk.ui.common import dialogs

    path = Path(path)
    current_lock = getattr(window, "database_lock", None)
    if path.exists() and path.resolve() == Path(window.db_path).resolve():
        try:  # the file this window already has (and holds the lock of): just reopen it
            db = open_database(path, read_only=window.read_only)
        except StoreError as exc:
            dialogs.show_error(window, _tr("Database niet geopend"), str(exc))
            return None
        return Opened(db, path, window.read_only, current_lock, [])
    opened = open_for_gui(path, window.read_only)
    if opened is None:
        return None
    if current_lock is not None:
        current_lock.release()
    window.database_lock = opened.lock
    if opened.read_only and not window.read_only:
        window.set_read_only(True)
    if opened.notices:
        window.statusBar().showMessage(" · ".join(opened.notices))
    return opened


def _open(
    path: Path,
    read_only: bool,
    interactive: bool,
    damaged: type,
    create: bool = False,
    defer_check: bool = False,
) -> Database | None:
    from merlet_desk.store import open_database
    from merlet_desk.store.errors import EncryptionKeyError

    try:
        return open_database(path, read_only=read_only, create=create, defer_check=defer_check)
    except damaged as exc:
        if not _offer_restore(path, exc, interactive):
            return None
    except EncryptionKeyError as exc:  # encrypted, and its key is not on this computer
        print(f"merlet-desk: {exc}", file=sys.stderr)
        from merlet_desk.ui.common.encryption import unlock

        if not interactive or not unlock(None, path, str(exc)):
            return None
    except StoreError as exc:
        _say(interactive, "show_error", _tr("Database niet geopend"), str(exc))
        return None
    try:
        return open_database(path, read_only=read_only)
    except StoreError as exc:
        _say(interactive, "show_error", _tr("Database niet geopend"), str(exc))
        return None


def check_after_show(window: Any, opened: Opened, interactive: bool) -> None:
    """The integrity check on a worker thread, then the daily backup; a damaged file gets
    the restore offer, and the window closes (exit code 2) unless the backup is restored."""
    from merlet_desk.store.integrity import DamagedDatabaseError, damaged_message, quick_check

    gate = getattr(opened.db, "integrity_gate", None)

    def backup_after_check() -> None:
        backup_after_show(window, opened)

    if gate is None and not opened.read_only:  # checked before opening (it had to write)
        QTimer.singleShot(0, window, backup_after_check)
        return

    def settle(ok: bool, value: object) -> None:  # in the worker thread: never waits for us
        if gate is not None:
            gate.settle(value if ok and isinstance(value, list) else [str(value)])

    def damaged(error: StoreError) -> None:
        if _offer_restore(opened.path, error, interactive) and window.switch_database(opened.path):
            backup_after_check()
            return
        window.refused_damaged = True  # run_gui exits with 2
        window.close()

    def checked(problems: object) -> None:
        if problems:
            path = opened.path
            damaged(DamagedDatabaseError(damaged_message(path), path, list(problems)))
        else:
            window.integrity_passed()
            backup_after_check()

    def failed(exc: BaseException) -> None:
        if isinstance(exc, StoreError):
            damaged(exc)
        else:
            raise exc

    def start() -> None:
        window.start_reader(
            lambda db: quick_check(db.conn),
            checked,
            failed,
            name="integrity",
            in_thread_after=settle,
            before_integrity_check=True,
        )

    QTimer.singleShot(0, window, start)  # after the first paint


def run_gui(args: argparse.Namespace) -> int:
    """The window: its frame is painted first, then the database opens (with its dialogs:
    a lock, a damaged file, a share) and the section shown is built (issue 18)."""
    from merlet_desk.ui.app import create_application
    from merlet_desk.ui.main_window import MainWindow

    app = create_application(sys.argv[:1])
    interactive = not args.quit_after_show
    try:
        path, source = database_path_and_source(args.db)
        read_only = bool(args.read_only) or read_only_default()
    except InputError as exc:
        logs.setup()
        _say(interactive, "show_error", _tr("Instellingen niet gelezen"), str(exc))
        return 2
    window = MainWindow(None, path, read_only=read_only)
    window.show()
    app.processEvents()  # the first paint: the user sees the program has started
    startup_trace.mark("first-paint")
    # Only what that paint needed is loaded so far (issue 18); the rest comes now.
    logs.setup()
    from merlet_desk.ui import error_hook
    from merlet_desk.ui.common import dialogs
    from merlet_desk.ui.common.encryption import use_remembered_key_file

    use_remembered_key_file()

    # Only the first start at the default location (the user's folder, or where IT's
    # MERLET_DESK_DB or ini file points) makes a new database; `--db` names an existing one.
    opened = open_for_gui(
        path,
        read_only,
        interactive=interactive,
        create=source != "--db" and not read_only,
        defer_check=True,
    )
    if opened is None:
        window.close()
        return 2
    try:
        window.attach(opened.db, opened.read_only)
        window.database_lock = opened.lock
        if opened.notices:
            window.statusBar().showMessage(" · ".join(opened.notices))
        if interactive:
            error_hook.install(lambda title, text: dialogs.show_error(window, title, text))
        check_after_show(window, opened, interactive)
        if args.quit_after_show:
            # Shown with its database and painted: what the user waits for. Work still
            # running on worker threads (the integrity check, the counts) is stopped by the
            # close.
            app.processEvents()
            startup_trace.mark("ready")
            window.close()
            window.db.close()
            return 0
        QTimer.singleShot(0, lambda: startup_trace.mark("ready"))
        code = app.exec()
        window.db.close()
        return 2 if getattr(window, "refused_damaged", False) else code
    finally:
        if opened.lock is not None:
            opened.lock.release()
