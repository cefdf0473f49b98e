"""The audit log viewer: who changed what and when, filtered by period, user, kind of record and
pupil (type-ahead, as everywhere), exported as CSV or as a letterhead PDF."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from merlet_desk import clock
from merlet_desk.domain.text import count_text
from merlet_desk.errors import OutputError
from merlet_desk.store.audit_query import (
    CSV_HEADER,
    KIND_LABELS,
    AuditEntry,
    AuditFilter,
    audit_entries,
    audit_kinds,
    audit_users,
    first_entry_day,
    write_audit_csv,
)
from merlet_desk.store.errors import StoreError
from merlet_desk.store.pupils import Pupil, list_pupils
from merlet_desk.store.sqlite_utils_import import Database
from merlet_desk.ui.common import dialogs
from merlet_desk.ui.common.empty_state import EmptyState
from merlet_desk.ui.common.rows import ROW_ROLE, SORT_ROLE, Column, RowModel
from merlet_desk.ui.common.screen import fit_to_screen
from merlet_desk.ui.common.widgets import DateField, PupilPicker, pupil_choice_text

ENTRY_ROLE = ROW_ROLE


def _tr(text: str) -> str:
    return QCoreApplication.translate("AuditLogDialog", text)


class AuditLogModel(RowModel[AuditEntry]):
    """One row per audit entry (newest first); sorts on the raw value (ISO time, id)."""

    def __init__(self, entries: list[AuditEntry] | None = None, parent: QWidget | None = None):
        super().__init__((), parent)
        self._texts: dict[int, tuple[str, ...]] = {}  # an entry's texts, by its id: read once
        self.set_columns(
            [
                Column(
                    _tr(title),
                    self._text_of(i),
                    sort_key=_stamp_key if i == 0 else None,
                    tooltip=self._tooltip_of(i),
                )
                for i, title in enumerate(CSV_HEADER)
            ]
        )
        self.set_entries(list(entries or []))

    def _text_of(self, column: int) -> Callable[[AuditEntry], str]:
        return lambda entry: self._texts[entry.id][column]

    def _tooltip_of(self, column: int) -> Callable[[AuditEntry], str | None] | None:
        if column < 5:
            return None
        return lambda entry: self._texts[entry.id][column] or None

    def set_entries(self, entries: list[AuditEntry]) -> None:
        self._texts = {entry.id: entry.row() for entry in entries}
        self.set_rows(entries)

    def entries(self) -> list[AuditEntry]:
        return self.rows()


def _stamp_key(entry: AuditEntry) -> str:
    return f"{entry.at}|{entry.id:012d}"


class AuditLogDialog(QDialog):
    """Filters on top, the table, and export buttons. Reads only: works in read-only mode."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(_tr("Auditlog"))
        fit_to_screen(self, 1100, 640)

        self.end_edit = DateField(clock.today())
        self.start_edit = DateField()
        self.start_edit.setDate(self.end_edit.date().addMonths(-1))
        self.user_combo = QComboBox()
        self.user_combo.addItem(_tr("Alle gebruikers"), None)
        for user in audit_users(db):
            self.user_combo.addItem(user, user)
        self.kind_combo = QComboBox()
        self.kind_combo.addItem(_tr("Alle soorten"), None)
        for kind in audit_kinds(db):
            self.kind_combo.addItem(_tr(KIND_LABELS.get(kind, kind)), kind)
        # Everything about one pupil (an access request, a complaint): by name or number,
        # also a pupil who has left.
        self.pupil: Pupil | None = None
        self.pupil_picker = PupilPicker(list_pupils(db, include_left=True), keeps_choice=True)
        self.pupil_picker.setPlaceholderText(_tr("Alle leerlingen — typ naam of nummer en kies"))
        self.pupil_picker.setAccessibleName(_tr("Leerling"))
        self.pupil_picker.picked.connect(self.set_pupil)
        self.pupil_picker.textChanged.connect(self._pupil_text_changed)

        filters = QFormLayout()
        period = QHBoxLayout()
        period.addWidget(self.start_edit)
        period.addWidget(QLabel(_tr("t/m")))
        period.addWidget(self.end_edit)
        period.addStretch(1)
        filters.addRow(_tr("Periode"), period)
        filters.addRow(_tr("Gebruiker"), self.user_combo)
        filters.addRow(_tr("Soort"), self.kind_combo)
        filters.addRow(_tr("Leerling"), self.pupil_picker)

        self.model = AuditLogModel(parent=self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName(_tr("Auditregels"))
        self.count_label = QLabel()

        self.csv_button = QPushButton(_tr("Exporteren als CSV…"))
        self.pdf_button = QPushButton(_tr("Exporteren als PDF…"))
        self.csv_button.clicked.connect(self.export_csv)
        self.pdf_button.clicked.connect(self.export_pdf)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.csv_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.pdf_button, QDialogButtonBox.ButtonRole.ActionRole)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        self.table_or_empty = EmptyState(self.table)
        layout.addWidget(self.table_or_empty, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(buttons)

        for edit in (self.start_edit, self.end_edit):
            edit.dateChanged.connect(self.refresh)
        self.user_combo.currentIndexChanged.connect(self.refresh)
        self.kind_combo.currentIndexChanged.connect(self.refresh)
        self.refresh()
        self.table.resizeColumnsToContents()

    def current_filter(self) -> AuditFilter:
        return AuditFilter(
            start=self.start_edit.value(),
            end=self.end_edit.value(),
            user=self.user_combo.currentData(),
            kind=self.kind_combo.currentData(),
            pupil=self.pupil.number if self.pupil is not None else None,
        )

    def set_pupil(self, pupil: Pupil | None) -> None:
        """Show only the entries about `pupil` (None: about anyone)."""
        self.pupil = pupil
        text = pupil_choice_text(pupil) if pupil is not None else ""
        if self.pupil_picker.text() != text:
            self.pupil_picker.setText(text)
        self.refresh()

    def _pupil_text_changed(self, text: str) -> None:
        """Emptying the box (or typing another name) lifts the pupil filter."""
        if self.pupil is not None and text != pupil_choice_text(self.pupil):
            self.pupil = None
            self.refresh()

    def refresh(self) -> None:
        self.model.set_entries(audit_entries(self.db, self.current_filter()))
        count = self.model.rowCount()
        self.count_label.setText(count_text(count, _tr("1 regel"), _tr("%1 regels")))
        self.csv_button.setEnabled(count > 0)
        self.pdf_button.setEnabled(count > 0)
        self.table_or_empty.sync(
            count,
            _tr("Geen wijzigingen bij deze periode, gebruiker, soort en leerling."),
            [(_tr("Alles tonen"), self.show_everything)],
        )

    def show_everything(self) -> None:
        """Every entry: from the first one to today, every user, every kind, every pupil."""
        day = first_entry_day(self.db)
        if day is not None:
            self.start_edit.set_value(day)
        self.end_edit.set_value(clock.today())
        self.user_combo.setCurrentIndex(0)
        self.kind_combo.setCurrentIndex(0)
        self.set_pupil(None)

    def visible_entries(self) -> list[AuditEntry]:
        """The entries in the order shown."""
        return [self.proxy.index(row, 0).data(ENTRY_ROLE) for row in range(self.proxy.rowCount())]

    def _suggested_name(self, extension: str) -> str:
        f = self.current_filter()
        return f"auditlog-{f.start or clock.today():%Y%m%d}-{f.end or clock.today():%Y%m%d}.{extension}"

    def export_csv(self) -> None:
        path = dialogs.choose_output_path(
            self,
            _tr("Auditlog exporteren"),
            self._suggested_name("csv"),
            _tr("CSV-bestand (*.csv)"),
        )
        if path is None:
            return
        try:
            write_audit_csv(self.visible_entries(), path, db_path=dialogs.database_of(self))
        except (OutputError, StoreError) as exc:
            dialogs.show_error(self, _tr("Niet geëxporteerd"), str(exc))

    def export_pdf(self) -> None:
        from merlet_desk.reports.audit_log import build_audit_pdf

        path = dialogs.choose_output_path(
            self,
            _tr("Auditlog als PDF"),
            self._suggested_name("pdf"),
            _tr("PDF-bestand (*.pdf)"),
        )
        if path is None:
            return
        try:
            build_audit_pdf(self.visible_entries(), self.current_filter(), path)
        except (OutputError, StoreError) as exc:
            dialogs.show_error(self, _tr("Niet geëxporteerd"), str(exc))
