"""Managing purposes: rename, aliases, add, retire (a retired purpose keeps its history)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from merlet_desk.errors import InputError
from merlet_desk.store import purposes as purpose_store
from merlet_desk.store.purposes import Purpose
from merlet_desk.store.sqlite_utils_import import Database
from merlet_desk.ui.consent.dialog_parts import ERROR_STYLE


class PurposesDialog(QDialog):
    """Rename, add and retire purposes. A retired purpose keeps its history. Emits `changed`."""

    changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(self.tr("Doelen beheren"))
        self.setMinimumWidth(560)
        intro = QLabel(
            self.tr(
                "Waarvoor vraagt de school toestemming? De code blijft altijd gelijk (die "
                "gebruikt de opdrachtregel); de naam ziet iedereen. Een doel dat buiten gebruik "
                "is, houdt zijn geschiedenis."
            )
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.currentRowChanged.connect(self._on_select)
        self.label = QLineEdit()
        self.label.setPlaceholderText(self.tr("Naam van het doel"))
        self.rename_button = QPushButton(self.tr("Naam wijzigen"))
        self.rename_button.clicked.connect(self.rename)
        self.retire_button = QPushButton(self.tr("Buiten gebruik stellen"))
        self.retire_button.clicked.connect(self.toggle_retired)
        # What Magister's or SOMtoday's export calls this purpose: a column with one of these
        # headers is read as this purpose when consents are imported.
        self.aliases = QLineEdit()
        self.aliases.setPlaceholderText(self.tr("bijv. Toestemming website; Schoolwebsite"))
        self.aliases.setAccessibleName(self.tr("Andere namen van het doel"))
        self.aliases_button = QPushButton(self.tr("Andere namen opslaan"))
        self.aliases_button.clicked.connect(self.save_aliases)
        self.new_code = QLineEdit()
        self.new_code.setPlaceholderText(self.tr("code, bijv. open_dag"))
        self.new_label = QLineEdit()
        self.new_label.setPlaceholderText(self.tr("naam, bijv. Open dag"))
        self.add_button = QPushButton(self.tr("Doel toevoegen"))
        self.add_button.clicked.connect(self.add)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()

        edit_row = QHBoxLayout()
        edit_row.addWidget(self.label, 1)
        edit_row.addWidget(self.rename_button)
        edit_row.addWidget(self.retire_button)
        aliases_row = QHBoxLayout()
        aliases_row.addWidget(self.aliases, 1)
        aliases_row.addWidget(self.aliases_button)
        aliases_note = QLabel(
            self.tr(
                "Andere namen: hoe de export van het ouderportaal (Magister, SOMtoday) de vraag "
                "noemt, gescheiden door een puntkomma. Een kolom met zo'n kop wordt bij het "
                "importeren als dit doel gelezen."
            )
        )
        aliases_note.setWordWrap(True)
        aliases_note.setStyleSheet("color:#4d5966;")
        add_row = QHBoxLayout()
        add_row.addWidget(self.new_code)
        add_row.addWidget(self.new_label, 1)
        add_row.addWidget(self.add_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Sluiten"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addLayout(edit_row)
        layout.addWidget(aliases_note)
        layout.addLayout(aliases_row)
        new_title = QLabel(self.tr("Nieuw doel:"))
        new_title.setStyleSheet("font-weight:600;")
        layout.addWidget(new_title)
        layout.addLayout(add_row)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.reload()

    def reload(self, select_code: str | None = None) -> None:
        self.purposes = purpose_store.list_purposes(self.db, include_retired=True)
        self.list.clear()
        for purpose in self.purposes:
            text = f"{purpose.label}  ({purpose.code})"
            if purpose.retired:
                text += self.tr(" — buiten gebruik")
            item = QListWidgetItem(text)
            if purpose.retired:
                item.setForeground(Qt.GlobalColor.gray)
            self.list.addItem(item)
        codes = [p.code for p in self.purposes]
        self.list.setCurrentRow(codes.index(select_code) if select_code in codes else 0)

    def selected(self) -> Purpose | None:
        row = self.list.currentRow()
        return self.purposes[row] if 0 <= row < len(self.purposes) else None

    def _on_select(self, row: int) -> None:
        purpose = self.selected()
        self.label.setText(purpose.label if purpose else "")
        self.aliases.setText("; ".join(purpose.aliases) if purpose else "")
        self.retire_button.setText(
            self.tr("Weer in gebruik nemen")
            if purpose and purpose.retired
            else self.tr("Buiten gebruik stellen")
        )

    def _run(self, action: object, select_code: str | None) -> bool:
        try:
            action()  # type: ignore[operator]
        except InputError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return False
        self.error.hide()
        self.reload(select_code)
        self.changed.emit()
        return True

    def rename(self) -> bool:
        purpose = self.selected()
        if purpose is None:
            return False
        label = self.label.text().strip()
        return self._run(
            lambda: purpose_store.rename_purpose(self.db, purpose.code, label), purpose.code
        )

    def save_aliases(self) -> bool:
        purpose = self.selected()
        if purpose is None:
            return False
        names = [name.strip() for name in self.aliases.text().split(";")]
        return self._run(
            lambda: purpose_store.set_purpose_aliases(self.db, purpose.code, names), purpose.code
        )

    def toggle_retired(self) -> bool:
        purpose = self.selected()
        if purpose is None:
            return False
        return self._run(
            lambda: purpose_store.retire_purpose(
                self.db, purpose.code, retired=not purpose.retired
            ),
            purpose.code,
        )

    def add(self) -> bool:
        code, label = self.new_code.text().strip(), self.new_label.text().strip()
        if self._run(lambda: purpose_store.add_purpose(self.db, code, label), code):
            self.new_code.clear()
            self.new_label.clear()
            return True
        return False
