"""Small widgets shared by the case list and the case editor."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QVBoxLayout, QWidget

ERROR_STYLE = "color:#b00020;"


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
