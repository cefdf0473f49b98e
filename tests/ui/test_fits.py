"""Every section fits a school laptop (issue 15): at 1024×700, 1366×768 and 1920×1080 no label,
button, field or tab in any section is cut, on the demo database and on an empty one. Each
widget's size is compared with its size hint, as a user would see "Toestemmin"."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication

from merlet_desk.demo import fill_demo
from tests.helpers import cut_widgets, open_window, wait_for_register

SIZES = ((1024, 700), (1366, 768), (1920, 1080))


def settle(qtbot, window) -> None:
    """The layout requests a resize posts, and those their own layouts post in turn."""
    for _ in range(3):
        QCoreApplication.processEvents()


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    from merlet_desk.store import open_database

    path = tmp_path_factory.mktemp("fits") / "demo.sqlite"
    db = open_database(path)
    fill_demo(db, 150)
    db.close()
    return path


def screens(key: str, section):
    """Each screen of a section: every tab of every tab widget in it, and for Incidenten the
    case editor, for Publicaties an item chosen in the list."""
    from PySide6.QtWidgets import QTabWidget

    yield "", lambda: None
    if key == "toestemmingen":
        section.show_reminders()
    for tabs in section.findChildren(QTabWidget):
        for index in range(tabs.count()):
            yield tabs.tabText(index), lambda t=tabs, i=index: _show_tab(t, i)
    if key == "publicaties" and section.items_tab.model.rowCount():
        yield (
            "item",
            lambda: (
                section.tabs.setCurrentIndex(0),
                section.items_tab.table.selectRow(0),
            ),
        )
    if key == "incidenten":
        yield "nieuw incident", section.new_case
        references = section.list_view.visible_references()
        if references:
            yield "incident", lambda: section.open_case(references[0])


def _show_tab(tabs, index: int) -> None:
    """Show tab `index`, and every tab above it that holds this tab widget."""
    from PySide6.QtWidgets import QStackedWidget, QTabWidget

    child, parent = tabs, tabs.parentWidget()
    while parent is not None:
        holder = parent.parentWidget()
        if isinstance(parent, QStackedWidget) and isinstance(holder, QTabWidget):
            holder.setCurrentWidget(child)
        child, parent = parent, holder
    tabs.setCurrentIndex(index)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("filled", [True, False], ids=["demo", "empty"])
def test_no_section_cuts_a_label_or_button(qtbot, demo_path, db, db_path, size, filled):
    from merlet_desk.store import open_database

    database, path = (open_database(demo_path), demo_path) if filled else (db, db_path)
    window = open_window(qtbot, database, path, size=size)
    problems = {}
    try:
        for key in window.section_keys():
            section = window.show_section(key)
            if key == "toestemmingen":
                wait_for_register(qtbot, section)
            for view, show in screens(key, section):
                show()
                settle(qtbot, window)
                assert window.size().width() == size[0]
                cut = cut_widgets(section) + cut_widgets(window.statusBar())
                if cut:
                    problems[f"{key} › {view}"] = cut
    finally:
        window.close()
        if filled:
            database.close()
    assert not problems, "\n".join(
        f"{key}: {line}" for key, lines in problems.items() for line in lines
    )


def cut_titles(section) -> list[str]:
    """Column titles of the section's tables shown narrower than the title and its sort arrow
    need ("Datum inciden▲"). The last column stretches into what is left (and may scroll);
    titles over several lines (the register's purposes) are drawn by the register itself."""
    from PySide6.QtWidgets import QTableView, QTreeView

    cut = []
    for view in section.findChildren(QTableView) + section.findChildren(QTreeView):
        if not view.isVisible() or view.model() is None:
            continue
        header = view.horizontalHeader() if isinstance(view, QTableView) else view.header()
        shown = [c for c in range(header.count()) if not header.isSectionHidden(c)]
        for column in shown[:-1]:
            title = str(view.model().headerData(column, header.orientation()) or "")
            if "\n" in title:
                continue
            if header.sectionSize(column) < header.sectionSizeHint(column):
                cut.append(
                    f"{title}: {header.sectionSize(column)} < {header.sectionSizeHint(column)}"
                )
    return cut


@pytest.mark.parametrize("size", SIZES[:2], ids=lambda s: f"{s[0]}x{s[1]}")
def test_no_column_title_is_cut(qtbot, demo_path, size):
    from merlet_desk.store import open_database

    database = open_database(demo_path)
    window = open_window(qtbot, database, demo_path, size=size)
    problems = {}
    try:
        for key in window.section_keys():
            section = window.show_section(key)
            if key == "toestemmingen":
                wait_for_register(qtbot, section)
            settle(qtbot, window)
            if cut := cut_titles(section):
                problems[key] = cut
    finally:
        window.close()
        database.close()
    assert problems == {}
