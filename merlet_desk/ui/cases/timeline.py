"""The timeline of a case: dated follow-up steps with author, and a row to add one."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from merlet_desk import clock
from merlet_desk.domain.cases import TIMELINE_KINDS
from merlet_desk.domain.dates import format_date
from merlet_desk.errors import InputError
from merlet_desk.store import cases as store
from merlet_desk.store.sqlite_utils_import import Database
from merlet_desk.ui.cases.widgets import ERROR_STYLE, plain_tooltip
from merlet_desk.ui.common.empty_state import EmptyState
from merlet_desk.ui.common.widgets import TypedDateField as DateField
from merlet_desk.ui.common.widgets import top_level_items


class TimelinePanel(QWidget):
    """Shows the steps of one case, oldest first; adds a step (emits `entryAdded`)."""

    entryAdded = Signal()
    stepAdded = Signal(str, object)  # kind, date: the editor's informed fields follow it

    def __init__(self, db: Database, read_only: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.read_only = read_only
        self.case_id: int | None = None
        heading = QLabel(self.tr("Tijdlijn"))
        heading.setStyleSheet("font-weight:600; color:#1f3a5f;")
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(
            [self.tr("Datum"), self.tr("Stap"), self.tr("Toelichting"), self.tr("Door")]
        )
        self.tree.setRootIsDecorated(False)
        self.tree.setColumnWidth(0, 85)
        self.tree.setColumnWidth(1, 150)
        self.tree.setColumnWidth(3, 70)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.tree.setAccessibleName(self.tr("Tijdlijn"))

        self.entry_date = DateField()
        self.entry_date.setAccessibleName(self.tr("Datum van de stap"))
        self.kind = QComboBox()
        for code, label in TIMELINE_KINDS:
            self.kind.addItem(self.tr(label), code)
        self.kind.setAccessibleName(self.tr("Soort stap"))
        self.text = QLineEdit()
        self.text.setPlaceholderText(self.tr("Toelichting"))
        self.text.returnPressed.connect(self.add_entry)
        self.add_button = QPushButton(self.tr("Stap toe&voegen"))
        self.add_button.clicked.connect(self.add_entry)
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.hint = QLabel(self.tr("Sla het incident eerst op; daarna kunt u stappen toevoegen."))
        self.hint.setStyleSheet("color:#5a6b80;")

        self.add_row = QWidget()
        row = QGridLayout(self.add_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.entry_date, 0, 0)
        row.addWidget(self.kind, 0, 1)
        row.addWidget(self.add_button, 0, 2)
        row.addWidget(self.text, 1, 0, 1, 3)
        row.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading)
        self.tree_or_empty = EmptyState(self.tree)
        layout.addWidget(self.tree_or_empty, 1)
        layout.addWidget(self.add_row)
        layout.addWidget(self.error)
        layout.addWidget(self.hint)
        self.set_case(None)

    def set_case(self, case_id: int | None) -> None:
        self.case_id = case_id
        self.entry_date.set_date(clock.today())
        self.text.clear()
        self.error.hide()
        self.add_row.setVisible(not self.read_only and case_id is not None)
        self.hint.setVisible(not self.read_only and case_id is None)
        self.reload()

    def reload(self) -> None:
        self.tree.clear()
        if self.case_id is None:
            self.tree_or_empty.sync(1, "")
            return
        for entry in store.list_timeline(self.db, self.case_id):
            item = QTreeWidgetItem(
                [format_date(entry.entry_date), self.tr(entry.kind_label), entry.text, entry.author]
            )
            item.setToolTip(2, plain_tooltip(entry.text))
            item.setToolTip(3, self.tr("Vastgelegd op %1").replace("%1", entry.created_at))
            self.tree.addTopLevelItem(item)
        self.tree_or_empty.sync(
            self.tree.topLevelItemCount(),
            self.tr("Nog geen stappen. Voeg hieronder de eerste toe: een gesprek, een maatregel…")
            if not self.read_only
            else self.tr("Nog geen stappen vastgelegd."),
        )

    def entries_shown(self) -> list[tuple[str, str, str]]:
        return [(item.text(0), item.text(1), item.text(2)) for item in top_level_items(self.tree)]

    def add_entry(self) -> bool:
        if self.case_id is None or self.read_only:
            return False
        try:
            when = self.entry_date.value()
            if when is None:
                raise InputError(
                    self.tr("De stap is niet toegevoegd."), [self.tr("Vul een datum in.")]
                )
            kind = self.kind.currentData()
            store.add_timeline_entry(self.db, self.case_id, when, kind, self.text.text())
        except ValueError as exc:  # InputError is a ValueError too
            problems = getattr(exc, "problems", None) or [str(exc)]
            self.error.setText("\n".join(problems))
            self.error.show()
            return False
        self.error.hide()
        self.text.clear()
        self.reload()
        self.stepAdded.emit(kind, when)
        self.entryAdded.emit()
        return True
