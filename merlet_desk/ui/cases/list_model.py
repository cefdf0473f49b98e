"""The table model of the case list, and the proxy the view talks to.

Filtering happens in the store (the same `list_cases` the CLI uses); the model holds the rows
it is given. Sorting 5,000 rows through QSortFilterProxyModel's own sort calls Python's `data()`
some 100,000 times (about 0.2 s per reset); the proxy therefore hands `sort()` to the source
model, which sorts its list with Python keys in a few milliseconds and keeps that order when new
rows arrive. `SORT_ROLE` still gives the sort key of every cell.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QSortFilterProxyModel, Qt

from merlet_desk.domain.dates import format_date
from merlet_desk.domain.text import fold
from merlet_desk.store.cases import CaseRow
from merlet_desk.ui.cases.widgets import plain_tooltip
from merlet_desk.ui.common.rows import ROW_ROLE, SORT_ROLE, Column, RowModel

COLUMNS: tuple[tuple[str, str], ...] = (
    ("reference", "Kenmerk"),
    ("incident_date", "Datum incident"),
    ("location", "Locatie"),
    ("category", "Categorie"),
    ("platform", "Platform"),
    ("status", "Status"),
    ("summary", "Samenvatting"),
    ("latest", "Laatste stap"),
)
LATEST_COLUMN = len(COLUMNS) - 1
STATUS_ORDER = {"open": 0, "in_progress": 1, "closed": 2}
TOOLTIP_KEYS = ("summary", "latest", "category")


def _tr(text: str) -> str:
    return QCoreApplication.translate("CaseListModel", text)


def _display(key: str) -> Callable[[CaseRow], str]:
    """The text of column `key` of a row."""
    texts: dict[str, Callable[[CaseRow], str]] = {
        "reference": lambda row: row.reference,
        "incident_date": lambda row: format_date(row.incident_date),
        "location": lambda row: row.location,
        "category": lambda row: row.category_label,
        "platform": lambda row: row.platform_label,
        "status": lambda row: _tr(row.status_label),
        "summary": lambda row: row.summary,
        "latest": lambda row: row.latest_entry,
    }
    return texts[key]


def _sort_key(key: str) -> Callable[[CaseRow], object]:
    if key == "incident_date":
        return lambda row: f"{row.incident_date.isoformat()} {row.reference}"
    if key == "status":
        return lambda row: STATUS_ORDER.get(row.status, 9)
    if key == "latest":  # the last step: a case without a timeline counts from its report
        return lambda row: row.last_step.isoformat()
    text = _display(key)
    return lambda row: fold(text(row))


def _column(key: str, title: str) -> Column[CaseRow]:
    text = _display(key)
    return Column(
        _tr(title),
        text,
        sort_key=_sort_key(key),
        tooltip=(lambda row: plain_tooltip(text(row))) if key in TOOLTIP_KEYS else None,
    )


class CaseListModel(RowModel[CaseRow]):
    """Rows of `CaseRow`, read-only; equal keys in the order of their reference."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [_column(key, title) for key, title in COLUMNS],
            parent,
            tie=lambda row: row.reference,
        )

    def case_row(self, row: int) -> CaseRow:
        return self.row_at(row)


class CaseSortProxy(QSortFilterProxyModel):
    """Passes sorting to the source model (see the module docstring); dates sort by ISO
    text, status in workflow order (open, in progress, closed)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if isinstance(source, CaseListModel):
            source.sort(column, order)
        else:  # pragma: no cover - only CaseListModel is used
            super().sort(column, order)

    def case_row(self, proxy_row: int) -> CaseRow:
        return self.data(self.index(proxy_row, 0), ROW_ROLE)
