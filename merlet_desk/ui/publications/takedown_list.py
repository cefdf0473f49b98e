"""Te verwijderen: the publications that show a pupil who may no longer appear there.

One row per publication (the officer takes down a post, not a publication × pupil pair), with
its pupils, their reason and since when beneath it. Under the list, for the
publication chosen, which box of its file hid whom: the pupils already unrecognisable in it. The officer resolves them with
the buttons: the publication was taken down (works on the publication), a pupil was made
unrecognisable, or it stays up with a reason (both work on the pupils chosen, or on all pupils
of a chosen publication). Every question goes through `ui.common.dialogs`; the PDF is the
report of `merlet-desk report takedowns`. In read-only mode only the export is there.

The model holds the publications and their pupils as two levels and sorts in Python on
precomputed keys; the search hides the publication rows that do not match.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from merlet_desk import clock
from merlet_desk.domain.dates import format_date
from merlet_desk.domain.publications import HiddenFaces
from merlet_desk.domain.text import count_text, fold
from merlet_desk.errors import InputError
from merlet_desk.store import publications as store
from merlet_desk.store import takedowns as takedown_store
from merlet_desk.store.sqlite_utils_import import Database
from merlet_desk.ui.common import dialogs, export
from merlet_desk.ui.common.columns import ColumnFit, MiddleElided
from merlet_desk.ui.common.flow_layout import FlowLayout

COL_ITEM, COL_PURPOSE, COL_LINK, COL_REASON, COL_SINCE = range(5)
CHOSEN_LINES = 6  # publications named in an action's question before "… en nog 3"
HEADERS = ("Publicatie en leerlingen", "Doel", "Link", "Reden", "Sinds")


def _tr(text: str) -> str:
    return QCoreApplication.translate("takedowns", text)


PAYLOAD_ROLE = Qt.ItemDataRole.UserRole + 1
AnyIndex = QModelIndex | QPersistentModelIndex
_TOP = 0  # internal id of a publication row; a pupil row's id is its publication's row + 1


@dataclass(frozen=True)
class _Row:
    """A shown row: its texts, sort keys and what it stands for."""

    texts: tuple[str, ...]
    keys: tuple[str, ...]
    payload: Any  # PublicationTakedowns (publication row) or Takedown (pupil row)
    search: str = ""
    tooltips: tuple[str, ...] = ()


def publication_row(group: takedown_store.PublicationTakedowns) -> tuple[_Row, list[_Row]]:
    """The publication's row and one row per pupil beneath it."""
    reasons = list(dict.fromkeys(_tr(t.reason_label) for t in group.takedowns))
    since = group.since.isoformat()
    title = fold(group.item_title)
    parent = _Row(
        (
            group.item_title,
            group.purpose_label,
            group.link,
            reasons[0] if len(reasons) == 1 else _tr("Verschillende redenen"),
            format_date(group.since),
        ),
        (
            f"{title}\x02{since}",
            f"{fold(group.purpose_label)}\x02{since}",
            f"{fold(group.link)}\x02{since}",
            f"{fold(reasons[0])}\x02{since}",
            f"{since}\x02{title}",
        ),
        group,
        # Folded part by part (the same as folding the whole: a space joins no accents), so
        # the names, which repeat across publications, come from fold's cache.
        " ".join(
            fold(part)
            for part in (
                group.item_title,
                group.purpose_label,
                group.link,
                *reasons,
                group.file_name,
                *(
                    part
                    for t in group.takedowns
                    for part in (t.pupil.name, t.pupil.number, t.pupil.class_name)
                ),
            )
        ),
        (
            _tr("%1 — gepubliceerd op %2, %3")
            .replace("%1", group.item_title)
            .replace("%2", format_date(group.published_on))
            .replace(
                "%3",
                count_text(len(group.takedowns), _tr("1 leerling"), _tr("%1 leerlingen")),
            )
            + "\n"
            + group.link
            # the file that is out (a cleaned one if Merlet Desk made it)
            + ("\n" + _tr("Bestand: %1").replace("%1", group.file_name) if group.file_name else "")
            + hidden_text(group.faces, "\n"),
            group.purpose_label,
            group.link,
        ),
    )
    children = []
    for takedown in group.takedowns:
        pupil = takedown.pupil
        name = "\x01".join(pupil.sort_key)
        children.append(
            _Row(
                (
                    f"{pupil.name} ({pupil.class_name}, {pupil.number})",
                    "",
                    "",
                    _tr(takedown.reason_label),
                    format_date(takedown.since),
                ),
                (name, name, name, f"{takedown.reason}\x02{name}", f"{takedown.since}\x02{name}"),
                takedown,
                tooltips=(pupil.name,),
            )
        )
    return parent, children


def hidden_text(faces: HiddenFaces, separator: str) -> str:
    """Which box of a publication's file hid whom, after `separator`; "" when nothing was
    made unrecognisable in it."""
    lines = faces.lines()
    if not lines:
        return ""
    return separator + _tr("Al onherkenbaar in dit bestand:") + separator + separator.join(lines)


class TakedownModel(QAbstractItemModel):
    """Publications (top level) with their pupils beneath; sorts in Python on precomputed
    keys, publications and each publication's pupils alike."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[_Row] = []
        self._children: list[list[_Row]] = []
        self._column = COL_SINCE
        self._order = Qt.SortOrder.AscendingOrder

    def load(self, groups: list[takedown_store.PublicationTakedowns]) -> None:
        self.beginResetModel()
        built = [publication_row(group) for group in groups]
        self._rows = [parent for parent, _children in built]
        self._children = [children for _parent, children in built]
        self._sort_lists()
        self.endResetModel()

    def row_at(self, row: int) -> _Row:
        return self._rows[row]

    def _sort_lists(self) -> None:
        reverse = self._order == Qt.SortOrder.DescendingOrder
        column = self._column
        pairs = sorted(
            zip(self._rows, self._children, strict=True),
            key=lambda pair: pair[0].keys[column],
            reverse=reverse,
        )
        self._rows = [parent for parent, _children in pairs]
        self._children = [
            sorted(children, key=lambda r: r.keys[column], reverse=reverse)
            for _parent, children in pairs
        ]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(HEADERS):
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        where = [(self._row_of(i), i.column()) for i in old]
        self._column, self._order = column, order
        self._sort_lists()
        self.changePersistentIndexList(old, [self._index_of(row, col) for row, col in where])
        self.layoutChanged.emit()

    def _row_of(self, index: AnyIndex) -> _Row:
        if index.internalId() == _TOP:
            return self._rows[index.row()]
        return self._children[index.internalId() - 1][index.row()]

    def _index_of(self, row: _Row, column: int) -> QModelIndex:
        for position, parent in enumerate(self._rows):
            if parent is row:
                return self.createIndex(position, column, _TOP)
            for child_position, child in enumerate(self._children[position]):
                if child is row:
                    return self.createIndex(child_position, column, position + 1)
        return QModelIndex()

    # -- QAbstractItemModel -------------------------------------------------------------------

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not 0 <= column < len(HEADERS):
            return QModelIndex()
        if not parent.isValid():
            return (
                self.createIndex(row, column, _TOP) if 0 <= row < len(self._rows) else QModelIndex()
            )
        if parent.internalId() != _TOP or not 0 <= parent.row() < len(self._rows):
            return QModelIndex()
        if not 0 <= row < len(self._children[parent.row()]):
            return QModelIndex()
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: AnyIndex | None = None) -> Any:
        if index is None:
            return super().parent()  # QObject.parent()
        if not index.isValid() or index.internalId() == _TOP:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _TOP)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        if not parent.isValid():
            return len(self._rows)
        if parent.internalId() == _TOP and parent.column() == 0:
            return len(self._children[parent.row()])
        return 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return len(HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(HEADERS)
        ):
            return _tr(HEADERS[section])
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._row_of(index)
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return row.texts[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tooltips[column] if column < len(row.tooltips) else None
        if role == Qt.ItemDataRole.FontRole and column == COL_ITEM and index.internalId() == _TOP:
            return _bold()
        if role == PAYLOAD_ROLE:
            return row.payload
        return None


_BOLD: list[QFont] = []


def _bold() -> QFont:
    if not _BOLD:
        font = QFont(QGuiApplication.font())
        font.setBold(True)
        _BOLD.append(font)
    return _BOLD[0]


class TakedownList(QWidget):
    """The takedown list with its actions; `countChanged` carries the publications still
    open."""

    countChanged = Signal(int)
    itemRequested = Signal(int)  # a double-click: open this item

    def __init__(
        self,
        db: Database,
        read_only: bool = False,
        parent: QWidget | None = None,
        today: date | None = None,
        *,
        rows_when_shown: bool = False,
    ) -> None:
        """`rows_when_shown`: count at once, but build the rows the first time the list is
        shown (a tab the officer may never open: 0.5 s of rows at 20,000 pupils)."""
        super().__init__(parent)
        self.db = db
        self._rows_when_shown = rows_when_shown
        self._groups_to_show: list[takedown_store.PublicationTakedowns] | None = None
        self.read_only = read_only
        self._fixed_today = today
        self.count = 0
        self.pupil_count = 0
        # Where the database stood when the shown list was read: a refresh with nothing
        # committed since, on the same day, has nothing to show (the section's and the tab's
        # show events both refresh; at 20,000 pupils building the rows again took 0.6 s).
        self._shown_stamp: tuple[date, int, int] | None = None

        explanation = QLabel(
            self.tr(
                "Publicaties waarop een leerling staat die er niet (meer) op mag. Haal ze weg, "
                "maak de leerling onherkenbaar, of leg vast waarom ze blijven staan."
            )
        )
        explanation.setWordWrap(True)
        explanation.setStyleSheet("color:#3c4650;")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size:11pt; color:#1f3a5f;")
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Zoek op publicatie, doel, leerling of reden…"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Zoek in Te verwijderen"))
        self.search.textChanged.connect(self._filter)

        self.model = TakedownModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setUniformRowHeights(True)
        self.tree.setWordWrap(False)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSortingEnabled(True)
        self.tree.sortByColumn(COL_SINCE, Qt.SortOrder.AscendingOrder)
        # What people read gets the room: the publication with its pupils stretches, the
        # reason shows whole; a long link gives way, elided in the middle and whole in its
        # tooltip.
        self.column_fit = ColumnFit(
            self.tree,
            stretch=COL_ITEM,
            widths={COL_PURPOSE: 240, COL_LINK: 180},
            narrow={COL_PURPOSE: 220},
            hide=(COL_LINK,),
            contents=(COL_REASON, COL_SINCE),
            min_stretch=240,
        )
        self.link_delegate = MiddleElided(self.tree)
        self.tree.setItemDelegateForColumn(COL_LINK, self.link_delegate)
        self.tree.doubleClicked.connect(self._open_item)
        self.tree.setAccessibleName(self.tr("Te verwijderen publicaties"))
        self.tree.selectionModel().selectionChanged.connect(self._update_buttons)

        self.empty = QLabel(self.tr("Er hoeft niets verwijderd te worden."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color:#2e6b34; font-size:13pt;")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tree)
        self.stack.addWidget(self.empty)
        self.hidden_info = QLabel()
        self.hidden_info.setWordWrap(True)
        self.hidden_info.setTextFormat(Qt.TextFormat.PlainText)
        self.hidden_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hidden_info.setStyleSheet("color:#3c4650;")
        self.hidden_info.hide()

        self.blur_dialog: QDialog | None = None  # the blur tool shown last
        self.take_down_button = QPushButton(self.tr("Markeer als &verwijderd…"))
        self.unrecognisable_button = QPushButton(self.tr("Leerling &onherkenbaar gemaakt…"))
        self.keep_button = QPushButton(self.tr("Blijft &staan…"))
        self.export_button = QPushButton(self.tr("&Exporteren als pdf…"))
        self.refresh_button = QPushButton(self.tr("Ver&nieuwen"))
        self.take_down_button.setToolTip(
            self.tr(
                "De gekozen publicatie is weggehaald (van de website, Instagram, de "
                "schermen…), voor alle leerlingen erop."
            )
        )
        self.unrecognisable_button.setToolTip(
            self.tr(
                "De gekozen leerling (of alle leerlingen van de gekozen publicatie) is achteraf "
                "vervaagd of weggesneden."
            )
        )
        self.keep_button.setToolTip(
            self.tr(
                "De publicatie blijft staan voor de gekozen leerling (of alle leerlingen van de "
                "gekozen publicatie), met de reden (bijv. een gedrukt jaarboek)."
            )
        )
        self.take_down_button.clicked.connect(self.take_down_selected)
        self.unrecognisable_button.clicked.connect(self.mark_unrecognisable_selected)
        self.keep_button.clicked.connect(self.keep_selected)
        self.export_button.clicked.connect(self.export_pdf)
        self.refresh_button.clicked.connect(self.refresh)
        self.edit_buttons = (self.take_down_button, self.unrecognisable_button, self.keep_button)
        for button in self.edit_buttons:
            button.setVisible(not read_only)

        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.search, 1)
        top.addWidget(self.refresh_button)
        buttons = FlowLayout()
        for button in (*self.edit_buttons, self.export_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.hidden_info)
        layout.addLayout(buttons)
        self._load()

    # -- loading ------------------------------------------------------------------------------

    @property
    def today(self) -> date:
        return self._fixed_today or clock.today()

    def _load(self) -> int:
        # Taken before the list is read: a commit while it is read makes the next refresh
        # read it again.
        self._shown_stamp = takedown_store.takedown_stamp(self.db, self.today)
        takedowns = takedown_store.open_takedowns(self.db, self.today)
        groups = takedown_store.group_by_publication(takedowns)
        if self._rows_when_shown and not self.isVisible():
            self._groups_to_show = groups
        else:
            self._show_rows(groups)
        self.count = len(groups)
        self.pupil_count = len({t.pupil.number for t in takedowns})
        self.summary.setText(
            self.tr("Stand op %1: %2")
            .replace("%1", format_date(self.today))
            .replace(
                "%2",
                count_text(
                    self.count,
                    self.tr("1 publicatie, met %3"),
                    self.tr("%1 publicaties, met samen %3"),
                ).replace(
                    "%3",
                    count_text(self.pupil_count, self.tr("1 leerling"), self.tr("%1 leerlingen")),
                ),
            )
        )
        if not groups:
            self.empty.setText(self.tr("Er hoeft niets verwijderd te worden."))
            self.stack.setCurrentWidget(self.empty)
        self.search.setEnabled(bool(groups))
        self._update_buttons()
        return self.count

    def _show_rows(self, groups: list[takedown_store.PublicationTakedowns]) -> None:
        self._groups_to_show = None
        self.model.load(groups)
        self.tree.expandAll()
        self.column_fit.refit()
        self._filter(self.search.text())

    def _ensure_rows(self) -> None:
        if self._groups_to_show is not None:
            self._show_rows(self._groups_to_show)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        self._ensure_rows()
        super().showEvent(event)

    def refresh(self) -> None:
        """Read the list again (after a consent decision or a change to an item); emits
        `countChanged` when the number of publications open changed."""
        if self._shown_stamp == takedown_store.takedown_stamp(self.db, self.today):
            return
        before = self.count
        if self._load() != before:
            self.countChanged.emit(self.count)

    def _filter(self, text: str) -> None:
        words = fold(text).split()
        shown = 0
        for row in range(self.model.rowCount()):
            hide = not all(word in self.model.row_at(row).search for word in words)
            self.tree.setRowHidden(row, QModelIndex(), hide)
            shown += not hide
        if self.model.rowCount() and not shown:  # say so, never a blank list
            self.empty.setText(
                self.tr("Geen publicatie gevonden voor „%1”. Wis de zoekterm om alle %2 te zien.")
                .replace("%1", text.strip())
                .replace("%2", str(self.model.rowCount()))
            )
            self.stack.setCurrentWidget(self.empty)
        elif self.model.rowCount():
            self.stack.setCurrentWidget(self.tree)

    # -- what is shown ------------------------------------------------------------------------

    def _shown_indexes(self) -> list[QModelIndex]:
        """The publication rows (column 0) as shown: sorted, not filtered out."""
        self._ensure_rows()
        return [
            self.model.index(row, 0)
            for row in range(self.model.rowCount())
            if not self.tree.isRowHidden(row, QModelIndex())
        ]

    def shown_publications(self) -> list[takedown_store.PublicationTakedowns]:
        return [index.data(PAYLOAD_ROLE) for index in self._shown_indexes()]

    def rows_text(self) -> list[list[str]]:
        """The shown publication rows as text (for tests and copy)."""
        columns = range(len(HEADERS))
        return [
            [self.model.index(index.row(), c).data() for c in columns]
            for index in self._shown_indexes()
        ]

    def pupils_text(self, position: int) -> list[list[str]]:
        """The pupil rows beneath the publication shown at `position`."""
        parent = self._shown_indexes()[position]
        return [
            [self.model.index(child, c, parent).data() for c in range(len(HEADERS))]
            for child in range(self.model.rowCount(parent))
        ]

    # -- selection ----------------------------------------------------------------------------

    def selected(self) -> list[takedown_store.Takedown]:
        """The takedowns chosen, in the order shown: a publication row stands for all its
        pupils."""
        chosen = {
            (index.parent().row(), index.row())
            for index in self.tree.selectionModel().selectedRows()
        }
        result: list[takedown_store.Takedown] = []
        for index in self._shown_indexes():
            group = index.data(PAYLOAD_ROLE)
            if (-1, index.row()) in chosen:
                result += [t for t in group.takedowns if t not in result]
            for child in range(self.model.rowCount(index)):
                if (index.row(), child) in chosen:
                    takedown = self.model.index(child, 0, index).data(PAYLOAD_ROLE)
                    if takedown not in result:
                        result.append(takedown)
        return result

    def selected_publications(self) -> list[int]:
        """The publications chosen (a pupil row stands for its publication)."""
        return list(dict.fromkeys(t.publication_id for t in self.selected()))

    def select_publications(self, positions: list[int]) -> None:
        """Select these publication rows (their positions as shown)."""
        shown = self._shown_indexes()
        self.tree.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for position in positions:
            self.tree.selectionModel().select(shown[position], flags)

    def select_pupil(self, publication: int, pupil: int) -> None:
        """Select one pupil row (its position) beneath publication row `publication`."""
        parent = self._shown_indexes()[publication]
        self.tree.clearSelection()
        self.tree.selectionModel().select(
            self.model.index(pupil, 0, parent),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )

    def _update_buttons(self) -> None:
        chosen = (
            self._groups_to_show is None
            and self.tree.selectionModel().hasSelection()
            and not self.read_only
        )
        for button in self.edit_buttons:
            button.setEnabled(chosen)
        self._show_hidden_info()

    def _show_hidden_info(self) -> None:
        """Which box hid whom, in the one publication chosen (its file)."""
        text = ""
        if self._groups_to_show is None:
            # A publication row or a pupil row: both know their publication and its file.
            chosen = [i.data(PAYLOAD_ROLE) for i in self.tree.selectionModel().selectedRows()]
            if len({payload.publication_id for payload in chosen}) == 1:
                text = hidden_text(chosen[0].faces, "\n").strip("\n")
        self.hidden_info.setText(text)
        self.hidden_info.setVisible(bool(text))

    def _open_item(self, index: QModelIndex) -> None:
        payload = index.data(PAYLOAD_ROLE)
        if payload is not None:
            self.itemRequested.emit(payload.item_id)

    # -- actions ------------------------------------------------------------------------------

    def chosen_text(self, chosen: list[takedown_store.Takedown], *, pupils: bool = True) -> str:
        """What an action works on, named, for its question: each publication (title and
        purpose) with, when `pupils`, the pupils chosen on it; a long choice ends in "…"."""
        lines: list[str] = []
        by_publication: dict[int, list[takedown_store.Takedown]] = {}
        for takedown in chosen:
            by_publication.setdefault(takedown.publication_id, []).append(takedown)
        for takedowns in by_publication.values():
            first = takedowns[0]
            line = f"• {first.item_title} ({first.purpose_label})"
            if pupils:
                line += ": " + ", ".join(t.pupil.name for t in takedowns)
            lines.append(line)
        shown = lines[:CHOSEN_LINES]
        if len(lines) > CHOSEN_LINES:
            shown.append(
                self.tr("… en nog %1 publicaties").replace("%1", str(len(lines) - CHOSEN_LINES))
            )
        return "\n".join(shown)

    def _apply(self, title: str, change: Callable[[], None]) -> bool:
        """Run `change()` as one transaction; tell the user and change nothing on bad input."""
        try:
            with self.db.atomic():
                change()
        except InputError as exc:
            dialogs.show_error(self, title, str(exc))
            return False
        self._after_change()
        return True

    def _after_change(self) -> None:
        self.refresh()
        if not self._shown_indexes() and self.model.rowCount():
            # What the search found is done: show the rest instead of an empty list.
            self.search.clear()

    def take_down_selected(self) -> bool:
        """Ask the date (default today) and a note; mark the chosen publications taken down."""
        publications = self.selected_publications()
        if not publications or self.read_only:
            return False
        title = self.tr("Markeer als verwijderd")
        chosen = [t for t in self.selected() if t.publication_id in publications]
        named = {t.publication_id: t for t in chosen}.values()  # one line per publication
        answer = dialogs.ask_date_and_note(
            self,
            title,
            count_text(
                len(publications),
                self.tr("Deze publicatie is weggehaald, voor alle leerlingen erop:"),
                self.tr("Deze %1 publicaties zijn weggehaald, voor alle leerlingen erop:"),
            )
            + "\n"
            + self.chosen_text(list(named), pupils=False)
            + "\n\n"
            + self.tr("Verwijderd op"),
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
        """The chosen pupils of one publication whose photo or video is at hand: the blur tool
        (`takedown_blur.py`), the publication then refers to the new file. Otherwise (several
        publications, no file): ask how, and record the officer's statement."""
        chosen = self.selected()
        if not chosen or self.read_only:
            return False
        if len({t.publication_id for t in chosen}) == 1 and self._file_at_hand(chosen[0]):
            self.open_blur_tool(chosen)
            return True
        return self.state_unrecognisable(chosen)

    def _file_at_hand(self, takedown: takedown_store.Takedown) -> bool:
        from merlet_desk.store.items import get_item

        path = get_item(self.db, takedown.item_id).file_path
        return bool(path) and Path(path).is_file()

    def open_blur_tool(self, chosen: list[takedown_store.Takedown]) -> QDialog:
        """The blur tool for the chosen pupils of one publication, window-modal; the list
        follows once it is recorded (or stated otherwise)."""
        from merlet_desk.ui.publications.takedown_blur import TakedownBlurDialog

        if self.blur_dialog is not None:
            # The one before, closed by now: let it go here rather than on closing, while
            # its photo view may still hear from its worker.
            self.blur_dialog.deleteLater()
        dialog = TakedownBlurDialog(
            self.db, chosen, lambda: self.state_unrecognisable(chosen), self
        )
        self.blur_dialog = dialog
        dialog.accepted.connect(self._after_change)
        dialog.open()
        return dialog

    def state_unrecognisable(self, chosen: list[takedown_store.Takedown]) -> bool:
        """Ask how; record each chosen pupil as made unrecognisable in that publication."""
        title = self.tr("Leerling onherkenbaar gemaakt")
        how = dialogs.ask_text(
            self,
            title,
            self.chosen_text(chosen)
            + "\n\n"
            + count_text(
                len(chosen),
                self.tr("Hoe is de leerling onherkenbaar gemaakt? (bijv. gezicht vervaagd)"),
                self.tr("Hoe zijn de %1 leerlingen onherkenbaar gemaakt? (bijv. gezicht vervaagd)"),
            ),
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
        """Ask why; record that each chosen publication stays up for that pupil."""
        chosen = self.selected()
        if not chosen or self.read_only:
            return False
        title = self.tr("Blijft staan")
        reason = dialogs.ask_text(
            self,
            title,
            self.chosen_text(chosen)
            + "\n\n"
            + self.tr(
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
