"""Opening a database for the window: read-only or not, the lock, a damaged file, a share;
for a register on a server, the password when libpq has none (`open_server`).

Before the window shows its sections: read-only when asked (`--read-only`,
`MERLET_DESK_READ_ONLY`, the ini file), a lock file so a second instance is offered read-only,
a damaged file refused untouched with an offer to restore the newest good backup, a warning
for a network share, and the once-a-day backup (just after the window is shown). The same
checks run when the officer opens another database (`reopen`).

Not loaded before the window's first paint (the store comes with it).
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from merlet_desk.logs import describe_error, scrub
from merlet_desk.store.errors import StoreError
from merlet_desk.store.server_url import ServerUrl

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow, QWidget

    from merlet_desk.store.lock import DatabaseLock
    from merlet_desk.store.sqlite_utils_import import Database
    from merlet_desk.ui.context import DatabaseHost

log = logging.getLogger(__name__)


@dataclass
class Opened:
    """What the launcher hands to the main window."""

    db: Database
    path: Path | ServerUrl
    read_only: bool
    lock: DatabaseLock | None
    notices: list[str]  # shown in the status bar (network share, backup problems)


def _tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("launch", text)


def say_error(interactive: bool, title: str, message: str) -> None:
    """On stderr and in the log, and in a dialog unless started without one."""
    from merlet_desk.ui.common import dialogs

    print(f"merlet-desk: {message}", file=sys.stderr)
    log.warning("%s: %s", title, scrub(message))
    if interactive:
        dialogs.show_error(None, title, message)


def offer_restore(
    path: Path, error: StoreError, interactive: bool, *, host: DatabaseHost | None = None
) -> bool:
    """The damaged-file dialog: explain, and restore the newest good backup of this register
    only if asked. `host`: the window that has the damaged file open; it lets go of it before
    the backup replaces it, and opens the restored file itself."""
    from merlet_desk.store.backup import backup_summary, newest_good_backup
    from merlet_desk.ui.common import dialogs

    title = _tr("Database beschadigd")
    print(f"merlet-desk: {error}", file=sys.stderr)
    log.warning("Database beschadigd: %s", describe_error(error))
    if not interactive:
        return False
    try:
        backup = newest_good_backup(path)
    except StoreError as exc:  # backups of several registers, and this one cannot say which
        dialogs.show_error(None, title, str(error) + "\n\n" + str(exc))
        return False
    if backup is None:
        dialogs.show_error(
            None,
            title,
            str(error)
            + "\n\n"
            + _tr(
                "Er is geen goede back-up van dit register gevonden. Er is niets verplaatst "
                "of veranderd."
            ),
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
        .replace("%2", summary.describe())
    )
    if not dialogs.ask_yes_no(None, title, question):
        return False
    from merlet_desk.store.backup import restore

    try:
        result = host.restore_backup(backup) if host is not None else restore(backup, path)
    except StoreError as exc:
        dialogs.show_error(None, title, str(exc))
        return False
    if result is None:
        return False
    dialogs.show_info(
        None,
        _tr("Back-up teruggezet"),
        _tr("De back-up van %1 is teruggezet. Het beschadigde bestand staat in %2.")
        .replace("%1", summary.made_at.strftime("%d-%m-%Y %H:%M"))
        .replace("%2", str(result.previous)),
    )
    return True


def open_server(target: ServerUrl, read_only: bool, *, interactive: bool = True) -> Opened | None:
    """A register on a server: no lock, no journal, no integrity check of a file (the server
    keeps its own). When the server asks a password that libpq has none of, and none is kept
    (`store.engine.passwords`), the officer is asked for it (again after a wrong one) and it
    is kept in the OS key store; where there is none, only for this session, and the status
    bar says so. None: do not start (cancelled, or the server cannot be reached: said)."""
    from merlet_desk.store import open_database
    from merlet_desk.store.engine import passwords
    from merlet_desk.store.engine.errors import LoginRefusedError, PasswordNeededError
    from merlet_desk.ui.common import dialogs

    password: str | None = None
    notices: list[str] = []
    while True:
        try:
            db = open_database(target, read_only=read_only, password=password)
            break
        except (PasswordNeededError, LoginRefusedError) as exc:
            asked = isinstance(exc, PasswordNeededError) or password is not None
            if not interactive or not asked:
                say_error(interactive, _tr("Database niet geopend"), str(exc))
                return None
            log.info("De server vraagt een wachtwoord: %s", type(exc).__name__)
            question = (
                _tr("Het wachtwoord klopt niet. Probeer het opnieuw.") + "\n\n"
                if password is not None
                else ""
            ) + _tr("Wachtwoord van %1 voor %2:").replace(
                "%1", target.user or _tr("uw gebruiker")
            ).replace("%2", f"{target.database} op {target.host}")
            password = dialogs.ask_password(None, _tr("Wachtwoord voor de server"), question)
            if password is None:
                return None
        except StoreError as exc:
            say_error(interactive, _tr("Database niet geopend"), str(exc))
            return None
    if password is not None:
        passwords.use_for_this_session(target, password)
        if not passwords.remember(target, password):
            notices.append(
                _tr(
                    "Het wachtwoord is alleen voor deze keer onthouden: deze computer heeft geen "
                    "sleutelkluis."
                )
            )
    return Opened(db, target, read_only, None, notices)


def open_for_gui(
    path: Path | ServerUrl,
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
    if isinstance(path, ServerUrl):
        return open_server(path, read_only, interactive=interactive)
    from merlet_desk.store import open_database
    from merlet_desk.store.connection import not_writable_reason
    from merlet_desk.store.lock import LockedError, acquire_lock
    from merlet_desk.store.netshare import network_warning

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
            if interactive:
                from merlet_desk.ui.common import dialogs  # not before the window is ready

                if not dialogs.ask_yes_no(None, _tr("Database al geopend"), question):
                    return False
            read_only = True  # without a dialog (--quit-after-show): read-only, never a write
        except StoreError as exc:  # a folder we cannot write in: SQLite will say more
            notices.append(str(exc))
        return True

    if not read_only and path.is_file() and not take_lock():
        return None
    try:
        db = _open(path, read_only, interactive, create, defer_check)
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
            from merlet_desk.ui.common import dialogs

            dialogs.show_warning(None, _tr("Database op een netwerkschijf"), warning)
    return Opened(db, path, read_only, lock, notices)


def run_daily_backup(opened: Opened) -> str | None:
    """The once-a-day backup on start (not in read-only mode, not of a register on a server,
    which the server's own backups keep). Returns a problem, or None.

    `run_gui` calls it just after the window is shown, so start-up does not wait for it.
    """
    path = opened.path
    if opened.read_only or isinstance(path, ServerUrl):
        return None
    from merlet_desk.store.backup import daily_backup

    try:
        daily_backup(opened.db, path)
    except StoreError as exc:
        log.warning("Dagelijkse back-up mislukt: %s", describe_error(exc))
        return str(exc)
    return None


def backup_after_show(window: QMainWindow, opened: Opened) -> str | None:
    """The daily backup, run once the window shows. A failure does not stop the work: it is
    shown in the status bar (and logged), and returned."""
    problem = run_daily_backup(opened)
    if problem:
        window.statusBar().showMessage(
            _tr("De dagelijkse back-up is niet gemaakt: %1").replace("%1", problem)
        )
    return problem


def reopen(
    parent: QWidget | None,
    path: Path | ServerUrl,
    *,
    current: Path | ServerUrl,
    read_only: bool,
    lock: DatabaseLock | None,
) -> Opened | None:
    """Bestand > Andere database openen, and the reload after a restore: the same checks as at
    start (lock with a read-only offer, damaged file with a restore offer, network share).
    The file the window has open (`current`, whose `lock` it holds) is simply opened again;
    for another file the caller moves its lock to `Opened.lock`. A window that accepted
    read-only stays so."""
    from merlet_desk.store import open_database
    from merlet_desk.ui.common import dialogs

    if isinstance(path, ServerUrl):
        return open_server(path, read_only)
    path = Path(path)
    if isinstance(current, Path) and path.exists() and path.resolve() == current.resolve():
        try:
            db = open_database(path, read_only=read_only)
        except StoreError as exc:
            dialogs.show_error(parent, _tr("Database niet geopend"), str(exc))
            return None
        return Opened(db, path, read_only, lock, [])
    return open_for_gui(path, read_only)


def _open(
    path: Path,
    read_only: bool,
    interactive: bool,
    create: bool = False,
    defer_check: bool = False,
) -> Database | None:
    from merlet_desk.store import open_database
    from merlet_desk.store.errors import EncryptionKeyError
    from merlet_desk.store.integrity import DamagedDatabaseError

    try:
        return open_database(path, read_only=read_only, create=create, defer_check=defer_check)
    except DamagedDatabaseError as exc:
        if not offer_restore(path, exc, interactive):
            return None
    except EncryptionKeyError as exc:  # encrypted, and its key is not on this computer
        print(f"merlet-desk: {exc}", file=sys.stderr)
        from merlet_desk.ui.common.encryption import unlock

        if not interactive or not unlock(None, path, str(exc)):
            return None
    except StoreError as exc:
        say_error(interactive, _tr("Database niet geopend"), str(exc))
        return None
    try:
        return open_database(path, read_only=read_only)
    except StoreError as exc:
        say_error(interactive, _tr("Database niet geopend"), str(exc))
        return None
