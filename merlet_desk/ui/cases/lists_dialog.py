"""Editing the category and platform lists of the case log.

A label can be changed; the code never changes (the CLI and reports use it). An entry that is
no longer wanted is retired, not deleted: cases that have it keep it, new cases cannot pick it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from merlet_desk.domain.text import slug
from merlet_desk.errors import InputError
from merlet_desk.store import cases as store
from merlet_desk.store.sqlite_utils_import import Database
from merlet_desk.ui.cases.widgets import ERROR_STYLE
from merlet_desk.ui.common.screen import fit_to_screen

CODE_ROLE = Qt.ItemDataRole.UserRole


def code_from_label(label: str) -> str:
    """A code for a new entry: "Discord-server" → "discord_server"."""
    return slug(label, "_")


class ListEditor(QWidget):
    """One editable list (categories or platforms)."""

    def __init__(self, db: Database, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.kind = kind  # "category" or "platform"
        self.changed = False
        self.list = QListWidget()
        self.list.currentItemChanged.connect(lambda *_: self._selected())
        self.label = QLineEdit()
        self.code = QLineEdit()
        self.code.setPlaceholderText(self.tr("wordt afgeleid van de omschrijving"))
        self.new_button = QPushButton(self.tr("&Nieuw"))
        self.new_button.clicked.connect(self.start_new)
        self.save_button = QPushButton(self.tr("&Opslaan"))
        self.save_button.clicked.connect(self.save)
        self.retire_button = QPushButton()
        self.retire_button.clicked.connect(self.toggle_retired)
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        form.addRow(self.tr("&Omschrijving"), self.label)
        form.addRow(self.tr("&Code"), self.code)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.save_button, self.retire_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.reload()

    def entries(self) -> list[store.ListEntry]:
        if self.kind == "category":
            return store.list_categories(self.db)
        return store.list_platforms(self.db)

    def reload(self, select: str | None = None) -> None:
        self.list.clear()
        for entry in self.entries():
            text = entry.label + (self.tr(" (niet meer in gebruik)") if entry.retired else "")
            item = QListWidgetItem(text)
            item.setData(CODE_ROLE, entry.code)
            if entry.retired:
                item.setForeground(QColor("#8a8a8a"))
            self.list.addItem(item)
            if entry.code == select:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None:
            self.start_new()

    def current_entry(self) -> store.ListEntry | None:
        item = self.list.currentItem()
        if item is None:
            return None
        code = item.data(CODE_ROLE)
        return next((e for e in self.entries() if e.code == code), None)

    def _selected(self) -> None:
        entry = self.current_entry()
        self.error.hide()
        if entry is None:
            return
        self.label.setText(entry.label)
        self.code.setText(entry.code)
        self.code.setReadOnly(True)
        self.retire_button.setEnabled(True)
        self.retire_button.setText(
            self.tr("&Weer gebruiken") if entry.retired else self.tr("&Niet meer gebruiken")
        )

    def start_new(self) -> None:
        self.list.blockSignals(True)
        self.list.setCurrentRow(-1)
        self.list.clearSelection()
        self.list.blockSignals(False)
        self.label.clear()
        self.code.clear()
        self.code.setReadOnly(False)
        self.retire_button.setText(self.tr("&Niet meer gebruiken"))
        self.retire_button.setEnabled(False)
        self.label.setFocus()

    def save(self) -> bool:
        code = self.code.text().strip() or code_from_label(self.label.text())
        saver = store.save_category if self.kind == "category" else store.save_platform
        try:
            saver(self.db, code, self.label.text())
        except InputError as exc:
            self.error.setText("\n".join(exc.problems) or exc.message)
            self.error.show()
            return False
        self.error.hide()
        self.changed = True
        self.reload(select=code)
        return True

    def toggle_retired(self) -> None:
        entry = self.current_entry()
        if entry is None:
            return
        retire = store.retire_category if self.kind == "category" else store.retire_platform
        retire(self.db, entry.code, not entry.retired)
        self.changed = True
        self.reload(select=entry.code)


class CaseListsDialog(QDialog):
    """Categories and platforms, each on a tab. `changed` tells whether anything was saved."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Categorieën en platforms"))
        self.categories = ListEditor(db, "category")
        self.platforms = ListEditor(db, "platform")
        tabs = QTabWidget()
        tabs.addTab(self.categories, self.tr("&Categorieën"))
        tabs.addTab(self.platforms, self.tr("&Platforms"))
        note = QLabel(
            self.tr(
                "Een onderdeel dat niet meer gebruikt wordt, blijft bij de incidenten die het al "
                "hebben; nieuwe incidenten kunnen het niet meer kiezen."
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color:#5a6b80;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("&Sluiten"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        fit_to_screen(self, 520, 520)

    @property
    def changed(self) -> bool:
        return self.categories.changed or self.platforms.changed
