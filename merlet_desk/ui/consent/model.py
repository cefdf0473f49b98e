"""The register grid: a table model of pupils × purposes and the proxy that filters and sorts it.

The model holds one precomputed `RegisterRow` per pupil (loaded once from
`store.statuses.register_statuses`); the proxy filters on those rows directly, so a filter on
2,000 pupils never touches the database and never builds a widget per cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QIdentityProxyModel,
    QModelIndex,
    QPersistentModelIndex,
)
from PySide6.QtGui import QColor, QFont, QGuiApplication

from merlet_desk.domain import consent as rules
from merlet_desk.domain.dates import format_date
from merlet_desk.domain.text import fold
from merlet_desk.ui.common.consent_states import (
    STATE_COLOURS,
    state_label,
    state_symbol,
    status_label,
    tr_consent,
)
from merlet_desk.ui.common.purposes import purpose_text
from merlet_desk.ui.common.qt_namespace import DISPLAY_ROLE, USER_ROLE, Qt
from merlet_desk.ui.common.rows import ROW_ROLE, Column, RowModel
from merlet_desk.ui.common.sorting import descending, sort_rows

if TYPE_CHECKING:  # the store loads with the rows, on the worker
    from merlet_desk.store.pupils import Pupil
    from merlet_desk.store.purposes import Purpose

PUPIL_ROLE = ROW_ROLE  # the pupil of a row
PURPOSE_ROLE = USER_ROLE + 2
STATE_ROLE = USER_ROLE + 3
STATUS_ROLE = USER_ROLE + 4

COL_NUMBER, COL_NAME, COL_CLASS, COL_LOCATION = range(4)
FIXED_COLUMNS = 4
FIXED_HEADERS = (
    str(QT_TRANSLATE_NOOP("consent", "Nr.")),
    str(QT_TRANSLATE_NOOP("consent", "Naam")),
    str(QT_TRANSLATE_NOOP("consent", "Klas")),
    str(QT_TRANSLATE_NOOP("consent", "Locatie")),
)


@lru_cache(maxsize=4096)
def natural_key(text: str) -> str:
    """A string that sorts "2A" before "10A" (numbers padded)."""
    return re.sub(r"\d+", lambda m: m.group(0).rjust(6, "0"), fold(text))


_SYMBOL_FONT: list[QFont] = []


def _symbol_font() -> QFont:
    """Bold and a little larger than the table text, so the symbol reads at a glance."""
    if not _SYMBOL_FONT:
        font = QFont(QGuiApplication.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        _SYMBOL_FONT.append(font)
    return _SYMBOL_FONT[0]


def purpose_header(label: str, width: int = 14) -> str:
    """Wrap a purpose label over lines of about `width` characters for a column header; long
    words break after a hyphen ("Sociale-media-accounts")."""
    words: list[str] = []
    for word in label.split():
        if len(word) > width and "-" in word:
            pieces = word.split("-")
            words += [piece + "-" for piece in pieces[:-1]] + [pieces[-1]]
        else:
            words.append(word)
    lines: list[str] = []
    for word in words:
        joiner = "" if lines and lines[-1].endswith("-") else " "
        if lines and len(lines[-1]) + len(joiner) + len(word) <= width:
            lines[-1] += joiner + word
        else:
            lines.append(word)
    return "\n".join(lines)


@dataclass(slots=True)
class RegisterRow:
    """One pupil in the grid, with everything the filter and sort need precomputed."""

    pupil: Pupil
    statuses: dict[str, rules.Status]
    name: str = ""
    search_text: str = ""
    name_key: str = ""
    class_key: str = ""
    number_key: str = ""
    states: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, pupil: Pupil, statuses: dict[str, rules.Status]) -> RegisterRow:
        first, prefix, last = fold(pupil.first_name), fold(pupil.prefix), fold(pupil.last_name)
        return cls(
            pupil=pupil,
            statuses=statuses,
            name=pupil.name,
            search_text=f"{pupil.number} {first} {prefix} {last}",
            # As domain.people.sort_key: last name without prefix, then first name, then prefix.
            name_key=f"{last}\x01{first}\x01{prefix}",
            class_key=natural_key(pupil.class_name),
            number_key=pupil.number.rjust(12, "0"),
            states={code: status.state for code, status in statuses.items()},
        )


def decision_summary(decision: rules.Decision | None) -> str:
    """One line: "Toestemming door ouder (A. de Vries), 03-09-2025, papier"."""
    if decision is None:
        return ""
    parts = [
        tr_consent(rules.DECISION_LABELS.get(decision.decision, decision.decision)),
        QCoreApplication.translate("consent", "door"),
        tr_consent(rules.GIVER_LABELS.get(decision.given_by, decision.given_by)).lower(),
    ]
    text = " ".join(parts)
    if decision.giver_name:
        text += f" ({decision.giver_name})"
    method = tr_consent(rules.METHOD_LABELS.get(decision.method, decision.method)).lower()
    return f"{text}, {format_date(decision.received_on)}, {method}"


def _fixed_columns() -> list[Column[RegisterRow]]:
    """Number, name, class and location: the text is its own tooltip."""

    def column(
        index: int, text: Callable[[RegisterRow], str], key: Callable[[RegisterRow], str]
    ) -> Column[RegisterRow]:
        header = QCoreApplication.translate("consent", FIXED_HEADERS[index])
        return Column(header, text, sort_key=key, tooltip=text)

    return [
        column(COL_NUMBER, lambda row: row.pupil.number, lambda row: row.number_key),
        column(COL_NAME, lambda row: row.name, lambda row: row.name_key),
        column(
            COL_CLASS,
            lambda row: row.pupil.class_name,
            lambda row: row.class_key + " " + row.name_key,
        ),
        column(
            COL_LOCATION,
            lambda row: row.pupil.location,
            lambda row: fold(row.pupil.location) + " " + row.class_key + " " + row.name_key,
        ),
    ]


def _purpose_column(purpose: Purpose) -> Column[RegisterRow]:
    """A purpose's cells: the state's symbol on its colour, the decision in the tooltip."""
    code = purpose.code

    def status(row: RegisterRow) -> rules.Status | None:
        return row.statuses.get(code)

    def state(row: RegisterRow) -> str:
        found = row.statuses.get(code)
        return found.state if found is not None else rules.NO_RECORD

    def colours(row: RegisterRow) -> tuple[str, str]:
        return STATE_COLOURS.get(state(row), STATE_COLOURS[rules.NO_RECORD])

    def order(row: RegisterRow) -> int:
        current = state(row)
        return rules.STATES.index(current) if current in rules.STATES else len(rules.STATES)

    def tooltip(row: RegisterRow) -> str:
        return status_tooltip(row, purpose, status(row), state(row))

    return Column(
        purpose_header(purpose.label),
        lambda row: state_symbol(state(row)),
        sort_key=order,
        alignment=Qt.AlignmentFlag.AlignCenter,
        tooltip=tooltip,
        roles={
            STATE_ROLE: state,
            STATUS_ROLE: status,
            PURPOSE_ROLE: lambda _row: code,
            Qt.ItemDataRole.BackgroundRole: lambda row: QColor(colours(row)[0]),
            Qt.ItemDataRole.ForegroundRole: lambda row: QColor(colours(row)[1]),
            Qt.ItemDataRole.FontRole: lambda _row: _symbol_font(),
            Qt.ItemDataRole.AccessibleTextRole: tooltip,
        },
        header_tooltip=QCoreApplication.translate("consent", "%1 (code: %2)")
        .replace("%1", purpose_text(purpose))
        .replace("%2", purpose.code),
        header_roles={PURPOSE_ROLE: purpose.code},
    )


def status_tooltip(
    row: RegisterRow, purpose: Purpose, status: rules.Status | None, state: str
) -> str:
    label = status_label(status) if status is not None else state_label(state)
    lines = [f"{row.name} — {purpose.label}", f"{state_symbol(state)} {label}"]
    if status is not None and status.decision is not None:
        lines.append(decision_summary(status.decision))
    if status is not None and status.allowed and status.valid_until is not None:
        lines.append(
            QCoreApplication.translate("consent", "Geldig tot en met %1").replace(
                "%1", format_date(status.valid_until)
            )
        )
    return "\n".join(lines)


class RegisterModel(RowModel[RegisterRow]):
    """Pupils × active purposes. `load` replaces everything; `update_pupil` one row. The
    model filters itself (`set_filter`): `_rows` are the rows shown, `_all` every pupil."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(_fixed_columns(), parent)
        self._all: list[RegisterRow] = []  # every pupil, in the current sort order
        self._accept: Callable[[RegisterRow], bool] | None = None
        self._purposes: list[Purpose] = []
        self._row_of: dict[str, int] | None = {}
        self._sort_column = COL_CLASS

    # -- loading ------------------------------------------------------------------------------

    def load(
        self,
        rows: Iterable[RegisterRow | tuple[Pupil, dict[str, rules.Status]]],
        purposes: Sequence[Purpose],
    ) -> None:
        """Every pupil (a `RegisterRow`, or a pupil and their statuses) and the purposes."""
        self.beginResetModel()
        self._purposes = list(purposes)
        self._columns = _fixed_columns() + [_purpose_column(p) for p in self._purposes]
        self._all = [row if isinstance(row, RegisterRow) else RegisterRow.of(*row) for row in rows]
        if self._sort_column >= self.columnCount():
            self._sort_column = COL_CLASS
        self._all.sort(key=self._sort_key(self._sort_column), reverse=self._sort_descending)
        self._show_accepted()
        self.endResetModel()

    # -- filtering ----------------------------------------------------------------------------

    def set_filter(self, accept: Callable[[RegisterRow], bool] | None) -> None:
        """Show only the rows `accept` lets through (None: all). The model filters itself in
        one Python pass: a proxy's filterAcceptsRow is a call from C++ into Python per row,
        0.24 s for 20,000 pupils."""
        self.beginResetModel()
        self._accept = accept
        self._show_accepted()
        self.endResetModel()

    def _show_accepted(self) -> None:
        accept = self._accept
        self._rows = list(self._all) if accept is None else [r for r in self._all if accept(r)]
        self._row_of = None  # built when first asked for (row_of)

    # -- sorting ------------------------------------------------------------------------------

    def _sort_key(self, column: int) -> Any:
        """The same order as SORT_ROLE, as a Python key (ties: class, then name)."""
        if column == COL_NUMBER:
            return lambda row: row.number_key
        if column == COL_NAME:
            return lambda row: (row.name_key, row.number_key)
        if column == COL_CLASS:
            return lambda row: (row.class_key, row.name_key, row.number_key)
        if column == COL_LOCATION:
            return lambda row: (fold(row.pupil.location), row.class_key, row.name_key)
        purpose = self.purpose_at(column)
        code = purpose.code if purpose else ""
        order = {state: i for i, state in enumerate(rules.STATES)}
        return lambda row: (
            order.get(row.states.get(code, rules.NO_RECORD), len(order)),
            row.class_key,
            row.name_key,
        )

    def sort(self, column: int, order: Qt.SortOrder | None = None) -> None:
        """Sort in Python, once per click; persistent indexes follow their rows. No `order`:
        ascending."""
        if not (0 <= column < self.columnCount()):
            return
        self._sort_column, self._sort_descending = column, descending(order)
        key = self._sort_key(column)
        self._all.sort(key=key, reverse=self._sort_descending)
        self._rows = sort_rows(self, self._rows, key, self._sort_descending)
        self._row_of = None

    def update_pupil(self, pupil: Pupil, statuses: dict[str, rules.Status]) -> None:
        """Replace one pupil's row (after a decision was recorded); adds it if new. A row that
        the filter now shows or hides differently makes the shown rows be chosen again."""
        new = RegisterRow.of(pupil, statuses)
        shown = self._accept is None or self._accept(new)
        for position, old in enumerate(self._all):
            if old.pupil.number == pupil.number:
                self._all[position] = new
                break
        else:
            self._all.append(new)
        row = self.row_of(pupil.number)
        if row is not None and shown:
            self._rows[row] = new
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        elif row is None and shown and self._accept is None:
            position = len(self._rows)
            self.beginInsertRows(QModelIndex(), position, position)
            self._rows.append(new)
            self._row_of = None
            self.endInsertRows()
        elif row is not None or shown:
            self.set_filter(self._accept)

    # -- access for the proxy and the section -------------------------------------------------

    @property
    def purposes(self) -> list[Purpose]:
        return list(self._purposes)

    def row_at(self, row: int) -> RegisterRow:
        return self._rows[row]

    def row_of(self, number: str) -> int | None:
        """The shown row of this pupil (None when the filter hides them)."""
        if self._row_of is None:
            self._row_of = {row.pupil.number: i for i, row in enumerate(self._rows)}
        return self._row_of.get(number)

    def purpose_at(self, column: int) -> Purpose | None:
        if column >= FIXED_COLUMNS and column - FIXED_COLUMNS < len(self._purposes):
            return self._purposes[column - FIXED_COLUMNS]
        return None

    def column_of(self, purpose_code: str) -> int | None:
        for i, purpose in enumerate(self._purposes):
            if purpose.code == purpose_code:
                return FIXED_COLUMNS + i
        return None

    def total(self) -> int:
        """How many pupils the register holds, shown by the filter or not."""
        return len(self._all)

    def pupils(self) -> list[Pupil]:
        """Every pupil in the register, shown by the filter or not."""
        return [row.pupil for row in self._all]

    # -- Qt model API -------------------------------------------------------------------------

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = DISPLAY_ROLE,
    ) -> Any:
        if role == PUPIL_ROLE:  # the pupil rather than the whole row, for the section
            row = index.row()
            return self._rows[row].pupil if index.isValid() and 0 <= row < len(self._rows) else None
        return super().data(index, role)


class RegisterProxy(QIdentityProxyModel):
    """Filters on location, class, status (per purpose or any purpose) and a name/number search.

    Filtering reads the precomputed `RegisterRow`s of the source model, never the database;
    the source model applies it (`RegisterModel.set_filter`) and sorts itself, so this proxy
    only holds the filter's state and passes rows through one to one, with no call into Python
    per row (a QSortFilterProxyModel asked Python about each of 20,000 rows).
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._location: str | None = None
        self._class: str | None = None
        self._words: list[str] = []
        self._states: frozenset[str] | None = None
        self._purpose: str | None = None

    # -- filters ------------------------------------------------------------------------------

    def _change(self, apply: Any) -> None:
        apply()
        model = self.sourceModel()
        if isinstance(model, RegisterModel):
            model.set_filter(self.predicate())

    def predicate(self) -> Callable[[RegisterRow], bool] | None:
        """One function of a row for the filters that are set (None: no filter), built from
        only those tests: a class filter over 20,000 rows is then one comparison per row."""
        tests: list[Callable[[RegisterRow], bool]] = []
        location, class_name, words = self._location, self._class, tuple(self._words)
        if location is not None:
            tests.append(lambda row: row.pupil.location == location)
        if class_name is not None:
            tests.append(lambda row: row.pupil.class_name == class_name)
        if len(words) == 1:
            word = words[0]
            tests.append(lambda row: word in row.search_text)
        elif words:
            tests.append(lambda row: all(word in row.search_text for word in words))
        if self._states is not None:
            tests.append(self._status_test(self._states, self._purpose))
        if not tests:
            return None
        if len(tests) == 1:
            return tests[0]
        return lambda row: all(test(row) for test in tests)

    def _status_test(
        self, states: frozenset[str], purpose: str | None
    ) -> Callable[[RegisterRow], bool]:
        if purpose is not None:
            return lambda row: row.states.get(purpose, rules.NO_RECORD) in states
        model = self.sourceModel()
        codes = [p.code for p in model.purposes] if isinstance(model, RegisterModel) else []
        return lambda row: any(row.states.get(c, rules.NO_RECORD) in states for c in codes)

    def set_location(self, location: str | None) -> None:
        self._change(lambda: setattr(self, "_location", location or None))

    def set_class(self, class_name: str | None) -> None:
        self._change(lambda: setattr(self, "_class", class_name or None))

    def set_search(self, text: str) -> None:
        self._change(lambda: setattr(self, "_words", fold(text).split()))

    def set_status_filter(self, states: Iterable[str] | None, purpose: str | None = None) -> None:
        """Show pupils with one of `states` for `purpose` (any active purpose when None)."""

        def apply() -> None:
            self._states = frozenset(states) if states else None
            self._purpose = purpose or None

        self._change(apply)

    # -- helpers ------------------------------------------------------------------------------

    def pupil_at(self, index: QModelIndex) -> Pupil | None:
        from merlet_desk.store.pupils import Pupil

        value = index.data(PUPIL_ROLE) if index.isValid() else None
        return value if isinstance(value, Pupil) else None

    def visible_pupils(self) -> list[Pupil]:
        return [self.index(i, 0).data(PUPIL_ROLE) for i in range(self.rowCount())]
