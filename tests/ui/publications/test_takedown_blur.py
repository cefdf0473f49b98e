"""Te verwijderen › "Leerling onherkenbaar gemaakt…" offers the blur tool of Publiceren when the
photo is at hand: the officer points out the pupil's face, makes the photo unrecognisable, and
the publication then refers to the new file, the earlier file kept in its history. A face
hidden in the file that is out now stays hidden in the new one. A real JPEG (three heads)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from merlet_desk.domain import consent as rules
from merlet_desk.domain.consent import ConsentSettings
from merlet_desk.imaging import anonymise
from merlet_desk.store import consent_settings as settings_store
from merlet_desk.store import decisions as decision_store
from merlet_desk.store import items as item_store
from merlet_desk.store import publications as pub
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store import takedowns as takedown_store
from merlet_desk.ui.common import dialogs
from merlet_desk.ui.publications.takedown_blur import TakedownBlurDialog
from merlet_desk.ui.publications.takedown_list import TakedownList
from tests.helpers import all_agreements, born_aged
from tests.helpers.photos import class_photo, face_left_to_right

TODAY = date(2026, 11, 25)
PUPILS = (
    ("1001", "Joëlle", "van den", "Broek"),
    ("1002", "Berkay", "", "Öztürk"),
    ("1003", "Zofia", "", "Łęcka"),
)
BERKAY, ZOFIA = "1002", "1003"
LINK = "https://www.instagram.com/merletcollege/?foto=<2A>&x"


@pytest.fixture
def posted(db, tmp_path, monkeypatch):
    """The class photo on Instagram (Berkay's face already blurred in the file that went
    out, he had no consent); then Zofia's parent withdraws."""
    from tests.helpers import fix_clock

    fix_clock(monkeypatch, TODAY)
    settings_store.save_consent_settings(db, ConsentSettings(validity=rules.UNTIL_WITHDRAWN))
    for number, first, prefix, last in PUPILS:
        pupil_store.save_pupil(db, number, first, prefix, last, born_aged(13), "2A", "Cuijk")
        if number != BERKAY:
            decision_store.record_decision(
                db, number, "social_media", rules.GRANTED, rules.PARENT, "Ouder", "2026-09-01"
            )
    photo = class_photo(tmp_path / "Klassenfoto 2A <Cuijk> & mentor.jpg")
    item = item_store.create_item(
        db,
        "Klassenfoto 2A <Cuijk> & mentor",
        pupil_numbers=[number for number, *_name in PUPILS],
        file=item_store.file_facts(photo),
        file_path=str(photo),
    )
    faces = _faces(photo)
    berkay = anonymise.widen(faces[1], 900, 360)
    written = anonymise.make_unrecognisable(photo, anonymise.target_beside(photo), [berkay])
    publication = pub.publish(
        db,
        item.id,
        "social_media",
        date(2026, 9, 10),
        LINK,
        checklist=all_agreements(),
        outgoing=pub.OutgoingFile(
            written.path, pub.UNRECOGNISABLE_FILE, "blur", written.regions, (BERKAY,)
        ),
    )
    decision_store.record_decision(
        db, ZOFIA, "social_media", rules.WITHDRAWN, rules.PARENT, "F. Łęcka", "2026-10-05"
    )
    return publication, faces


def _faces(photo: Path) -> list[tuple[int, int, int, int]]:
    """The three faces of the photo, left to right (the detector's boxes)."""
    from merlet_desk.imaging.faces import detect_faces_in_file

    found = [face.box for face in detect_faces_in_file(photo)[0]]
    return [found[index] for index in face_left_to_right(found)]


def _open_tool(qtbot, db) -> tuple[TakedownList, TakedownBlurDialog]:
    widget = TakedownList(db, False, today=TODAY)
    qtbot.addWidget(widget)
    widget.resize(1200, 400)
    widget.show()
    widget.select_pupil(0, 0)
    assert widget.mark_unrecognisable_selected()
    dialog = widget.findChild(TakedownBlurDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.panel.view.is_loaded, timeout=10000)
    return widget, dialog


def _click(qtbot, dialog, face) -> None:
    view = dialog.panel.view
    centre = view.to_screen(anonymise.widen(face, 900, 360)).center().toPoint()
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=centre)


def test_the_pupil_is_blurred_in_a_new_file_the_publication_refers_to(qtbot, db, posted):
    publication, faces = posted
    before = pub.get_publication(db, publication.id)
    widget, dialog = _open_tool(qtbot, db)
    panel = dialog.panel
    assert panel.owner() == ZOFIA  # the pupil to hide is offered first
    # Berkay's face, hidden in the file that is out now, is chosen already, as his.
    assert panel.linked() == {BERKAY: [before.file.regions[0]]}
    assert not dialog.record_button.isEnabled()  # nothing made yet
    _click(qtbot, dialog, faces[2])
    panel.make_button.click()
    assert panel.made is not None and dialog.record_button.isEnabled()
    dialog.record_button.click()

    after = pub.get_publication(db, publication.id)
    assert after.file.name.endswith("-onherkenbaar-2.jpg") and Path(after.file.path).is_file()
    assert after.file.name != before.file.name and Path(before.file.path).is_file()
    hidden = {h.number: h for h in after.hidden}
    assert set(hidden) == {BERKAY, ZOFIA}
    assert hidden[ZOFIA].how == pub.MERLET_METHOD and hidden[ZOFIA].basis == "boxes"
    assert hidden[ZOFIA].regions == (anonymise.widen(faces[2], 900, 360),)
    # The history keeps both files; the newest is the one that is out.
    files = db.execute(
        "SELECT file_name FROM publication_files WHERE publication_id = ? ORDER BY id",
        [publication.id],
    ).fetchall()
    assert [row[0] for row in files] == [before.file.name, after.file.name]
    assert takedown_store.open_takedowns(db, TODAY) == []
    assert widget.count == 0


def test_cancelling_leaves_no_file_and_nothing_recorded(qtbot, db, posted):
    publication, faces = posted
    widget, dialog = _open_tool(qtbot, db)
    _click(qtbot, dialog, faces[2])
    dialog.panel.make_button.click()
    made = Path(dialog.panel.made.path)
    assert made.is_file()
    dialog.reject()
    assert not made.exists()
    assert [t.pupil.number for t in takedown_store.open_takedowns(db, TODAY)] == [ZOFIA]


def test_a_new_file_that_would_show_an_earlier_hidden_face_is_refused(
    qtbot, db, posted, monkeypatch
):
    publication, faces = posted
    errors = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, _t, text: errors.append(text))
    widget, dialog = _open_tool(qtbot, db)
    dialog.panel.none_button.click()  # Berkay's box let go as well
    dialog.panel.set_owner(ZOFIA)
    _click(qtbot, dialog, faces[2])
    dialog.panel.make_button.click()
    assert dialog.record() is False
    assert "Berkay Öztürk was onherkenbaar" in errors[0]
    assert pub.get_publication(db, publication.id).file.name.endswith("-onherkenbaar.jpg")


def test_stated_otherwise_still_records_the_officers_words(qtbot, db, posted, monkeypatch):
    publication, _faces = posted
    monkeypatch.setattr(dialogs, "ask_text", lambda *_a, **_k: "weggesneden & <bijgeknipt>")
    widget, dialog = _open_tool(qtbot, db)
    dialog.otherwise_button.click()
    hidden = {h.number: h for h in pub.get_publication(db, publication.id).hidden}
    assert hidden[ZOFIA].how == "weggesneden & <bijgeknipt>" and hidden[ZOFIA].basis == "stated"
    assert takedown_store.open_takedowns(db, TODAY) == []
