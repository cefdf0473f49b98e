"""A read-only table model whose columns are data: one `Column` per column (its header, the
value shown, the sort key, the alignment, the tooltip), and the rows as Python objects.

    COLUMNS = (
        Column(tr("Titel"), lambda item: item.title, tooltip=lambda item: item.title or None),
        Column(tr("Leerlingen"), lambda item: str(item.count), sort_key=lambda item: item.count,
               alignment=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
    )
    model = RowModel(COLUMNS)
    model.set_rows(items)

Every list of the program (the register, the reminders, the cases, the items, the audit log)
is one of these; what differs is in the columns, not in a copy of `rowCount`, `columnCount`
and `headerData`. The model sorts itself in Python (`sorts_itself`, see `sorting.py`) and keeps
the order it was last sorted in for rows set later. `SORT_ROLE` gives a cell's sort key and
`ROW_ROLE` the row object, for a proxy and for the view's code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
)

from merlet_desk.domain.text import fold
from merlet_desk.ui.common.qt_namespace import DISPLAY_ROLE, USER_ROLE, Qt
from merlet_desk.ui.common.sorting import descending, sort_rows

R = TypeVar("R")
AnyIndex = QModelIndex | QPersistentModelIndex
SORT_ROLE = USER_ROLE
ROW_ROLE = USER_ROLE + 1


@dataclass(frozen=True, slots=True)
class Column(Generic[R]):
    """One column: `header` as shown (translated by whoever builds the column), `value` the
    text of a row's cell; `sort_key` (default: the text, accents folded), `alignment`,
    `tooltip` (None: none); `roles` for any other role of a cell, `header_tooltip` and
    `header_roles` for the header."""

    header: str
    value: Callable[[R], object]
    sort_key: Callable[[R], Any] | None = None
    alignment: Qt.AlignmentFlag | None = None
    tooltip: Callable[[R], object] | None = None
    roles: Mapping[int, Callable[[R], object]] = field(default_factory=dict)
    header_tooltip: str | None = None
    header_roles: Mapping[int, object] = field(default_factory=dict)

    def key(self, row: R) -> Any:
        """What the column sorts on."""
        if self.sort_key is not None:
            return self.sort_key(row)
        return fold(str(self.value(row)))


class RowModel(QAbstractTableModel, Generic[R]):
    """Rows of `R` under `columns`, read-only. `tie` orders rows whose keys are equal (else
    they keep their order); `sort_column` -1 keeps the order the rows were given in until the
    view sorts."""

    sorts_itself = True

    def __init__(
        self,
        columns: Sequence[Column[R]] = (),
        parent: QObject | None = None,
        *,
        sort_column: int = -1,
        tie: Callable[[R], Any] | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns: list[Column[R]] = list(columns)
        self._rows: list[R] = []
        self._sort_column = sort_column
        self._sort_descending = False
        self._tie = tie

    # -- rows and columns ---------------------------------------------------------------------

    def set_rows(self, rows: Iterable[R]) -> None:
        """Replace every row, in the order last sorted on."""
        self.beginResetModel()
        self._rows = list(rows)
        if 0 <= self._sort_column < len(self._columns):
            self._rows.sort(key=self.sort_key(self._sort_column), reverse=self._sort_descending)
        self.endResetModel()

    def set_columns(self, columns: Sequence[Column[R]]) -> None:
        self.beginResetModel()
        self._columns = list(columns)
        self.endResetModel()

    def rows(self) -> list[R]:
        return list(self._rows)

    def row_at(self, row: int) -> R:
        return self._rows[row]

    def column(self, column: int) -> Column[R]:
        return self._columns[column]

    # -- sorting ------------------------------------------------------------------------------

    def sort_key(self, column: int) -> Callable[[R], Any]:
        """The Python key of `column` (with the tie-break)."""
        key, tie = self._columns[column].key, self._tie
        if tie is None:
            return key
        return lambda row: (key(row), tie(row))

    def sort(self, column: int, order: Qt.SortOrder | None = None) -> None:
        """Sort in Python, once per click (see sorting.py); persistent indexes follow. No
        `order`: ascending."""
        if not 0 <= column < len(self._columns):
            return
        self._sort_column, self._sort_descending = column, descending(order)
        self._rows = sort_rows(self, self._rows, self.sort_key(column), self._sort_descending)

    # -- Qt model API -------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(  # noqa: N802 (Qt API)
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = DISPLAY_ROLE,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return str(section + 1) if role == Qt.ItemDataRole.DisplayRole else None
        if not 0 <= section < len(self._columns):
            return None
        column = self._columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.header
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.header_tooltip
        return column.header_roles.get(role)

    def data(self, index: AnyIndex, role: int = DISPLAY_ROLE) -> Any:
        if not index.isValid():
            return None
        number, position = index.row(), index.column()
        if not 0 <= number < len(self._rows) or not 0 <= position < len(self._columns):
            return None
        row, column = self._rows[number], self._columns[position]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.value(row)
        if role == SORT_ROLE:
            return column.key(row)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(row) if column.tooltip is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.alignment) if column.alignment is not None else None
        extra = column.roles.get(role)
        return extra(row) if extra is not None else None
