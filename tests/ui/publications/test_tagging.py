"""Tagging the pupils on a class photo by keyboard alone: a name, Enter, the next name. Enter
picks the highlighted suggestion (the first one unless the arrow keys chose another), empties
the box, and never presses the dialog's Opslaan."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from merlet_desk.domain.publications import PHOTO
from merlet_desk.store import items as item_store
from merlet_desk.store import pupils as pupil_store
from merlet_desk.ui.publications.item_dialog import ItemDialog
from tests.helpers import fail_on_dialogs, press_key, type_text

CLASS_1B = [
    ("3001", "Joëlle", "van den", "Broek"),
    ("3002", "Daan", "van den", "Broek"),
    ("3003", "Berkay", "", "Öztürk"),
    ("3004", "Zofia", "", "Łęcka"),
    ("3005", "Meryem", "", "Boujdaini"),
    ("3006", "Jan", "", "<b>Jan</b> & Zn"),
    ("3007", "Noor", "", "Bakker"),
    ("3008", "Sem", "de", "Vries"),
    ("3009", "Yasmina", "el", "Amrani"),
    ("3010", "Emre", "", "Yılmaz"),
    ("3011", "Lotte", "", "Jansen"),
    ("3012", "Finn", "", "Hendriks"),
]

# What the officer types for each face, left to right, and who that tags. "broek" offers both
# van den Broeks, Daan first: the arrow key takes Joëlle, the second. A number works as well as a name.
TYPED = [
    ("ozturk", None, "3003"),
    ("broek", Qt.Key.Key_Down, "3001"),
    ("lecka", None, "3004"),
    ("boujd", None, "3005"),
    ("3007", None, "3007"),
    ("sem de vries", None, "3008"),
    ("amrani", None, "3009"),
    ("yilmaz", None, "3010"),
    ("zn", None, "3006"),
    ("daan", None, "3002"),
]


@pytest.fixture(autouse=True)
def no_real_dialogs(monkeypatch):
    fail_on_dialogs(monkeypatch, "show_error", "show_info", "show_warning", "ask_yes_no")


def add_class_photo(db) -> int:
    for number, first, prefix, last in CLASS_1B:
        pupil_store.save_pupil(db, number, first, prefix, last, date(2012, 3, 4), "1B", "Cuijk")
    item = item_store.create_item(db, "Klassenfoto 1B", media_kind=PHOTO, location="Cuijk")
    return item.id


def open_item_dialog(qtbot, db, item_id) -> ItemDialog:
    dialog = ItemDialog(db, item_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.picker.setFocus()
    return dialog


def test_ten_pupils_tagged_by_keyboard_alone_and_the_dialog_stays_open(qtbot, db):
    item_id = add_class_photo(db)
    dialog = open_item_dialog(qtbot, db, item_id)

    for typed, arrow, number in TYPED:
        type_text(dialog, typed)
        assert dialog.picker.suggestions().isVisible(), typed
        if arrow is not None:
            press_key(dialog, arrow)
        highlighted = dialog.picker.highlighted_choice()
        assert highlighted is not None and highlighted.startswith(f"{number} — "), typed
        press_key(dialog, Qt.Key.Key_Return)  # the first Enter picks, not only closes
        assert dialog.isVisible(), f"the dialog closed after {typed!r}"
        assert dialog.pupil_numbers()[-1] == number, typed
        assert dialog.picker.text() == "", typed  # ready for the next name

    wanted = [number for _, _, number in TYPED]
    assert dialog.pupil_numbers() == wanted
    assert dialog.count_label.text() == "In beeld: 10 leerlingen"
    # Enter in the empty box does not save either: nothing is stored until Opslaan.
    press_key(dialog, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert item_store.item_pupils(db, item_id) == []

    press_key(dialog, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)  # &Opslaan
    qtbot.waitUntil(lambda: not dialog.isVisible())  # a mnemonic clicks after a moment
    assert dialog.result() == dialog.DialogCode.Accepted
    assert sorted(p.number for p in item_store.item_pupils(db, item_id)) == sorted(wanted)


def test_enter_with_the_list_closed_takes_the_first_match(qtbot, db):
    item_id = add_class_photo(db)
    dialog = open_item_dialog(qtbot, db, item_id)
    type_text(dialog, "broek")
    press_key(dialog, Qt.Key.Key_Escape)  # closes the list, not the dialog
    assert dialog.isVisible() and not dialog.picker.suggestions().isVisible()
    press_key(dialog, Qt.Key.Key_Return)
    assert dialog.pupil_numbers() == ["3002"]  # Daan van den Broek, the first offered
    assert dialog.isVisible()
    # Text that matches nobody: nothing tagged, the text stays to be corrected.
    type_text(dialog, "xyz")
    press_key(dialog, Qt.Key.Key_Return)
    assert dialog.pupil_numbers() == ["3002"]
    assert dialog.picker.text() == "xyz"
    assert dialog.isVisible()
