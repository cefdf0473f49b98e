"""The Incidenten section: the case list, and the case editor in its place when a case opens."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStackedWidget, QWidget

from merlet_desk import clock
from merlet_desk.store.sqlite_utils_import import Database
from merlet_desk.ui.cases.editor import CaseEditor
from merlet_desk.ui.cases.list_view import CaseListView
from merlet_desk.ui.common import dialogs
from merlet_desk.ui.context import SectionContext


class CasesSection(QStackedWidget):  # the `Section` protocol in full: the editor keeps edits
    """Page 0 the list, page 1 the editor."""

    def __init__(self, context: SectionContext) -> None:
        super().__init__()
        self.context = context
        self.db: Database = context.db
        self.read_only = context.read_only
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

    def has_unsaved_changes(self) -> bool:
        """True while the editor holds changes that are not saved (for the main window to ask
        before it closes or switches database)."""
        return self.currentWidget() is self.editor and self.editor.dirty and not self.read_only

    def unsaved_changes_question(self) -> str:
        case = self.editor.case
        if case is not None and case.reference:
            return self.tr("De wijzigingen in incident %1 zijn nog niet opgeslagen.").replace(
                "%1", case.reference
            )
        return self.tr("Het nieuwe incident is nog niet opgeslagen.")

    def save_changes(self) -> bool:
        """Save the open case; False (with the problems shown in the editor) when it cannot."""
        return self.editor.save()

    def discard_changes(self) -> None:
        self.editor.dirty = False

    def _open_agreement(self, number: int) -> None:
        self.context.open_agreement(number)

    def _leave_editor(self) -> bool:
        """Before another case or the list replaces an open editor (from the start screen):
        ask about unsaved changes; False when the officer stays."""
        return self.currentWidget() is not self.editor or self.editor.request_close()

    def open_case(self, reference: str) -> None:
        if self.currentWidget() is self.editor and self.editor.reference() == reference:
            return
        if not self._leave_editor():
            return
        self.editor.load_case(reference)
        self.setCurrentWidget(self.editor)

    def show_active_cases(self) -> None:
        """The list of active cases, the one waiting longest first (from the start screen)."""
        if not self._leave_editor():
            return
        self.show_list()
        self.list_view.show_active()

    def new_case(self) -> None:
        if self.read_only:
            return
        self.editor.load_new()
        self.setCurrentWidget(self.editor)

    def focus_search(self) -> None:
        """Ctrl+F: the list's search (not while a case is open in the editor)."""
        if self.currentWidget() is self.editor:
            return
        self.list_view.text.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.list_view.text.selectAll()

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
        """PDF export of a single case (editor) and of the overview per location (list)."""
        self.editor.export_button.show()
        self.list_view.export_button.show()
        self.list_view.export_button.setToolTip(
            self.tr(
                "Overzicht van de gekozen locatie en periode: aantallen per categorie en "
                "maand, en de lijst van incidenten."
            )
        )
        self.editor.exportRequested.connect(self.export_case)
        self.list_view.exportRequested.connect(self.export_overview)

    def export_case(self, reference: str | None = None) -> Path | None:
        """Save the open case as a letterhead PDF (after saving pending changes)."""
        from merlet_desk.reports.case import build_case_report
        from merlet_desk.ui.common import export

        reference = reference or self.editor.reference()
        if not reference:
            return None
        if self.editor.dirty and not self.read_only:
            if not dialogs.ask_yes_no(
                self,
                self.tr("Niet opgeslagen"),
                self.tr(
                    "Het incident heeft wijzigingen die nog niet zijn opgeslagen. Eerst opslaan?"
                ),
            ):
                return None
            if not self.editor.save():
                return None
        db = self.db
        return export.export_report(
            self,
            self.tr("Incident %1").replace("%1", reference),
            f"incident-{reference}.pdf",
            lambda db, path: build_case_report(db, path, reference=reference),
            db,
        )

    def overview_period(self) -> tuple[str | None, date, date]:
        """(location, from, to) for the overview: the list's filter, the period filled in from
        the cases shown when the filter leaves it open."""
        case_filter = self.list_view.current_filter()
        date_to = case_filter.date_to or clock.today()
        rows = self.list_view.model.rows()
        earliest = min((row.incident_date for row in rows), default=date(date_to.year, 1, 1))
        date_from = case_filter.date_from or min(earliest, date_to)
        return case_filter.location, date_from, date_to

    def export_overview(self) -> Path | None:
        """Save the case overview of the chosen location (none chosen: all locations) and
        period as a letterhead PDF."""
        from merlet_desk.reports.case_overview import build_case_overview
        from merlet_desk.ui.common import export

        location, date_from, date_to = self.overview_period()
        location = location or None  # no location chosen: all locations, grouped per location
        if date_from > date_to:
            dialogs.show_error(
                self, self.tr("Periode"), self.tr("De periode eindigt voordat ze begint.")
            )
            return None
        db = self.db
        return export.export_report(
            self,
            self.tr("Incidenten %1").replace("%1", location or self.tr("alle locaties")),
            f"incidenten-{(location or 'alle-locaties').lower()}-{date_from.isoformat()}-"
            f"{date_to.isoformat()}.pdf",
            lambda db, path: build_case_overview(
                db, path, location=location, date_from=date_from, date_to=date_to
            ),
            db,
        )


def build(context: SectionContext) -> QWidget:
    return CasesSection(context)
