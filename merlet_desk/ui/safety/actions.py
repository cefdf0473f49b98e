"""What the "Extra" menu does: backup, restore (with a preview), verify, the audit log and the
retention purge. Loaded when an action is first used (issue 18: the menu itself is built before
the window's first paint; see `menu.py`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialog, QWidget

from merlet_desk.store.errors import StoreError
from merlet_desk.ui.common import dialogs
from merlet_desk.ui.context import DatabaseHost


def _tr(text: str) -> str:
    return QCoreApplication.translate("SafetyMenu", text)  # the menu's context: one for both


def make_backup_now(window: QWidget, host: DatabaseHost) -> None:
    from merlet_desk.store.backup import REASON_MANUAL, make_backup

    try:
        target = make_backup(host.db, host.db_path, REASON_MANUAL)
    except StoreError as exc:
        dialogs.show_error(window, _tr("Geen back-up gemaakt"), str(exc))
        return
    dialogs.show_info(
        window, _tr("Back-up gemaakt"), _tr("De back-up staat in:\n%1").replace("%1", str(target))
    )


def restore_preview_text(summary: Any) -> str:
    return (
        _tr(
            "Back-up van %1\nSchemaversie %2\nInhoud: %3\n\nDe huidige database wordt eerst als "
            "back-up bewaard en daarna vervangen door deze back-up. Doorgaan?"
        )
        .replace("%1", summary.made_at.strftime("%d-%m-%Y %H:%M"))
        .replace("%2", str(summary.schema_version))
        .replace("%3", summary.describe())
    )


def restore_backup(window: QWidget, host: DatabaseHost) -> None:
    from merlet_desk.store.backup import backup_summary, restore

    path = dialogs.choose_open_path(
        window,
        _tr("Back-up terugzetten"),
        _tr("Merlet Desk-back-up (*.sqlite);;Alle bestanden (*)"),
        kind="backup",
    )
    if path is None:
        return
    title = _tr("Back-up terugzetten")
    try:
        summary = backup_summary(path)
    except StoreError as exc:
        dialogs.show_error(window, title, str(exc))
        return
    verified = summary.verify  # backup_summary always verifies
    if verified is None or not verified.ok:
        dialogs.show_error(window, title, verified.summary() if verified else str(path))
        return
    if not dialogs.ask_yes_no(window, title, restore_preview_text(summary)):
        return
    try:
        result = restore(path, host.db_path)
    except StoreError as exc:
        dialogs.show_error(window, title, str(exc))
        return
    host.switch_database(host.db_path)  # reload every section from the restored file
    dialogs.show_info(
        window,
        title,
        _tr("De back-up van %1 is teruggezet. De vorige database is bewaard als:\n%2")
        .replace("%1", summary.made_at.strftime("%d-%m-%Y %H:%M"))
        .replace("%2", str(result.previous)),
    )


def verify_database(window: QWidget, host: DatabaseHost) -> None:
    from merlet_desk.store.verification import verify

    try:
        result = verify(host.db_path)
    except StoreError as exc:
        dialogs.show_error(window, _tr("Database controleren"), str(exc))
        return
    if result.ok:
        dialogs.show_info(window, _tr("Database controleren"), result.summary())
    else:
        dialogs.show_error(window, _tr("Database controleren"), result.summary())


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
