"""Widgets several sections use: a Dutch date field, a pupil picker with type-ahead, and a line
of links; and reading a table's or tree's items, which Qt may hand back as None."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QSize,
    QStringListModel,
    Signal,
)
from PySide6.QtGui import QFontMetricsF, QKeyEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QDateEdit,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from merlet_desk import clock
from merlet_desk.domain.dates import EARLIEST_DATE, LATEST_DATE, format_date
from merlet_desk.domain.text import fold

if TYPE_CHECKING:  # the store loads after the first paint
    from merlet_desk.store.pupils import Pupil

# A field that may not be changed looks it: grey, not the white of a field that takes typing
# (a location manager typed into read-only incident fields that silently ignored it).
READ_ONLY_FIELDS = (
    'QLineEdit[readOnly="true"], QPlainTextEdit[readOnly="true"], '
    'QTextEdit[readOnly="true"], QDateEdit[readOnly="true"] '
    "{ background: #e9edf1; color: #2b3440; }"
)


def cell_text(table: QTableWidget, row: int, column: int) -> str:
    """The text of a table cell, "" where the cell has no item."""
    item = table.item(row, column)
    return item.text() if item is not None else ""


def cell_item(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    """A table cell's item, made when the cell has none yet."""
    item = table.item(row, column)
    if item is None:
        item = QTableWidgetItem()
        table.setItem(row, column, item)
    return item


def top_level_items(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    """The tree's top-level items, in order."""
    found = (tree.topLevelItem(i) for i in range(tree.topLevelItemCount()))
    return [item for item in found if item is not None]


class DateField(QDateEdit):
    """A date field in dd-mm-jjjj with a calendar popup; `value()` gives a Python date. Every
    date picker in the window is one: it offers only the dates the register computes with
    (`EARLIEST_DATE`..`LATEST_DATE`, as the CLI's --on), not Qt's 1752..9999."""

    def __init__(self, value: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat("dd-MM-yyyy")
        self.setCalendarPopup(True)
        self.setDateRange(_qdate(EARLIEST_DATE), _qdate(LATEST_DATE))
        self.set_value(value or clock.today())

    def value(self) -> date:
        value = self.date().toPython()
        assert isinstance(value, date)  # a QDate is always a date, never a datetime
        return value

    def set_value(self, value: date) -> None:
        self.setDate(_qdate(value))


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


class TypedDateField(QLineEdit):
    """A date typed as 24-11-2026 (or 2026-11-24); empty means no date, so nothing is filled in
    that could be saved unseen (a birth date)."""

    dateChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(QCoreApplication.translate("DateField", "dd-mm-jjjj"))
        self.setMinimumWidth(100)
        self.setMaximumWidth(120)
        self.textChanged.connect(lambda _text: self.dateChanged.emit())

    def set_date(self, value: date | None) -> None:
        self.setText(format_date(value))

    def value(self) -> date | None:
        """The date, None when empty; ValueError (Dutch) when the text is no date."""
        from merlet_desk.domain.cases import parse_user_date  # its dataclasses: not at start-up

        text = self.text().strip()
        return parse_user_date(text) if text else None

    def value_or_none(self) -> date | None:
        try:
            return self.value()
        except ValueError:
            return None

    def is_valid(self) -> bool:
        try:
            self.value()
        except ValueError:
            return False
        return True


def pupil_choice_text(pupil: Pupil) -> str:
    """How a pupil is offered in a type-ahead list: "123456 — Berkay Öztürk (2B, Grave)"."""
    return f"{pupil.number} — {pupil.name} ({pupil.class_name}, {pupil.location})"


class PupilPicker(QLineEdit):
    """Type a number or (part of) a name; a list offers matching pupils, accent-insensitive
    ("ozturk" finds Öztürk, "lecka" finds Łęcka), the first one highlighted.

    Enter picks the highlighted pupil (the arrow keys highlight another; with the list closed,
    the first match of the text), emits `picked(Pupil)` and empties the box for the next name;
    a click on the list picks too. With `keeps_choice` the box shows the pupil picked instead
    (a filter, a single choice). Enter never goes further: in a dialog it must not press the
    default button (Opslaan) while the officer is tagging.
    """

    picked = Signal(object)
    MAX_SHOWN = 40

    def __init__(
        self,
        pupils: Sequence[Pupil] = (),
        parent: QWidget | None = None,
        *,
        keeps_choice: bool = False,
    ) -> None:
        super().__init__(parent)
        self.keeps_choice = keeps_choice
        self.setPlaceholderText(self.tr("Typ leerlingnummer of naam…"))
        self.setClearButtonEnabled(True)
        self._model = QStringListModel(self)
        self._completer = QCompleter(self._model, self)
        # We filter ourselves (accent-insensitive); the completer only shows the list. It is
        # attached with setWidget, not setCompleter: a line edit that knows its completer
        # re-filters on every key by prefix (which drops our highlight, so the first Enter
        # only closed the list) and writes a highlighted row over the typed text.
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setMaxVisibleItems(12)
        self._completer.setWidget(self)
        # The overload that gives the chosen text (the stubs do not know signal overloads).
        self._completer.activated[str].connect(self._on_activated)  # type: ignore[index]
        self.textEdited.connect(self._on_edited)
        self.set_pupils(pupils)

    def set_pupils(self, pupils: Sequence[Pupil]) -> None:
        self._pupils = list(pupils)
        self._by_text = {pupil_choice_text(p): p for p in self._pupils}
        self._folded = [(fold(text), text) for text in self._by_text]
        self._by_number = {p.number: p for p in self._pupils}

    def matches(self, text: str) -> list[Pupil]:
        """Pupils whose number or name contains every typed word (accents ignored)."""
        words = fold(text).split()
        if not words:
            return []
        found = [
            self._by_text[choice]
            for folded, choice in self._folded
            if all(word in folded for word in words)
        ]
        typed = text.strip()
        # A typed number first, then numbers that start with it, then the rest.
        return sorted(
            found,
            key=lambda p: 0 if p.number == typed else 1 if p.number.startswith(typed) else 2,
        )

    def shown_choices(self) -> list[str]:
        return self._model.stringList()

    def suggestions(self) -> QAbstractItemView:
        """The list of suggestions under the box (a popup)."""
        popup = self._completer.popup()  # made by the completer when it is created
        assert popup is not None
        return popup

    def highlighted_choice(self) -> str | None:
        """The suggestion Enter would pick now, None when the list is closed."""
        popup = self.suggestions()
        index = popup.currentIndex()
        return str(index.data()) if popup.isVisible() and index.isValid() else None

    def _on_edited(self, text: str) -> None:
        found = self.matches(text)[: self.MAX_SHOWN]
        self._model.setStringList([pupil_choice_text(p) for p in found])
        popup = self.suggestions()
        if found:
            self._completer.complete()
            # Highlight the first match: Enter picks it, the arrow keys another one.
            popup.setCurrentIndex(self._completer.completionModel().index(0, 0))
        else:
            popup.hide()

    def resolve(self, text: str | None = None) -> Pupil | None:
        text = (self.text() if text is None else text).strip()
        if not text:
            return None
        if text in self._by_text:
            return self._by_text[text]
        if text in self._by_number:
            return self._by_number[text]
        found = self.matches(text)
        return found[0] if len(found) == 1 else None

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        from PySide6.QtCore import Qt

        if event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            super().keyPressEvent(event)
            return
        # Taken here, list open or not: never passed on to the dialog's default button.
        event.accept()
        choice = self.highlighted_choice()
        self.suggestions().hide()
        pupil = self._by_text.get(choice) if choice is not None else self._first_match()
        if pupil is not None:
            self._pick(pupil)

    def _first_match(self) -> Pupil | None:
        text = self.text().strip()
        if not text:
            return None
        exact = self._by_text.get(text) or self._by_number.get(text)
        if exact is not None:
            return exact
        found = self.matches(text)
        return found[0] if found else None

    def _on_activated(self, text: str) -> None:
        pupil = self._by_text.get(text)
        if pupil is not None:
            self._pick(pupil)

    def _pick(self, pupil: Pupil) -> None:
        if self.keeps_choice:
            self.setText(pupil_choice_text(pupil))
            self.picked.emit(pupil)
            return
        self.picked.emit(pupil)  # the box still names the pupil while it is handled
        self.clear()
        self._model.setStringList([])


def link_label() -> QLabel:
    """A wrapping line of `<a href>` links (set its text as escaped rich text), reachable with
    the mouse and with Tab and Enter; connect `linkActivated`."""
    from PySide6.QtCore import Qt

    label = QLabel()
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.LinksAccessibleByMouse
        | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
    )
    label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return label


class ElidedLabel(QLabel):
    """One line of text that gives way on a narrow window, with "…" in the middle (a path's
    start and its file name stay readable) and the whole text in the tooltip."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("elides", True)  # cut on purpose: tests/helpers.cut_widgets skips it
        self._full = ""
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt API)
        self._full = text
        self.setToolTip(text)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        """The whole text: a layout with room shows all of it."""
        width = self.fontMetrics().horizontalAdvance(self._full) + 2 * self.margin() + 4
        return QSize(width, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(80, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._elide()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        self._elide()  # Qt sends the resize of a hidden label before it is visible

    def _elide(self) -> None:
        width = max(self.width(), 80)
        # A text that fits is what elidedText would return, and a hidden label is elided when
        # shown: elidedText's enum builds PySide6's whole Qt namespace (12 ms), not wanted
        # before the window is ready.
        fits = QFontMetricsF(self.fontMetrics()).horizontalAdvance(self._full) <= width
        if fits or not self.isVisible():
            super().setText(self._full)
            return
        from PySide6.QtCore import Qt

        super().setText(
            self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideMiddle, width)
        )
