"""Fast hands (issue 15): Ctrl+1 … Ctrl+6 switch sections, Ctrl+M opens the publication check
from anywhere, Ctrl+F searches the list of the section shown, and every button of a toolbar has
an Alt-letter that no other button, field or menu on the same screen uses."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QPushButton, QToolButton

from merlet_desk.demo import fill_demo
from merlet_desk.store import items as item_store
from merlet_desk.ui.common.empty_state import EmptyState
from merlet_desk.ui.consent.check import PublicationCheckDialog
from tests.helpers import open_window, shown_dialog, wait_for_register

MNEMONIC = re.compile(r"(?<!&)&([^&\s])")


@pytest.fixture
def demo(db):
    fill_demo(db, 150)
    return db


def open_active(qtbot, db, db_path):
    """The window at 1366x768, active, so that its shortcuts reach it."""
    window = open_window(qtbot, db, db_path, size=(1366, 768))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def test_ctrl_number_switches_sections(qtbot, demo, db_path):
    window = open_active(qtbot, demo, db_path)
    for number, key in enumerate(window.section_keys(), start=1):
        qtbot.keyClick(
            window, getattr(Qt.Key, f"Key_{number}"), Qt.KeyboardModifier.ControlModifier
        )
        assert window.current_section_key() == key


@pytest.mark.parametrize("start", ["start", "publicaties", "incidenten"])
def test_ctrl_m_opens_the_publication_check_from_anywhere(qtbot, demo, db_path, start):
    window = open_active(qtbot, demo, db_path)
    window.show_section(start)
    qtbot.keyClick(window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    dialog = shown_dialog(window.section_widgets["toestemmingen"], PublicationCheckDialog)
    assert window.current_section_key() == start  # the check opens over the screen in use
    dialog.close()


def test_the_check_buttons_on_start_and_publicaties(qtbot, demo, db_path):
    window = open_active(qtbot, demo, db_path)
    start = window.show_section("start")
    start.check_button.click()
    consent = window.section_widgets["toestemmingen"]
    check = shown_dialog(consent, PublicationCheckDialog)
    assert check.windowTitle() == "Mag deze foto online?"
    check.close()
    # From an item in Publicaties: the check starts with the pupils in it.
    items = window.show_section("publicaties").items_tab
    items.table.selectRow(0)
    item_id = items.current_item_id()
    items.check_button.click()
    check = shown_dialog(consent, PublicationCheckDialog)
    assert set(check.pupil_numbers()) == {p.number for p in item_store.item_pupils(demo, item_id)}
    check.close()


def test_ctrl_f_searches_the_list_shown(qtbot, demo, db_path):
    window = open_active(qtbot, demo, db_path)

    def search_after_ctrl_f(key: str):
        section = window.show_section(key)
        if key == "toestemmingen":
            wait_for_register(qtbot, section)
        qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        return QApplication.focusWidget()

    assert search_after_ctrl_f("beleid") is window.section_widgets["beleid"].search
    consent = window.section_widgets["toestemmingen"]
    assert search_after_ctrl_f("toestemmingen") is consent.filters.search
    reminders = consent.show_reminders()
    # A list with pupils in it (an empty list's search is disabled: nothing to search), on
    # any day the suite runs (on 1 August the school year's lists start empty).
    key = next(key for key, shown in reminders.lists.items() if shown.pupils)
    reminders.show_list(key)
    assert search_after_ctrl_f("toestemmingen") is reminders.current_list().search
    publications = window.section_widgets["publicaties"]
    assert search_after_ctrl_f("publicaties") is publications.items_tab.filter
    publications.show_takedowns()
    assert search_after_ctrl_f("publicaties") is publications.takedowns.search
    assert search_after_ctrl_f("incidenten") is window.section_widgets["incidenten"].list_view.text
    assert search_after_ctrl_f("rapporten") is window.section_widgets["rapporten"].report_list


def letters(window, root) -> tuple[list[str], list[str]]:
    """(letters in use, buttons without one) on the screen shown under `root`, menus too."""
    used = [
        m.lower() for action in window.menuBar().actions() for m in MNEMONIC.findall(action.text())
    ]
    missing = []
    offered = {id(b) for empty in root.findChildren(EmptyState) for b in empty.buttons}
    for widget in root.findChildren(QPushButton) + root.findChildren(QToolButton):
        if not widget.isVisible() or inside(widget, QAbstractItemView):
            continue
        if widget.property("noMnemonic") and "&" not in widget.text():
            continue  # acts on a chosen list entry, reached with Tab from that list
        found = MNEMONIC.findall(widget.text())
        used += [f.lower() for f in found]
        # An empty list's button repeats an action of the toolbar; a flat one is a link.
        flat = isinstance(widget, QPushButton) and widget.isFlat()
        if not found and id(widget) not in offered and not flat:
            missing.append(widget.text())
    for label in root.findChildren(QLabel):
        if label.isVisible() and label.buddy() is not None:
            used += [m.lower() for m in MNEMONIC.findall(label.text())]
    return used, missing


def inside(widget, kind) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, kind):
            return True
        parent = parent.parentWidget()
    return False


def screens(window):
    for key in window.section_keys():
        section = window.show_section(key)
        yield key, section
        if key == "toestemmingen":
            section.show_reminders()
            yield "herinneringen", section
            section.tabs.setCurrentIndex(0)
        if key == "publicaties":
            section.show_takedowns()
            yield "te verwijderen", section
            section.tabs.setCurrentIndex(0)
        if key == "incidenten" and section.list_view.visible_references():
            section.open_case(section.list_view.visible_references()[0])
            yield "incident", section
            section.show_list()


@pytest.mark.parametrize("filled", [True, False], ids=["demo", "empty"])
def test_every_toolbar_button_has_its_own_alt_letter(qtbot, db, db_path, filled):
    if filled:
        fill_demo(db, 150)
    window = open_active(qtbot, db, db_path)
    problems = []
    for name, root in screens(window):
        QCoreApplication.processEvents()  # the show and layout events of the screen just opened
        used, missing = letters(window, root)
        problems += [f"{name}: no Alt-letter on {text!r}" for text in missing]
        twice = sorted({letter for letter in used if used.count(letter) > 1})
        problems += [f"{name}: Alt+{letter} used twice" for letter in twice]
    assert not problems, "\n".join(problems)
