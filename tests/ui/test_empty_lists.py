"""Empty lists say what would fill them and offer the button for it (issue 15); a list that a
filter emptied says so and offers to clear the filter."""

from __future__ import annotations

from merlet_desk.store import pupils as store
from merlet_desk.ui.common import dialogs
from tests.helpers import open_window, shown_dialog, wait_for_register


def open_laptop(qtbot, db, db_path):
    return open_window(qtbot, db, db_path, size=(1366, 768))


def buttons(empty) -> list[str]:
    return [button.text() for button in empty.buttons]


def test_empty_register_offers_the_pupil_import(qtbot, db, db_path, tmp_path, monkeypatch):
    window = open_laptop(qtbot, db, db_path)
    consent = window.show_section("toestemmingen")
    wait_for_register(qtbot, consent)
    empty = consent.table_or_empty
    assert empty.showing_empty
    assert empty.message.text().startswith("Er staan nog geen leerlingen in het register.")
    assert buttons(empty) == ["Leerlingen importeren…", "Leerling toevoegen…"]
    reminders = consent.show_reminders()
    assert reminders.turned_16.empty.text().startswith("Er staan nog geen leerlingen")
    consent.tabs.setCurrentIndex(0)

    source = tmp_path / "somtoday.csv"
    source.write_text(
        "leerlingnummer;roepnaam;tussenvoegsel;achternaam;geboortedatum;klas;locatie\n"
        "1001;Joëlle;van den;Broek;14-03-2012;2A;Cuijk\n"
        "1002;Zofia;;Łęcka;30-11-2011;2A;Mill\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(dialogs, "choose_open_path", lambda *a, **k: source)
    monkeypatch.setattr(dialogs, "show_info", lambda *a: None)
    empty.buttons[0].click()
    wait_for_register(qtbot, consent)
    assert not empty.showing_empty
    assert consent.proxy.rowCount() == 2

    consent.filters.search.setText("Öztürk")  # nobody of that name
    assert empty.showing_empty
    assert empty.message.text() == "Geen leerlingen bij deze zoekopdracht en filters."
    assert buttons(empty) == ["Filters wissen"]
    empty.buttons[0].click()
    assert consent.filters.search.text() == ""
    assert not empty.showing_empty

    reminders = consent.show_reminders()
    assert reminders.no_record.pupils == 2


def test_empty_item_list_offers_a_new_item(qtbot, db, db_path):
    window = open_laptop(qtbot, db, db_path)
    items = window.show_section("publicaties").items_tab
    empty = items.table_or_empty
    assert empty.showing_empty
    assert empty.message.text().startswith("Nog geen foto's of video's in het register.")
    assert buttons(empty) == ["Nieuw item…"]
    empty.buttons[0].click()
    from merlet_desk.ui.publications.item_dialog import ItemDialog

    shown_dialog(items, ItemDialog).close()


def test_empty_case_list_offers_a_new_case_and_a_filter_can_be_cleared(qtbot, db, db_path):
    store.save_pupil(db, "1001", "Joëlle", "van den", "Broek", "2012-03-14", "2A", "Cuijk")
    window = open_laptop(qtbot, db, db_path)
    cases = window.show_section("incidenten")
    listing = cases.list_view
    empty = listing.table_or_empty
    assert empty.showing_empty
    assert empty.message.text().startswith("Nog geen incidenten vastgelegd.")
    [new] = empty.buttons
    new.click()
    assert cases.currentWidget() is cases.editor

    cases.show_list()
    listing.text.setText("sexting")
    listing.refresh()
    assert empty.message.text() == "Geen incidenten bij deze filters."
    assert buttons(empty) == ["Filters wissen"]
    empty.buttons[0].click()
    assert listing.text.text() == ""


def test_an_empty_audit_period_offers_everything(qtbot, db, db_path):
    from PySide6.QtCore import QDate

    from merlet_desk.ui.safety.audit_view import AuditLogDialog

    store.save_pupil(db, "1001", "Joëlle", "van den", "Broek", "2012-03-14", "2A", "Cuijk")
    dialog = AuditLogDialog(db)
    qtbot.addWidget(dialog)
    dialog.start_edit.setDate(QDate(2001, 1, 1))
    dialog.end_edit.setDate(QDate(2001, 1, 2))
    assert dialog.table_or_empty.showing_empty
    assert dialog.table_or_empty.message.text().startswith("Geen wijzigingen")
    dialog.table_or_empty.buttons[0].click()
    assert not dialog.table_or_empty.showing_empty
    assert dialog.model.rowCount() >= 1
