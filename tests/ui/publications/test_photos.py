"""The photo where decisions are made (issue 17): the photo view with the faces, and the panel
of the publish dialog that makes pupils unrecognisable in a new file without metadata."""

from __future__ import annotations

import hashlib

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from merlet_desk.domain.publications import publish_checklist
from merlet_desk.imaging import photo
from merlet_desk.store import decisions as decision_store
from merlet_desk.store import items as item_store
from merlet_desk.store import publications as pub
from merlet_desk.store import pupils as pupil_store
from merlet_desk.ui.common.photo_view import PhotoView
from merlet_desk.ui.publications.unrecognisable_panel import UnrecognisablePanel
from tests.helpers import born_aged, open_publish_dialog, open_section
from tests.helpers.photos import photo_with_metadata, video_with_face


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def original(tmp_path):
    return photo_with_metadata(tmp_path / "Musical <Grease> & repetitie.jpg")


@pytest.fixture
def item(db, original):
    pupil_store.save_pupil(db, "1001", "Joëlle", "van den", "Broek", born_aged(13), "2A", "Cuijk")
    return item_store.create_item(
        db,
        "Musical <Grease> & repetitie",
        pupil_numbers=["1001"],
        file=item_store.file_facts(original),
        file_path=str(original),
    )


def test_view_loads_the_photo_in_the_background_and_draws_the_face(qtbot, original):
    view = PhotoView(choosing=True)
    qtbot.addWidget(view)
    view.resize(600, 600)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.load(original)
    assert view.preview.full == (512, 512)
    [face] = view.faces
    # a click on the face chooses it, a second click un-chooses it
    centre = view.to_screen(face).center().toPoint()
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=centre)
    assert view.chosen == {0}
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=centre)
    assert view.chosen == set()
    # dragging draws a box, in the photo's pixels
    area = view.image_rect()
    start = QPoint(area.x() + 10, area.y() + 10)
    end = QPoint(area.x() + area.width() // 4, area.y() + area.height() // 4)
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=start)
    view.mouseMoveEvent(_move(end))
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=end)
    [(x, y, w, h)] = view.drawn
    assert x < 20 and y < 20 and 100 < w < 140 and 100 < h < 140


def _move(point: QPoint):
    from PySide6.QtGui import QMouseEvent

    return QMouseEvent(
        QMouseEvent.Type.MouseMove,
        QPointF(point),
        QPointF(point),
        Qt.MouseButton.LeftButton,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )


def test_missing_file_says_so(qtbot, tmp_path):
    view = PhotoView()
    qtbot.addWidget(view)
    view.load(tmp_path / "weg.jpg")
    assert not view.is_loaded() and view.message == "Bestand niet gevonden"


def test_a_file_that_is_not_a_photo_shows_the_reason(qtbot, tmp_path):
    notes = tmp_path / "notulen.jpg"
    notes.write_text("geen foto <b>&</b>", encoding="utf-8")
    view = PhotoView()
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.failed, timeout=10000):
        view.load(notes)
    assert "notulen.jpg is geen foto" in view.message


def _panel(qtbot, item) -> UnrecognisablePanel:
    panel = UnrecognisablePanel(item)
    qtbot.addWidget(panel)
    panel.resize(700, 600)
    panel.show()
    qtbot.waitUntil(panel.view.is_loaded, timeout=10000)
    return panel


def test_panel_makes_a_new_file_beside_the_original(qtbot, item, original):
    before = _sha(original)
    panel = _panel(qtbot, item)
    assert "1 gezicht gevonden" in panel.hint.text()
    assert not panel.make_button.isEnabled()  # nothing chosen yet
    panel.all_button.click()
    panel.style_box.setCurrentIndex(panel.style_box.findData("bar"))
    panel.preview_box.setChecked(True)
    assert panel.view.result_image is not None
    made = panel.make_unrecognisable()
    assert made is not None and made.kind == pub.UNRECOGNISABLE_FILE and made.style == "bar"
    target = original.with_name("Musical <Grease> & repetitie-onherkenbaar.jpg")
    assert made.path == target and target.exists()
    assert photo.metadata_segments(target.read_bytes()) == ["JFIF"]
    assert "Nieuw bestand: Musical <Grease> & repetitie-onherkenbaar.jpg" in panel.status.text()
    assert panel.outgoing() is made
    assert _sha(original) == before
    # a different choice afterwards: the file no longer matches and goes
    panel.none_button.click()
    assert not target.exists() and panel.made is None
    assert "opnieuw" in panel.status.text()


def test_cancelled_dialog_leaves_no_file(qtbot, item, original):
    panel = _panel(qtbot, item)
    panel.view.add_box((0, 0, 50, 50))
    made = panel.make_unrecognisable()
    panel.discard()
    assert not made.path.exists()
    assert list(original.parent.glob("*onherkenbaar*")) == []


def test_clean_copy_when_publishing_as_it_is(qtbot, item, original):
    panel = _panel(qtbot, item)
    assert panel.clean_box.isChecked()  # on by default for a photo
    outgoing = panel.outgoing()
    assert outgoing.kind == pub.CLEAN_COPY_FILE
    assert outgoing.path.name == "Musical <Grease> & repetitie-zonder-metadata.jpg"
    assert photo.metadata_segments(outgoing.path.read_bytes()) == ["JFIF"]
    panel.clean_box.setChecked(False)
    panel.discard()
    assert panel.outgoing() is None


def test_a_video_gets_a_thumbnail_from_a_frame(tmp_path):
    from PySide6.QtGui import QImage

    from merlet_desk.ui.common.media import thumbnail_bytes

    image = QImage()
    assert image.loadFromData(thumbnail_bytes(video_with_face(tmp_path / "sportdag.mp4")))
    assert (image.width(), image.height()) == (320, 240)


def test_video_shows_a_frame_and_its_length(qtbot, db, tmp_path):
    clip = video_with_face(tmp_path / "sportdag.mp4")
    item = item_store.create_item(
        db, "Sportdag", file=item_store.file_facts(clip), file_path=str(clip)
    )
    panel = _panel(qtbot, item)
    assert panel.view.caption == "Video, 0:02"
    assert not panel.clean_box.isVisible()
    assert "elk gezicht in elk beeld" in panel.hint.text()


# -- the dialogs --------------------------------------------------------------------------------


@pytest.fixture
def school(db, original, today):
    """Joëlle may be on the website, Zofia has no consent; both are in the photo."""
    from merlet_desk.domain import consent as rules

    pupil_store.save_pupil(db, "1003", "Zofia", "", "Łęcka", born_aged(13), "2A", "Cuijk")
    pupil_store.save_pupil(db, "1001", "Joëlle", "van den", "Broek", born_aged(13), "2A", "Cuijk")
    decision_store.record_decision(
        db, "1001", "website", rules.GRANTED, rules.PARENT, "Ayşe Yılmaz", today
    )
    return item_store.create_item(
        db,
        "Musical <Grease> & repetitie",
        pupil_numbers=["1001", "1003"],
        file=item_store.file_facts(original),
        file_path=str(original),
    )


def _publish_dialog(qtbot, db, item):
    return open_publish_dialog(
        qtbot, db, item.id, "website", "https://www.merletcollege.nl/musical?foto=<1>&x"
    )


def test_publish_dialog_blurs_the_pupil_and_records_the_new_file(qtbot, db, school, original):
    before = _sha(original)
    dialog = _publish_dialog(qtbot, db, school)
    assert dialog.why_not() == "1 leerling mag niet op Website van de school"
    # The face is Zofia's: she is offered first under "Gezicht van" (she may not appear).
    assert dialog.photo_panel.owner() == "1003"
    dialog.photo_panel.view.choose_face(0)
    made = dialog.photo_panel.make_unrecognisable()
    # the pupil who may not appear is now marked, with how
    assert dialog.unrecognisable() == {"1003": "vervaagd in Merlet Desk"}
    assert dialog.can_publish()
    publication = dialog.publish()
    assert publication is not None
    assert publication.unrecognisable == ("1003",)
    assert publication.file.kind == pub.UNRECOGNISABLE_FILE
    assert publication.file.name == made.path.name and made.path.exists()
    assert publication.file.sha256 == _sha(made.path)
    assert _sha(original) == before


def test_a_new_choice_undoes_the_marks_until_the_photo_is_made_again(qtbot, db, school):
    dialog = _publish_dialog(qtbot, db, school)
    dialog.photo_panel.view.choose_face(0)  # Zofia's
    made = dialog.photo_panel.make_unrecognisable()
    assert dialog.unrecognisable() == {"1003": "vervaagd in Merlet Desk"}
    dialog.photo_panel.view.clear_choice()
    assert not made.path.exists()
    assert dialog.unrecognisable() == {}
    assert not dialog.can_publish()


def test_cancel_removes_the_file_made_in_the_dialog(qtbot, db, school, original):
    dialog = _publish_dialog(qtbot, db, school)
    dialog.photo_panel.view.choose_all()
    made = dialog.photo_panel.make_unrecognisable()
    dialog.reject()
    assert not made.path.exists()
    assert pub.publications_of_item(db, school.id) == []


def test_everyone_allowed_goes_out_as_a_copy_without_metadata(qtbot, db, school, today):
    from merlet_desk.domain import consent as rules

    decision_store.record_decision(
        db, "1003", "website", rules.GRANTED, rules.PARENT, "Ouder", today
    )
    dialog = _publish_dialog(qtbot, db, school)
    assert dialog.can_publish() and dialog.photo_panel.clean_box.isChecked()
    publication = dialog.publish()
    assert publication.file.kind == pub.CLEAN_COPY_FILE
    assert publication.file.name == "Musical <Grease> & repetitie-zonder-metadata.jpg"


def test_item_dialog_shows_the_photo_and_the_count_hint(qtbot, db, school):
    from merlet_desk.ui.publications.item_dialog import ItemDialog

    dialog = ItemDialog(db, school.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.photo.is_loaded, timeout=10000)
    assert dialog.picture.currentWidget() is dialog.photo
    assert dialog.faces_hint.text() == (
        "1 gezicht gevonden, 2 leerlingen gekoppeld — kijk of iedereen op de foto gekoppeld is."
    )
    dialog.remove_pupils(["1003"])
    assert dialog.faces_hint.text() == "1 gezicht gevonden, 1 leerling gekoppeld"


def test_detail_pane_shows_the_photo_and_names_the_file_that_went_out(
    qtbot, db, db_path, school, today
):
    written = anonymise_face(school)
    pub.publish(
        db,
        school.id,
        "website",
        today,
        "https://www.merletcollege.nl/musical",
        unrecognisable={"1003": pub.MERLET_METHOD},
        checklist=[entry.agreement for entry in publish_checklist()],
        outgoing=pub.OutgoingFile(
            written.path, pub.UNRECOGNISABLE_FILE, "blur", written.regions, ("1003",)
        ),
    )
    _window, section = open_section(qtbot, db, db_path, "publicaties", size=(1300, 760))
    items = section.items_tab
    items.select_item(school.id)
    detail = items.detail
    assert detail.picture.currentWidget() is detail.photo
    qtbot.waitUntil(detail.photo.is_loaded, timeout=10000)
    assert detail.photo.faces == []  # the pane shows the photo; faces are found when tagging
    tip = detail.publications.topLevelItem(0).toolTip(0)
    assert "Bestand: Musical <Grease> & repetitie-onherkenbaar.jpg" in tip
    assert "onherkenbaar gemaakt, zonder metadata" in tip
    # which box of that file hid whom
    assert tip.endswith(
        "Onherkenbaar gemaakt:\nvak 1 (x 170, y 50, 110 × 140): Zofia Łęcka (2A, 1003)"
    )


def anonymise_face(item):
    from pathlib import Path

    from merlet_desk.imaging import anonymise

    source = Path(item.file_path)
    return anonymise.make_unrecognisable(
        source, anonymise.target_beside(source), [(170, 50, 110, 140)], anonymise.BLUR
    )


def test_a_photo_that_moved_still_goes_out_as_it_is(qtbot, db, school, original, today):
    from merlet_desk.domain import consent as rules
    from merlet_desk.ui.publications.publish_dialog import PublishDialog

    decision_store.record_decision(
        db, "1003", "website", rules.GRANTED, rules.PARENT, "Ouder", today
    )
    original.rename(original.with_name("elders.jpg"))
    dialog = PublishDialog(db, school.id)
    qtbot.addWidget(dialog)
    assert dialog.photo_panel.view.message == "Bestand niet gevonden"
    assert not dialog.photo_panel.clean_box.isChecked()
    dialog.set_channel("website")
    dialog.set_link("https://www.merletcollege.nl/musical")
    dialog.tick_all_agreements()
    publication = dialog.publish()
    assert publication is not None and publication.file is None


def test_video_made_unrecognisable_with_progress_and_recorded(qtbot, db, tmp_path):
    from merlet_desk.ui.publications.publish_dialog import PublishDialog

    clip = video_with_face(tmp_path / "sportdag.mp4")
    pupil_store.save_pupil(db, "1003", "Zofia", "", "Łęcka", born_aged(13), "2A", "Cuijk")
    item = item_store.create_item(
        db,
        "Sportdag",
        pupil_numbers=["1003"],
        file=item_store.file_facts(clip),
        file_path=str(clip),
    )
    dialog = PublishDialog(db, item.id)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.photo_panel.view.is_loaded, timeout=10000)
    dialog.set_channel("website")
    dialog.set_link("https://www.merletcollege.nl/sportdag")
    dialog.tick_all_agreements()
    made = dialog.photo_panel.make_unrecognisable()
    assert made.path.name == "sportdag-onherkenbaar.mp4" and made.path.exists()
    assert dialog.unrecognisable() == {"1003": "vervaagd in Merlet Desk"}
    publication = dialog.publish()
    assert publication.file.name == "sportdag-onherkenbaar.mp4"
    assert publication.file.regions == ()


def test_takedown_list_names_the_cleaned_file_and_whom_its_box_hid(
    qtbot, db, db_path, school, today
):
    from merlet_desk.domain import consent as rules

    written = anonymise_face(school)
    pub.publish(
        db,
        school.id,
        "website",
        today,
        "https://www.merletcollege.nl/musical",
        unrecognisable={"1003": pub.MERLET_METHOD},
        checklist=[entry.agreement for entry in publish_checklist()],
        outgoing=pub.OutgoingFile(
            written.path, pub.UNRECOGNISABLE_FILE, "blur", written.regions, ("1003",)
        ),
    )
    decision_store.record_decision(
        db, "1001", "website", rules.WITHDRAWN, rules.PARENT, "Ouder", today
    )
    _window, section = open_section(qtbot, db, db_path, "publicaties", size=(1300, 760))
    section.show_takedowns()  # the officer opens Te verwijderen
    takedowns = section.takedowns
    assert takedowns.model.rowCount() == 1
    tip = takedowns.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    hidden = "vak 1 (x 170, y 50, 110 × 140): Zofia Łęcka (2A, 1003)"
    assert tip.endswith(
        "Bestand: Musical <Grease> & repetitie-onherkenbaar.jpg\n"
        f"Al onherkenbaar in dit bestand:\n{hidden}"
    )
    # Joëlle must come down; Zofia's face is already hidden, by box 1: said under the list
    # once the publication (or a pupil in it) is chosen.
    assert not takedowns.hidden_info.isVisible()
    takedowns.select_pupil(0, 0)
    assert takedowns.hidden_info.isVisible()
    assert takedowns.hidden_info.text() == f"Al onherkenbaar in dit bestand:\n{hidden}"
    takedowns.tree.clearSelection()
    assert not takedowns.hidden_info.isVisible()
