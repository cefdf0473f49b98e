"""The publication check ("Mag deze foto online?") and the reminders, as a user sees them."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from merlet_desk.domain import consent as rules
from merlet_desk.store import consent_settings as settings_store
from merlet_desk.store import decisions as store
from merlet_desk.store import purposes as purpose_store
from merlet_desk.ui.consent.check import PublicationCheckDialog
from merlet_desk.ui.consent.decision_dialog import DecisionDialog
from merlet_desk.ui.consent.model import STATE_ROLE
from tests.helpers import TODAY, add_consent_school, open_register, register_cell, shown_dialog


def until_withdrawn(db) -> None:
    """Decisions never expire, so dates before today stay valid whatever today is."""
    settings_store.save_consent_settings(db, rules.ConsentSettings(validity=rules.UNTIL_WITHDRAWN))


def test_check_a_photo_pupils_in_verdicts_out_and_copy(qtbot, db, db_path):
    add_consent_school(db)
    until_withdrawn(db)
    # Berkay turned 16 today; his parent consented a month ago.
    store.record_decision(
        db, "1002", "website", rules.GRANTED, rules.PARENT, "H. Öztürk", TODAY - timedelta(30)
    )
    _, section = open_register(qtbot, db, db_path)
    qtbot.mouseClick(section.toolbar.check_button, Qt.MouseButton.LeftButton)
    dialog = shown_dialog(section, PublicationCheckDialog)
    assert dialog.windowTitle() == "Mag deze foto online?"
    assert dialog.on.value() == TODAY
    assert not dialog.copy_button.isEnabled()  # nothing to copy yet
    dialog.set_purpose("website")

    # Type-ahead, accent-insensitive: "ozturk" offers Berkay Öztürk; pick him from the list.
    qtbot.keyClicks(dialog.picker, "ozturk")
    assert dialog.picker.shown_choices() == ["1002 — Berkay Öztürk (4B, Grave)"]
    popup = dialog.picker.suggestions()
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.pupil_numbers() == ["1002"]
    assert dialog.picker.text() == ""
    # A second pupil by number and Enter, then the whole of class 1A.
    qtbot.keyClicks(dialog.picker, "1004")
    dialog.picker.suggestions().hide()
    qtbot.keyClick(dialog.picker, Qt.Key.Key_Return)
    dialog.class_combo.setCurrentIndex(dialog.class_combo.findData("1A"))
    qtbot.mouseClick(dialog.add_class_button, Qt.MouseButton.LeftButton)
    assert sorted(dialog.pupil_numbers()) == ["1001", "1002", "1003", "1004", "1006"]

    assert dict(dialog.allowed_rows()) == {
        "1002": "16 geworden — leerling informeren",
        "1006": "",
    }
    assert dict(dialog.blocked_rows()) == {
        "1001": "niets vastgelegd (geen toestemming)",
        "1003": "geweigerd",
        "1004": "toestemming ingetrokken",
    }
    assert dialog.verdict.text().startswith("Nee")
    assert "3 van de 5" in dialog.verdict.text()

    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith("Mag deze foto online? — Website van de school — ")
    assert TODAY.strftime("%d-%m-%Y") in copied
    assert "Berkay Öztürk (1002, 4B) — 16 geworden — leerling informeren" in copied
    assert "Zofia Łęcka (1003, 1A) — geweigerd" in copied
    assert "Jan <b>Jan</b> & Zn (1006, 1A)" in copied
    assert copied.index("Mag NIET in beeld (3)") > copied.index("Mag in beeld (2)")

    # Remove the three who may not appear: now everyone may.
    for i in reversed(range(dialog.chosen.count())):
        if dialog.chosen.item(i).data(Qt.ItemDataRole.UserRole) in {"1001", "1003", "1004"}:
            dialog.chosen.item(i).setSelected(True)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert dialog.blocked_rows() == []
    assert dialog.verdict.text() == "Ja: alle 2 leerlingen mogen in beeld."
    # Nobody left who may not appear: that list folds to its title, the other takes the room.
    assert dialog.blocked_title.text() == "✗ Mag NIET in beeld: niemand"
    qtbot.waitUntil(lambda: not dialog.blocked_list.isVisible())
    qtbot.waitUntil(lambda: dialog.allowed_list.height() > dialog.height() // 2)


def test_check_on_an_earlier_date_and_other_purpose(qtbot, db, db_path):
    add_consent_school(db)
    _, section = open_register(qtbot, db, db_path)
    dialog = section.open_check()
    dialog.set_purpose("social_media")
    dialog.add_numbers(["1006", "1005"])
    assert [n for n, _ in dialog.allowed_rows()] == ["1006"]
    assert dict(dialog.blocked_rows()) == {"1005": "niets vastgelegd (geen toestemming)"}
    dialog.on.set_value(TODAY - timedelta(days=1))  # before the consent was given
    assert dialog.allowed_rows() == []
    assert dialog.check_result.on == TODAY - timedelta(days=1)


def test_reminders_list_one_row_per_pupil_with_the_purposes(qtbot, db, db_path):
    add_consent_school(db)
    until_withdrawn(db)
    store.record_decision(
        db, "1002", "website", rules.GRANTED, rules.PARENT, "H. Öztürk", TODAY - timedelta(30)
    )
    _, section = open_register(qtbot, db, db_path)
    reminders = section.show_reminders()
    turned = reminders.turned_16.model
    assert turned.rowCount() == 1
    row = turned.row_at(0)
    assert row.pupil.number == "1002"
    assert [p.code for p in row.purposes] == ["website"]
    assert "H. Öztürk" in row.detail
    missing = reminders.no_record
    purposes = purpose_store.list_purposes(db)
    # Every pupil lacks a decision for some purpose: one row each, not one per purpose.
    assert missing.model.rowCount() == 6
    zofia = next(r for r in missing.shown_rows() if r.pupil.number == "1003")
    assert zofia.purposes_text == ", ".join(p.label for p in purposes if p.code != "website")
    assert reminders.tabs.tabText(0) == "16 geworden (1)"
    assert reminders.tabs.tabText(2) == "Niets vastgelegd (6)"
    missing.search.setText("lecka")
    assert missing.proxy.rowCount() == 1
    missing.search.clear()
    # A click on "Nr." sorts up, a second click down, as the header's arrow says.
    missing.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    ascending = [missing.proxy.index(r, 0).data() for r in range(missing.proxy.rowCount())]
    assert ascending == sorted(ascending, key=int) and len(ascending) == 6
    missing.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    shown = [missing.proxy.index(r, 0).data() for r in range(missing.proxy.rowCount())]
    assert shown == ascending[::-1]
    # A double-click opens the history for that pupil and the first purpose.
    index = reminders.turned_16.proxy.index(0, 1)
    reminders.turned_16.table.doubleClicked.emit(index)
    history = shown_dialog(section, DecisionDialog)
    assert (history.pupil.number, history.purpose.code) == ("1002", "website")
    history.close()
    # Under the list, a link per purpose of the chosen pupil opens that purpose's history.
    reminders.show_list("no_record")  # opened whole, as the start screen counts it
    assert missing.proxy.rowCount() == 6
    missing.search.setText("lecka")
    missing.table.setCurrentIndex(missing.proxy.index(0, 1))
    assert "Jaarboek" in missing.links.text()
    missing.links.linkActivated.emit("yearbook")
    history = shown_dialog(section, DecisionDialog)
    assert (history.pupil.number, history.purpose.code) == ("1003", "yearbook")


def test_record_missing_consent_from_the_check_and_delete_key(qtbot, db, db_path):
    add_consent_school(db)
    _, section = open_register(qtbot, db, db_path)
    dialog = section.open_check()
    dialog.set_purpose("website")
    dialog.add_class("1A")
    assert dict(dialog.blocked_rows())["1001"] == "niets vastgelegd (geen toestemming)"
    # The consent form of 1001 just came in: double-click her row and record it there.
    item = dialog.blocked_list.topLevelItem([n for n, _ in dialog.blocked_rows()].index("1001"))
    dialog.blocked_list.itemDoubleClicked.emit(item, 1)
    history = shown_dialog(dialog, DecisionDialog)  # on top of the check
    assert (history.pupil.number, history.purpose.code) == ("1001", "website")
    history.form.giver_name.setText("Marieke van den Broek")
    history.form.decision.setCurrentIndex(history.form.decision.findData(rules.GRANTED))
    assert history.save() is True
    assert "1001" in dict(dialog.allowed_rows())
    assert register_cell(section, "1001", "website").data(STATE_ROLE) == rules.ALLOWED
    # Delete removes the chosen pupils from the photo.
    dialog.chosen.setFocus()
    dialog.chosen.item(0).setSelected(True)
    removed = dialog.chosen.item(0).data(Qt.ItemDataRole.UserRole)
    qtbot.keyClick(dialog.chosen, Qt.Key.Key_Delete)
    assert removed not in dialog.pupil_numbers()
    assert len(dialog.pupil_numbers()) == 2


def test_check_pdf_gives_the_verdict_not_the_parents_names(
    qtbot, db, db_path, tmp_path, monkeypatch
):
    """The check's PDF goes to a photographer or a teacher: who may appear and why not, not
    which parent said so, nor how."""
    from merlet_desk.ui.common import dialogs
    from tests.helpers import pdf_text

    add_consent_school(db)
    until_withdrawn(db)
    store.record_decision(
        db,
        "1002",
        "website",
        rules.GRANTED,
        rules.PARENT,
        "Hatice Öztürk",
        TODAY - timedelta(30),
        "portal",
    )
    store.record_decision(
        db, "1003", "website", rules.REFUSED, rules.PARENT, "Marek Łęcki", TODAY, "paper"
    )
    dialog = PublicationCheckDialog(db, purpose_code="website")
    qtbot.addWidget(dialog)
    dialog.add_numbers(["1002", "1003"])
    target = tmp_path / "check.pdf"
    monkeypatch.setattr(dialogs, "choose_save_path", lambda *a, **k: target)
    assert dialog.export_pdf() == target
    text = pdf_text(target)
    assert "Berkay Öztürk" in text and "Zofia Łęcka" in text and "geweigerd" in text.lower()
    for name in ("Hatice", "Marek", "Łęcki", "Ouderportaal", "Papieren formulier", "ouder"):
        assert name not in text, name
