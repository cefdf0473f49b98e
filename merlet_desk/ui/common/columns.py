"""Column widths that give the room to what people read.

One column stretches (the summary, the publication and its pupils, the purposes concerned);
the others get a width that shows their text. On a narrow window the others first take their
narrow width, then the columns that matter least are hidden (and the rest may narrow further) (their text stays in the row's
tooltip or in the item itself), so the stretching column keeps at least `min_stretch` pixels
instead of a horizontal scroll bar hiding the reason or the category.

    ColumnFit(view, stretch=COL_SUMMARY, widths={...}, narrow={...}, hide=(COL_LATEST,))

A user's own column widths stay until the window changes enough to switch between levels.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTreeView,
)

# How many rows a `contents` column reads to find its width (Qt's default is 1,000: each is a
# call into the Python model per role, and a list of thousands of rows did that on every show
# and resize). The first rows of a sorted list are a fair sample of its texts.
CONTENTS_PRECISION = 200


class ColumnFit(QObject):
    """Fits the columns of `view` (a table or tree) to its width on every resize."""

    def __init__(
        self,
        view: QAbstractItemView,
        *,
        stretch: int,
        widths: Mapping[int, int],
        narrow: Mapping[int, int] | None = None,
        hide: Iterable[int] = (),
        narrowest: Mapping[int, int] | None = None,
        contents: Iterable[int] = (),
        min_stretch: int = 220,
    ) -> None:
        super().__init__(view)
        self.view = view
        self.stretch = stretch
        self.widths = dict(widths)
        self.narrow = {**self.widths, **(narrow or {})}
        self.hide = tuple(hide)
        self.narrowest = {**self.narrow, **(narrowest or {})}
        self.contents = tuple(contents)  # as wide as their longest text, always whole
        self.min_stretch = min_stretch
        self.level: int | None = None
        self._contents_width: int | None = None  # of the `contents` columns, until a refit
        self._header().setResizeContentsPrecision(CONTENTS_PRECISION)
        view.installEventFilter(self)
        self.apply()

    def _header(self) -> QHeaderView:
        if isinstance(self.view, QTreeView):
            return self.view.header()
        assert isinstance(self.view, QTableView)
        return self.view.horizontalHeader()

    def _set_hidden(self, column: int, hidden: bool) -> None:
        assert isinstance(self.view, QTableView | QTreeView)
        self.view.setColumnHidden(column, hidden)

    def _width(self, column: int, width: int) -> int:
        """`width`, or what the column's header needs when that is more: a title and its sort
        arrow are never cut ("Datum inciden▲")."""
        return max(width, self._header().sectionSizeHint(column))

    def _room(self, widths: Mapping[int, int], hidden: tuple[int, ...]) -> int:
        used = sum(
            self._width(column, width) for column, width in widths.items() if column not in hidden
        )
        return self.view.viewport().width() - used - self._width_of_contents()

    def _width_of_contents(self) -> int:
        # Asking the view reads the texts of up to a thousand rows through data(): once per
        # set of rows, not on every resize and for every level (0.36 s per show of the
        # takedown list at 20,000 pupils).
        if self._contents_width is None:
            self._contents_width = sum(
                self.view.sizeHintForColumn(column) for column in self.contents
            )
        return self._contents_width

    def _levels(self) -> list[tuple[dict[int, int], tuple[int, ...]]]:
        """0: every column at its width; 1: narrow widths; 2: narrow, some columns hidden;
        3: the narrowest widths, those columns hidden."""
        return [
            (self.widths, ()),
            (self.narrow, ()),
            (self.narrow, self.hide),
            (self.narrowest, self.hide),
        ]

    def choose_level(self) -> int:
        """The first level that leaves the stretching column `min_stretch` (else the last)."""
        levels = self._levels()
        for level, (widths, hidden) in enumerate(levels):
            if self._room(widths, hidden) >= self.min_stretch:
                return level
        return len(levels) - 1

    def refit(self) -> None:
        """After new rows (their texts decide the width of the `contents` columns)."""
        self.level = None
        self._contents_width = None
        self.apply()

    def apply(self) -> None:
        level = self.choose_level()
        if level == self.level:
            return
        self.level = level
        header = self._header()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(40)
        widths, hidden = self._levels()[level]
        for column in range(header.count()):
            if column == self.stretch:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
                continue
            if column in self.contents:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
                continue
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            if column in widths:
                header.resizeSection(column, self._width(column, widths[column]))
        for column in self.hide:
            self._set_hidden(column, column in hidden)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.view and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.apply()
        return False


class MiddleElided(QStyledItemDelegate):
    """Elide in the middle: a link's start and its last part are what tell links apart
    (https://www.insta…/p/CxY7zQ2/); the whole link is in the cell's tooltip."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: Any) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle
