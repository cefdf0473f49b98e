"""The publication register's items tab as an officer uses it: add a photo, tag its pupils
(type-ahead, a whole class, minus the absent), publish it on a channel behind the consent
check and the policy checklist, and take a publication down."""

from __future__ import annotations

import json
from datetime import date
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QLabel

from merlet_desk.domain import consent as rules
from merlet_desk.domain.publications import publish_checklist
from merlet_desk.store import decisions as decision_store
from merlet_desk.store import items as item_store
from merlet_desk.store import publications as store
from merlet_desk.store import pupils as pupil_store
from merlet_desk.ui.common import dialogs
from merlet_desk.ui.common.media import pixmap_from_bytes, thumbnail_bytes
from merlet_desk.ui.publications import section as publications_section
from merlet_desk.ui.publications.item_dialog import ItemDialog
from merlet_desk.ui.publications.items_model import ItemsModel, ItemsProxy
from merlet_desk.ui.publications.publish_dialog import PublishDialog
from tests.helpers import TODAY, fail_on_dialogs, open_window

TITLE = "Sportdag <b>Jan</b> & Zn"


def years_ago(years: int) -> date:
    return TODAY.replace(year=TODAY.year - years, day=min(TODAY.day, 28))


@pytest.fixture(autouse=True)
def no_real_dialogs(monkeypatch):
    fail_on_dialogs(
        monkeypatch, "show_error", "show_info", "show_warning", "ask_yes_no", "choose_open_path"
    )


def add_school(db) -> None:
    """Class 1A (Joëlle, Berkay, Zofia, Jan) in Cuijk and Meryem in 2C, Mill. Everyone has
    consent for the website except Zofia, whose parent refused."""
    pupils = [
        ("2001", "Joëlle", "van den", "Broek", "1A", "Cuijk"),
        ("2002", "Berkay", "", "Öztürk", "1A", "Cuijk"),
        ("2003", "Zofia", "", "Łęcka", "1A", "Cuijk"),
        ("2004", "Meryem", "", "Boujdaini", "2C", "Mill"),
        ("2005", "Jan", "", "<b>Jan</b> & Zn", "1A", "Cuijk"),
    ]
    for number, first, prefix, last, class_name, location in pupils:
        pupil_store.save_pupil(db, number, first, prefix, last, years_ago(13), class_name, location)
        decision = rules.REFUSED if number == "2003" else rules.GRANTED
        decision_store.record_decision(
            db, number, "website", decision, rules.PARENT, f"ouder van {first}", TODAY
        )


def photo(tmp_path, name: str = "sportdag.jpg", size=(1600, 1200)):
    """A real JPEG: a blue field with a yellow disc."""
    image = QImage(size[0], size[1], QImage.Format.Format_RGB32)
    image.fill(QColor("#1f3a5f"))
    painter = QPainter(image)
    painter.setBrush(QColor("#f2a900"))
    painter.drawEllipse(size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2)
    painter.end()
    path = tmp_path / name
    assert image.save(str(path), "JPEG")
    return path


def make_section(qtbot, db, db_path, read_only=False):
    opened: list[int] = []
    window = SimpleNamespace(
        db=db, db_path=db_path, read_only=read_only, open_agreement=opened.append
    )
    section = publications_section.build(window)
    qtbot.addWidget(section)
    section.resize(1300, 760)
    section.show()
    return section


def audit(db, action: str) -> list[dict]:
    rows = db.execute(
        "SELECT new_value FROM audit_log WHERE action = ? ORDER BY id", [action]
    ).fetchall()
    return [json.loads(row[0]) if row[0] else {} for row in rows]


def test_thumbnail_is_small_keeps_aspect_and_videos_have_none(qtbot, tmp_path):
    data = thumbnail_bytes(photo(tmp_path))
    pixmap = pixmap_from_bytes(data)
    assert pixmap is not None
    assert (pixmap.width(), pixmap.height()) == (320, 240)
    assert data[:2] == b"\xff\xd8"  # JPEG
    video = tmp_path / "musical.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100)
    assert thumbnail_bytes(video) is None
    broken = tmp_path / "kapot.jpg"
    broken.write_bytes(b"geen foto")
    assert thumbnail_bytes(broken) is None
    assert pixmap_from_bytes(None) is None


def test_add_item_tag_pupils_and_publish_on_a_channel(qtbot, db, db_path, tmp_path, monkeypatch):
    add_school(db)
    section = make_section(qtbot, db, db_path)
    items = section.items_tab
    assert items.model.rowCount() == 0
    assert not items.publish_button.isEnabled()

    dialog = items.new_item()
    assert isinstance(dialog, ItemDialog)
    assert dialog.windowTitle() == "Nieuw beeldmateriaal"
    assert dialog.taken_on.value() == TODAY
    assert dialog.taken_on.displayFormat() == "dd-MM-yyyy"
    # The file through the (patched) file dialog: name, size, hash and a thumbnail.
    path = photo(tmp_path)
    monkeypatch.setattr(dialogs, "choose_open_path", lambda *args, **kwargs: path)
    assert dialog.choose_file()
    assert "sportdag.jpg" in dialog.file_info.text()
    assert "Foto" in dialog.file_info.text()
    assert dialog.has_thumbnail()
    dialog.title.setText(TITLE)
    dialog.location.setCurrentText("Cuijk")

    # Type-ahead, accent-insensitive: "boujd" offers Meryem; Enter on the list tags her.
    qtbot.keyClicks(dialog.picker, "boujd")
    assert dialog.picker.shown_choices() == ["2004 — Meryem Boujdaini (2C, Mill)"]
    popup = dialog.picker.suggestions()
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.pupil_numbers() == ["2004"]
    assert dialog.picker.text() == ""
    # The whole class 1A, then Zofia was absent: select her and press Verwijderen.
    dialog.class_combo.setCurrentIndex(dialog.class_combo.findData("1A"))
    qtbot.mouseClick(dialog.class_button, Qt.MouseButton.LeftButton)
    assert sorted(dialog.pupil_numbers()) == ["2001", "2002", "2003", "2004", "2005"]
    assert dialog.count_label.text() == "In beeld: 5 leerlingen"
    texts = [dialog.tagged.item(i).text() for i in range(dialog.tagged.count())]
    assert "Zofia Łęcka (1A, 2003)" in texts
    dialog.tagged.item(texts.index("Zofia Łęcka (1A, 2003)")).setSelected(True)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert sorted(dialog.pupil_numbers()) == ["2001", "2002", "2004", "2005"]
    assert dialog.count_label.text() == "In beeld: 4 leerlingen"

    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    assert dialog.result() == dialog.DialogCode.Accepted
    item = dialog.item
    assert item is not None and item.title == TITLE
    assert item.file_name == "sportdag.jpg" and item.file_size == path.stat().st_size
    assert item.has_thumbnail and item.location == "Cuijk" and item.taken_on == TODAY
    assert sorted(p.number for p in item_store.item_pupils(db, item.id)) == [
        "2001",
        "2002",
        "2004",
        "2005",
    ]

    # The list shows it, selected, with the detail pane.
    assert items.model.rowCount() == 1
    assert items.current_item_id() == item.id
    row = [items.proxy.index(0, c).data() for c in range(items.proxy.columnCount())]
    assert row == [TITLE, "Foto", TODAY.strftime("%d-%m-%Y"), "Cuijk", "4", ""]
    assert items.detail.title.text() == TITLE
    assert items.detail.thumbnail.pixmap() is not None
    assert not items.detail.thumbnail.pixmap().isNull()
    assert items.detail.pupils_title.text() == "In beeld (4)"
    assert not items.detail.path_warning.isVisible()

    # Publish on the website: everyone may appear; agreements and link still missing.
    publish = items.publish_item()
    assert isinstance(publish, PublishDialog)
    publish.set_channel("website")
    assert publish.verdict.text() == "Alle 4 leerlingen mogen op Website van de school."
    verdicts = {
        publish.pupils.topLevelItem(i).text(1): publish.pupils.topLevelItem(i).text(3)
        for i in range(publish.pupils.topLevelItemCount())
    }
    assert verdicts["Jan <b>Jan</b> & Zn"] == "mag erop"
    assert len(verdicts) == 4
    assert not publish.can_publish()
    assert publish.reason.text() == "Vink alle afspraken aan"
    assert not publish.publish_button.isEnabled()
    publish.tick_all_agreements()
    assert publish.reason.text() == "Vul de link of een omschrijving in"
    publish.set_link("https://www.merletcollege.nl/nieuws/sportdag")
    assert publish.can_publish() and publish.publish_button.isEnabled()
    assert publish.reason.text() == ""
    qtbot.mouseClick(publish.publish_button, Qt.MouseButton.LeftButton)
    assert publish.result() == publish.DialogCode.Accepted

    [publication] = store.publications_of_item(db, item.id)
    assert publication.purpose_code == "website" and publication.active
    assert publication.published_on == TODAY
    assert publication.checklist == tuple(c.agreement for c in publish_checklist())
    assert publication.unrecognisable == ()
    assert items.proxy.index(0, 5).data() == "Website van de school"
    assert items.detail.publications.topLevelItemCount() == 1
    shown = items.detail.publications.topLevelItem(0)
    assert shown.text(0) == "Website van de school"
    assert shown.text(2) == "https://www.merletcollege.nl/nieuws/sportdag"
    # A published item stays in the register.
    assert not items.delete_button.isEnabled()


def test_a_pupil_without_consent_blocks_until_made_unrecognisable(qtbot, db, tmp_path):
    add_school(db)
    item = item_store.create_item(
        db, "Klassenfoto 1A", pupil_numbers=["2001", "2002", "2003"], location="Cuijk"
    )
    dialog = PublishDialog(db, item.id, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_channel("social_media")  # nobody has consent for social media
    assert dialog.reason.text() == "3 leerlingen mogen niet op Sociale-media-accounts van de school"
    dialog.set_channel("website")
    rows = {
        dialog.pupils.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole): dialog.pupils.topLevelItem(
            i
        )
        for i in range(dialog.pupils.topLevelItemCount())
    }
    assert rows["2003"].text(3) == "geweigerd"
    assert rows["2001"].text(3) == "mag erop"
    assert dialog.verdict.text().startswith("1 van de 3 leerlingen mag niet op Website")
    dialog.tick_all_agreements()
    dialog.set_link("pagina 12 van de schoolgids")
    assert not dialog.can_publish()
    assert not dialog.publish_button.isEnabled()
    assert dialog.reason.text() == "1 leerling mag niet op Website van de school"

    dialog.mark_unrecognisable("2003", "gezicht vervaagd")
    assert dialog.can_publish() and dialog.publish_button.isEnabled()
    assert dialog.verdict.text() == (
        "1 van de 3 leerlingen mag niet op Website van de school en is onherkenbaar gemaakt."
    )
    # The mark survives a new check (another channel and back).
    dialog.set_channel("social_media")
    assert dialog.reason.text() == "2 leerlingen mogen niet op Sociale-media-accounts van de school"
    dialog.set_channel("website")
    assert dialog.can_publish()

    publication = dialog.publish()
    assert publication is not None
    assert publication.unrecognisable == ("2003",)
    assert store.publications_of_item(db, item.id) == [publication]
    [entry] = audit(db, "unrecognisable")
    assert entry["pupil"] == "2003" and entry["how"] == "gezicht vervaagd"
    assert entry["channel"] == "website" and entry["status"] == rules.REFUSED


def test_store_refusal_is_shown_and_nothing_is_published(qtbot, db, monkeypatch):
    add_school(db)
    item = item_store.create_item(db, "Musical", pupil_numbers=["2001", "2003"])
    dialog = PublishDialog(db, item.id)
    qtbot.addWidget(dialog)
    dialog.set_channel("website")
    dialog.mark_unrecognisable("2003", "weggesneden")
    dialog.tick_all_agreements()
    dialog.set_link("https://www.merletcollege.nl/musical")
    # Meanwhile Joëlle's parent withdraws consent: the store refuses, the dialog says why.
    decision_store.record_decision(
        db, "2001", "website", rules.WITHDRAWN, rules.PARENT, "M. Broek", TODAY
    )
    errors = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, text: errors.append(text))
    assert dialog.publish() is None
    assert errors and "Joëlle van den Broek" in errors[0]
    assert store.publications_of_item(db, item.id) == []
    assert dialog.reason.text() == "1 leerling mag niet op Website van de school"


def test_take_down_from_the_detail_pane(qtbot, db, db_path, monkeypatch):
    add_school(db)
    item = item_store.create_item(db, TITLE, pupil_numbers=["2001"], taken_on=TODAY)
    checklist = [c.agreement for c in publish_checklist()]
    published = store.publish(db, item.id, "website", TODAY, "https://x.nl/a", checklist=checklist)
    section = make_section(qtbot, db, db_path)
    items = section.items_tab
    assert items.select_item(item.id)
    detail = items.detail
    assert not detail.take_down_button.isEnabled()  # no publication chosen yet
    assert detail.select_publication(published.id)
    assert detail.take_down_button.isEnabled()
    asked = []

    def answer(parent, title, label, default, note_label):
        asked.append((title, default))
        return TODAY, "Van de website gehaald"

    monkeypatch.setattr(dialogs, "ask_date_and_note", answer)
    qtbot.mouseClick(detail.take_down_button, Qt.MouseButton.LeftButton)
    assert asked == [("Markeer als verwijderd", TODAY)]
    [publication] = store.publications_of_item(db, item.id)
    assert publication.taken_down_on == TODAY
    assert publication.taken_down_note == "Van de website gehaald"
    assert detail.publications.topLevelItem(0).text(4) == TODAY.strftime("%d-%m-%Y")
    assert items.proxy.index(0, 5).data() == ""  # no longer on any channel


def test_filter_delete_and_missing_file(qtbot, db, db_path, tmp_path, monkeypatch):
    add_school(db)
    gone = photo(tmp_path, "weg.jpg", (40, 30))
    facts = item_store.file_facts(gone)
    item_store.create_item(
        db, "Open dag", pupil_numbers=["2004"], location="Mill", file=facts, file_path=str(gone)
    )
    item_store.create_item(db, "Kerstviering", pupil_numbers=["2002"], location="Cuijk")
    gone.unlink()
    section = make_section(qtbot, db, db_path)
    items = section.items_tab
    assert sorted(items.visible_titles()) == ["Kerstviering", "Open dag"]
    assert items.shown_label.text() == "2 items"
    items.filter.setText("ozturk")  # a pupil's name, accents ignored
    assert items.visible_titles() == ["Kerstviering"]
    assert items.shown_label.text() == "1 van 2 items"
    items.filter.setText("mill")
    assert items.visible_titles() == ["Open dag"]
    items.select_item(items.proxy.item(0).id)
    assert items.detail.path_warning.isVisible()
    assert items.detail.path_warning.text() == "Het bestand is op deze plek niet (meer) te vinden."
    assert items.detail.thumbnail.text() == "Geen voorbeeld"

    questions = []
    monkeypatch.setattr(
        dialogs, "ask_yes_no", lambda parent, title, text: questions.append(text) or True
    )
    assert items.delete_button.isEnabled()
    qtbot.mouseClick(items.delete_button, Qt.MouseButton.LeftButton)
    assert questions == ["'Open dag' uit het register verwijderen? Het bestand zelf blijft staan."]
    assert [s.title for s in item_store.list_items(db)] == ["Kerstviering"]
    assert items.visible_titles() == []


def test_edit_an_item_and_errors_change_nothing(qtbot, db, monkeypatch):
    add_school(db)
    item = item_store.create_item(
        db, "Schoolreis", pupil_numbers=["2001", "2002"], location="Cuijk"
    )
    dialog = ItemDialog(db, item.id)
    qtbot.addWidget(dialog)
    assert dialog.title.text() == "Schoolreis"
    assert dialog.pupil_numbers() == ["2001", "2002"]
    assert dialog.thumbnail.text() == "Geen voorbeeld"
    dialog.remove_pupils(["2001"])
    assert dialog.add_pupil("2004")
    assert not dialog.add_pupil("2004")  # once only
    dialog.title.setText("")
    errors = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, text: errors.append(text))
    assert dialog.save() is None
    assert errors == ["Geef het item een titel."]
    assert [p.number for p in item_store.item_pupils(db, item.id)] == ["2001", "2002"]
    dialog.title.setText("Schoolreis Efteling")
    saved = dialog.save()
    assert saved is not None and saved.title == "Schoolreis Efteling"
    assert [p.number for p in item_store.item_pupils(db, item.id)] == ["2002", "2004"]
    [change] = audit(db, "pupils")
    assert change == {"added": ["2004"]}
    assert saved.taken_on is None  # an unknown date stays unknown when not touched
    dialog = ItemDialog(db, item.id)
    qtbot.addWidget(dialog)
    dialog.taken_on.set_value(date(2026, 10, 2))
    assert dialog.save().taken_on == date(2026, 10, 2)


def test_takedown_tab_shows_the_open_count(qtbot, db, db_path):
    add_school(db)
    item = item_store.create_item(db, "Gala", pupil_numbers=["2001"])
    checklist = [c.agreement for c in publish_checklist()]
    store.publish(db, item.id, "website", TODAY, "https://x.nl/gala", checklist=checklist)
    section = make_section(qtbot, db, db_path)
    assert section.tabs.tabText(0) == "Beeldmateriaal"
    assert section.tabs.tabText(1) == "Te verwijderen (0)"
    counts = []
    section.takedowns_changed.connect(counts.append)
    decision_store.record_decision(
        db, "2001", "website", rules.WITHDRAWN, rules.PARENT, "M. Broek", TODAY
    )
    section.refresh_takedowns()
    assert section.tabs.tabText(1) == "Te verwijderen (1)"
    assert counts and counts[-1] == 1
    # From the takedown list to the item (a double-click there asks for it).
    section.show_takedowns()
    section.items_tab.filter.setText("geen treffer")
    assert section.show_item(item.id)
    assert section.tabs.currentWidget() is section.items_tab
    assert section.items_tab.current_item_id() == item.id
    assert section.items_tab.filter.text() == ""


def test_read_only_hides_every_edit_action(qtbot, db, db_path):
    add_school(db)
    item = item_store.create_item(db, "Gala", pupil_numbers=["2001"])
    checklist = [c.agreement for c in publish_checklist()]
    published = store.publish(db, item.id, "website", TODAY, "https://x.nl", checklist=checklist)
    section = make_section(qtbot, db, db_path, read_only=True)
    items = section.items_tab
    for button in items.edit_buttons:
        assert not button.isVisible()
    assert items.select_item(item.id)
    items.detail.select_publication(published.id)
    assert not items.detail.take_down_button.isVisible()
    assert not items.detail.take_down_button.isEnabled()
    assert items.new_item() is None and items.publish_item() is None


def test_items_model_passes_the_model_tester(qtmodeltester, db):
    add_school(db)
    for title in ("Gala", TITLE, "Open dag"):
        item_store.create_item(db, title, pupil_numbers=["2001", "2004"], location="Mill")
    model = ItemsModel()
    model.set_rows(item_store.list_items(db))
    qtmodeltester.check(model)
    proxy = ItemsProxy()
    proxy.setSourceModel(model)
    proxy.set_text("boujdaini")
    qtmodeltester.check(proxy)
    assert proxy.rowCount() == 3


def test_agreement_links_and_a_video_without_thumbnail(qtbot, db, tmp_path):
    add_school(db)
    dialog = ItemDialog(db, None)
    qtbot.addWidget(dialog)
    video = tmp_path / "musical_2026.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 2048)
    assert dialog.set_file(video)
    assert dialog.title.text() == "musical 2026"  # from the file name, editable
    assert "Video" in dialog.file_info.text()
    assert not dialog.has_thumbnail() and dialog.thumbnail.text() == "Geen voorbeeld"
    assert dialog.add_class("1A") == 4
    item = dialog.save()
    assert item is not None and item.media_kind == "video" and not item.has_thumbnail

    opened = []
    publish = PublishDialog(db, item.id, open_agreement=opened.append)
    qtbot.addWidget(publish)
    labels = [box.text() for box in publish.agreements.values()]
    assert labels == [f"Afspraak {c.agreement}:" for c in publish_checklist()]
    link = publish.findChildren(QLabel, "agreementLink12")[0]
    link.linkActivated.emit(link.text().split("'")[1])
    assert opened == [12]


def test_the_section_in_the_main_window(qtbot, db, db_path):
    from merlet_desk.ui.publications.section import PublicationsSection

    add_school(db)
    window = open_window(qtbot, db, db_path)
    section = window.show_section("publicaties")
    assert isinstance(section, PublicationsSection)
    assert section.tabs.tabText(1) == "Te verwijderen (0)"


def test_open_the_original_file_from_the_detail_pane(qtbot, db, db_path, tmp_path, monkeypatch):
    add_school(db)
    path = photo(tmp_path, "kerstgala.jpg")
    here = item_store.create_item(
        db, "Kerstgala", file=item_store.file_facts(path), file_path=str(path)
    )
    gone = item_store.create_item(db, "Oud", file_path=str(tmp_path / "verplaatst.jpg"))
    opened: list = []
    monkeypatch.setattr(dialogs, "open_external", lambda p: opened.append(p) or True)
    section = make_section(qtbot, db, db_path)
    items = section.items_tab
    assert items.select_item(here.id)
    assert items.detail.open_button.isEnabled()
    qtbot.mouseClick(items.detail.open_button, Qt.MouseButton.LeftButton)
    assert opened == [path]
    assert items.select_item(gone.id)
    assert not items.detail.open_button.isEnabled()
    assert items.detail.path_warning.isVisible()
