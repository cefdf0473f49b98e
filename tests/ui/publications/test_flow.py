"""The whole path of issue 6 as an officer walks it in one window: a parent withdraws consent in
Toestemmingen, the start screen and Publicaties show the photo to take down, the officer takes
it down, and the count goes back to zero."""

from __future__ import annotations

from datetime import timedelta

from merlet_desk.domain import consent as rules
from merlet_desk.domain.publications import publish_checklist
from merlet_desk.store import decisions as decision_store
from merlet_desk.store import items as item_store
from merlet_desk.store import publications as pub
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store import purposes as purpose_store
from merlet_desk.store import takedowns as takedown_store
from merlet_desk.ui.common import dialogs
from tests.helpers import TODAY, born_aged, open_window


def test_withdrawal_to_takedown_in_one_window(qtbot, db, db_path, monkeypatch):
    for number, first, prefix, last in (
        ("1001", "Joëlle", "van den", "Broek"),
        ("1002", "Berkay", "", "Öztürk"),
        ("1003", "Meryem", "", "Boujdaini"),
    ):
        pupil_store.save_pupil(db, number, first, prefix, last, born_aged(13), "1A", "Cuijk")
        decision_store.record_decision(
            db, number, "website", rules.GRANTED, rules.PARENT, "Ouder", TODAY
        )
    item = item_store.create_item(
        db, "Sportdag <b>1A</b> & co", pupil_numbers=["1001", "1002", "1003"]
    )
    web = pub.publish(
        db,
        item.id,
        "website",
        TODAY,
        "https://www.merletcollege.nl/sportdag",
        checklist=[entry.agreement for entry in publish_checklist()],
    )
    window = open_window(qtbot, db, db_path)
    start = window.section_widgets["start"]
    nothing = "Er hoeft niets verwijderd te worden."
    qtbot.waitUntil(lambda: start.takedown_card.caption.text() == nothing)

    # Berkay's father withdraws by e-mail; the officer records it in the register.
    consent = window.show_section("toestemmingen")
    dialog = consent.open_history(
        pupil_store.get_pupil(db, "1002"), purpose_store.get_purpose(db, "website")
    )
    dialog.form.decision.setCurrentIndex(dialog.form.decision.findData(rules.WITHDRAWN))
    dialog.form.giver_name.setText("Mehmet Öztürk")
    assert dialog.save()
    assert "staat op 1 publicatie" in dialog.error.text()
    dialog.close()

    # Back on the start screen: one to take down, and the count beside Publicaties.
    window.show_section("start")
    qtbot.waitUntil(lambda: start.takedown_card.count.text() == "1")
    publications_row = window.section_keys().index("publicaties")
    assert window.navigation.item(publications_row).text() == "Publicaties (1)"

    # "Naar Te verwijderen" opens the takedown tab with the publication and Berkay beneath.
    start.takedown_card.button.click()
    section = window.section_widgets["publicaties"]
    takedowns = section.takedowns
    assert section.tabs.currentWidget() is takedowns
    assert section.tabs.tabText(section.tabs.indexOf(takedowns)) == "Te verwijderen (1)"
    [publication] = takedowns.rows_text()
    [pupil] = takedowns.pupils_text(0)
    assert publication[0] == "Sportdag <b>1A</b> & co"
    assert "Berkay Öztürk" in pupil[0] and pupil[3] == "Toestemming ingetrokken"
    assert pupil[4] == TODAY.strftime("%d-%m-%Y")

    # Taken off the website today.
    monkeypatch.setattr(
        dialogs, "ask_date_and_note", lambda *args, **kwargs: (TODAY, "van de website gehaald")
    )
    takedowns.select_publications([0])
    assert takedowns.take_down_selected()
    assert pub.get_publication(db, web.id).taken_down_on == TODAY
    assert section.tabs.tabText(section.tabs.indexOf(takedowns)) == "Te verwijderen (0)"
    assert window.navigation.item(publications_row).text() == "Publicaties"
    window.show_section("start")
    qtbot.waitUntil(lambda: start.takedown_card.caption.text() == nothing)
    assert start.takedown_card.count.isHidden()
    # Nothing about the other channels or the day before changed.
    assert takedown_store.open_takedowns(db, TODAY - timedelta(days=1)) == []
