"""The case list: filters, counts per status, and a sortable table of cases."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from merlet_desk import clock
from merlet_desk.domain.cases import (
    ACTIVE_LABEL,
    STATUS_ACTIVE,
    STATUS_LABELS,
    STATUSES,
    period_presets,
)
from merlet_desk.domain.text import count_text, number_text
from merlet_desk.letterhead import location_names
from merlet_desk.store import cases as store
from merlet_desk.store.consent_settings import consent_settings
from merlet_desk.store.sqlite_utils_import import Database
from merlet_desk.ui.cases.list_model import COLUMNS, LATEST_COLUMN, CaseListModel, CaseSortProxy
from merlet_desk.ui.cases.widgets import fill_combo
from merlet_desk.ui.common.columns import ColumnFit
from merlet_desk.ui.common.empty_state import EmptyState
from merlet_desk.ui.common.widgets import TypedDateField as DateField

TEXT_DELAY_MS = 250
STATUS_COLOURS = {"open": "#c0392b", "in_progress": "#d68910", "closed": "#1e8449"}


class CaseListView(QWidget):
    """Filters on top, counts per status, then the table. Emits `openRequested(reference)`."""

    openRequested = Signal(str)
    newRequested = Signal()
    exportRequested = Signal()
    listsChanged = Signal()

    def __init__(self, db: Database, read_only: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.read_only = read_only

        title = QLabel(self.tr("Incidenten"))
        title.setStyleSheet("font-size:16pt; font-weight:600; color:#1f3a5f;")
        self.new_button = QPushButton(self.tr("&Nieuw incident"))
        self.new_button.setToolTip(self.tr("Nieuw incident (Ctrl+N)"))
        self.new_button.clicked.connect(self.newRequested)
        self.new_button.setVisible(not read_only)
        self.open_button = QPushButton(self.tr("&Openen"))
        self.open_button.clicked.connect(self.open_current)
        self.export_button = QPushButton(self.tr("Exporteren als &PDF"))
        self.export_button.clicked.connect(self.exportRequested)
        self.export_button.hide()  # shown by the section when a case overview report exists
        self.lists_button = QPushButton(self.tr("&Categorieën en platforms…"))
        self.lists_button.clicked.connect(self.edit_lists)
        self.lists_button.setVisible(not read_only)
        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        for button in (self.lists_button, self.export_button, self.open_button, self.new_button):
            header.addWidget(button)

        self.location = QComboBox()
        fill_combo(
            self.location,
            [(name, name) for name in location_names()],
            empty_label=self.tr("Alle locaties"),
        )
        self.status = QComboBox()
        fill_combo(
            self.status,
            [(STATUS_ACTIVE, self.tr(ACTIVE_LABEL))]
            + [(code, self.tr(STATUS_LABELS[code])) for code in STATUSES],
            empty_label=self.tr("Alle statussen"),
        )
        self.category = QComboBox()
        self.platform = QComboBox()
        self.reload_lists()
        self.period = QComboBox()
        self.period.setAccessibleName(self.tr("Periode"))
        self.period.addItem(self.tr("Alle perioden"), None)
        for code, label, start, end in period_presets(clock.today(), self._school_year_start()):
            self.period.addItem(self.tr(label), (code, start, end))
        self.date_from = DateField()
        self.date_to = DateField()
        self.text = QLineEdit()
        self.text.setPlaceholderText(self.tr("Zoek in samenvatting, beschrijving en tijdlijn"))
        self.text.setClearButtonEnabled(True)
        self.clear_button = QPushButton(self.tr("&Wis filters"))
        self.clear_button.clicked.connect(self.clear_filters)

        self.location.setAccessibleName(self.tr("Locatie"))
        self.status.setAccessibleName(self.tr("Status"))
        self.category.setAccessibleName(self.tr("Categorie"))
        self.platform.setAccessibleName(self.tr("Platform"))
        self.date_from.setAccessibleName(self.tr("Incident vanaf"))
        self.date_to.setAccessibleName(self.tr("Incident tot en met"))

        filters = QHBoxLayout()
        for widget in (self.location, self.status, self.category, self.platform):
            widget.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            widget.setMinimumContentsLength(12)
            filters.addWidget(widget)
        self.category.setMinimumContentsLength(22)
        filters.addStretch(1)
        search_row = QHBoxLayout()
        search_row.addWidget(self.period)
        from_label = QLabel(self.tr("&Van"))
        from_label.setBuddy(self.date_from)
        to_label = QLabel(self.tr("t/&m"))
        to_label.setBuddy(self.date_to)
        for part in (from_label, self.date_from, to_label, self.date_to):
            search_row.addWidget(part)
        search_label = QLabel(self.tr("&Zoek"))
        search_label.setBuddy(self.text)
        search_row.addSpacing(12)
        search_row.addWidget(search_label)
        search_row.addWidget(self.text, 1)
        search_row.addWidget(self.clear_button)

        self.count_labels: dict[str, QPushButton] = {}
        counts = QHBoxLayout()
        for code in STATUSES:
            button = QPushButton()
            button.setFlat(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setStyleSheet(
                f"QPushButton {{ color:{STATUS_COLOURS[code]}; font-weight:600; "
                "padding:2px 8px; text-align:left; }"
            )
            button.setToolTip(self.tr("Toon alleen deze status"))
            button.clicked.connect(lambda _checked=False, c=code: self._select_status(c))
            self.count_labels[code] = button
            counts.addWidget(button)
        self.shown_label = QLabel()
        self.shown_label.setStyleSheet("color:#5a6b80;")
        counts.addStretch(1)
        counts.addWidget(self.shown_label)

        self.model = CaseListModel(self)
        self.proxy = CaseSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setWordWrap(False)
        # What people read gets the room: the summary stretches and the category shows whole;
        # on a narrow window the latest step (whole in the case) makes way first.
        keys = [key for key, _title in COLUMNS]
        widths = {"reference": 80, "incident_date": 105, "location": 60, "category": 300}
        widths |= {"platform": 85, "status": 105, "latest": 200}
        self.column_fit = ColumnFit(
            self.table,
            stretch=keys.index("summary"),
            widths={keys.index(key): width for key, width in widths.items()},
            narrow={keys.index("category"): 240, keys.index("latest"): 150},
            hide=(keys.index("latest"),),
            narrowest={keys.index("category"): 170},
            min_stretch=260,
        )
        # `activated` is a double-click, or Enter on the current row (the platform decides);
        # connecting doubleClicked as well loaded every case twice.
        self.table.activated.connect(self._open_index)
        self.table.setAccessibleName(self.tr("Incidenten"))

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(filters)
        layout.addLayout(search_row)
        layout.addLayout(counts)
        self.table_or_empty = EmptyState(self.table)
        layout.addWidget(self.table_or_empty, 1)

        self._text_timer = QTimer(self)
        self._text_timer.setSingleShot(True)
        self._text_timer.setInterval(TEXT_DELAY_MS)
        self._text_timer.timeout.connect(self.refresh)
        self.text.textChanged.connect(self._text_timer.start)
        for combo in (self.location, self.status, self.category, self.platform):
            combo.currentIndexChanged.connect(self.refresh)
        for field in (self.date_from, self.date_to):
            field.editingFinished.connect(self.refresh)
            field.dateChanged.connect(self._date_typed)
            field.textEdited.connect(lambda _text: self._forget_period())
        self.period.currentIndexChanged.connect(self._period_chosen)
        if not read_only:
            QShortcut(QKeySequence.StandardKey.New, self).activated.connect(self.newRequested)
        self.refresh()

    # -- filters ------------------------------------------------------------------------------

    def reload_lists(self) -> None:
        """(Re)fill the category and platform filters from the editable lists."""
        for combo, entries, empty in (
            (self.category, store.list_categories(self.db), self.tr("Alle categorieën")),
            (self.platform, store.list_platforms(self.db), self.tr("Alle platforms")),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            fill_combo(combo, [(e.code, e.label) for e in entries], empty_label=empty)
            index = combo.findData(current) if current else 0
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)

    def edit_lists(self) -> None:
        """Open the category/platform editor; refresh the filters and rows afterwards."""
        from merlet_desk.ui.cases.lists_dialog import CaseListsDialog

        dialog = CaseListsDialog(self.db, self)
        dialog.finished.connect(lambda _result: self._lists_closed(dialog))
        dialog.open()
        self.lists_dialog = dialog

    def _lists_closed(self, dialog: QWidget) -> None:
        if getattr(dialog, "changed", False):
            self.reload_lists()
            self.refresh()
            self.listsChanged.emit()

    def current_filter(self) -> store.CaseFilter:
        return store.CaseFilter(
            location=self.location.currentData() or None,
            status=self.status.currentData() or None,
            category=self.category.currentData() or None,
            platform=self.platform.currentData() or None,
            date_from=self.date_from.value_or_none(),
            date_to=self.date_to.value_or_none(),
            text=self.text.text().strip(),
        )

    def _date_typed(self) -> None:
        for field in (self.date_from, self.date_to):
            field.setStyleSheet("" if field.is_valid() else "border:1px solid #b00020;")
        # A completed date filters at once; a half-typed one waits for editingFinished.
        if all(f.is_valid() for f in (self.date_from, self.date_to)):
            self._text_timer.start()

    def _school_year_start(self) -> tuple[int, int]:
        """The consent settings' school-year start (1 August when unset or unreadable)."""
        return consent_settings(self.db).school_year_start

    def _period_chosen(self) -> None:
        choice = self.period.currentData()
        if choice is None:
            return
        _code, start, end = choice
        for field, value in ((self.date_from, start), (self.date_to, end)):
            field.blockSignals(True)
            field.set_date(value)
            field.blockSignals(False)
        self._date_typed()
        self.refresh()

    def _forget_period(self) -> None:
        self.period.blockSignals(True)
        self.period.setCurrentIndex(0)
        self.period.blockSignals(False)

    def _select_status(self, code: str) -> None:
        index = self.status.findData(code)
        self.status.setCurrentIndex(0 if self.status.currentIndex() == index else index)

    def show_active(self) -> None:
        """Only the active cases (open or in progress), the one with the oldest last step
        first and chosen: the list the start screen's card counts."""
        self.clear_filters()
        self.status.setCurrentIndex(self.status.findData(STATUS_ACTIVE))
        self.table.sortByColumn(LATEST_COLUMN, Qt.SortOrder.AscendingOrder)
        if self.proxy.rowCount():
            self.table.selectRow(0)
            self.table.scrollToTop()

    def clear_filters(self) -> None:
        for widget in (self.location, self.status, self.category, self.platform, self.period):
            widget.blockSignals(True)
            widget.setCurrentIndex(0)
            widget.blockSignals(False)
        for field in (self.date_from, self.date_to, self.text):
            field.blockSignals(True)
            field.clear()
            field.blockSignals(False)
        self._date_typed()
        self.refresh()

    def refresh(self) -> None:
        """Query the store with the current filter and show the result and the counts."""
        self._text_timer.stop()
        case_filter = self.current_filter()
        selected = self.current_reference()
        self.model.set_rows(store.list_cases(self.db, case_filter))
        counts = store.count_by_status(self.db, case_filter)
        for code, button in self.count_labels.items():
            button.setText(f"{self.tr(STATUS_LABELS[code])}: {number_text(counts[code])}")
        shown = self.model.rowCount()
        self.shown_label.setText(
            count_text(shown, self.tr("1 incident getoond"), self.tr("%1 incidenten getoond"))
        )
        if case_filter == store.CaseFilter():
            self.table_or_empty.sync(
                shown,
                self.tr(
                    "Nog geen incidenten vastgelegd. Leg een digitaal incident vast met de "
                    "maatregelen die zijn genomen (afspraak 13 en 14 van het beleid)."
                ),
                [] if self.read_only else [(self.tr("Nieuw incident"), self.newRequested.emit)],
            )
        else:
            self.table_or_empty.sync(
                shown,
                self.tr("Geen incidenten bij deze filters."),
                [(self.tr("Filters wissen"), self.clear_filters)],
            )
        if selected:
            self.select_reference(selected)

    # -- selection ----------------------------------------------------------------------------

    def current_reference(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.proxy.case_row(index.row()).reference

    def select_reference(self, reference: str) -> bool:
        for row in range(self.proxy.rowCount()):
            if self.proxy.case_row(row).reference == reference:
                self.table.selectRow(row)
                self.table.scrollTo(self.proxy.index(row, 0))
                return True
        return False

    def visible_references(self) -> list[str]:
        return [self.proxy.case_row(row).reference for row in range(self.proxy.rowCount())]

    def open_current(self) -> None:
        reference = self.current_reference()
        if reference:
            self.openRequested.emit(reference)

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.openRequested.emit(self.proxy.case_row(index.row()).reference)
