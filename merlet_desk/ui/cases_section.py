"""The Incidenten section: the case list, and the case editor in its place when a case opens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QStackedWidget, QWidget
from sqlite_utils import Database

from merlet_desk.ui.case_editor import CaseEditor
from merlet_desk.ui.case_list import CaseListView

if TYPE_CHECKING:
    from merlet_desk.ui.main_window import MainWindow


class CasesSection(QStackedWidget):
    """Page 0 the list, page 1 the editor."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window_ref = window
        self.db: Database = window.db
        self.read_only = window.read_only
        self.list_view = CaseListView(self.db, self.read_only)
        self.editor = CaseEditor(self.db, self.read_only, self._open_agreement)
        self.addWidget(self.list_view)
        self.addWidget(self.editor)
        self.list_view.openRequested.connect(self.open_case)
        self.list_view.newRequested.connect(self.new_case)
        self.editor.closeRequested.connect(self.show_list)
        self.editor.saved.connect(self._saved)
        self.editor.deleted.connect(self._deleted)
        self._connect_exports()

    def _open_agreement(self, number: int) -> None:
        self.window_ref.open_agreement(number)

    def open_case(self, reference: str) -> None:
        self.editor.load_case(reference)
        self.setCurrentWidget(self.editor)

    def new_case(self) -> None:
        if self.read_only:
            return
        self.editor.load_new()
        self.setCurrentWidget(self.editor)

    def show_list(self) -> None:
        self.setCurrentWidget(self.list_view)
        self.list_view.table.setFocus()

    def _saved(self, reference: str) -> None:
        self.list_view.refresh()
        if reference:
            self.list_view.select_reference(reference)

    def _deleted(self, _reference: str) -> None:
        self.list_view.refresh()
        self.show_list()

    def _connect_exports(self) -> None:
        """PDF export, when the reports engineer's case reports are present."""


def build(window: MainWindow) -> QWidget:
    return CasesSection(window)
