"""Recording a withdrawal tells the officer at once which publications must now come down."""

from __future__ import annotations

from merlet_desk.domain import consent as rules
from merlet_desk.domain.publications import publish_checklist
from merlet_desk.store import decisions as store
from merlet_desk.store import items as item_store
from merlet_desk.store import publications as pub
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store import purposes as purpose_store
from tests.helpers import TODAY, add_consent_school, open_register


def publish_with(db, numbers: list[str], title: str) -> None:
    item = item_store.create_item(db, title, pupil_numbers=numbers)
    pub.publish(
        db,
        item.id,
        "website",
        TODAY,
        f"https://merlet.nl/{title}",
        checklist=[entry.agreement for entry in publish_checklist()],
    )


def test_withdrawal_in_the_dialog_names_the_publications_to_take_down(qtbot, db, db_path):
    add_consent_school(db)
    store.record_decision(db, "1001", "website", rules.GRANTED, rules.PARENT, "M. Broek", TODAY)
    publish_with(db, ["1001", "1006"], "sportdag")
    publish_with(db, ["1001"], "open-dag")
    window, section = open_register(qtbot, db, db_path)
    dialog = section.open_history(
        pupil_store.get_pupil(db, "1001"), purpose_store.get_purpose(db, "website")
    )
    dialog.form.decision.setCurrentIndex(dialog.form.decision.findData(rules.WITHDRAWN))
    dialog.form.giver_name.setText("Marieke van den Broek")
    assert dialog.save() is True
    assert dialog.error.text() == (
        "Vastgelegd. Let op: Joëlle van den Broek staat op 2 publicaties die nu verwijderd "
        "moeten worden (Publicaties › Te verwijderen)."
    )
    window.show_section("start")
    qtbot.waitUntil(lambda: window.takedown_count == 2)
    row = window.section_keys().index("publicaties")
    assert window.navigation.item(row).text() == "Publicaties (2)"


def test_the_notice_has_a_button_to_the_list_it_names(qtbot, db, db_path):
    add_consent_school(db)
    store.record_decision(db, "1001", "website", rules.GRANTED, rules.PARENT, "M. Broek", TODAY)
    publish_with(db, ["1001"], "open-dag <&>")
    window, section = open_register(qtbot, db, db_path)
    dialog = section.open_history(
        pupil_store.get_pupil(db, "1001"), purpose_store.get_purpose(db, "website")
    )
    assert not dialog.takedowns_button.isVisible()  # nothing to take down yet
    dialog.form.decision.setCurrentIndex(dialog.form.decision.findData(rules.WITHDRAWN))
    dialog.form.giver_name.setText("Marieke van den Broek")
    assert dialog.save() is True
    assert dialog.takedowns_button.isVisible()
    assert dialog.takedowns_button.text() == "Naar Te verwijderen"
    dialog.takedowns_button.click()
    assert not dialog.isVisible()
    assert window.current_section_key() == "publicaties"
    publications = window.section_widgets["publicaties"]
    assert publications.tabs.currentWidget() is publications.takedowns
    assert [row[0] for row in publications.takedowns.rows_text()] == ["open-dag <&>"]


def test_form_entry_offers_the_list_after_a_withdrawal(qtbot, db, db_path):
    add_consent_school(db)
    store.record_decision(db, "1001", "website", rules.GRANTED, rules.PARENT, "M. Broek", TODAY)
    publish_with(db, ["1001"], "open-dag")
    window, section = open_register(qtbot, db, db_path)
    dialog = section.open_form_entry()
    dialog.set_pupil(pupil_store.get_pupil(db, "1001"))
    for field in dialog.fields:
        if field.purpose.code == "website":
            field.set_value(rules.WITHDRAWN)
    dialog.giver_name.setText("Marieke van den Broek")
    assert dialog.save() is True
    assert dialog.takedowns_button.isVisible()
    dialog.takedowns_button.click()
    assert window.current_section_key() == "publicaties"


def test_a_grant_says_only_that_it_was_recorded(qtbot, db, db_path):
    add_consent_school(db)
    publish_with(db, ["1006"], "musical")
    _, section = open_register(qtbot, db, db_path)
    dialog = section.open_history(
        pupil_store.get_pupil(db, "1006"), purpose_store.get_purpose(db, "yearbook")
    )
    dialog.form.given_by.setCurrentIndex(dialog.form.given_by.findData(rules.PARENT))
    dialog.form.giver_name.setText("K. Zn")
    dialog.form.decision.setCurrentIndex(dialog.form.decision.findData(rules.GRANTED))
    assert dialog.save() is True
    assert dialog.error.text() == "Vastgelegd."
