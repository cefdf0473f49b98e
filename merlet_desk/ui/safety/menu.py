"""The "Extra" menu: backup, restore (with a preview), verify, audit log, retention purge.

The main window calls `build_extra_menu(window)`. Restore and purge change the database and
are disabled in read-only mode; backup, verify and the audit log only read.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from merlet_desk.domain.text import count_text
from merlet_desk.store import StoreError
from merlet_desk.ui.common import dialogs
from merlet_desk.ui.common.screen import fit_to_screen
from merlet_desk.ui.safety.audit_view import FlatTableModel

if TYPE_CHECKING:  # the purge code loads when the dialog opens, not with the menu
    from merlet_desk.store.retention import Candidate

_Index = QModelIndex | QPersistentModelIndex
log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("SafetyMenu", text)


def build_extra_menu(window: QMainWindow) -> QMenu:
    """Add the "Extra" menu to `window` (a MainWindow) and return it."""
    menu = window.menuBar().addMenu(_tr("E&xtra"))
    actions: dict[str, QAction] = {}

    def add(key: str, text: str, handler: Any, edits: bool) -> None:
        action = QAction(text, window)
        action.triggered.connect(lambda _checked=False: handler(window))
        action.setEnabled(not (edits and window.read_only))
        if edits and window.read_only:
            action.setToolTip(_tr("Niet beschikbaar: de database is alleen-lezen geopend."))
        menu.addAction(action)
        actions[key] = action

    add("backup", _tr("Back-up &maken"), make_backup_now, edits=False)
    add("restore", _tr("Back-up &terugzetten…"), restore_backup, edits=True)
    add("verify", _tr("Database &controleren"), verify_database, edits=False)
    menu.addSeparator()
    add("audit", _tr("&Auditlog…"), open_audit_log, edits=False)
    add("purge", _tr("Leerlingen &opschonen…"), open_purge_dialog, edits=True)
    menu.setProperty("safety_actions", list(actions))
    window.safety_actions = actions
    return menu


# -- actions ----------------------------------------------------------------------------------


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


def open_audit_log(window: Any) -> QDialog:
    from merlet_desk.ui.safety.audit_view import AuditLogDialog

    dialog = AuditLogDialog(window.db, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def open_purge_dialog(window: Any) -> QDialog:
    dialog = PurgeDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


# -- retention purge dialog -------------------------------------------------------------------

PURGE_HEADER = ("Leerlingnummer", "Naam", "Klas", "Locatie", "Vertrokken", "Besluiten")


class CandidateModel(FlatTableModel):
    HEADER = PURGE_HEADER
    CONTEXT = "SafetyMenu"

    def __init__(self, candidates: list[Candidate], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.candidates = list(candidates)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.candidates)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        c = self.candidates[index.row()]
        values = (
            c.number,
            c.name,
            c.class_name,
            c.location,
            c.left_on.strftime("%d-%m-%Y"),
            str(c.decisions),
        )
        return values[index.column()]


class PurgeDialog(QDialog):
    """Shows who will be purged and what happens, asks, then purges (all or nothing)."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle(_tr("Leerlingen opschonen"))
        fit_to_screen(self, 760, 480)
        self.model = CandidateModel([], self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.years = QSpinBox()
        self.years.setRange(1, 20)
        self.years.setSuffix(_tr(" jaar na vertrek"))
        from merlet_desk.store.retention import retention_years

        self.years.setValue(max(retention_years(window.db), 1))
        self.years.setEnabled(not window.read_only)
        self.years.setAccessibleName(_tr("Bewaartermijn"))
        self.years.valueChanged.connect(self.change_years)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.purge_button = QPushButton(_tr("Opschonen"))
        self.purge_button.clicked.connect(self.confirm_and_purge)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(self.purge_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(_tr("Bewaartermijn"), self.years)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.explanation)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.refresh()

    def change_years(self, years: int) -> None:
        """The retention period is a setting of the register (audited), not of this dialog."""
        from merlet_desk.store.retention import RETENTION_SETTING
        from merlet_desk.store.settings import set_setting

        set_setting(self.window_.db, RETENTION_SETTING, int(years))
        self.refresh()

    def refresh(self) -> None:
        from merlet_desk.store.retention import purge_candidates, retention_years

        self.candidates = purge_candidates(self.window_.db)
        self.model.beginResetModel()
        self.model.candidates = list(self.candidates)
        self.model.endResetModel()
        self.table.resizeColumnsToContents()
        years = retention_years(self.window_.db)
        if self.candidates:
            text = count_text(
                len(self.candidates),
                _tr("1 leerling is langer dan %2 jaar geleden van school gegaan."),
                _tr("%1 leerlingen zijn langer dan %2 jaar geleden van school gegaan."),
            ) + _tr(
                " Opschonen verwijdert de persoonsgegevens en toestemmingsbesluiten. In "
                "incidenten blijft een anonieme verwijzing staan; in het auditlog blijft alleen "
                "staan dat er iets is vastgelegd, en één regel met aantallen. Dit kan niet "
                "ongedaan gemaakt worden (behalve met een oudere back-up)."
            )
        else:
            text = _tr("Er zijn geen leerlingen die langer dan %2 jaar geleden vertrokken zijn.")
        self.explanation.setText(text.replace("%2", str(years)))
        self.purge_button.setEnabled(bool(self.candidates) and not self.window_.read_only)

    def confirm_and_purge(self) -> bool:
        title = _tr("Leerlingen opschonen")
        question = count_text(
            len(self.candidates),
            _tr("1 leerling definitief verwijderen?"),
            _tr("%1 leerlingen definitief verwijderen?"),
        )
        if not dialogs.ask_yes_no(self, title, question):
            return False
        from merlet_desk.store.retention import describe_purge, purge

        try:
            counts = purge(self.window_.db, [c.pupil_id for c in self.candidates])
        except Exception as exc:  # noqa: BLE001 - the transaction rolled back; say why
            log.error("Opschonen mislukt; niets verwijderd", exc_info=True)
            dialogs.show_error(
                self, title, _tr("Er is niets verwijderd: %1").replace("%1", str(exc))
            )
            return False
        dialogs.show_info(
            self,
            title,
            describe_purge(counts),
        )
        if hasattr(self.window_, "switch_database"):
            self.window_.switch_database(self.window_.db_path)  # reload every section
        self.accept()
        return True
