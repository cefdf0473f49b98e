"""The people involved in a case: role, a name or description, and an optional pupil number.

A handful of rows per case, so a QTableWidget with a role combo box per row will do. A pupil
number links the row to the pupil register; the register's name is shown, not typed again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from merlet_desk.domain.cases import ROLE_LABELS, ROLES, CasePerson
from merlet_desk.store.pupils import Pupil
from merlet_desk.ui.common.widgets import PupilPicker, cell_item, cell_text

PupilLookup = Callable[[str], "str | None"]
PupilChoices = Callable[[], "list[Pupil]"]


class PupilNumberDelegate(QStyledItemDelegate):
    """Edits the pupil number with the register's type-ahead (a number or part of a name,
    accents ignored: "ozturk" offers Öztürk); picking a suggestion (Enter, a click) keeps just
    the number and ends the edit."""

    def __init__(self, choices: PupilChoices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices = choices
        self._pupils: list[Pupil] | None = None

    def createEditor(  # noqa: N802 (Qt API)
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        if self._pupils is None:
            self._pupils = self.choices()
        editor = PupilPicker(self._pupils, parent, keeps_choice=True)
        editor.setClearButtonEnabled(False)
        editor.picked.connect(lambda pupil: self._picked(editor, pupil))
        editor.setPlaceholderText(self.tr("nummer of naam"))
        return editor

    def _picked(self, editor: PupilPicker, pupil: Pupil) -> None:
        editor.setText(pupil.number)
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)


ROLE_COLUMN, DESCRIPTION_COLUMN, NUMBER_COLUMN, REGISTER_COLUMN = range(4)


class PeopleEditor(QWidget):
    """Rows of (role, description, pupil number); `changed` on every edit."""

    changed = Signal()

    def __init__(
        self,
        lookup_pupil: PupilLookup,
        pupil_choices: PupilChoices = list,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.lookup_pupil = lookup_pupil
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Rol"),
                self.tr("Naam of omschrijving"),
                self.tr("Leerlingnummer"),
                self.tr("In leerlingregister"),
            ]
        )
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, as in the rest of the form
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(DESCRIPTION_COLUMN, QHeaderView.ResizeMode.Stretch)
        head.resizeSection(ROLE_COLUMN, 125)
        head.resizeSection(NUMBER_COLUMN, 105)
        head.resizeSection(REGISTER_COLUMN, 160)
        self.table.setMinimumHeight(110)
        self.table.setMaximumHeight(170)
        self.table.itemChanged.connect(self._item_changed)
        self.number_delegate = PupilNumberDelegate(pupil_choices, self.table)
        self.table.setItemDelegateForColumn(NUMBER_COLUMN, self.number_delegate)
        self.table.setAccessibleName(self.tr("Betrokkenen"))

        self.add_button = QPushButton(self.tr("Betrokkene t&oevoegen"))
        self.add_button.clicked.connect(self.add_empty_row)
        self.remove_button = QPushButton(self.tr("Betrokkene verwij&deren"))
        self.remove_button.clicked.connect(self.remove_current)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.setFocusProxy(self.table)

    def set_read_only(self, read_only: bool) -> None:
        self.add_button.setVisible(not read_only)
        self.remove_button.setVisible(not read_only)
        triggers = (
            QAbstractItemView.EditTrigger.NoEditTriggers
            if read_only
            else QAbstractItemView.EditTrigger.AllEditTriggers
        )
        self.table.setEditTriggers(triggers)
        for row in range(self.table.rowCount()):
            self._role_combo(row).setEnabled(not read_only)

    def _role_combo(self, row: int) -> QComboBox:
        combo = self.table.cellWidget(row, ROLE_COLUMN)
        assert isinstance(combo, QComboBox)  # add_person puts one in every row
        return combo

    def add_person(self, person: CasePerson) -> None:
        self.table.blockSignals(True)
        row = self.table.rowCount()
        self.table.insertRow(row)
        combo = QComboBox()
        for code in ROLES:
            combo.addItem(self.tr(ROLE_LABELS[code]), code)
        combo.setCurrentIndex(max(combo.findData(person.role), 0))
        combo.currentIndexChanged.connect(self.changed)
        self.table.setCellWidget(row, ROLE_COLUMN, combo)
        self.table.setItem(row, DESCRIPTION_COLUMN, QTableWidgetItem(person.description))
        self.table.setItem(row, NUMBER_COLUMN, QTableWidgetItem(person.pupil_number or ""))
        register = QTableWidgetItem()
        register.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.table.setItem(row, REGISTER_COLUMN, register)
        self._show_register(row)
        self.table.blockSignals(False)

    def add_empty_row(self) -> None:
        self.add_person(CasePerson("pupil", ""))
        row = self.table.rowCount() - 1
        self.table.setCurrentCell(row, DESCRIPTION_COLUMN)
        self.table.setFocus()
        self.changed.emit()

    def remove_current(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.changed.emit()

    def set_people(self, people: list[CasePerson]) -> None:
        self.table.setRowCount(0)
        for person in people:
            self.add_person(person)

    def people(self) -> list[CasePerson]:
        result = []
        for row in range(self.table.rowCount()):
            description = cell_text(self.table, row, DESCRIPTION_COLUMN).strip()
            number = cell_text(self.table, row, NUMBER_COLUMN).strip()
            if not description and not number:
                continue  # an empty row added by accident
            result.append(
                CasePerson(self._role_combo(row).currentData(), description, number or None)
            )
        return result

    def _show_register(self, row: int) -> None:
        number = cell_text(self.table, row, NUMBER_COLUMN).strip()
        item = cell_item(self.table, row, REGISTER_COLUMN)
        if not number:
            item.setText("")
            return
        found = self.lookup_pupil(number)
        item.setText(found or self.tr("niet gevonden"))
        item.setForeground(Qt.GlobalColor.black if found else Qt.GlobalColor.darkRed)

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == NUMBER_COLUMN:
            self.table.blockSignals(True)
            self._show_register(item.row())
            self.table.blockSignals(False)
        self.changed.emit()
