"""What the "Extra" menu does: backup, restore (with a preview), verify, the audit log and the
retention purge. Loaded when an action is first used (issue 18: the menu itself is built before
the window's first paint; see `menu.py`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialog

from merlet_desk.store.errors import StoreError
from merlet_desk.ui.common import dialogs


def _tr(text: str) -> str:
    return QCoreApplication.translate("SafetyMenu", text)  # the menu's context: one for both


def make_backup_now(window: Any) -> None:
    from merlet_desk.store.backup import REASON_MANUAL, make_backup

    try:
        target = make_backup(window.db, window.db_path, REASON_MANUAL)
    except StoreError as exc:
        dialogs.show_error(window, _tr("Geen back-up gemaakt"), str(exc))
        return
    dialogs.show_info(
        window, _tr("Back-up gemaakt"), _tr("De back-up staat in:\n%1").replace("%1", str(target))
    )


def restore_preview_text(summary: Any) -> str:
    from merlet_desk.ui.launch import describe_counts

    return (
        _tr(
            "Back-up van %1\nSchemaversie %2\nInhoud: %3\n\nDe huidige database wordt eerst als "
            "back-up bewaard en daarna vervangen door deze back-up. Doorgaan?"
        )
        .replace("%1", summary.made_at.strftime("%d-%m-%Y %H:%M"))
        .replace("%2", str(summary.schema_version))
        .replace("%3", describe_counts(summary.counts))
    )


def restore_backup(window: Any) -> None:
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
    if not summary.verify.ok:
        dialogs.show_error(window, title, summary.verify.summary())
        return
    if not dialogs.ask_yes_no(window, title, restore_preview_text(summary)):
        return
    try:
        result = restore(path, window.db_path)
    except StoreError as exc:
        dialogs.show_error(window, title, str(exc))
        return
    window.switch_database(window.db_path)  # reload every section from the restored file
    dialogs.show_info(
        window,
        title,
        _tr("De back-up van %1 is teruggezet. De vorige database is bewaard als:\n%2")
        .replace("%1", summary.made_at.strftime("%d-%m-%Y %H:%M"))
        .replace("%2", str(result.previous)),
    )


def verify_database(window: Any) -> None:
    from merlet_desk.store.integrity import verify

    try:
        result = verify(window.db_path)
    except StoreError as exc:
        dialogs.show_error(window, _tr("Database controleren"), str(exc))
        return
    if result.ok:
        dialogs.show_info(window, _tr("Database controleren"), result.summary())
    else:
        dialogs.show_error(window, _tr("Database controleren"), result.summary())


def encrypt_database(window: Any) -> None:
    """Extra › Versleutelen…: the same offer as Start's (`ui/common/encryption.py`)."""
    from merlet_desk.ui.common.encryption import offer_encryption

    offer_encryption(window)


def open_audit_log(window: Any) -> QDialog:
    from merlet_desk.ui.safety.audit_view import AuditLogDialog

    dialog = AuditLogDialog(window.db, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def open_purge_dialog(window: Any) -> QDialog:
    from merlet_desk.ui.safety.purge import PurgeDialog

    dialog = PurgeDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
