"""The Toestemmingen section: the consent register (pupils × purposes), reminders, and the way
into recording decisions, form entry, the publication check, pupils, purposes and imports.

The grid is a `RegisterModel` loaded once from `store.statuses.register_statuses`; every filter
works on the proxy, so nothing is re-queried while the user types or picks a class.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QModelIndex, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QHeaderView,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from merlet_desk import clock
from merlet_desk.domain.dates import format_date
from merlet_desk.domain.text import count_text, number_text
from merlet_desk.ui.common.after_paint import after_paint
from merlet_desk.ui.common.empty_state import EmptyState
from merlet_desk.ui.common.qt_namespace import Qt
from merlet_desk.ui.consent.model import (
    COL_CLASS,
    FIXED_COLUMNS,
    RegisterModel,
    RegisterProxy,
    RegisterRow,
)
from merlet_desk.ui.consent.register_filters import RegisterFilters
from merlet_desk.ui.consent.register_toolbar import RegisterToolbar
from merlet_desk.ui.consent.widgets import Legend
from merlet_desk.ui.context import NothingUnsaved, SectionContext

# The dialogs and the store modules they write with load when first used: the window that
# reopens here shows sooner. The register itself is read on a worker.
if TYPE_CHECKING:
    from merlet_desk.store.pupils import Pupil
    from merlet_desk.store.purposes import Purpose
    from merlet_desk.store.sqlite_utils_import import Database
    from merlet_desk.ui.common.tasks import Task
    from merlet_desk.ui.consent.check import PublicationCheckDialog
    from merlet_desk.ui.consent.decision_dialog import DecisionDialog
    from merlet_desk.ui.consent.form_entry import FormEntryDialog
    from merlet_desk.ui.consent.pupil_dialog import PupilDialog
    from merlet_desk.ui.consent.purposes_dialog import PurposesDialog
    from merlet_desk.ui.consent.register_imports import RegisterImports
    from merlet_desk.ui.consent.reminders import RemindersView
    from merlet_desk.ui.consent.settings_dialog import ConsentSettingsDialog

log = logging.getLogger(__name__)

TOOLBAR_STYLE = "QPushButton, QToolButton { padding: 4px 10px; }"
# A reload that takes longer than this says so beside the rows it still shows (a school
# board's register takes about 2 s; a school's is back before the user would read it).
SAY_RELOADING_AFTER_MS = 300


def register_rows(db: Database, on: date) -> list[RegisterRow]:
    """Every pupil's row of the register on `on`, on the worker: the rows' search and sort
    keys are made there too, which is most of filling the model (0.3 s at 20,000 pupils) and
    would otherwise hold up the GUI thread."""
    from merlet_desk.store.statuses import register_statuses

    return [RegisterRow.of(pupil, statuses) for pupil, statuses in register_statuses(db, on)]


def read_register(db: Database, on: date) -> tuple[list[RegisterRow], list[Purpose]]:
    """The rows and the purposes (the columns), on the worker."""
    from merlet_desk.store.purposes import list_purposes

    return register_rows(db, on), list_purposes(db)


@contextmanager
def busy_cursor() -> Iterator[None]:
    """An hourglass while the rows fill the table or the reminders load (a few hundred ms)."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


class ConsentSection(QWidget, NothingUnsaved):
    """The register tab and the reminders tab. `context` gives db, read_only and the parent for
    dialogs. Each method that opens a dialog returns it; the dialogs are children of this
    section (or of the dialog they were opened from), which is how tests find them."""

    def __init__(self, context: SectionContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.read_only = context.read_only
        self.on = clock.today()

        self.model = RegisterModel(self)
        self.proxy = RegisterProxy(self)
        self.proxy.setSourceModel(self.model)
        # The count is updated by the handlers that change a filter, not from rowsRemoved /
        # rowsInserted: a filter emits those hundreds of times, and each Python slot call
        # leaks a reference to None in PySide6 6.12 on Python 3.11.

        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_register(), self.tr("Register"))
        self.reminders: RemindersView | None = None
        self._reminders_holder = QWidget()
        self._reminders_layout = QVBoxLayout(self._reminders_holder)
        self._reminders_layout.setContentsMargins(0, 0, 0, 0)
        self._reminders_dirty = False  # a decision changed them while the tab was hidden
        self.tabs.addTab(self._reminders_holder, self.tr("Herinneringen"))
        self.tabs.currentChanged.connect(self._on_tab)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addWidget(self.tabs)
        self._loader: Task[Any] | None = None
        self._shown_once = False  # the first rows arrived (a reload keeps them shown)
        self._imports: RegisterImports | None = None
        self._changed_while_loading: set[str] = set()
        # The section is painted first (saying the register is loading), then the worker
        # starts: a worker that reads 20,000 rows competes with the paint for Python's lock.
        self._wait_for_rows(True)
        self._first_load_pending = True
        after_paint(self, self._first_load)

    @property
    def db(self) -> Database:
        return self.context.db

    # -- building -----------------------------------------------------------------------------

    def _build_register(self) -> QWidget:
        page = QWidget()

        self.toolbar = RegisterToolbar(self, read_only=self.read_only, parent=self)

        self.filters = RegisterFilters(
            self.model,
            self.proxy,
            self.on,
            read_only=self.read_only,
            changed=self._update_count,
            on_date=self._on_date,
            parent=self,
        )

        self.table = QTableView()
        # The cells are painted by Qt's own delegate from the model's colour and font roles: a
        # Python paint() override costs time per cell and, with PySide6 6.12 on Python 3.11,
        # drops references to None until the interpreter aborts. A selected cell keeps its
        # status colour, darkened, instead of the plain highlight colour.
        self.table.setStyleSheet(
            "QTableView { selection-background-color: rgba(20, 40, 70, 110);"
            " selection-color: #000000; }"
        )
        # The model, sorting and the header's alignment come with the first rows
        # (`_show_register`): the header asks the model for its texts with a Qt.Orientation,
        # and these enums are in the Qt namespace, which the section is painted without
        # (ui/common/qt_namespace.py). Until then the table is not shown.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(False)
        self.table.setWordWrap(False)
        self.table.setAccessibleName(self.tr("Toestemmingsregister"))
        vertical = self.table.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(False)
        # `activated` is a double-click, or Enter on the current cell (the platform decides);
        # connecting doubleClicked as well opened every history twice.
        self.table.activated.connect(self._on_double_click)

        self.legend = Legend()

        # The buttons' padding is a style sheet on the controls and on the empty register's
        # page, not on the whole page: under a style sheet every widget is polished by Qt's
        # style-sheet style, and the table, its headers and scroll bars made the section's
        # build and first paint slower (3 ms of CPU at start-up).
        controls = QWidget()
        controls.setStyleSheet(TOOLBAR_STYLE)
        rows = QVBoxLayout(controls)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.addLayout(self.toolbar.layout)
        for row in self.filters.rows:
            rows.addLayout(row)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(6, 8, 6, 6)
        layout.addWidget(controls)
        self.table_or_empty = EmptyState(self.table, button_style=TOOLBAR_STYLE)
        layout.addWidget(self.table_or_empty, 1)
        layout.addWidget(self.legend)

        return page

    # -- loading ------------------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        """True while the register is read on a worker thread (or about to be, at first)."""
        return self._loader is not None or self._first_load_pending

    def _first_load(self) -> None:
        if self._first_load_pending:  # not when a reload was asked for meanwhile
            self.reload()

    def refresh_from_elsewhere(self) -> None:
        """Another seat recorded decisions or pupils: the register again."""
        self.reload()

    def reload(self) -> None:
        """Load the whole register (at first, after a pupil or purpose change, an import, a
        new date) on a worker thread with a connection of its own, at every size: the window
        stays usable and the section shows before its rows. The first time the register says
        it is loading and its controls wait for the rows; a reload keeps the rows shown, and
        the pupil chosen, until the new rows replace them."""
        self._stop_loading()
        self._first_load_pending = False
        on = self.on
        self._changed_while_loading = set()
        if not self._shown_once:
            self._wait_for_rows(True)
        self._loader = loader = self.context.tasks.read(
            lambda db: read_register(db, on),
            context=self,
            on_result=self._loaded,
            on_error=self._load_failed,
            name="register",
        )
        if self._shown_once:
            QTimer.singleShot(SAY_RELOADING_AFTER_MS, self, lambda: self._say_reloading(loader))

    def _say_reloading(self, loader: Task[Any]) -> None:
        if self._loader is loader:
            self.filters.count_label.setText(self.tr("bijwerken…"))

    def _loaded(self, result: object) -> None:
        rows, purposes = cast("tuple[list[RegisterRow], list[Purpose]]", result)
        self._loader = None
        if not self._shown_once:
            self._wait_for_rows(False)
        with busy_cursor():
            self._show_register(rows, purposes)
        # A decision recorded while the worker read (from a reminder list, say) may be
        # missing from what it read: those pupils are read again.
        changed, self._changed_while_loading = self._changed_while_loading, set()
        for number in sorted(changed):
            self.refresh_pupil(number)

    def _load_failed(self, exc: BaseException) -> None:
        self._loader = None
        log.error("Register laden mislukt", exc_info=exc)
        message = self.tr("Het register kon niet geladen worden: %1").replace(
            "%1", str(exc) or repr(exc)
        )
        self.filters.count_label.setText(self.tr("niet geladen"))
        self.table_or_empty.sync(0, message, [(self.tr("Opnieuw proberen"), self.reload)])
        self.filters.on_field.setEnabled(True)

    def _wait_for_rows(self, waiting: bool) -> None:
        """While the first rows load: say so where the table goes, and hold back every
        control that works on the rows. The date stays (a new date starts a new load), and so
        does the publication check, which reads the pupils itself meanwhile."""
        for widget in (
            *self.toolbar.widgets_on_rows(),
            *self.filters.widgets_on_rows(),
            self.table,
        ):
            widget.setEnabled(not waiting)
        if waiting:
            self.filters.count_label.setText(self.tr("laden…"))
            self.table_or_empty.sync(
                0, self.tr("Het register wordt geladen. Dit duurt bij veel leerlingen even.")
            )

    def _stop_loading(self) -> None:
        if self._loader is not None:
            self.context.tasks.cancel(self._loader)
            self._loader = None

    def _show_register(self, rows: list[RegisterRow], purposes: list[Purpose]) -> None:
        """The rows read replace those shown; the chosen cell and the scroll position stay
        where that pupil is still in the register (a reset of the model would lose them)."""
        chosen = self._chosen_cell()
        scrolled = self.table.verticalScrollBar().value()
        same_columns = self._shown_once and [(p.code, p.label) for p in self.model.purposes] == [
            (p.code, p.label) for p in purposes
        ]
        if not self._shown_once:  # the table is shown from now on (see _build_register)
            self.table.setModel(self.proxy)
            self.table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
            self.table.setSortingEnabled(True)  # while empty: the rows come sorted by class
            self.table.sortByColumn(COL_CLASS, Qt.SortOrder.AscendingOrder)
        self.model.load(rows, purposes)
        self._shown_once = True
        self.filters.fill_choices(purposes)
        if not same_columns:  # a width the user dragged stays while the columns do
            self._size_columns()
        self._update_count()
        if chosen is not None:
            self._choose_cell(*chosen)
            self.table.verticalScrollBar().setValue(scrolled)
        if self.reminders is not None:
            self.reminders.reload()

    def _chosen_cell(self) -> tuple[str, str | int] | None:
        """(pupil number, purpose code or fixed column) of the current cell, if any."""
        index = self.table.currentIndex()
        pupil = self.proxy.pupil_at(index)
        if pupil is None:
            return None
        purpose = self.model.purpose_at(index.column())
        return pupil.number, purpose.code if purpose is not None else index.column()

    def _choose_cell(self, number: str, column: str | int) -> None:
        row = self.model.row_of(number)
        at = self.model.column_of(column) if isinstance(column, str) else column
        if row is None or at is None:
            return
        self.table.setCurrentIndex(self.proxy.mapFromSource(self.model.index(row, at)))

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        widths = (66, 180, 46, 62)
        for column, width in enumerate(widths):
            # never narrower than the title and its sort arrow ("Kla▲")
            self.table.setColumnWidth(column, max(width, header.sectionSizeHint(column)))
        metrics = header.fontMetrics()
        for column in range(FIXED_COLUMNS, self.model.columnCount()):
            text = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            widest = max((metrics.horizontalAdvance(line) for line in text.split("\n")), default=0)
            width = max(84, widest + 18)
            if "\n" not in text:  # a title over several lines is measured by its lines
                width = max(width, header.sectionSizeHint(column))
            self.table.setColumnWidth(column, width)

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.total()
        if shown == total:
            text = count_text(total, self.tr("1 leerling"), self.tr("%1 leerlingen"))
        else:
            text = (
                self.tr("%1 van %2 leerlingen")
                .replace("%1", number_text(shown))
                .replace("%2", number_text(total))
            )
        self.filters.count_label.setText(text)
        if not total:
            self.table_or_empty.sync(
                0,
                self.tr(
                    "Er staan nog geen leerlingen in het register. Importeer ze uit de "
                    "leerlingadministratie (Magister of SOMtoday): een export als CSV of .xlsx."
                ),
                []
                if self.read_only
                else [
                    (self.tr("Leerlingen importeren…"), self.import_pupils),
                    (self.tr("Leerling toevoegen…"), self.add_pupil),
                ],
            )
        else:
            self.table_or_empty.sync(
                shown,
                self.tr("Geen leerlingen bij deze zoekopdracht en filters."),
                [(self.tr("Filters wissen"), self.clear_filters)],
            )

    # -- filters (register_filters.py) -------------------------------------------------------

    def _on_date(self, on: date) -> None:
        self.on = on
        self.reload()

    def set_status_filter(self, choice: str | None, purpose_code: str | None = None) -> None:
        """choice: None (everyone), "blocked", "allowed" or a state; for one purpose or any."""
        self.filters.set_status_filter(choice, purpose_code)

    def clear_filters(self) -> None:
        self.filters.clear()

    # -- register actions ---------------------------------------------------------------------

    def _on_double_click(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        source = self.proxy.mapToSource(index)
        pupil = self.model.row_at(source.row()).pupil
        purpose = self.model.purpose_at(source.column())
        if purpose is not None:
            self.open_history(pupil, purpose)
        elif not self.read_only:
            self.edit_pupil(pupil)

    def open_history(
        self, pupil: Pupil, purpose: Purpose, parent: QWidget | None = None
    ) -> DecisionDialog:
        """The pupil's decisions for one purpose, on top of `parent` (this section, or the
        publication check it was opened from)."""
        from merlet_desk.ui.consent.decision_dialog import DecisionDialog

        dialog = DecisionDialog(self.db, pupil, purpose, self.on, self.read_only, parent or self)
        dialog.recorded.connect(self.refresh_pupil)
        dialog.takedownsRequested.connect(self._show_takedowns)
        self._show(dialog)
        return dialog

    def _show(self, dialog: QDialog) -> None:
        from merlet_desk.ui.consent.dialog_parts import show_dialog

        show_dialog(dialog)

    def _show_takedowns(self) -> None:
        self.context.publications().show_takedowns()

    def refresh_pupil(self, number: str) -> None:
        """Recompute one pupil's row after a decision (no full reload)."""
        if self.loading:
            self._changed_while_loading.add(number)
            self._reminders_stale()
            return
        self._update_row(number)
        self._reminders_stale()

    def _pupils_told(self, numbers: list[str]) -> None:
        """A mark "informed" was recorded or undone in the reminders (which reload themselves):
        those pupils' rows again, so a told pupil's cell loses its "16 geworden" flag."""
        if self.loading:
            self._changed_while_loading.update(numbers)
            return
        for number in numbers:
            self._update_row(number)

    def _update_row(self, number: str) -> None:
        from merlet_desk.store.pupils import get_pupil
        from merlet_desk.store.statuses import pupil_statuses

        pupil = get_pupil(self.db, number)
        codes = [purpose.code for purpose in self.model.purposes]
        self.model.update_pupil(pupil, pupil_statuses(self.db, pupil, self.on, codes))
        self._update_count()

    def _reminders_stale(self) -> None:
        if self.reminders is not None and self.tabs.currentWidget() is self._reminders_holder:
            self.reminders.reload()
        elif self.reminders is not None:
            self._reminders_dirty = True

    def open_form_entry(self) -> FormEntryDialog | None:
        if self.read_only:
            return None
        from merlet_desk.ui.consent.form_entry import FormEntryDialog

        dialog = FormEntryDialog(self.db, self.model.pupils(), self)
        dialog.saved.connect(self.refresh_pupil)
        dialog.takedownsRequested.connect(self._show_takedowns)
        self._show(dialog)
        return dialog

    def open_print_forms(self) -> QDialog | None:
        """ "Formulieren afdrukken": for the pupils the filters show, the chosen pupil, a class
        or a location."""
        if self.read_only:
            return None
        from merlet_desk.ui.common.paper_forms import PrintFormsDialog

        rows = (self.proxy.pupil_at(self.proxy.index(r, 0)) for r in range(self.proxy.rowCount()))
        shown = [pupil for pupil in rows if pupil is not None]
        filtered = self.filters.narrowed()
        label = self.filters.label()
        dialog = PrintFormsDialog(
            self.db,
            self.context.db_path,
            shown=shown if filtered else (),
            shown_label=label,
            chosen=self.selected_pupil(),
            parent=self,
        )
        self._show(dialog)
        return dialog

    def open_scan_import(self) -> QDialog | None:
        """ "Gescande formulieren verwerken": read a scanned stack, review it, record it."""
        if self.read_only:
            return None
        from merlet_desk.ui.consent.scans import ScanImportDialog

        dialog = ScanImportDialog(self.db, self.context.db_path, self.model.pupils(), self)
        dialog.recorded.connect(self.refresh_pupil)
        self._show(dialog)
        return dialog

    def show_register(self) -> None:
        """The register tab (from Start's buttons)."""
        self.tabs.setCurrentIndex(0)

    def open_check(self, pupil_numbers: list[str] | None = None) -> PublicationCheckDialog:
        """The publication check; with `pupil_numbers` (an item's pupils) already on the photo."""
        # Opened from Publicaties while a large register still loads: the dialog reads the
        # pupils itself (None).
        pupils = None if self.loading else self.model.pupils()
        from merlet_desk.ui.consent.check import PublicationCheckDialog

        dialog = PublicationCheckDialog(self.db, pupils, parent=self)
        dialog.open_history = lambda pupil, purpose: self.open_history(pupil, purpose, dialog)
        if pupil_numbers:
            dialog.add_numbers(list(pupil_numbers))
        self._show(dialog)
        return dialog

    def focus_search(self) -> None:
        """Ctrl+F: the register's search, or the search of the reminder list shown."""
        if self.tabs.currentWidget() is self._reminders_holder and self.reminders is not None:
            field = self.reminders.current_list().search
        else:
            field = self.filters.search
        field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        field.selectAll()

    def selected_pupil(self) -> Pupil | None:
        index = self.table.currentIndex()
        return self.proxy.pupil_at(index)

    def add_pupil(self) -> PupilDialog | None:
        if self.read_only:
            return None
        from merlet_desk.store.pupils import known_locations
        from merlet_desk.ui.consent.pupil_dialog import PupilDialog

        dialog = PupilDialog(self.db, None, known_locations(), self)
        dialog.saved.connect(lambda _pupil: self.reload())
        self._show(dialog)
        return dialog

    def edit_pupil(self, pupil: Pupil) -> PupilDialog | None:
        if self.read_only:
            return None
        from merlet_desk.store.pupils import known_locations
        from merlet_desk.ui.consent.pupil_dialog import PupilDialog

        dialog = PupilDialog(self.db, pupil, known_locations(), self)
        dialog.saved.connect(lambda _pupil: self.reload())
        self._show(dialog)
        return dialog

    def edit_selected_pupil(self) -> PupilDialog | None:
        pupil = self.selected_pupil()
        if pupil is None:
            from merlet_desk.ui.common import dialogs

            dialogs.show_info(
                self,
                self.tr("Leerling bewerken"),
                self.tr("Kies eerst een leerling in het register."),
            )
            return None
        return self.edit_pupil(pupil)

    def manage_purposes(self) -> PurposesDialog | None:
        if self.read_only:
            return None
        from merlet_desk.ui.consent.purposes_dialog import PurposesDialog

        dialog = PurposesDialog(self.db, self)
        dialog.changed.connect(self.reload)
        self._show(dialog)
        return dialog

    def export_overview(self) -> Path | None:
        """The consent overview PDF for the chosen class, else the chosen location (asked for
        when no location is chosen)."""
        from merlet_desk.reports.consent_overview import build_consent_overview
        from merlet_desk.ui.common import export

        class_name = self.filters.chosen_class()
        location = self.filters.chosen_location()
        if class_name and not location:
            location = next(
                (p.location for p in self.model.pupils() if p.class_name == class_name), None
            )
        if not location:
            from merlet_desk.store.pupils import known_locations
            from merlet_desk.ui.common import dialogs

            everywhere = self.tr("Alle locaties")
            location = dialogs.choose_item(
                self,
                self.tr("Exporteren als PDF"),
                self.tr("Het overzicht van welke locatie?"),
                [*known_locations(), everywhere],
            )
            if location is None:
                return None
            location = None if location == everywhere else location
        db, on = self.db, self.on
        where = location or "alle-locaties"
        name = f"toestemmingen-{where}{'-' + class_name if class_name else ''}-{on.isoformat()}.pdf"
        return export.export_report(
            self,
            self.tr("Toestemmingen"),
            name.lower(),
            lambda db, path: build_consent_overview(
                db, path, location=location, class_name=class_name, on=on
            ),
            db,
        )

    def edit_settings(self) -> ConsentSettingsDialog | None:
        if self.read_only:
            return None
        from merlet_desk.ui.consent.settings_dialog import ConsentSettingsDialog

        dialog = ConsentSettingsDialog(self.db, self)
        dialog.saved.connect(self.reload)
        self._show(dialog)
        return dialog

    # -- imports (register_imports.py) -------------------------------------------------------

    @property
    def imports(self) -> RegisterImports:
        if self._imports is None:
            from merlet_desk.ui.consent.register_imports import RegisterImports

            self._imports = RegisterImports(self.context, self, self.reload)
        return self._imports

    def import_pupils(self) -> None:
        self.imports.import_pupils()

    def import_consents(self) -> None:
        self.imports.import_consents()

    def save_example_file(self) -> Path | None:
        return self.imports.save_example_file()

    @property
    def import_dialog(self) -> QDialog | None:
        """The pupil or consent import shown last."""
        return self.imports.import_dialog

    # -- tabs ---------------------------------------------------------------------------------

    def _on_tab(self, index: int) -> None:
        if self.tabs.widget(index) is not self._reminders_holder:
            return
        with busy_cursor():
            if self.reminders is None:
                from merlet_desk.ui.consent.reminders import RemindersView

                self.reminders = RemindersView(self.db, self.open_history, read_only=self.read_only)
                self.reminders.informedChanged.connect(self._pupils_told)
                self._reminders_layout.addWidget(self.reminders)
            elif self._reminders_dirty:
                self.reminders.reload()
        self._reminders_dirty = False

    def show_reminders(self, key: str | None = None) -> RemindersView:
        """The Herinneringen tab; with `key` (store.attention's TURNED_16, EXPIRING, NO_RECORD,
        EXPIRED) that list in front, the one the start screen counted."""
        self.tabs.setCurrentWidget(self._reminders_holder)
        assert self.reminders is not None
        if key is not None:
            self.reminders.show_list(key)
        return self.reminders

    def date_text(self) -> str:
        return format_date(self.on)


def build(context: SectionContext) -> QWidget:
    return ConsentSection(context)
