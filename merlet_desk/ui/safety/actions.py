"""What the "Extra" menu does: backup, restore (with a preview), verify, encrypt, the audit log
and the retention purge. Loaded when an action is first used (the menu itself is built before
the window's first paint; see `menu.py`).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialog, QWidget

from merlet_desk.store.errors import StoreError
from merlet_desk.store.server_url import ServerUrl
from merlet_desk.ui.common import dialogs
from merlet_desk.ui.context import DatabaseHost


def _tr(text: str) -> str:
    return QCoreApplication.translate("SafetyMenu", text)  # the menu's context: one for both


def make_backup_now(window: QWidget, host: DatabaseHost) -> None:
    """Back-up maken: the officer chooses where (the register's backup folder is offered; a
    second disk or a share will do), the backup is written there."""
    from merlet_desk.store.backup import backup_folder, backup_to_place, manual_backup_name

    path = host.db_path
    if isinstance(path, ServerUrl):
        backup_server_to_file(window, host)
        return
    title = _tr("Back-up maken")
    remembered = dialogs.remembered_folder(BACKUP_PLACE)
    if remembered is not None and not remembered.is_dir():  # a disk no longer plugged in
        remembered = None
    target = dialogs.choose_save_path(
        window,
        title,
        manual_backup_name(path),
        _tr("Merlet Desk-back-up (*.sqlite)"),
        kind=BACKUP_PLACE,
        folder=remembered or backup_folder(path, host.db),
    )
    if target is None:
        return
    if not target.suffix:
        target = target.with_suffix(".sqlite")
    try:
        written = backup_to_place(host.db, path, target)
    except StoreError as exc:
        dialogs.show_error(window, _tr("Geen back-up gemaakt"), str(exc))
        return
    dialogs.remember_folder(BACKUP_PLACE, written)  # a second disk chosen once is offered again
    dialogs.show_info(
        window, _tr("Back-up gemaakt"), _tr("De back-up staat in:\n%1").replace("%1", str(written))
    )


BACKUP_PLACE = "backup-place"  # the file dialogs remember where the officer put the last one


def backup_server_to_file(window: QWidget, host: DatabaseHost) -> None:
    """A register on a server: a backup file of the officer's choice, from one snapshot
    (`merlet-desk backup --db URL -o FILE`), which opens offline, read-only, anywhere."""
    from merlet_desk import clock
    from merlet_desk.store.engine.transfer import backup_to_file

    title = _tr("Back-up maken")
    target = dialogs.choose_output_path(
        window,
        title,
        f"merlet-desk-{clock.today().isoformat()}.sqlite",
        _tr("Merlet Desk-database (*.sqlite)"),
        kind="backup",
        suffix=".sqlite",
    )
    if target is None:
        return
    if target.exists():
        dialogs.show_error(
            window, title, _tr("%1 bestaat al; kies een nieuwe naam.").replace("%1", str(target))
        )
        return
    try:
        backup_to_file(host.db, target)
    except StoreError as exc:
        dialogs.show_error(window, _tr("Geen back-up gemaakt"), str(exc))
        return
    dialogs.show_info(
        window,
        _tr("Back-up gemaakt"),
        _tr(
            "De back-up staat in:\n%1\n\nHet is een gewoon Merlet Desk-bestand: het opent ook "
            "zonder netwerk, alleen-lezen."
        ).replace("%1", str(target)),
    )


def restore_backup(window: QWidget, host: DatabaseHost) -> QDialog | None:
    from merlet_desk.ui.safety.restore import RestoreDialog

    current = host.db_path
    if isinstance(current, ServerUrl):  # hidden for a server (menu.follow_target)
        return None
    dialog = RestoreDialog(host, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def verify_database(window: QWidget, host: DatabaseHost) -> None:
    from merlet_desk.store.verification import verify

    current = host.db_path
    if isinstance(current, ServerUrl):  # hidden for a server (menu.follow_target)
        return
    try:
        result = verify(current)
    except StoreError as exc:
        dialogs.show_error(window, _tr("Database controleren"), str(exc))
        return
    if result.ok:
        dialogs.show_info(window, _tr("Database controleren"), result.summary())
    else:
        dialogs.show_error(window, _tr("Database controleren"), result.summary())


def encrypt_database(window: QWidget, host: DatabaseHost) -> None:
    """Extra › Versleutelen…: the same offer as Start's (`ui/common/encryption.py`). A file's
    encryption: hidden for a server (menu.follow_target), whose disk is IT's."""
    if isinstance(host.db_path, ServerUrl):
        return
    host.encrypt_database()


def open_audit_log(window: QWidget, host: DatabaseHost) -> QDialog:
    from merlet_desk.ui.safety.audit_view import AuditLogDialog

    dialog = AuditLogDialog(host.db, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def open_purge_dialog(window: QWidget, host: DatabaseHost) -> QDialog:
    from merlet_desk.ui.safety.purge import PurgeDialog

    dialog = PurgeDialog(host, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
