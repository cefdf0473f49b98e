"""Small widgets shared by the case list and the case editor."""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from merlet_desk.domain.cases import parse_user_date
from merlet_desk.domain.dates import format_date

ERROR_STYLE = "color:#b00020;"


class DateField(QLineEdit):
    """A date typed as 24-11-2026 (or 2026-11-24); empty means no date."""

    dateChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(QCoreApplication.translate("DateField", "dd-mm-jjjj"))
        self.setMinimumWidth(100)
        self.setMaximumWidth(120)
        self.textChanged.connect(lambda _text: self.dateChanged.emit())

    def set_date(self, value: date | None) -> None:
        self.setText(format_date(value))

    def value(self) -> date | None:
        """The date, None when empty; ValueError (Dutch) when the text is no date."""
        text = self.text().strip()
        return parse_user_date(text) if text else None

    def value_or_none(self) -> date | None:
        try:
            return self.value()
        except ValueError:
            return None

    def is_valid(self) -> bool:
        try:
            self.value()
        except ValueError:
            return False
        return True


class FieldWithError(QWidget):
    """A field with its validation message right below it (hidden while there is none)."""

    def __init__(self, field: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # messages may quote user input
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(field)
        layout.addWidget(self.error)
        self.setFocusProxy(field)

    def set_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))


def plain_tooltip(text: str) -> str:
    """A tooltip that shows user text as typed: Qt would render `<b>Jan</b>` as bold."""
    return "<p style='white-space:pre-wrap'>" + html.escape(text) + "</p>" if text else ""


def fill_combo(
    combo: QComboBox, entries: list[tuple[str, str]], *, empty_label: str | None = None
) -> None:
    """Items (label, code); `empty_label` adds a first item with code "" (e.g. "Alle")."""
    combo.clear()
    if empty_label is not None:
        combo.addItem(empty_label, "")
    for code, label in entries:
        combo.addItem(label, code)


def select_code(combo: QComboBox, code: str | None) -> None:
    index = combo.findData(code or "")
    combo.setCurrentIndex(max(index, 0))
