"""A layout that wraps its widgets onto the next line when the width runs out.

Toolbars and filter rows use it so that a section fits a school laptop (1024×700) without
cutting a title or a button: where a `QHBoxLayout` squeezes its widgets below their size hint,
a `FlowLayout` moves the next one to a second row. It answers `heightForWidth`, so a
box layout around it gives it the height of its rows.

    row = FlowLayout(align_right=True)
    for button in buttons:
        row.addWidget(button)

A widget whose size policy grows horizontally (a search field) gets the room left on its row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QMargins, QPoint, QRect, QSize
from PySide6.QtWidgets import QLabel, QLayout, QLayoutItem, QSizePolicy, QWidget

if TYPE_CHECKING:
    from PySide6.QtCore import Qt


class WrapLayout(QLayout):
    """Items left to right, wrapping to a new row; rows right-aligned when `align_right`.
    Its expanding directions are any QLayout's (both): for a place where a stretch beside it
    takes the spare room anyway (Start), since answering Qt's `expandingDirections` in Python
    builds PySide6's whole Qt namespace (12 ms) before the window is ready."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        spacing: int = 6,
        row_spacing: int = 6,
        align_right: bool = False,
    ) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self._row_spacing = row_spacing
        self._align_right = align_right
        # The rows and the height per width until the layout is invalidated (as QBoxLayout
        # keeps its own): Qt asks for the same widths over and over while a section is laid
        # out, then sets the geometry at one of them, and each arrangement asks every item
        # its sizes in Python.
        self._rows_at: dict[int, list[list[tuple[QLayoutItem, QSize]]]] = {}
        self._heights: dict[int, int] = {}
        self.setContentsMargins(0, 0, 0, 0)

    # -- QLayout ------------------------------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 (Qt API)
        self._items.append(item)
        self._forget_arrangements()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt API)
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt API)
        self._forget_arrangements()
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt API)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt API)
        height = self._heights.get(width)
        if height is None:
            height = self._heights[width] = self._arrange(QRect(0, 0, width, 0), apply=False)
        return height

    def invalidate(self) -> None:
        """Qt calls this when an item or its size changes (and on every activation of the
        layout above): the cached arrangements go."""
        self._forget_arrangements()
        super().invalidate()

    def _forget_arrangements(self) -> None:
        self._rows_at.clear()
        self._heights.clear()

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 (Qt API)
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        """Everything on one row."""
        items = self._visible()
        width = sum(i.sizeHint().width() for i in items) + self._spacing * max(len(items) - 1, 0)
        height = max((i.sizeHint().height() for i in items), default=0)
        return QSize(width, height).grownBy(self.contentsMargins())

    def minimumSize(self) -> QSize:  # noqa: N802 (Qt API)
        """The widest single item: narrower than that, something would be cut."""
        size = QSize()
        for item in self._visible():
            wraps = item.hasHeightForWidth()  # a wrapping label can be narrower than its hint
            size = size.expandedTo(item.minimumSize() if wraps else self._item_size(item))
        return size.grownBy(self.contentsMargins())

    # -- layout -------------------------------------------------------------------------------

    def _visible(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    @staticmethod
    def _item_size(item: QLayoutItem) -> QSize:
        """An item's size hint, never below its minimum size hint; a wrapping label asks for
        its text on one line (it wraps only when a row is narrower than that)."""
        size = item.sizeHint().expandedTo(item.minimumSize())
        widget = item.widget()
        if isinstance(widget, QLabel) and widget.wordWrap() and widget.text():
            margins = widget.contentsMargins()
            line = widget.fontMetrics().horizontalAdvance(widget.text()) + 2 * widget.margin()
            size.setWidth(max(line + margins.left() + margins.right() + 2, size.width()))
        return size

    @staticmethod
    def _grows(item: QLayoutItem) -> bool:
        widget = item.widget()
        if widget is None:
            return False
        policy = widget.sizePolicy().horizontalPolicy().value
        return bool(policy & QSizePolicy.PolicyFlag.ExpandFlag.value)

    def _size_within(self, item: QLayoutItem, width: int) -> QSize:
        """The item's size on a row `width` wide: a wrapping label wider than the row takes
        the row and the height its text needs there."""
        size = self._item_size(item)
        if size.width() > width and item.hasHeightForWidth():
            return QSize(width, max(item.heightForWidth(width), size.height()))
        return size

    def _rows(self, width: int) -> list[list[tuple[QLayoutItem, QSize]]]:
        rows = self._rows_at.get(width)
        if rows is None:
            rows = self._rows_at[width] = self._rows_within(width)
        return rows

    def _rows_within(self, width: int) -> list[list[tuple[QLayoutItem, QSize]]]:
        rows: list[list[tuple[QLayoutItem, QSize]]] = [[]]
        used = 0
        for item in self._visible():
            size = self._size_within(item, width)
            if rows[-1] and used + self._spacing + size.width() > width:
                rows.append([])
                used = 0
            used += (self._spacing if rows[-1] else 0) + size.width()
            rows[-1].append((item, size))
        return [row for row in rows if row]

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        margins: QMargins = self.contentsMargins()
        area = rect.marginsRemoved(margins)
        y = area.y()
        rows = self._rows(area.width())
        for row in rows:
            height = max(size.height() for _item, size in row)
            used = sum(size.width() for _item, size in row) + self._spacing * (len(row) - 1)
            spare = max(area.width() - used, 0)
            growers = [item for item, _size in row if self._grows(item)]
            extra = spare // len(growers) if growers else 0
            x = area.x() + (spare if self._align_right and not growers else 0)
            for item, size in row:
                width = size.width() + (extra if item in growers else 0)
                if apply:
                    top = y + (height - size.height()) // 2
                    item.setGeometry(QRect(QPoint(x, top), QSize(width, size.height())))
                x += width + self._spacing
            y += height + self._row_spacing
        if rows:
            y -= self._row_spacing
        return y - area.y() + margins.top() + margins.bottom()


class FlowLayout(WrapLayout):
    """A `WrapLayout` that never takes spare room: its rows keep their height in a box."""

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 (Qt API)
        from PySide6.QtCore import Qt

        return Qt.Orientation(0)


def labelled(text: str, field: QWidget, spacing: int = 4) -> QWidget:
    """A label and its field as one piece, so a flow keeps them on the same row; the label's
    `&` letter (Alt+letter) moves the focus to the field."""
    from PySide6.QtWidgets import QHBoxLayout, QLabel

    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(spacing)
    label = QLabel(text)
    label.setBuddy(field)
    row.addWidget(label)
    row.addWidget(field, 1)
    holder.setSizePolicy(field.sizePolicy().horizontalPolicy(), QSizePolicy.Policy.Fixed)
    return holder
