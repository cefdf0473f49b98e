"""Form entry: a returned paper form typed in with one keystroke per purpose."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from merlet_desk.domain import consent as rules
from merlet_desk.store import decisions as store
from merlet_desk.store import pupils as pupil_store
from merlet_desk.ui.consent.form_entry import FormEntryDialog
from merlet_desk.ui.consent.model import STATE_ROLE
from tests.helpers import (
    TODAY,
    add_consent_school,
    open_register,
    press_key,
    register_cell,
    shown_dialog,
    type_text,
)


def open_form_entry(qtbot, section) -> FormEntryDialog:
    qtbot.mouseClick(section.toolbar.form_button, Qt.MouseButton.LeftButton)
    dialog = shown_dialog(section, FormEntryDialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def type_keys(qtbot, keys: str) -> None:
    """Type into whatever has the focus, as a user does."""
    for key in keys:
        qtbot.keyClick(QApplication.focusWidget(), key)


def test_keystrokes_save_one_form_in_one_go_and_start_the_next(qtbot, db, db_path):
    add_consent_school(db)
    _, section = open_register(qtbot, db, db_path)
    dialog = open_form_entry(qtbot, section)
    codes = [field.purpose.code for field in dialog.fields]
    assert codes[:3] == ["brochure", "website", "social_media"]
    assert not dialog.save_button.isEnabled()  # no pupil yet

    qtbot.keyClicks(dialog.picker, "1001")
    dialog.picker.suggestions().hide()
    qtbot.keyClick(dialog.picker, Qt.Key.Key_Return)
    assert dialog.pupil.number == "1001"
    assert "Joëlle van den Broek" in dialog.pupil_label.text()
    assert QApplication.focusWidget() is dialog.fields[0]
    assert dialog.given_by.currentData() == rules.PARENT

    # J N space I J J N: one key per purpose; the focus moves on by itself.
    type_keys(qtbot, "jn i")
    assert QApplication.focusWidget() is dialog.fields[4]
    type_keys(qtbot, "jjn")
    assert [f.value for f in dialog.fields] == [
        rules.GRANTED,
        rules.REFUSED,
        None,
        rules.WITHDRAWN,
        rules.GRANTED,
        rules.GRANTED,
        rules.REFUSED,
    ]
    assert QApplication.focusWidget() is dialog.giver_name
    qtbot.keyClicks(dialog.giver_name, "Marieke van den Broek")
    qtbot.keyClick(dialog.giver_name, Qt.Key.Key_Return)

    decisions = {d.purpose: d for d in store.decisions_for(db, "1001")}
    assert {code: d.decision for code, d in decisions.items()} == {
        "brochure": rules.GRANTED,
        "website": rules.REFUSED,
        "newsletter": rules.WITHDRAWN,
        "screens": rules.GRANTED,
        "yearbook": rules.GRANTED,
        "press": rules.REFUSED,
    }
    for decision in decisions.values():
        assert decision.given_by == rules.PARENT
        assert decision.giver_name == "Marieke van den Broek"
        assert decision.received_on == TODAY
        assert decision.method == "paper"
    assert dialog.counter.text() == "1 formulier opgeslagen"
    assert "Opgeslagen: 6 besluiten voor Joëlle van den Broek." in dialog.message.text()
    # The grid follows, and the dialog is ready for the next form.
    assert register_cell(section, "1001", "brochure").data(STATE_ROLE) == rules.ALLOWED
    assert register_cell(section, "1001", "website").data(STATE_ROLE) == rules.REFUSED
    assert dialog.pupil is None and dialog.picker.text() == ""
    assert QApplication.focusWidget() is dialog.picker
    assert all(f.value is None for f in dialog.fields)

    # Next form: Zofia by name, accent-insensitive; Enter on a purpose key saves as well.
    qtbot.keyClicks(dialog.picker, "zofia lecka")
    dialog.picker.suggestions().hide()
    qtbot.keyClick(dialog.picker, Qt.Key.Key_Return)
    assert dialog.pupil.number == "1003"
    type_keys(qtbot, " j")
    dialog.giver_name.setText("P. Łęcki")
    dialog.fields[2].setFocus()
    qtbot.keyClick(dialog.fields[2], Qt.Key.Key_Return)
    assert [d.purpose for d in store.decisions_for(db, "1003")] == ["website", "website"]
    assert dialog.counter.text() == "2 formulieren opgeslagen"


def test_a_bad_form_saves_nothing_and_says_why(qtbot, db, db_path):
    add_consent_school(db)
    _, section = open_register(qtbot, db, db_path)
    dialog = open_form_entry(qtbot, section)
    dialog.set_pupil(pupil_store.get_pupil(db, "1005"))  # 17 years old
    assert dialog.given_by.currentData() == rules.PUPIL
    # The officer picks "Ouder" by mistake: a refusal is fine, a grant from a parent is not.
    dialog.given_by.setCurrentIndex(dialog.given_by.findData(rules.PARENT))
    dialog.giver_name.setText("M. Yılmaz")
    dialog.fields[0].set_value(rules.REFUSED)
    dialog.fields[2].set_value(rules.GRANTED)
    before = store.decisions_for(db, "1005")
    assert dialog.save() is False
    text = dialog.message.text()
    assert text.startswith("Niets opgeslagen.")
    assert "Sociale-media-accounts van de school" in text
    assert "alleen de leerling zelf" in text
    assert store.decisions_for(db, "1005") == before  # not even the refusal
    assert dialog.pupil.number == "1005"  # the form stays, to be corrected
    assert dialog.counter.text() == "0 formulieren opgeslagen"


def test_empty_form_and_no_pupil_are_explained(qtbot, db, db_path):
    add_consent_school(db)
    _, section = open_register(qtbot, db, db_path)
    dialog = open_form_entry(qtbot, section)
    assert dialog.save() is False
    assert dialog.message.text() == "Kies eerst de leerling van dit formulier."
    dialog.set_pupil(pupil_store.get_pupil(db, "1001"))
    assert dialog.save() is False
    assert "geen enkel doel" in dialog.message.text()


def test_type_ahead_enter_picks_the_highlighted_first_match(qtbot, db, db_path):
    add_consent_school(db)
    pupil_store.save_pupil(db, "21001", "Noor", "", "Bakker", date(2012, 1, 9), "1A", "Cuijk")
    _, section = open_register(qtbot, db, db_path)
    dialog = open_form_entry(qtbot, section)
    # "1001" is also part of 21001: the exact number comes first and Enter takes it.
    qtbot.keyClicks(dialog.picker, "1001")
    popup = dialog.picker.suggestions()
    assert popup.isVisible()
    assert dialog.picker.shown_choices()[0].startswith("1001 — Joëlle van den Broek")
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.pupil.number == "1001"
    assert QApplication.focusWidget() is dialog.fields[0]


def test_the_first_enter_on_a_name_picks_the_pupil(qtbot, db, db_path):
    """A name matches no suggestion's beginning (they start with the number): the first Enter
    still picks the highlighted pupil instead of only closing the list."""
    add_consent_school(db)
    _, section = open_register(qtbot, db, db_path)
    dialog = open_form_entry(qtbot, section)
    type_text(dialog, "lecka")
    assert dialog.picker.highlighted_choice().startswith("1003 — Zofia Łęcka")
    press_key(dialog, Qt.Key.Key_Return)
    assert dialog.pupil.number == "1003"
    assert dialog.isVisible()
    assert QApplication.focusWidget() is dialog.fields[0]
    assert dialog.picker.text() == ""  # the pupil is named above the purposes


def _half_entered(qtbot, db, db_path):
    add_consent_school(db)
    _, section = open_register(qtbot, db, db_path)
    dialog = open_form_entry(qtbot, section)
    dialog.set_pupil(pupil_store.get_pupil(db, "1001"))
    dialog.given_by.setCurrentIndex(dialog.given_by.findData(rules.PARENT))
    dialog.giver_name.setText("Marieke van den Broek")
    dialog.fields[0].set_value(rules.GRANTED)
    return dialog


def test_klaar_on_a_half_entered_form_asks_and_cancel_goes_back(qtbot, db, db_path, monkeypatch):
    from merlet_desk.ui.common import dialogs

    dialog = _half_entered(qtbot, db, db_path)
    asked = []
    monkeypatch.setattr(
        dialogs, "ask_save_changes", lambda p, title, text: asked.append(text) or "cancel"
    )
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert asked == [
        "Het formulier van Joëlle van den Broek is nog niet opgeslagen. Wilt u het opslaan?"
    ]
    assert dialog.isVisible() and dialog.fields[0].value == rules.GRANTED
    before = len(store.decisions_for(db, "1001"))
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda *a: "save")
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert len(store.decisions_for(db, "1001")) == before + 1


def test_escape_on_a_half_entered_form_asks_too_and_discard_records_nothing(
    qtbot, db, db_path, monkeypatch
):
    from merlet_desk.ui.common import dialogs

    dialog = _half_entered(qtbot, db, db_path)
    before = store.decisions_for(db, "1001")
    asked = []
    monkeypatch.setattr(
        dialogs, "ask_save_changes", lambda p, title, text: asked.append(title) or "discard"
    )
    dialog.reject()
    assert asked == ["Formulier niet opgeslagen"] and not dialog.isVisible()
    assert store.decisions_for(db, "1001") == before


def test_klaar_after_saving_closes_without_a_question(qtbot, db, db_path, monkeypatch):
    from tests.helpers import fail_on_dialogs

    fail_on_dialogs(monkeypatch, "ask_save_changes")
    dialog = _half_entered(qtbot, db, db_path)
    assert dialog.save()
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
