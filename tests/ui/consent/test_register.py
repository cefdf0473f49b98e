"""The consent register as a user sees it: the grid, recording a decision through the dialog,
filters, read-only mode and the model checks.

The set-up the consent GUI tests share (`add_consent_school`, `open_register`,
`register_cell`) lives in tests/helpers/.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from merlet_desk.demo import fill_demo
from merlet_desk.domain import consent as rules
from merlet_desk.store import decisions as decision_store
from merlet_desk.store import open_database
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store import purposes as purpose_store
from merlet_desk.store import statuses as store
from merlet_desk.ui.common import dialogs
from merlet_desk.ui.consent.decision_dialog import DecisionDialog
from merlet_desk.ui.consent.model import STATE_ROLE, RegisterModel, RegisterProxy
from merlet_desk.ui.consent.pupil_dialog import PupilDialog
from tests.helpers import (
    TODAY,
    add_consent_school,
    open_register,
    open_section,
    register_cell,
    shown_dialog,
    shown_numbers,
)


@pytest.fixture
def no_dialogs(monkeypatch):
    """Fail loudly if anything would block on a real message box."""
    calls = []

    def record(name):
        def fake(*args, **kwargs):
            calls.append((name, args))
            return False if name == "ask_yes_no" else None

        return fake

    for name in ("show_error", "show_info", "show_warning", "ask_yes_no", "choose_open_path"):
        monkeypatch.setattr(dialogs, name, record(name))
    return calls


def test_grid_shows_every_pupil_with_a_symbol_per_status(qtbot, db, db_path):
    add_consent_school(db)
    _, section = open_register(qtbot, db, db_path)
    assert section.model.rowCount() == 6
    headers = [
        section.proxy.headerData(c, Qt.Orientation.Horizontal).replace("\n", " ")
        for c in range(section.proxy.columnCount())
    ]
    assert headers[:4] == ["Nr.", "Naam", "Klas", "Locatie"]
    assert "Website van de school" in headers
    assert len(headers) == 4 + len(purpose_store.list_purposes(db))
    expected = {
        "1001": (rules.NO_RECORD, "–"),
        "1002": (rules.NO_RECORD, "–"),
        "1003": (rules.REFUSED, "✗"),
        "1004": (rules.WITHDRAWN, "⊘"),
        "1005": (rules.ALLOWED, "✓"),
        "1006": (rules.ALLOWED, "✓"),
    }
    for number, (state, symbol) in expected.items():
        index = register_cell(section, number, "website")
        assert index.data(STATE_ROLE) == state
        assert index.data() == symbol
        assert rules.STATE_LABELS[state] in index.data(Qt.ItemDataRole.ToolTipRole)
    names = [section.proxy.index(r, 1).data() for r in range(section.proxy.rowCount())]
    assert "Jan <b>Jan</b> & Zn" in names
    # The legend is on screen and names every state.
    assert section.legend.isVisible()
    for state in rules.STATES:
        assert rules.STATE_LABELS[state] in section.legend.text()


def test_record_decision_through_dialog_changes_the_grid_cell(qtbot, db, db_path):
    add_consent_school(db)
    _, section = open_register(qtbot, db, db_path)
    index = register_cell(section, "1001", "website")
    assert index.data(STATE_ROLE) == rules.NO_RECORD
    rect = section.table.visualRect(index)
    # A real double-click: press/release, then the double-click event on the same cell.
    qtbot.mouseClick(section.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(section.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    dialog = shown_dialog(section, DecisionDialog)
    assert dialog.pupil.number == "1001" and dialog.purpose.code == "website"
    assert dialog.history_rows() == []
    assert dialog.form.given_by.currentData() == rules.PARENT  # 13 years old
    dialog.form.giver_name.setText("Marieke van den Broek")
    # No decision is chosen beforehand: saving unseen records nothing.
    assert dialog.form.decision.currentIndex() == -1
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text() == "Kies het besluit: toestemming, geweigerd of ingetrokken."
    assert decision_store.decisions_for(db, "1001", "website") == []
    dialog.form.decision.setCurrentIndex(dialog.form.decision.findData(rules.GRANTED))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.error.text() == "Vastgelegd."
    assert dialog.form.decision.currentIndex() == -1  # chosen again for the next one
    history = dialog.history_rows()
    assert len(history) == 1
    assert history[0][:4] == [
        TODAY.strftime("%d-%m-%Y"),
        "Toestemming",
        "Ouder",
        "Marieke van den Broek",
    ]
    assert history[0][4] == "Papieren formulier"
    index = register_cell(section, "1001", "website")
    assert index.data(STATE_ROLE) == rules.ALLOWED
    assert index.data() == "✓"
    [decision] = decision_store.decisions_for(db, "1001", "website")
    assert decision.giver_name == "Marieke van den Broek"


def test_grant_from_a_13_year_old_is_refused_in_dutch_and_nothing_saved(qtbot, db, db_path):
    add_consent_school(db)
    _, section = open_register(qtbot, db, db_path)
    dialog = section.open_history(
        pupil_store.get_pupil(db, "1001"), purpose_store.get_purpose(db, "website")
    )
    dialog.form.given_by.setCurrentIndex(dialog.form.given_by.findData(rules.PUPIL))
    dialog.form.decision.setCurrentIndex(dialog.form.decision.findData(rules.GRANTED))
    assert dialog.save() is False
    assert dialog.error.isVisible()
    assert "jonger dan 16" in dialog.error.text()
    assert decision_store.decisions_for(db, "1001", "website") == []
    assert register_cell(section, "1001", "website").data(STATE_ROLE) == rules.NO_RECORD


def test_filter_by_name_accent_insensitive_and_number(qtbot, db, db_path):
    add_consent_school(db)
    _, section = open_register(qtbot, db, db_path)
    qtbot.keyClicks(section.filters.search, "ozturk")
    assert shown_numbers(section) == ["1002"]
    assert section.filters.count_label.text() == "1 van 6 leerlingen"
    section.filters.search.setText("LECKA")
    assert shown_numbers(section) == ["1003"]
    section.filters.search.setText("sukru yilmaz")
    assert shown_numbers(section) == ["1005"]
    section.filters.search.setText("1004")
    assert shown_numbers(section) == ["1004"]
    section.filters.search.setText("<b>jan")
    assert shown_numbers(section) == ["1006"]
    section.filters.search.clear()
    assert section.proxy.rowCount() == 6


def test_filter_by_location_and_class(qtbot, db, db_path):
    add_consent_school(db)
    _, section = open_register(qtbot, db, db_path)
    section.filters.location_filter.setCurrentIndex(
        section.filters.location_filter.findData("Mill")
    )
    assert shown_numbers(section) == ["1004", "1005"]
    classes = [
        section.filters.class_filter.itemData(i)
        for i in range(section.filters.class_filter.count())
    ]
    assert classes == ["", "2C", "5H"]  # only Mill's classes are offered
    section.filters.location_filter.setCurrentIndex(0)
    section.filters.class_filter.setCurrentIndex(section.filters.class_filter.findData("1A"))
    assert shown_numbers(section) == ["1001", "1003", "1006"]
    section.clear_filters()
    assert section.proxy.rowCount() == 6


def test_filter_by_status_for_one_purpose_and_any_purpose(qtbot, db, db_path):
    add_consent_school(db)
    _, section = open_register(qtbot, db, db_path)
    section.set_status_filter("blocked", "website")
    assert shown_numbers(section) == ["1001", "1002", "1003", "1004"]
    section.set_status_filter("allowed", "website")
    assert shown_numbers(section) == ["1005", "1006"]
    section.set_status_filter(rules.REFUSED, None)
    assert shown_numbers(section) == ["1003"]
    section.set_status_filter("allowed", None)  # allowed for at least one purpose
    assert shown_numbers(section) == ["1005", "1006"]
    section.set_status_filter("allowed", "social_media")
    assert shown_numbers(section) == ["1006"]
    # Filters combine: blocked for the website, in class 1A.
    section.set_status_filter("blocked", "website")
    section.filters.class_filter.setCurrentIndex(section.filters.class_filter.findData("1A"))
    assert shown_numbers(section) == ["1001", "1003"]
    section.set_status_filter(None)
    assert shown_numbers(section) == ["1001", "1003", "1006"]


def test_a_decision_moves_a_pupil_in_and_out_of_the_status_filter(qtbot, db, db_path):
    """The register filters itself (issue 18): a grant recorded for a shown pupil takes them
    out of "blocked", a withdrawal brings them back, the others stay as they were."""
    add_consent_school(db)
    _, section = open_register(qtbot, db, db_path)
    section.set_status_filter("blocked", "website")
    assert shown_numbers(section) == ["1001", "1002", "1003", "1004"]
    decision_store.record_decision(
        db, "1001", "website", rules.GRANTED, rules.PARENT, "Joëlle's ouder", TODAY.isoformat()
    )
    section.refresh_pupil("1001")
    assert shown_numbers(section) == ["1002", "1003", "1004"]
    assert section.filters.count_label.text() == "3 van 6 leerlingen"
    decision_store.record_decision(
        db, "1001", "website", rules.WITHDRAWN, rules.PARENT, "Joëlle's ouder", TODAY.isoformat()
    )
    section.refresh_pupil("1001")
    assert shown_numbers(section) == ["1001", "1002", "1003", "1004"]
    section.set_status_filter(None)
    assert section.proxy.rowCount() == 6


def test_sort_on_name_ignores_prefix_and_status_column_sorts(qtbot, db, db_path):
    add_consent_school(db)
    _, section = open_register(qtbot, db, db_path)
    section.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    names = [section.proxy.index(r, 1).data() for r in range(section.proxy.rowCount())]
    # "<b>Jan</b> & Zn" sorts first ("<" before letters); the prefix "van den" is ignored.
    assert names[1:3] == ["Meryem Boujdaini", "Joëlle van den Broek"]
    column = section.model.column_of("website")
    section.table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    states = [section.proxy.index(r, column).data(STATE_ROLE) for r in range(6)]
    assert states[:2] == [rules.ALLOWED, rules.ALLOWED]
    assert states[-2:] == [rules.NO_RECORD, rules.NO_RECORD]


def test_read_only_hides_every_edit_action(qtbot, db, db_path, no_dialogs):
    add_consent_school(db)
    db.close()
    ro_db = open_database(db_path, read_only=True)
    try:
        _, section = open_register(qtbot, ro_db, db_path, read_only=True)
        assert not section.toolbar.form_button.isVisible()
        assert not section.toolbar.pupils_button.isVisible()
        for action in (
            section.toolbar.add_pupil_action,
            section.toolbar.edit_pupil_action,
            section.toolbar.import_pupils_action,
            section.toolbar.import_consents_action,
            section.toolbar.purposes_action,
            section.toolbar.settings_action,
        ):
            assert not action.isVisible() and not action.isEnabled()
        assert section.open_form_entry() is None
        assert section.add_pupil() is None
        assert section.manage_purposes() is None
        assert section.edit_settings() is None
        section.import_pupils()
        assert no_dialogs == []  # not even a file dialog
        # Viewing the history works, without the form.
        index = register_cell(section, "1003", "website")
        section._on_double_click(index)
        dialog = shown_dialog(section, DecisionDialog)
        assert len(dialog.history_rows()) == 1
        assert not dialog.form_area.isVisible()
        assert dialog.save() is False
        # The publication check works.
        assert section.toolbar.check_button.isVisible()
        check = section.open_check()
        check.set_purpose("website")
        check.add_numbers(["1003", "1005"])
        assert [n for n, _ in check.blocked_rows()] == ["1003"]
    finally:
        ro_db.close()


def test_models_pass_qtmodeltester(qtmodeltester, db):
    add_consent_school(db)
    model = RegisterModel()
    model.load(store.register_statuses(db, TODAY), purpose_store.list_purposes(db))
    qtmodeltester.check(model)
    proxy = RegisterProxy()
    proxy.setSourceModel(model)
    proxy.set_search("jan")
    proxy.sort(1)
    qtmodeltester.check(proxy)


def test_demo_register_loads_and_passes_qtmodeltester(qtbot, qtmodeltester, db, db_path):
    fill_demo(db, pupils=150)
    _, section = open_register(qtbot, db, db_path)
    assert section.model.rowCount() == len(pupil_store.list_pupils(db))
    seen = {
        section.proxy.index(r, c).data(STATE_ROLE)
        for r in range(section.proxy.rowCount())
        for c in range(4, section.proxy.columnCount())
    }
    assert {rules.ALLOWED, rules.REFUSED, rules.NO_RECORD} <= seen
    qtmodeltester.check(section.model)
    reminders = section.show_reminders()
    assert reminders.no_record.model.rowCount() > 0
    qtmodeltester.check(reminders.no_record.model)


def test_keyboard_enter_on_a_cell_opens_history_and_on_a_name_the_pupil(qtbot, db, db_path):
    add_consent_school(db)
    window, section = open_register(qtbot, db, db_path)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    section.table.setFocus()
    section.table.setCurrentIndex(register_cell(section, "1003", "website"))
    qtbot.keyClick(section.table, Qt.Key.Key_Return)
    dialog = shown_dialog(section, DecisionDialog)
    assert (dialog.pupil.number, dialog.purpose.code) == ("1003", "website")
    assert dialog.history_rows()[0][1:4] == ["Geweigerd", "Ouder", "P. Łęcki"]
    assert "Geweigerd" in dialog.status_text.text()
    dialog.close()
    name_cell = section.proxy.index(register_cell(section, "1005", "website").row(), 1)
    section._on_double_click(name_cell)
    pupil_dialog = shown_dialog(section, PupilDialog)
    assert pupil_dialog.pupil.number == "1005"
    assert pupil_dialog.number.isReadOnly()


@pytest.mark.parametrize("read_only", [False, True])
def test_opening_the_register_keeps_the_focus_in_the_window(qtbot, db, db_path, read_only):
    """The register's buttons are built before they have a parent: showing one then opens
    it as a window of its own for a moment, and the main window loses the focus."""
    from PySide6.QtWidgets import QApplication

    add_consent_school(db)
    window, _ = open_section(qtbot, db, db_path, "start", read_only=read_only)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    section = window.show_section("toestemmingen")
    QApplication.processEvents()
    focused = QApplication.focusWidget()
    assert focused is not None and window.isAncestorOf(focused)
    assert QApplication.activeWindow() is window
    assert section.toolbar.check_button.isVisible()
    assert section.toolbar.form_button.isVisible() is not read_only
