"""An empty list says in one line what would fill it, with the button for it.

`EmptyState` holds a list (a table or tree) and, in its place while the list has no rows, a
sentence with buttons: "Nog geen leerlingen. Importeer ze uit Magister of SOMtoday."
[Leerlingen importeren…]. A list that a filter emptied says so and offers to clear it.

    self.empty = EmptyState(self.table)
    layout.addWidget(self.empty, 1)
    ...
    self.empty.sync(rows, self.tr("Nog geen …"), [(self.tr("Nieuw …"), self.new_item)])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from merlet_desk.ui.common.flow_layout import WrapLayout

Action = tuple[str, Callable[[], object]]


class EmptyState(QStackedWidget):
    """The list, or a sentence with buttons while it is empty."""

    def __init__(
        self, view: QWidget, parent: QWidget | None = None, *, button_style: str = ""
    ) -> None:
        """`button_style`: a style sheet for the sentence's page (its buttons), as the section
        gives its own buttons."""
        super().__init__(parent)
        self.view = view
        self.page = QWidget()
        if button_style:
            self.page.setStyleSheet(button_style)
        self.message = QLabel()
        self.message.setWordWrap(True)
        # By name, not Qt.TextFormat and Qt.AlignmentFlag: a section shown at start-up is
        # painted before PySide6 builds its Qt namespace (ui/common/qt_namespace.py).
        self.message.setProperty("textFormat", "PlainText")
        self.message.setProperty("alignment", "AlignCenter")
        self.message.setStyleSheet("color:#3c4650; font-size:12pt;")
        self.buttons: list[QPushButton] = []
        self._row = WrapLayout()  # the stretches beside and above it take the spare room
        centred = QWidget()
        centred.setLayout(self._row)
        layout = QVBoxLayout(self.page)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addStretch(1)
        self.message.setMaximumWidth(720)  # a line a reader can follow, centred
        middle = QHBoxLayout()
        middle.addStretch(1)
        middle.addWidget(self.message, 100)
        middle.addStretch(1)
        layout.addLayout(middle)
        below = QHBoxLayout()  # the buttons centred under the sentence
        below.addStretch(1)
        below.addWidget(centred)
        below.addStretch(1)
        layout.addLayout(below)
        layout.addStretch(2)
        self.addWidget(view)
        self.addWidget(self.page)

    @property
    def showing_empty(self) -> bool:
        return self.currentWidget() is self.page

    def sync(self, rows: int, text: str, actions: Sequence[Action] = ()) -> None:
        """Show the list when it has rows, else `text` with a button per action."""
        if rows:
            self.setCurrentWidget(self.view)
            return
        self.message.setText(text)
        for button in self.buttons:
            self._row.removeWidget(button)
            button.hide()  # gone from the screen now, deleted by the event loop
            button.deleteLater()
        self.buttons = []
        for label, action in actions:
            button = QPushButton(label)
            button.clicked.connect(lambda _checked=False, act=action: act())
            self._row.addWidget(button)
            self.buttons.append(button)
        self.setCurrentWidget(self.page)
