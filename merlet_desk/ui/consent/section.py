"""The Toestemmingen section: the consent register (pupils × purposes), reminders, and the way
into recording decisions, form entry, the publication check, pupils, purposes and imports.

The grid is a `RegisterModel` loaded once from `store.statuses.register_statuses`; every filter
works on the proxy, so nothing is re-queried while the user types or picks a class.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSizePolicy,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from merlet_desk import clock
from merlet_desk.domain import consent as rules
from merlet_desk.domain.dates import format_date
from merlet_desk.domain.text import count_text, number_text
from merlet_desk.errors import InputError
from merlet_desk.store import consent_settings as settings_store
from merlet_desk.store import decisions as decision_store
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store import purposes as purpose_store
from merlet_desk.store import statuses as store
from merlet_desk.store.pupils import Pupil
from merlet_desk.store.purposes import Purpose
from merlet_desk.ui.common import dialogs
from merlet_desk.ui.common.consent_states import state_label, state_symbol
from merlet_desk.ui.common.empty_state import EmptyState
from merlet_desk.ui.common.flow_layout import FlowLayout, labelled
from merlet_desk.ui.common.purposes import fill_purpose_combo
from merlet_desk.ui.common.widgets import DateField
from merlet_desk.ui.consent.check import PublicationCheckDialog
from merlet_desk.ui.consent.dialogs import (
    ConsentSettingsDialog,
    DecisionDialog,
    PupilDialog,
    PurposesDialog,
)
from merlet_desk.ui.consent.form_entry import FormEntryDialog
from merlet_desk.ui.consent.model import (
    COL_CLASS,
    FIXED_COLUMNS,
    RegisterModel,
    RegisterProxy,
)
from merlet_desk.ui.consent.reminders import RemindersView
from merlet_desk.ui.consent.widgets import Legend
from merlet_desk.ui.context import NothingUnsaved, SectionContext

if TYPE_CHECKING:
    from merlet_desk.store.sqlite_utils_import import Database
    from merlet_desk.ui.common.tasks import Task

log = logging.getLogger(__name__)

TOOLBAR_STYLE = "QPushButton, QToolButton { padding: 4px 10px; }"
# From this many pupils the register loads on a worker thread, with the section usable around
# it: about 0.4 s of work at 5,000 pupils, 2 s at a school board's 20,000 (make bench, 2e).
LOAD_IN_BACKGROUND_FROM = 5_000


@contextmanager
def busy_cursor() -> Iterator[None]:
    """An hourglass while the register or the reminders load (a few hundred ms)."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def _data(combo: QComboBox) -> str | None:
    """The chosen item's data; "" (the "all" item) as None.

    The "all" items hold "" rather than None on purpose: with PySide6 6.12 on Python 3.11
    every Qt call that hands back an empty QVariant as None drops a reference to None, and
    enough of them abort the interpreter.
    """
    return combo.currentData() or None


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
        self.import_dialog: QDialog | None = None  # the pupil or consent import shown last
        self._changed_while_loading: set[str] = set()
        self.reload()

    @property
    def db(self) -> Database:
        return self.context.db

    # -- building -----------------------------------------------------------------------------

    def _build_register(self) -> QWidget:
        page = QWidget()
        page.setStyleSheet(TOOLBAR_STYLE)

        title = QLabel(self.tr("Toestemmingen voor foto's en video's"))
        title.setStyleSheet("font-size:16pt; font-weight:600; color:#1f3a5f;")
        # One button for the paper forms: a click types a returned form in by hand (as
        # before); its menu also prints personal forms and reads a scanned stack (issue 16).
        self.form_button = QToolButton()
        self.form_button.setText(self.tr("&Formulieren invoeren…"))
        self.form_button.setToolTip(
            self.tr(
                "Teruggekomen toestemmingsformulieren snel invoeren, één toets per doel; in het "
                "menu: formulieren afdrukken en gescande formulieren verwerken"
            )
        )
        self.form_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.form_button.clicked.connect(self.open_form_entry)
        paper_menu = QMenu(self.form_button)
        paper_menu.addAction(self.tr("Formulieren met de hand invoeren…"), self.open_form_entry)
        paper_menu.addSeparator()
        self.print_forms_action = paper_menu.addAction(
            self.tr("Formulieren afdrukken…"), self.open_print_forms
        )
        self.scan_forms_action = paper_menu.addAction(
            self.tr("Gescande formulieren verwerken…"), self.open_scan_import
        )
        self.form_button.setMenu(paper_menu)
        self.check_button = QPushButton(self.tr("&Mag deze foto online?…"))
        self.check_button.setToolTip(
            self.tr("Controleer voor een foto of video wie in beeld mag en wie niet")
        )
        self.check_button.setStyleSheet(
            "QPushButton { background:#f2a900; color:#1a1a1a; font-weight:600; }"
        )
        self.check_button.clicked.connect(self.open_check)
        self.pupils_button = QToolButton()
        self.pupils_button.setText(self.tr("B&eheer"))
        self.pupils_button.setToolTip(
            self.tr("Leerlingen toevoegen, bewerken of importeren; doelen en instellingen")
        )
        self.pupils_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.pupils_button)
        self.add_pupil_action = menu.addAction(self.tr("Leerling toevoegen…"), self.add_pupil)
        self.edit_pupil_action = menu.addAction(
            self.tr("Gekozen leerling bewerken…"), self.edit_selected_pupil
        )
        menu.addSeparator()
        self.import_pupils_action = menu.addAction(
            self.tr("Leerlingen importeren (CSV/Excel)…"), self.import_pupils
        )
        self.import_consents_action = menu.addAction(
            self.tr("Toestemmingen importeren (ouderportaal, CSV/Excel)…"), self.import_consents
        )
        self.example_action = menu.addAction(
            self.tr("Voorbeeldbestand opslaan…"), self.save_example_file
        )
        menu.addSeparator()
        self.purposes_action = menu.addAction(self.tr("Doelen beheren…"), self.manage_purposes)
        self.settings_action = menu.addAction(
            self.tr("Instellingen toestemmingen…"), self.edit_settings
        )
        self.pupils_button.setMenu(menu)

        subtitle = QLabel(
            self.tr(
                "Per leerling en per doel: mag de leerling op foto of video? "
                "Niets vastgelegd betekent: geen toestemming."
            )
        )
        subtitle.setStyleSheet("color:#3c4650; font-size:10.5pt;")
        subtitle.setWordWrap(True)
        title.setWordWrap(True)
        self.import_button = QPushButton(self.tr("Leerlingen &importeren…"))
        self.import_button.setToolTip(
            self.tr(
                "Een export uit Magister of SOMtoday (CSV of .xlsx): nieuwe leerlingen erbij, "
                "bestaande bijgewerkt"
            )
        )
        self.import_button.clicked.connect(self.import_pupils)
        self.export_button = QPushButton(self.tr("Exporteren als &PDF…"))
        self.export_button.setToolTip(
            self.tr("Overzicht van de toestemmingen per klas, op briefpapier (locatie of klas)")
        )
        self.export_button.clicked.connect(self.export_overview)
        # Title and explanation above; the buttons wrap onto a second row on a narrow window
        # instead of squeezing the title (issue 15).
        toolbar = FlowLayout()
        for widget in (
            self.check_button,
            self.form_button,
            self.import_button,
            self.pupils_button,
            self.export_button,
        ):
            toolbar.addWidget(widget)
        top = QVBoxLayout()
        top.setSpacing(4)
        top.addWidget(title)
        top.addWidget(subtitle)
        top.addLayout(toolbar)

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Zoek op naam of leerlingnummer…"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Zoek leerling"))
        self.search.textChanged.connect(self._on_search)
        self.location_filter = QComboBox()
        self.location_filter.setAccessibleName(self.tr("Locatie"))
        self.location_filter.currentIndexChanged.connect(self._on_location)
        self.class_filter = QComboBox()
        self.class_filter.setAccessibleName(self.tr("Klas"))
        self.class_filter.currentIndexChanged.connect(self._on_class)
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName(self.tr("Toon leerlingen met"))
        self.status_filter.addItem(self.tr("alle leerlingen"), "")
        self.status_filter.addItem(self.tr("geen toestemming"), "blocked")
        self.status_filter.addItem(self.tr("toestemming"), "allowed")
        for state in rules.STATES:
            self.status_filter.addItem(f"{state_symbol(state)}  {state_label(state)}", state)
        self.status_filter.currentIndexChanged.connect(self._on_status)
        for combo in (self.status_filter,):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(22)
        self.status_purpose = QComboBox()
        self.status_purpose.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.status_purpose.setMinimumContentsLength(20)  # long labels show whole in the list
        self.status_purpose.setAccessibleName(self.tr("voor doel"))
        self.status_purpose.currentIndexChanged.connect(self._on_status)
        self.on_field = DateField(self.on)
        self.on_field.setToolTip(self.tr("De stand van het register op deze datum"))
        self.on_field.dateChanged.connect(self._on_date)
        self.reset_button = QPushButton(self.tr("Filters &wissen"))
        self.reset_button.clicked.connect(self.clear_filters)

        self.count_label = QLabel()
        self.count_label.setStyleSheet("color:#3c4650;")
        hint = QLabel(
            self.tr("Dubbelklik op een vakje: geschiedenis bekijken en een besluit vastleggen.")
            if not self.read_only
            else self.tr("Dubbelklik op een vakje om de geschiedenis te bekijken (alleen-lezen).")
        )
        hint.setStyleSheet("color:#5a6b80;")
        hint.setWordWrap(True)
        self.search.setMinimumWidth(220)
        self.search.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        filters = FlowLayout()
        filters.addWidget(self.search)
        filters.addWidget(labelled(self.tr("&Locatie:"), self.location_filter))
        filters.addWidget(labelled(self.tr("&Klas:"), self.class_filter))
        # "Toon: geen toestemming voor: Website van de school" reads as one filter: together.
        status = QWidget()
        status_row = QHBoxLayout(status)
        status_row.setContentsMargins(0, 0, 0, 0)
        status_row.addWidget(labelled(self.tr("&Toon:"), self.status_filter))
        status_row.addWidget(labelled(self.tr("voo&r"), self.status_purpose))
        filters.addWidget(status)
        filters2 = FlowLayout()
        filters2.addWidget(labelled(self.tr("&Stand op:"), self.on_field))
        filters2.addWidget(self.reset_button)
        filters2.addWidget(self.count_label)
        filters2.addWidget(hint)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        # The cells are painted by Qt's own delegate from the model's colour and font roles: a
        # Python paint() override costs time per cell and, with PySide6 6.12 on Python 3.11,
        # drops references to None until the interpreter aborts. A selected cell keeps its
        # status colour, darkened, instead of the plain highlight colour.
        self.table.setStyleSheet(
            "QTableView { selection-background-color: rgba(20, 40, 70, 110);"
            " selection-color: #000000; }"
        )
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_CLASS, Qt.SortOrder.AscendingOrder)
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
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        # `activated` is a double-click, or Enter on the current cell (the platform decides);
        # connecting doubleClicked as well opened every history twice.
        self.table.activated.connect(self._on_double_click)

        self.legend = Legend()

        layout = QVBoxLayout(page)
        layout.setContentsMargins(6, 8, 6, 6)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addLayout(filters2)
        self.table_or_empty = EmptyState(self.table)
        layout.addWidget(self.table_or_empty, 1)
        layout.addWidget(self.legend)

        for widget in (self.form_button, self.import_button):
            widget.setVisible(not self.read_only)
        for action in (
            self.add_pupil_action,
            self.edit_pupil_action,
            self.import_pupils_action,
            self.import_consents_action,
            self.purposes_action,
            self.settings_action,
        ):
            action.setVisible(not self.read_only)
            action.setEnabled(not self.read_only)
        self.pupils_button.setVisible(not self.read_only)
        return page

    # -- loading ------------------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        """True while a large register is read on a worker thread."""
        return self._loader is not None

    def reload(self) -> None:
        """Load the whole register (after a pupil or purpose change, an import, a new date).

        A school's register loads at once (0.2 s at 2,000 pupils). A school board's loads on a
        worker thread with a connection of its own: the window stays usable, the register
        says it is loading and its controls wait until the rows are there."""
        self._stop_loading()
        if pupil_store.count_pupils(self.db) >= LOAD_IN_BACKGROUND_FROM:
            self._load_in_background()
            return
        with busy_cursor():
            purposes = purpose_store.list_purposes(self.db)
            rows = store.register_statuses(self.db, self.on)
        self._show_register(rows, purposes)

    def _load_in_background(self) -> None:
        on = self.on
        self._changed_while_loading = set()
        self._wait_for_rows(True)
        self._loader = self.context.tasks.read(
            lambda db: (store.register_statuses(db, on), purpose_store.list_purposes(db)),
            context=self,
            on_result=self._loaded,
            on_error=self._load_failed,
            name="register",
        )

    def _loaded(self, result: object) -> None:
        rows, purposes = cast("tuple[list[Any], list[Purpose]]", result)
        self._loader = None
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
        self.count_label.setText(self.tr("niet geladen"))
        self.table_or_empty.sync(0, message, [(self.tr("Opnieuw proberen"), self.reload)])
        self.on_field.setEnabled(True)

    def _wait_for_rows(self, waiting: bool) -> None:
        """While the rows load: say so where the table goes, and hold back every control that
        works on the rows. The date stays (a new date starts a new load), and so does the
        publication check, which reads the pupils itself meanwhile."""
        for widget in (
            self.form_button,
            self.import_button,
            self.pupils_button,
            self.export_button,
            self.search,
            self.location_filter,
            self.class_filter,
            self.status_filter,
            self.status_purpose,
            self.reset_button,
            self.table,
        ):
            widget.setEnabled(not waiting)
        if waiting:
            self.count_label.setText(self.tr("laden…"))
            self.table_or_empty.sync(
                0, self.tr("Het register wordt geladen. Dit duurt bij veel leerlingen even.")
            )

    def _stop_loading(self) -> None:
        if self._loader is not None:
            self.context.tasks.cancel(self._loader)
            self._loader = None
            self._wait_for_rows(False)

    def _show_register(self, rows: list[Any], purposes: list[Purpose]) -> None:
        self.model.load(rows, purposes)
        self._fill_filter_choices(purposes)
        self._size_columns()
        self._update_count()
        if self.reminders is not None:
            self.reminders.reload()

    def _fill_filter_choices(self, purposes: list[Purpose]) -> None:
        location = _data(self.location_filter)
        self.location_filter.blockSignals(True)
        self.location_filter.clear()
        self.location_filter.addItem(self.tr("alle locaties"), "")
        locations = sorted(
            {p.location for p in self.model.pupils()} | set(pupil_store.known_locations())
        )
        for name in locations:
            self.location_filter.addItem(name, name)
        index = self.location_filter.findData(location or "")
        self.location_filter.setCurrentIndex(max(index, 0))
        self.location_filter.blockSignals(False)
        self._fill_classes()

        chosen = _data(self.status_purpose)
        self.status_purpose.blockSignals(True)
        self.status_purpose.clear()
        self.status_purpose.addItem(self.tr("een of meer doelen"), "")
        fill_purpose_combo(self.status_purpose, purposes, minimum_length=20)
        index = self.status_purpose.findData(chosen or "")
        self.status_purpose.setCurrentIndex(max(index, 0))
        self.status_purpose.blockSignals(False)
        self._on_status()

    def _fill_classes(self) -> None:
        chosen = _data(self.class_filter)
        location = _data(self.location_filter)
        classes = {p.class_name for p in self.model.pupils() if location in (None, p.location)}
        ordered = sorted(classes, key=lambda c: pupil_store.class_sort_key(c))  # noqa: SLF001 - same order as the store
        self.class_filter.blockSignals(True)
        self.class_filter.clear()
        self.class_filter.addItem(self.tr("alle klassen"), "")
        for class_name in ordered:
            self.class_filter.addItem(class_name, class_name)
        index = self.class_filter.findData(chosen or "")
        self.class_filter.setCurrentIndex(max(index, 0))
        self.class_filter.blockSignals(False)
        self.proxy.set_class(_data(self.class_filter))

    def _size_columns(self) -> None:
        widths = (66, 180, 46, 62)
        for column, width in enumerate(widths):
            self.table.setColumnWidth(column, width)
        metrics = self.table.horizontalHeader().fontMetrics()
        for column in range(FIXED_COLUMNS, self.model.columnCount()):
            text = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            widest = max((metrics.horizontalAdvance(line) for line in text.split("\n")), default=0)
            self.table.setColumnWidth(column, max(84, widest + 18))

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
        self.count_label.setText(text)
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

    # -- filters ------------------------------------------------------------------------------

    def _on_search(self, text: str) -> None:
        self.proxy.set_search(text)
        self._update_count()

    def _on_location(self) -> None:
        self.proxy.set_location(_data(self.location_filter))
        self._fill_classes()
        self._update_count()

    def _on_class(self) -> None:
        self.proxy.set_class(_data(self.class_filter))
        self._update_count()

    def _on_status(self) -> None:
        choice = _data(self.status_filter)
        if choice is None:
            states = None
        elif choice == "blocked":
            states = rules.BLOCKED_STATES
        elif choice == "allowed":
            states = rules.ALLOWED_STATES
        else:
            states = frozenset({choice})
        self.status_purpose.setEnabled(states is not None)
        self.proxy.set_status_filter(states, _data(self.status_purpose))
        self._update_count()

    def _on_date(self) -> None:
        self.on = self.on_field.value()
        self.reload()

    def set_status_filter(self, choice: str | None, purpose_code: str | None = None) -> None:
        """choice: None (everyone), "blocked", "allowed" or a state; for one purpose or any."""
        self.status_purpose.setCurrentIndex(
            max(self.status_purpose.findData(purpose_code or ""), 0)
        )
        self.status_filter.setCurrentIndex(max(self.status_filter.findData(choice or ""), 0))
        self._on_status()

    def clear_filters(self) -> None:
        self.search.clear()
        self.location_filter.setCurrentIndex(0)
        self.class_filter.setCurrentIndex(0)
        self.status_filter.setCurrentIndex(0)
        self.status_purpose.setCurrentIndex(0)

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

    def _show_dialog(self, dialog: QDialog) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_history(
        self, pupil: Pupil, purpose: Purpose, parent: QWidget | None = None
    ) -> DecisionDialog:
        """The pupil's decisions for one purpose, on top of `parent` (this section, or the
        publication check it was opened from)."""
        dialog = DecisionDialog(self.db, pupil, purpose, self.on, self.read_only, parent or self)
        dialog.recorded.connect(self.refresh_pupil)
        self._show_dialog(dialog)
        return dialog

    def refresh_pupil(self, number: str) -> None:
        """Recompute one pupil's row after a decision (no full reload)."""
        if self.loading:
            self._changed_while_loading.add(number)
            self._reminders_stale()
            return
        pupil = pupil_store.get_pupil(self.db, number)
        settings = settings_store.consent_settings(self.db)
        decisions = decision_store.decisions_for(self.db, number)
        statuses = {
            purpose.code: rules.status_on(
                pupil.birth_date,
                [d for d in decisions if d.purpose == purpose.code],
                self.on,
                settings,
            )
            for purpose in self.model.purposes
        }
        self.model.update_pupil(pupil, statuses)
        self._update_count()
        self._reminders_stale()

    def _reminders_stale(self) -> None:
        if self.reminders is not None and self.tabs.currentWidget() is self._reminders_holder:
            self.reminders.reload()
        elif self.reminders is not None:
            self._reminders_dirty = True

    def open_form_entry(self) -> FormEntryDialog | None:
        if self.read_only:
            return None
        dialog = FormEntryDialog(self.db, self.model.pupils(), self)
        dialog.saved.connect(self.refresh_pupil)
        self._show_dialog(dialog)
        return dialog

    def open_print_forms(self) -> QDialog | None:
        """ "Formulieren afdrukken": for the pupils the filters show, the chosen pupil, a class
        or a location."""
        if self.read_only:
            return None
        from merlet_desk.ui.common.paper_forms import PrintFormsDialog

        rows = (self.proxy.pupil_at(self.proxy.index(r, 0)) for r in range(self.proxy.rowCount()))
        shown = [pupil for pupil in rows if pupil is not None]
        filtered = bool(_data(self.class_filter) or _data(self.location_filter))
        filtered = filtered or bool(self.search.text().strip()) or bool(_data(self.status_filter))
        label = ", ".join(
            text
            for text in (
                self.class_filter.currentText() if _data(self.class_filter) else "",
                self.location_filter.currentText() if _data(self.location_filter) else "",
                f"„{self.search.text().strip()}”" if self.search.text().strip() else "",
            )
            if text
        )
        dialog = PrintFormsDialog(
            self.db,
            self.context.db_path,
            shown=shown if filtered else (),
            shown_label=label,
            chosen=self.selected_pupil(),
            parent=self,
        )
        self._show_dialog(dialog)
        return dialog

    def open_scan_import(self) -> QDialog | None:
        """ "Gescande formulieren verwerken": read a scanned stack, review it, record it."""
        if self.read_only:
            return None
        from merlet_desk.ui.consent.scans import ScanImportDialog

        dialog = ScanImportDialog(self.db, self.context.db_path, self.model.pupils(), self)
        dialog.recorded.connect(self.refresh_pupil)
        self._show_dialog(dialog)
        return dialog

    def show_register(self) -> None:
        """The register tab (from Start's buttons)."""
        self.tabs.setCurrentIndex(0)

    def open_check(self, pupil_numbers: list[str] | None = None) -> PublicationCheckDialog:
        """The publication check; with `pupil_numbers` (an item's pupils) already on the photo."""
        # Opened from Publicaties while a large register still loads: the dialog reads the
        # pupils itself (None).
        pupils = None if self.loading else self.model.pupils()
        dialog = PublicationCheckDialog(self.db, pupils, parent=self)
        dialog.open_history = lambda pupil, purpose: self.open_history(pupil, purpose, dialog)
        if pupil_numbers:
            dialog.add_numbers(list(pupil_numbers))
        self._show_dialog(dialog)
        return dialog

    def focus_search(self) -> None:
        """Ctrl+F: the register's search, or the search of the reminder list shown."""
        if self.tabs.currentWidget() is self._reminders_holder and self.reminders is not None:
            field = self.reminders.current_list().search
        else:
            field = self.search
        field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        field.selectAll()

    def selected_pupil(self) -> Pupil | None:
        index = self.table.currentIndex()
        return self.proxy.pupil_at(index)

    def add_pupil(self) -> PupilDialog | None:
        if self.read_only:
            return None
        dialog = PupilDialog(self.db, None, pupil_store.known_locations(), self)
        dialog.saved.connect(lambda _pupil: self.reload())
        self._show_dialog(dialog)
        return dialog

    def edit_pupil(self, pupil: Pupil) -> PupilDialog | None:
        if self.read_only:
            return None
        dialog = PupilDialog(self.db, pupil, pupil_store.known_locations(), self)
        dialog.saved.connect(lambda _pupil: self.reload())
        self._show_dialog(dialog)
        return dialog

    def edit_selected_pupil(self) -> PupilDialog | None:
        pupil = self.selected_pupil()
        if pupil is None:
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
        dialog = PurposesDialog(self.db, self)
        dialog.changed.connect(self.reload)
        self._show_dialog(dialog)
        return dialog

    def export_overview(self) -> Path | None:
        """The consent overview PDF for the chosen class, else the chosen location (asked for
        when no location is chosen)."""
        from merlet_desk.reports.consent_overview import build_consent_overview
        from merlet_desk.ui.common import export

        class_name = _data(self.class_filter)
        location = _data(self.location_filter)
        if class_name and not location:
            location = next(
                (p.location for p in self.model.pupils() if p.class_name == class_name), None
            )
        if not location:
            everywhere = self.tr("Alle locaties")
            location = dialogs.choose_item(
                self,
                self.tr("Exporteren als PDF"),
                self.tr("Het overzicht van welke locatie?"),
                [*pupil_store.known_locations(), everywhere],
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
        dialog = ConsentSettingsDialog(self.db, self)
        dialog.saved.connect(self.reload)
        self._show_dialog(dialog)
        return dialog

    # -- imports ------------------------------------------------------------------------------

    def import_pupils(self) -> None:
        if self.read_only:
            return
        path = dialogs.choose_open_path(
            self,
            self.tr("Leerlingen importeren"),
            self.tr("Leerlingbestand (*.csv *.txt *.xlsx);;Alle bestanden (*)"),
            kind="import",
        )
        if path is None:
            return
        self._run_pupil_import(path)

    def import_consents(self) -> None:
        if self.read_only:
            return
        path = dialogs.choose_open_path(
            self,
            self.tr("Toestemmingen importeren"),
            self.tr("Toestemmingenbestand (*.csv *.txt *.xlsx);;Alle bestanden (*)"),
            kind="import",
        )
        if path is None:
            return
        self._run_consent_import(path)

    def _import_failed(self, title: str, exc: InputError) -> None:
        dialogs.show_problems(self, title, exc.message, exc.problems)

    def _read_import_table(self, title: str, path: Path, read: Any) -> Any:
        """The file as a table; a workbook with data on several sheets asks which one."""
        from merlet_desk.imports.tabular import SEVERAL_SHEETS, workbook_sheets

        try:
            return read(path)
        except InputError as exc:
            if SEVERAL_SHEETS not in exc.codes:
                self._import_failed(title, exc)
                return None
        sheet = dialogs.choose_item(
            self,
            title,
            self.tr("Dit bestand heeft gegevens op meer bladen. Welk blad is de export?"),
            workbook_sheets(path),
        )
        if sheet is None:
            return None
        try:
            return read(path, sheet)
        except InputError as exc:
            self._import_failed(title, exc)
            return None

    def _run_pupil_import(self, path: Path) -> bool:
        """Check the whole file first (dry run); columns it does not recognise go to the
        mapping step (`PupilImportDialog`); a file without a location asks for one; then
        import, report the counts and offer to mark absent pupils as left."""
        from merlet_desk.imports import pupils as pupil_import

        title = self.tr("Leerlingen importeren")
        table = self._read_import_table(title, path, pupil_import.read_pupil_table)
        if table is None:
            return False
        location: str | None = None
        try:
            pupil_import.import_pupils(self.db, path, dry_run=True, table=table)
        except InputError as exc:
            if pupil_import.MISSING_COLUMNS in exc.codes:
                self.open_pupil_mapping(path, table)
                return False
            if pupil_import.MISSING_LOCATION not in exc.codes:
                self._import_failed(title, exc)
                return False
            location = dialogs.choose_item(
                self,
                title,
                self.tr(
                    "Dit bestand heeft geen kolom locatie. Van welke locatie zijn deze leerlingen?"
                ),
                list(pupil_store.known_locations()),
            )
            if location is None:
                return False
        if not self._backup_before_import(title):
            return False
        try:
            result = pupil_import.import_pupils(self.db, path, location, table=table)
        except InputError as exc:
            self._import_failed(title, exc)
            return False
        self._after_pupil_import(result)
        return True

    def open_pupil_mapping(self, path: Path, table: Any) -> QDialog:
        """The mapping step: which column is which, with a preview (remembered per set of
        headers, so the next file from the same system imports without it)."""
        from merlet_desk.ui.consent.import_dialog import PupilImportDialog

        title = self.tr("Leerlingen importeren")
        dialog = PupilImportDialog(
            self.db, path, table, lambda: self._backup_before_import(title), self
        )
        dialog.imported.connect(self._after_pupil_import)
        self.import_dialog = dialog
        return self._show_dialog(dialog)

    def _after_pupil_import(self, result: Any) -> None:
        title = self.tr("Leerlingen importeren")
        self.reload()
        dialogs.show_info(self, title, pupil_import_summary(result))
        absent = list(result.absent_numbers)
        if absent and dialogs.ask_yes_no(
            self,
            title,
            count_text(
                len(absent),
                self.tr(
                    "1 leerling van %2 staat in het register maar niet in dit bestand. Is hij of "
                    "zij van school af? Kies Ja om de leerling vandaag als vertrokken te markeren "
                    "(de gegevens blijven bewaard tot de bewaartermijn voorbij is)."
                ),
                self.tr(
                    "%1 leerlingen van %2 staan in het register maar niet in dit bestand. Zijn zij "
                    "van school af? Kies Ja om ze vandaag als vertrokken te markeren (hun gegevens "
                    "blijven bewaard tot de bewaartermijn voorbij is)."
                ),
            ).replace("%2", ", ".join(result.locations)),
        ):
            try:
                pupil_store.mark_pupils_left(self.db, absent)
            except InputError as exc:
                self._import_failed(title, exc)
            self.reload()

    def _backup_before_import(self, title: str) -> bool:
        """A backup before every import (issue 7), so a wrong but valid file can be undone."""
        from merlet_desk.store import StoreError
        from merlet_desk.store.backup import backup_before

        try:
            backup_before(self.db, "voor-import")
        except StoreError as exc:
            dialogs.show_error(self, title, str(exc))
            return False
        return True

    def _run_consent_import(self, path: Path) -> QDialog | None:
        """The import dialog: the file's columns, the first rows as read and what the import
        changes, before anything is written (`ConsentImportDialog`)."""
        from merlet_desk.imports import consents as consent_import
        from merlet_desk.ui.consent.import_dialog import ConsentImportDialog

        title = self.tr("Toestemmingen importeren")
        table = self._read_import_table(title, path, consent_import.read_consent_table)
        if table is None:
            return None
        dialog = ConsentImportDialog(
            self.db, path, table, lambda: self._backup_before_import(title), self
        )
        dialog.imported.connect(self._after_consent_import)
        self.import_dialog = dialog
        return self._show_dialog(dialog)

    def _after_consent_import(self, result: Any) -> None:
        self.reload()
        dialogs.show_info(self, self.tr("Toestemmingen importeren"), consent_import_summary(result))

    def save_example_file(self) -> Path | None:
        """Voorbeeldbestand opslaan: what a pupil export or a consent file must look like."""
        from merlet_desk.imports import examples
        from merlet_desk.ui.consent.import_dialog import save_example

        choices = {
            self.tr("Leerlingen (export uit Magister of SOMtoday)"): examples.PUPILS,
            self.tr("Toestemmingen uit het ouderportaal (een kolom per doel)"): examples.CONSENTS,
            self.tr("Toestemmingen, één rij per besluit"): examples.CONSENTS_LONG,
        }
        title = self.tr("Voorbeeldbestand opslaan")
        chosen = dialogs.choose_item(self, title, self.tr("Welk voorbeeld?"), list(choices))
        if chosen is None:
            return None
        return save_example(self, self.db, choices[chosen])

    # -- tabs ---------------------------------------------------------------------------------

    def _on_tab(self, index: int) -> None:
        if self.tabs.widget(index) is not self._reminders_holder:
            return
        with busy_cursor():
            if self.reminders is None:
                self.reminders = RemindersView(self.db, self.open_history)
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


def pupil_import_summary(result: object) -> str:
    """ "Import gelukt: 12 toegevoegd, 3 bijgewerkt, 480 ongewijzigd." """
    return (
        QCoreApplication.translate(
            "consent", "Import gelukt: %1 toegevoegd, %2 bijgewerkt, %3 ongewijzigd."
        )
        .replace("%1", number_text(getattr(result, "added", 0)))
        .replace("%2", number_text(getattr(result, "updated", 0)))
        .replace("%3", number_text(getattr(result, "unchanged", 0)))
    )


def consent_import_summary(result: object) -> str:
    """ "Import gelukt: 40 besluiten vastgelegd, 2 stonden er al." and, when there are, the
    conflicts left for the officer and the publications that must now come down."""
    added, present = getattr(result, "added", 0), getattr(result, "already_present", 0)
    text = (
        QCoreApplication.translate("consent", "Import gelukt: %1, %2.")
        .replace(
            "%1",
            count_text(
                added,
                QCoreApplication.translate("consent", "1 besluit vastgelegd"),
                QCoreApplication.translate("consent", "%1 besluiten vastgelegd"),
            ),
        )
        .replace(
            "%2",
            count_text(
                present,
                QCoreApplication.translate("consent", "1 stond er al"),
                QCoreApplication.translate("consent", "%1 stonden er al"),
            ),
        )
    )
    conflicts = len(getattr(result, "conflicts", ()))
    if conflicts:
        text += " " + count_text(
            conflicts,
            QCoreApplication.translate(
                "consent",
                "1 antwoord is niet overgenomen: het register heeft een nieuwer besluit. Kijk "
                "het na in het register.",
            ),
            QCoreApplication.translate(
                "consent",
                "%1 antwoorden zijn niet overgenomen: het register heeft een nieuwer besluit. "
                "Kijk ze na in het register.",
            ),
        )
    takedowns = len(getattr(result, "takedowns", ()))
    if takedowns:
        text += " " + count_text(
            takedowns,
            QCoreApplication.translate(
                "consent", "1 publicatie moet offline: zie Publicaties › Te verwijderen."
            ),
            QCoreApplication.translate(
                "consent", "%1 publicaties moeten offline: zie Publicaties › Te verwijderen."
            ),
        )
    return text


def build(context: SectionContext) -> QWidget:
    return ConsentSection(context)
