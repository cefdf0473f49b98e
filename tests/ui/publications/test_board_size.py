"""Publicaties at a school board's size: what the GUI thread no longer does twice.

At 20,000 pupils the first visit of Publicaties held the window for about three seconds: the
takedown list computed again although Start had just computed it, its rows built twice (once
for the section, once for its own show), the item table sorted through a proxy that asked
Python for every comparison. These tests pin the behaviour those fixes rest on, with the
small takedown school of tests/helpers/.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from merlet_desk.store import publications as pub
from merlet_desk.store import takedowns as takedown_store
from merlet_desk.store.items import ItemSummary
from merlet_desk.ui.publications.items_model import (
    COL_DATE,
    COL_PUPILS,
    COL_TITLE,
    ItemsModel,
    ItemsProxy,
)
from merlet_desk.ui.publications.takedown_list import TakedownList
from tests.helpers import deliveries_settled, fix_clock, open_section, school_with_takedowns

TODAY = date(2026, 11, 25)


@pytest.fixture(autouse=True)
def scenario_day(monkeypatch):
    fix_clock(monkeypatch, TODAY)


@pytest.fixture
def computed(monkeypatch):
    """How often the whole takedown list is computed (on any connection)."""
    calls: list[date] = []
    original = takedown_store._compute_open_takedowns  # counted, not replaced

    def counting(db, on):
        calls.append(on)
        return original(db, on)

    monkeypatch.setattr(takedown_store, "_compute_open_takedowns", counting)
    return calls


def test_publicaties_after_start_shows_the_list_start_computed(qtbot, db, db_path, computed):
    school_with_takedowns(db)
    window, start = open_section(qtbot, db, db_path, "start", size=(1366, 768))
    qtbot.waitUntil(lambda: start.takedown_card.count.text() == "2", timeout=20_000)
    qtbot.waitUntil(lambda: not window.tasks.tasks, timeout=20_000)
    assert len(computed) == 1  # on Start's worker

    section = window.show_section("publicaties")
    section.show_takedowns()
    qtbot.waitUntil(lambda: len(section.takedowns.rows_text()) == 2)
    deliveries_settled(qtbot)
    assert len(computed) == 1  # nothing computed again, on the GUI thread or a worker
    assert section.tabs.tabText(section.tabs.indexOf(section.takedowns)) == "Te verwijderen (2)"
    assert len(section.takedowns.rows_text()) == 2


def test_a_refresh_with_nothing_changed_keeps_the_officers_selection(qtbot, db):
    published = school_with_takedowns(db)
    widget = TakedownList(db, today=TODAY)
    qtbot.addWidget(widget)
    widget.resize(1200, 400)
    widget.show()
    widget.tree.setCurrentIndex(widget.model.index(1, 0))
    chosen = widget.selected_publications()
    assert len(chosen) == 1

    widget.refresh()  # as the section's and the tab's show events do
    assert widget.selected_publications() == chosen

    # After a write the list is read again: the taken-down publication is gone.
    pub.take_down(db, chosen[0], TODAY, "offline gehaald")
    widget.refresh()
    assert len(widget.rows_text()) == 1
    remaining = {p.id for p in published.values()} - {chosen[0]}
    assert set(widget.selected_publications()) <= remaining


def summary(item_id: int, title: str, taken_on: date | None, pupils: list[str]) -> ItemSummary:
    return ItemSummary(
        id=item_id,
        title=title,
        media_kind="photo",
        taken_on=taken_on,
        location="Cuijk",
        pupil_count=len(pupils),
        publication_count=0,
        active_channels=(),
        pupil_names=", ".join(sorted(pupils)),
    )


def shown(proxy: ItemsProxy, column: int = COL_TITLE) -> list[str]:
    return [proxy.index(row, column).data() for row in range(proxy.rowCount())]


def test_items_sort_in_the_model_and_keep_their_order_on_new_rows(qtbot):
    model = ItemsModel()
    proxy = ItemsProxy()
    proxy.setSourceModel(model)
    rows = [
        summary(1, "Musical <Grease> & meer", date(2026, 9, 5), ["Joëlle van den Broek"]),
        summary(2, "Ösztürk-dag", date(2026, 9, 7), ["Berkay Öztürk", "Zofia Łęcka"]),
        summary(3, "Afscheid", None, ["Meryem Boujdaini"]),
        summary(4, "oogstfeest", date(2026, 9, 5), []),
    ]
    model.set_rows(rows)
    assert shown(proxy) == [r.title for r in rows]  # the store's order until a sort

    proxy.sort(COL_TITLE, Qt.SortOrder.AscendingOrder)
    assert shown(proxy) == ["Afscheid", "Musical <Grease> & meer", "oogstfeest", "Ösztürk-dag"]
    proxy.sort(COL_DATE, Qt.SortOrder.DescendingOrder)
    # Newest first; the two of 5 September keep their order; no date last.
    assert shown(proxy) == ["Ösztürk-dag", "Musical <Grease> & meer", "oogstfeest", "Afscheid"]
    proxy.sort(COL_PUPILS, Qt.SortOrder.DescendingOrder)
    assert shown(proxy, COL_PUPILS) == ["2", "1", "1", "0"]

    # New rows (after an edit) arrive in the order last chosen.
    proxy.sort(COL_TITLE, Qt.SortOrder.DescendingOrder)
    model.set_rows([*rows, summary(5, "Zomerkamp", date(2026, 7, 1), [])])
    assert shown(proxy) == [
        "Zomerkamp",
        "Ösztürk-dag",
        "oogstfeest",
        "Musical <Grease> & meer",
        "Afscheid",
    ]
    # The filter still finds a pupil's name without accents, on the sorted rows.
    proxy.set_text("lecka")
    assert shown(proxy) == ["Ösztürk-dag"]
    proxy.set_text("")
    assert proxy.rowCount() == 5


def test_the_takedown_rows_are_built_when_the_tab_is_first_opened(qtbot, db, db_path):
    """The tab title counts at once; the rows (0.5 s at a school board) wait until the
    officer opens the tab, and are then exactly the list counted."""
    school_with_takedowns(db)
    _window, section = open_section(qtbot, db, db_path, "publicaties", size=(1366, 768))
    assert section.tabs.tabText(section.tabs.indexOf(section.takedowns)) == "Te verwijderen (2)"
    assert section.takedowns.summary.text().endswith("2 publicaties, met samen 1 leerling")
    assert section.takedowns.model.rowCount() == 0  # not built while the items tab shows
    section.show_takedowns()
    assert section.takedowns.model.rowCount() == 2
    purposes = sorted(row[1] for row in section.takedowns.rows_text())
    assert purposes == ["Jaarboek", "Website van de school"]
