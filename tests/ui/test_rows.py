"""The generic row model (ui/common/rows.py): columns declared as data give what a table shows,
sorts and tells, and the model keeps Qt's rules (pytest-qt's model tester)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSortFilterProxyModel, Qt

from merlet_desk.ui.common.rows import ROW_ROLE, SORT_ROLE, Column, RowModel
from merlet_desk.ui.common.sorting import SourceSortingProxy

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class Person:
    number: str
    name: str
    items: int


PEOPLE = [
    Person("1002", "Berkay Öztürk", 3),
    Person("1001", "Joëlle van den Broek", 12),
    Person("1003", "Zofia Łęcka", 3),
    Person("1004", "<b>Jan</b> & Zn", 0),
]
COLUMNS = (
    Column("Nr.", lambda p: p.number),
    Column("Naam", lambda p: p.name, tooltip=lambda p: p.name, header_tooltip="Roepnaam"),
    Column(
        "Foto's",
        lambda p: str(p.items),
        sort_key=lambda p: p.items,
        alignment=RIGHT,
        roles={Qt.ItemDataRole.UserRole + 5: lambda p: p.items > 0},
        header_roles={Qt.ItemDataRole.UserRole + 5: "items"},
    ),
)


def texts(model, column: int) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_columns_as_data_give_what_the_table_shows(qtmodeltester):
    model = RowModel(COLUMNS)
    model.set_rows(PEOPLE)
    qtmodeltester.check(model)
    assert (model.rowCount(), model.columnCount()) == (4, 3)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == [
        "Nr.",
        "Naam",
        "Foto's",
    ]
    assert model.headerData(1, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) == (
        "Roepnaam"
    )
    assert model.headerData(2, Qt.Orientation.Horizontal, Qt.ItemDataRole.UserRole + 5) == "items"
    assert model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) is None
    jan = model.index(3, 1)
    assert jan.data() == jan.data(Qt.ItemDataRole.ToolTipRole) == "<b>Jan</b> & Zn"
    assert jan.data(ROW_ROLE) is PEOPLE[3]
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) is None
    assert model.index(0, 2).data(Qt.ItemDataRole.TextAlignmentRole) == int(RIGHT)
    assert model.index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole) is None
    assert [model.index(r, 2).data(Qt.ItemDataRole.UserRole + 5) for r in range(4)] == [
        True,
        True,
        True,
        False,
    ]
    # The sort key: the text with its accents folded, unless the column gives its own.
    assert model.index(2, 1).data(SORT_ROLE) == "zofia lecka"
    assert model.index(1, 2).data(SORT_ROLE) == 12
    assert model.rows() == PEOPLE and model.row_at(2) is PEOPLE[2]


def test_the_model_sorts_itself_and_keeps_the_order_for_new_rows(qtmodeltester):
    model = RowModel(COLUMNS, tie=lambda p: p.number)
    proxy = SourceSortingProxy()
    proxy.setSourceModel(model)
    model.set_rows(PEOPLE)
    assert texts(proxy, 0) == ["1002", "1001", "1003", "1004"]  # as given until sorted
    proxy.sort(1, Qt.SortOrder.AscendingOrder)
    assert texts(proxy, 1) == [
        "<b>Jan</b> & Zn",
        "Berkay Öztürk",
        "Joëlle van den Broek",
        "Zofia Łęcka",
    ]
    proxy.sort(2, Qt.SortOrder.DescendingOrder)  # 3 photos twice: the tie orders by number
    assert texts(proxy, 0) == ["1001", "1003", "1002", "1004"]
    model.set_rows(list(reversed(PEOPLE)))
    assert texts(proxy, 0) == ["1001", "1003", "1002", "1004"]
    qtmodeltester.check(proxy)


def test_a_plain_proxy_sorts_on_the_sort_role(qtmodeltester):
    model = RowModel(COLUMNS)
    model.set_rows(PEOPLE)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.sort(2, Qt.SortOrder.AscendingOrder)
    assert texts(proxy, 2) == ["0", "3", "3", "12"]
    qtmodeltester.check(proxy)
