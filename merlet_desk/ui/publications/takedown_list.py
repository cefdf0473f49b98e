"""Te verwijderen: the publications that show a pupil who may no longer appear there (issue 6).

One row per open takedown (a publication × a pupil) from `store.publications.open_takedowns`,
with the item, channel, link, pupil, reason and since when. The officer resolves rows with the
buttons: the publication was taken down, the pupil was made unrecognisable, or it stays up with
a reason (a printed yearbook cannot be recalled). Every question goes through `ui.common.dialogs`; the
PDF is the report of `merlet-desk report takedowns`. In read-only mode only the export is there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from merlet_desk import clock
from merlet_desk.domain.text import fold
from merlet_desk.errors import InputError
from merlet_desk.store import publications as store
from merlet_desk.ui.common import dialogs, export
from merlet_desk.ui.common.word_filter import WordFilter

SORT_ROLE = Qt.ItemDataRole.UserRole
TAKEDOWN_ROLE = Qt.ItemDataRole.UserRole + 1

COL_ITEM, COL_CHANNEL, COL_LINK, COL_PUPIL, COL_REASON, COL_SINCE = range(6)
HEADERS = ("Item", "Kanaal", "Link", "Leerling", "Reden", "Sinds")


def _tr(text: str) -> str:
    return QCoreApplication.translate("takedowns", text)


def format_date(value: date | None) -> str:
    """24-11-2026."""
    return value.strftime("%d-%m-%Y") if value else ""


@dataclass(frozen=True)
class TakedownRow:
    """One takedown with its display texts, sort keys and search text precomputed."""

    takedown: store.Takedown
    texts: tuple[str, ...]
    keys: tuple[str, ...]
    search: str


def make_row(takedown: store.Takedown) -> TakedownRow:
    pupil = takedown.pupil
    texts = (
        takedown.item_title,
        takedown.purpose_label,
        takedown.link,
        f"{pupil.name} ({pupil.class_name}, {pupil.number})",
        _tr(takedown.reason_label),
        format_date(takedown.since),
    )
    since = takedown.since.isoformat()
    name = "\x01".join(pupil.sort_key)
    title = fold(takedown.item_title)
    keys = (  # strings, so the proxy compares them as they are
        f"{title}\x02{since}",
        f"{fold(takedown.purpose_label)}\x02{since}",
        f"{fold(takedown.link)}\x02{since}",
        f"{name}\x02{since}",
        f"{takedown.reason}\x02{since}",
        f"{since}\x02{title}\x02{name}",
    )
    search = fold(" ".join((*texts, pupil.number, takedown.file_name)))
    return TakedownRow(takedown, texts, keys, search)


class TakedownModel(QAbstractTableModel):
    """The open takedowns, in the store's order (oldest first)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[TakedownRow] = []

    def load(self, takedowns: list[store.Takedown]) -> None:
        self.beginResetModel()
        self._rows = [make_row(t) for t in takedowns]
        self.endResetModel()

    def row_at(self, row: int) -> TakedownRow:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return _tr(HEADERS[section]) if 0 <= section < len(HEADERS) else None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        column = index.column()
        if not (0 <= column < len(HEADERS)):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.texts[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COL_ITEM:
                published = format_date(row.takedown.published_on)
                tip = (
                    _tr("%1 — gepubliceerd op %2")
                    .replace("%1", row.texts[0])
                    .replace("%2", published)
                )
                if row.takedown.file_name:  # the file that is out (a cleaned one if made)
                    tip += "\n" + _tr("Bestand: %1").replace("%1", row.takedown.file_name)
                return tip
            return row.texts[column]
        if role == SORT_ROLE:
            return row.keys[column]
        if role == TAKEDOWN_ROLE:
            return row.takedown
        return None


class TakedownProxy(WordFilter, QSortFilterProxyModel):
    """Sorts on SORT_ROLE and keeps the rows whose text holds every word typed."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._words: list[str] = []


class _MiddleElided(QStyledItemDelegate):
    """Elide in the middle: a link's start and its last part are what tell links apart."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: Any) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle


class TakedownList(QWidget):
    """The takedown list with its actions; `countChanged` carries the number still open."""

    countChanged = Signal(int)
    itemRequested = Signal(int)  # a double-click: open this item

    def __init__(
        self,
        db: Database,
        read_only: bool = False,
        parent: QWidget | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.read_only = read_only
        self._fixed_today = today
        self.count = 0

        explanation = QLabel(
            self.tr(
                "Publicaties waarop een leerling staat die er niet (meer) op mag. Haal ze weg "
                "of leg vast waarom ze blijven staan."
            )
        )
        explanation.setWordWrap(True)
        explanation.setStyleSheet("color:#3c4650;")
        self.summary = QLabel()
        self.summary.setStyleSheet("font-size:11pt; color:#1f3a5f;")
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Zoek op item, kanaal, leerling of reden…"))
        self.search.setClearButtonEnabled(True)

        self.model = TakedownModel(self)
        self.proxy = TakedownProxy(self)
        self.proxy.setSourceModel(self.model)
        self.search.textChanged.connect(self.proxy.set_search)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_SINCE, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        # The reason matters most; a long link gives way (middle elided, whole in the tooltip).
        header.setSectionResizeMode(COL_LINK, QHeaderView.ResizeMode.Stretch)
        for column, width in enumerate((175, 150, 200, 225, 255, 85)):
            self.table.setColumnWidth(column, width)
        self.link_delegate = _MiddleElided(self.table)
        self.table.setItemDelegateForColumn(COL_LINK, self.link_delegate)
        self.table.doubleClicked.connect(self._open_item)
        self.table.setAccessibleName(self.tr("Te verwijderen publicaties"))

        self.empty = QLabel(self.tr("Er hoeft niets verwijderd te worden."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color:#2e6b34; font-size:13pt;")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        self.take_down_button = QPushButton(self.tr("Markeer als verwijderd…"))
        self.unrecognisable_button = QPushButton(self.tr("Leerling onherkenbaar gemaakt…"))
        self.keep_button = QPushButton(self.tr("Blijft staan…"))
        self.export_button = QPushButton(self.tr("Exporteren als pdf…"))
        self.refresh_button = QPushButton(self.tr("Vernieuwen"))
        self.take_down_button.setToolTip(
            self.tr("De publicatie is weggehaald (van de website, Instagram, de schermen…).")
        )
        self.unrecognisable_button.setToolTip(
            self.tr("De leerling is achteraf vervaagd of weggesneden in deze publicatie.")
        )
        self.keep_button.setToolTip(
            self.tr("De publicatie blijft staan, met de reden (bijv. een gedrukt jaarboek).")
        )
        self.take_down_button.clicked.connect(self.take_down_selected)
        self.unrecognisable_button.clicked.connect(self.mark_unrecognisable_selected)
        self.keep_button.clicked.connect(self.keep_selected)
        self.export_button.clicked.connect(self.export_pdf)
        self.refresh_button.clicked.connect(self.refresh)
        self.edit_buttons = (self.take_down_button, self.unrecognisable_button, self.keep_button)
        for button in self.edit_buttons:
            button.setVisible(not read_only)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.search, 1)
        top.addWidget(self.refresh_button)
        buttons = QHBoxLayout()
        for button in self.edit_buttons:
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        self._load()

    # -- loading ------------------------------------------------------------------------------

    @property
    def today(self) -> date:
        return self._fixed_today or clock.today()

    def _load(self) -> int:
        takedowns = store.open_takedowns(self.db, self.today)
        self.model.load(takedowns)
        self.count = len(takedowns)
        publications = len({t.publication_id for t in takedowns})
        self.summary.setText(
            self.tr("Stand op %1: %2 open in %3 publicatie(s)")
            .replace("%1", format_date(self.today))
            .replace("%2", str(self.count))
            .replace("%3", str(publications))
        )
        self.stack.setCurrentWidget(self.table if takedowns else self.empty)
        self.search.setEnabled(bool(takedowns))
        self._update_buttons()
        return self.count

    def refresh(self) -> None:
        """Read the list again (after a consent decision or a change to an item); emits
        `countChanged` when the number open changed."""
        before = self.count
        if self._load() != before:
            self.countChanged.emit(self.count)

    # -- selection ----------------------------------------------------------------------------

    def selected(self) -> list[store.Takedown]:
        """The takedowns of the selected rows, in the order shown."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        result = []
        for row in rows:
            takedown = self.proxy.index(row, 0).data(TAKEDOWN_ROLE)
            if isinstance(takedown, store.Takedown):
                result.append(takedown)
        return result

    def select_rows(self, rows: list[int]) -> None:
        """Select these rows (of the view), e.g. from a test or after a search."""
        self.table.clearSelection()
        mode = self.table.selectionMode()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for row in rows:
            self.table.selectRow(row)
        self.table.setSelectionMode(mode)

    def _update_buttons(self) -> None:
        chosen = bool(self.table.selectionModel().selectedRows()) and not self.read_only
        for button in self.edit_buttons:
            button.setEnabled(chosen)

    def _open_item(self, index: QModelIndex) -> None:
        takedown = index.data(TAKEDOWN_ROLE)
        if isinstance(takedown, store.Takedown):
            self.itemRequested.emit(takedown.item_id)

    # -- actions ------------------------------------------------------------------------------

    def _apply(self, title: str, change: Any) -> bool:
        """Run `change()` as one transaction; tell the user and change nothing on bad input."""
        try:
            with self.db.atomic():
                change()
        except InputError as exc:
            dialogs.show_error(self, title, str(exc))
            return False
        self.refresh()
        return True

    def take_down_selected(self) -> bool:
        """Ask the date (default today) and a note; mark the selected publications taken down."""
        chosen = self.selected()
        if not chosen or self.read_only:
            return False
        title = self.tr("Markeer als verwijderd")
        publications = list(dict.fromkeys(t.publication_id for t in chosen))
        answer = dialogs.ask_date_and_note(
            self,
            title,
            self.tr("Verwijderd op"),
            self.today,
            self.tr("Opmerking (mag leeg)"),
        )
        if answer is None:
            return False
        on, note = answer

        def change() -> None:
            for publication_id in publications:
                store.take_down(self.db, publication_id, on, note)

        return self._apply(title, change)

    def mark_unrecognisable_selected(self) -> bool:
        """Ask how; record each selected pupil as made unrecognisable in that publication."""
        chosen = self.selected()
        if not chosen or self.read_only:
            return False
        title = self.tr("Leerling onherkenbaar gemaakt")
        how = dialogs.ask_text(
            self,
            title,
            self.tr("Hoe is de leerling onherkenbaar gemaakt? (bijv. gezicht vervaagd)"),
            self.tr("gezicht vervaagd"),
        )
        if how is None:
            return False

        def change() -> None:
            for takedown in chosen:
                store.mark_unrecognisable(
                    self.db, takedown.publication_id, takedown.pupil.number, how
                )

        return self._apply(title, change)

    def keep_selected(self) -> bool:
        """Ask why; record that each selected publication stays up for that pupil."""
        chosen = self.selected()
        if not chosen or self.read_only:
            return False
        title = self.tr("Blijft staan")
        reason = dialogs.ask_text(
            self,
            title,
            self.tr(
                "Waarom blijft de publicatie staan? (bijv. gedrukt jaarboek kan niet worden "
                "teruggehaald)"
            ),
        )
        if reason is None:
            return False

        def change() -> None:
            for takedown in chosen:
                store.keep_publication(
                    self.db,
                    takedown.publication_id,
                    takedown.pupil.number,
                    takedown.reason,
                    takedown.since,
                    reason,
                )

        return self._apply(title, change)

    def export_pdf(self) -> Any:
        """The report "Te verwijderen publicaties" through the usual export."""
        from merlet_desk.reports.takedowns import build_takedowns_report

        db, on = self.db, self.today
        return export.export_report(
            self,
            self.tr("Te verwijderen publicaties"),
            f"te-verwijderen-{on.isoformat()}.pdf",
            lambda db, path: build_takedowns_report(db, path, on=on),
            db,
        )
