"""A blurred face must be the blocked pupil's face: in the publish dialog the officer links each
box to a pupil by a click (no recognition), a pupil counts as unrecognisable only when a box
linked to that pupil was hidden, and the register records which box hid whom.

The scenario: a class photo of five pupils for social media; Zofia's parent refused, for Daan
nothing is recorded; the other three may appear. Three faces are found on the photo."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from merlet_desk.domain import consent as rules
from merlet_desk.imaging.anonymise import widen
from merlet_desk.store import decisions as decision_store
from merlet_desk.store import items as item_store
from merlet_desk.store import publications as pub
from merlet_desk.store import pupils as pupil_store
from tests.helpers import born_aged, open_publish_dialog
from tests.helpers.photos import class_photo, face_left_to_right

PUPILS = (
    ("1001", "Joëlle", "van den", "Broek"),
    ("1002", "Berkay", "", "Öztürk"),
    ("1003", "Zofia", "", "Łęcka"),
    ("1004", "Meryem", "", "Boujdaini"),
    ("1005", "Daan", "de", "Vries"),
)
ZOFIA, DAAN = "1003", "1005"


@pytest.fixture
def item(db, tmp_path, today):
    for number, first, prefix, last in PUPILS:
        pupil_store.save_pupil(db, number, first, prefix, last, born_aged(13), "2A", "Cuijk")
    for number in ("1001", "1002", "1004"):
        decision_store.record_decision(
            db, number, "social_media", rules.GRANTED, rules.PARENT, "Ayşe Yılmaz", today
        )
    decision_store.record_decision(
        db, ZOFIA, "social_media", rules.REFUSED, rules.PARENT, "Ouder", today
    )
    photo = class_photo(tmp_path / "Klassenfoto 2A <Cuijk> & mentor.jpg")
    return item_store.create_item(
        db,
        "Klassenfoto 2A <Cuijk> & mentor",
        pupil_numbers=[number for number, *_name in PUPILS],
        file=item_store.file_facts(photo),
        file_path=str(photo),
    )


def _dialog(qtbot, db, item):
    return open_publish_dialog(
        qtbot,
        db,
        item.id,
        "social_media",
        "https://www.instagram.com/merletcollege/?foto=<2A>&x",
        size=(1240, 720),
    )


def _faces(dialog) -> list[tuple[int, int, int, int]]:
    """The three faces found, from left to right."""
    faces = dialog.photo_panel.view.faces
    assert len(faces) == 3
    return [faces[index] for index in face_left_to_right(faces)]


def _click_face(qtbot, dialog, face) -> None:
    view = dialog.photo_panel.view
    centre = view.to_screen(face).center().toPoint()
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=centre)


def _widened(face) -> tuple[int, int, int, int]:
    return widen(face, 900, 360)


def test_one_face_blurred_hides_one_pupil_not_both(qtbot, db, item):
    """The officer chooses one face and clicks "Onherkenbaar maken": that face hides one
    pupil, and the other blocked pupil still keeps the photo from going out."""
    dialog = _dialog(qtbot, db, item)
    assert "2 van de 5 leerlingen mogen niet op" in dialog.verdict.text()
    _click_face(qtbot, dialog, _faces(dialog)[1])
    dialog.photo_panel.make_button.click()
    assert dialog.photo_panel.made is not None

    assert len(dialog.unrecognisable()) == 1
    assert len(dialog.blocked_numbers()) == 1
    assert "zijn onherkenbaar gemaakt" not in dialog.verdict.text()
    assert not dialog.publish_button.isEnabled()
    assert dialog.why_not() == "1 leerling mag niet op Sociale-media-accounts van de school"
    assert dialog.publish() is None
    assert pub.publications_of_item(db, item.id) == []


def test_each_face_is_linked_to_the_pupil_chosen_and_the_register_says_which(qtbot, db, item):
    dialog = _dialog(qtbot, db, item)
    panel = dialog.photo_panel
    left, middle, right = _faces(dialog)
    # The blocked pupils are offered first, the first of them already chosen; then the
    # others in register order, and someone who is not in the list.
    assert panel.owner() == ZOFIA
    assert [panel.owner_box.itemData(i) for i in range(panel.owner_box.count())] == [
        ZOFIA,
        DAAN,
        "1004",
        "1001",
        "1002",
        "",
    ]
    assert panel.owner_box.currentText().startswith("Zofia Łęcka")
    _click_face(qtbot, dialog, middle)
    # Zofia's face is chosen; the next blocked pupil without a face is offered.
    assert panel.owner() == DAAN
    assert "Daan de Vries" in panel.hint.text()
    _click_face(qtbot, dialog, right)
    # Not made yet: the pupils are not unrecognisable yet.
    assert dialog.unrecognisable() == {}
    assert dialog.why_not() == "Maak de foto eerst onherkenbaar"
    panel.make_button.click()
    assert dialog.unrecognisable() == {ZOFIA: pub.MERLET_METHOD, DAAN: pub.MERLET_METHOD}
    assert "2 van de 5 leerlingen mogen niet op" in dialog.verdict.text()
    assert "zijn onherkenbaar gemaakt" in dialog.verdict.text()
    assert dialog.can_publish()

    publication = dialog.publish()
    assert publication is not None
    assert publication.file.regions == (_widened(middle), _widened(right))
    hidden = {h.number: h for h in publication.hidden}
    assert set(hidden) == {ZOFIA, DAAN}
    assert hidden[ZOFIA].regions == (_widened(middle),)
    assert hidden[DAAN].regions == (_widened(right),)
    assert hidden[ZOFIA].basis == hidden[DAAN].basis == "boxes"
    rows = db.execute(
        "SELECT p.number, u.how, u.regions FROM publication_unrecognisable u"
        " JOIN pupils p ON p.id = u.pupil_id ORDER BY p.number"
    ).fetchall()
    assert [(n, how, json.loads(r)) for n, how, r in rows] == [
        (ZOFIA, pub.MERLET_METHOD, [list(_widened(middle))]),
        (DAAN, pub.MERLET_METHOD, [list(_widened(right))]),
    ]


def test_a_second_click_on_a_face_gives_it_to_the_pupil_chosen_or_lets_it_go(qtbot, db, item):
    dialog = _dialog(qtbot, db, item)
    panel = dialog.photo_panel
    _left, middle, _right = _faces(dialog)
    _click_face(qtbot, dialog, middle)  # Zofia's
    assert panel.linked() == {ZOFIA: [_widened(middle)]}
    _click_face(qtbot, dialog, middle)  # Daan is chosen now: the face becomes his
    assert panel.linked() == {DAAN: [_widened(middle)]}
    _click_face(qtbot, dialog, middle)  # his own face again: no longer chosen
    assert panel.linked() == {}
    assert panel.view.chosen_boxes() == []


def test_faces_are_linked_with_the_keyboard(qtbot, db, item):
    dialog = _dialog(qtbot, db, item)
    panel = dialog.photo_panel
    view = panel.view
    faces = view.faces
    panel.owner_box.setFocus()
    qtbot.keyClick(panel.owner_box, Qt.Key.Key_Down)  # Daan
    assert panel.owner() == DAAN
    view.setFocus()
    # The arrows walk the faces from left to right; Space links the face shown.
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert faces[view.focused] == _faces(dialog)[1]
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert panel.linked() == {DAAN: [_widened(_faces(dialog)[1])]}
    # "Gezicht van" has its own Alt-letter in the dialog.
    assert panel.owner_label.buddy() is panel.owner_box
    assert "&Gezicht van" in panel.owner_label.text()


def test_a_face_of_someone_else_hides_no_pupil(qtbot, db, item):
    """ "Alle gezichten" blurs every face, but says of nobody whose face it is."""
    dialog = _dialog(qtbot, db, item)
    panel = dialog.photo_panel
    panel.all_button.click()
    panel.make_button.click()
    assert panel.made is not None and len(panel.made.regions) == 3
    assert dialog.unrecognisable() == {}
    assert not dialog.can_publish()
    assert "Nog aan te wijzen: Zofia Łęcka, Daan de Vries." in panel.hint.text()


def test_what_the_officer_states_is_recorded_as_their_statement(qtbot, db, item):
    """Daan is seen from behind: the officer says so. That is recorded as what the officer
    stated, never as blurred in Merlet Desk; Zofia's face is blurred."""
    dialog = _dialog(qtbot, db, item)
    _click_face(qtbot, dialog, _faces(dialog)[1])  # Zofia's
    dialog.photo_panel.make_button.click()
    box, how = dialog._hidden[DAAN]
    assert how.text() == "" and not box.isChecked()
    box.setChecked(True)
    assert not dialog.can_publish()  # how, in the officer's words
    assert dialog.why_not() == "Schrijf op hoe Daan de Vries onherkenbaar is"
    how.setText("van achteren in beeld")
    # Zofia's row is not the officer's to tick: the file hides her face.
    zofia_box, zofia_how = dialog._hidden[ZOFIA]
    assert zofia_box.isChecked() and not zofia_box.isEnabled()
    assert zofia_how.text() == "vak 1: vervaagd in Merlet Desk" and zofia_how.isReadOnly()
    assert dialog.can_publish()
    publication = dialog.publish()
    hidden = {h.number: h for h in publication.hidden}
    assert (hidden[DAAN].how, hidden[DAAN].basis, hidden[DAAN].regions) == (
        "van achteren in beeld",
        "stated",
        (),
    )
    assert hidden[ZOFIA].basis == "boxes"
