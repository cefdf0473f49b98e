"""The boxes of `ui/common/dialogs.py` themselves (issue 19, part 5): the save/discard/cancel
question and the list of problems. The tests build the boxes and answer them with the
keyboard and the mouse through `open()`; no box runs its own `exec()` loop here."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from merlet_desk.ui.common import dialogs

QUESTION = "De wijzigingen in zaak 2026-0007 zijn nog niet opgeslagen."


def answered(qtbot, box: QMessageBox, act) -> str:
    """Show the box, let `act(box)` answer it, and return what ask_save_changes returns."""
    qtbot.addWidget(box)
    results: list[int] = []
    box.finished.connect(results.append)
    box.open()
    qtbot.waitExposed(box)
    act(box)
    qtbot.waitUntil(lambda: bool(results))
    return dialogs.save_changes_answer(results[0])


def test_the_save_question_offers_save_dont_save_and_cancel_in_dutch(qtbot):
    box = dialogs.save_changes_box(None, "Niet opgeslagen", QUESTION)
    qtbot.addWidget(box)
    assert box.text() == QUESTION
    assert sorted(button.text() for button in box.buttons()) == [
        "Annuleren",
        "Niet opslaan",
        "Opslaan",
    ]
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Save)


@pytest.mark.parametrize(
    ("act", "answer"),
    [
        (lambda box: box.button(QMessageBox.StandardButton.Save).click(), "save"),
        (lambda box: box.button(QMessageBox.StandardButton.Discard).click(), "discard"),
        (lambda box: box.button(QMessageBox.StandardButton.Cancel).click(), "cancel"),
        (lambda box: box.reject(), "cancel"),  # the window's close button
    ],
)
def test_each_button_gives_its_answer(qtbot, act, answer):
    box = dialogs.save_changes_box(None, "Niet opgeslagen", QUESTION)
    assert answered(qtbot, box, act) == answer


def test_enter_saves_and_escape_cancels(qtbot):
    def key(which):
        return lambda box: qtbot.keyClick(box, which)

    enter = dialogs.save_changes_box(None, "Niet opgeslagen", QUESTION)
    assert answered(qtbot, enter, key(Qt.Key.Key_Return)) == "save"
    escape = dialogs.save_changes_box(None, "Niet opgeslagen", QUESTION)
    assert answered(qtbot, escape, key(Qt.Key.Key_Escape)) == "cancel"


def problems(count: int) -> list[str]:
    return [f"rij {row}, kolom achternaam: leeg" for row in range(2, count + 2)]


def test_a_long_list_of_problems_shows_twelve_and_the_rest_under_details(qtbot):
    box = dialogs.problems_box(None, "Leerlingen importeren", "niet geïmporteerd", problems(40))
    qtbot.addWidget(box)
    lines = box.informativeText().split("\n")
    assert lines[:12] == [f"• {problem}" for problem in problems(12)]
    assert lines[12:] == ["… en nog 28 (zie Details)"]
    assert box.detailedText().split("\n") == problems(40)  # every one, for copying


def test_a_short_list_is_shown_whole(qtbot):
    box = dialogs.problems_box(None, "Importeren", "niet geïmporteerd", problems(12))
    qtbot.addWidget(box)
    assert box.informativeText().split("\n") == [f"• {p}" for p in problems(12)]
    empty = dialogs.problems_box(None, "Importeren", "niet geïmporteerd", [])
    qtbot.addWidget(empty)
    assert empty.informativeText() == "" and empty.detailedText() == ""


def test_names_with_markup_are_shown_as_they_are_written(qtbot):
    """Rich text would make "<b>Jan</b> & Zn" bold and eat the tags."""
    box = dialogs.problems_box(
        None, "Importeren", "Leerling <b>Jan</b> & Zn", ["rij 2: <b>Jan</b> & Zn <i>x</i>"]
    )
    qtbot.addWidget(box)
    box.show()
    labels = {label.objectName(): label for label in box.findChildren(QLabel)}
    for name in ("qt_msgbox_label", "qt_msgbox_informativelabel"):
        assert labels[name].textFormat() == Qt.TextFormat.PlainText
    assert labels["qt_msgbox_informativelabel"].text() == "• rij 2: <b>Jan</b> & Zn <i>x</i>"
    for icon in (QMessageBox.Icon.Critical, QMessageBox.Icon.Question):
        other = dialogs.message_box(icon, None, "Fout", "<b>Jan</b> & Zn")
        qtbot.addWidget(other)
        assert other.textFormat() == Qt.TextFormat.PlainText
