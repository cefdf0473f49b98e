"""The "Extra" menu: backup, restore (with a preview), verify, encrypt, audit log, retention
purge.

The main window calls `build_extra_menu(window)` before its first paint, so this module only
builds the menu: what an action does is in `actions.py` (the purge dialog in `purge.py`) and
loads when it is first used. Restore, encrypt and purge change the database and are
disabled in read-only mode; a backup writes a new file, which read-only mode never does, so it
is absent there; verify and the audit log only read.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from merlet_desk.ui.context import DatabaseHost


def _tr(text: str) -> str:
    return QCoreApplication.translate("SafetyMenu", text)


def build_extra_menu(
    window: QMainWindow, host: DatabaseHost, read_only: bool
) -> tuple[QMenu, dict[str, QAction]]:
    """Add the "Extra" menu to `window`; return it and its actions by key. The actions work
    on `host`'s database (the window's)."""
    menu = window.menuBar().addMenu(_tr("E&xtra"))
    actions: dict[str, QAction] = {}

    def add(key: str, text: str, handler: str) -> None:
        action = QAction(text, window)
        action.triggered.connect(lambda _checked=False: _run(handler, window, host))
        menu.addAction(action)
        actions[key] = action

    add("backup", _tr("Back-up &maken…"), "make_backup_now")
    add("restore", _tr("Back-up &terugzetten…"), "restore_backup")
    add("verify", _tr("Database &controleren"), "verify_database")
    add("encrypt", _tr("&Versleutelen…"), "encrypt_database")
    menu.addSeparator()
    add("audit", _tr("&Auditlog…"), "open_audit_log")
    add("purge", _tr("Leerlingen &opschonen…"), "open_purge_dialog")
    follow_read_only(actions, read_only)
    return menu, actions


EDITS = ("restore", "purge", "encrypt")  # the actions that change the database
NEW_FILES = ("backup",)  # the actions whose whole point is a new file
FILE_ONLY = ("restore", "verify", "encrypt")  # about a file; a server is IT's (docs/deployment.md)


def follow_target(actions: dict[str, QAction], *, on_server: bool) -> None:
    """For a register on a server, restoring over a file, checking a file and encrypting one
    do not apply (IT restores into an empty server database, `merlet-desk restore FILE --db
    URL`; the server's disk is IT's); they are hidden, and the backup writes a file of the
    officer's choice."""
    for key in FILE_ONLY:
        actions[key].setVisible(not on_server)


def follow_read_only(actions: dict[str, QAction], read_only: bool) -> None:
    """The actions that change the database are off in read-only mode, and say why; one that
    only writes a new file (a backup) is absent: read-only means no new file either, and
    there is nothing to explain about an action that cannot apply."""
    for key in NEW_FILES:
        actions[key].setVisible(not read_only)
    for key in EDITS:
        actions[key].setEnabled(not read_only)
        actions[key].setToolTip(
            _tr("Niet beschikbaar: de database is alleen-lezen geopend.") if read_only else ""
        )


def _run(handler: str, window: QMainWindow, host: DatabaseHost) -> None:
    from merlet_desk.ui.safety import actions

    getattr(actions, handler)(window, host)
