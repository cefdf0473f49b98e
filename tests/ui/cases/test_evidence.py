"""Evidence on a case as an officer handles it: view (double-click, Enter), delete (asked
first), drag and drop from the file manager, paste of copied files (issue 19, part 5)."""

from __future__ import annotations

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication

from merlet_desk.store import cases as store
from merlet_desk.ui.common import dialogs
from tests.helpers import add_case, open_section


@pytest.fixture
def files(tmp_path):
    """A screenshot and a text note, as an officer saves them from a phone or a mail."""
    image = tmp_path / "schermafbeelding <b>Jan & Zn.png"
    Image.new("RGB", (320, 180), (200, 40, 40)).save(image)
    note = tmp_path / "verslag Zofia Łęcka.txt"
    note.write_text("Gesprek met Berkay Öztürk & ouders", encoding="utf-8")
    return image, note


@pytest.fixture
def panel(qtbot, db, db_path, files):
    """The evidence panel of a saved case that holds both files."""
    case = add_case(db)
    for path in files:
        store.add_evidence(db, case.id, path.name, path.read_bytes())
    _window, section = open_section(qtbot, db, db_path, "incidenten")
    section.open_case(case.reference)
    evidence = section.editor.evidence
    assert evidence.file_names() == [path.name for path in files]
    return db, case, evidence


def mime_with(*paths, text: str | None = None) -> QMimeData:
    mime = QMimeData()
    if paths:
        mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    if text is not None:
        mime.setText(text)
    return mime


def deliver(handler, kind, mime: QMimeData) -> bool:
    """Hand a drag event of `kind` to `handler` as the file manager would; True if accepted."""
    event = kind(
        QPoint(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    handler(event)
    return event.isAccepted()


def drag_enter(widget, mime: QMimeData) -> bool:
    return deliver(widget.dragEnterEvent, QDragEnterEvent, mime)


def drop(widget, mime: QMimeData) -> bool:
    return deliver(widget.dropEvent, QDropEvent, mime)


def test_double_click_or_enter_views_an_image_and_offers_a_copy_of_other_files(
    qtbot, panel, files, tmp_path, monkeypatch
):
    db, _case, evidence = panel
    image, note = files
    shown, saved_as = [], []
    monkeypatch.setattr(dialogs, "show_image", lambda parent, title, data: shown.append(title))
    monkeypatch.setattr(
        dialogs,
        "choose_save_path",
        lambda parent, title, name, *a, **k: saved_as.append(name) or tmp_path / "kopie.txt",
    )
    first = evidence.list.item(0)
    rect = evidence.list.visualItemRect(first)
    qtbot.mouseClick(evidence.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(evidence.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert shown == [image.name]  # once: the double-click is one activation

    evidence.list.setCurrentRow(1)
    evidence.list.setFocus()
    qtbot.keyClick(evidence.list, Qt.Key.Key_Return)
    assert saved_as == [note.name]  # a text file is not shown: it is saved as a copy
    assert (tmp_path / "kopie.txt").read_bytes() == note.read_bytes()


def test_delete_asks_and_no_keeps_the_file(panel, files, monkeypatch):
    db, case, evidence = panel
    image, note = files
    asked = []
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda parent, title, text: asked.append(text))
    evidence.list.setCurrentRow(0)
    assert evidence.delete_button.isEnabled()
    assert not evidence.delete_current()
    assert asked == [f"{image.name} definitief uit dit incident verwijderen?"]
    assert [e.file_name for e in store.list_evidence(db, case.id)] == [image.name, note.name]

    monkeypatch.setattr(dialogs, "ask_yes_no", lambda *args: True)
    with_changes = []
    evidence.changed.connect(lambda: with_changes.append(True))
    evidence.delete_button.click()
    assert [e.file_name for e in store.list_evidence(db, case.id)] == [note.name]
    assert evidence.file_names() == [note.name]
    assert with_changes == [True]


def test_files_dragged_from_the_file_manager_are_accepted_and_added(panel, tmp_path):
    db, case, evidence = panel
    photo = tmp_path / "foto Meryem Boujdaini.jpg"
    Image.new("RGB", (64, 64), (10, 120, 10)).save(photo)
    assert drag_enter(evidence, mime_with(photo))
    assert not drag_enter(evidence, mime_with(text="alleen tekst"))  # nothing to add
    assert not drop(evidence, mime_with(text="alleen tekst"))
    assert len(store.list_evidence(db, case.id)) == 2
    assert drop(evidence, mime_with(photo))
    assert evidence.file_names()[-1] == photo.name
    assert store.evidence_bytes(db, store.list_evidence(db, case.id)[-1].id) == photo.read_bytes()


def test_nothing_can_be_dropped_on_a_case_that_is_not_saved_yet(qtbot, db, db_path, files):
    _window, section = open_section(qtbot, db, db_path, "incidenten")
    section.new_case()
    evidence = section.editor.evidence
    assert evidence.hint.isVisible()  # "Sla de zaak eerst op"
    assert not drag_enter(evidence, mime_with(*files))
    assert not drop(evidence, mime_with(*files))
    assert evidence.file_names() == []


def test_ctrl_v_pastes_files_copied_in_the_file_manager(qtbot, panel, tmp_path):
    db, case, evidence = panel
    copied = tmp_path / "chat İlayda Gök.pdf"
    copied.write_bytes(b"%PDF-1.4 chat export")
    QGuiApplication.clipboard().setMimeData(mime_with(copied))
    window = evidence.window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    evidence.list.setFocus()
    qtbot.keyClick(evidence.list, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert evidence.file_names()[-1] == copied.name
    assert store.evidence_bytes(db, store.list_evidence(db, case.id)[-1].id) == copied.read_bytes()


def test_read_only_views_but_neither_adds_nor_deletes(qtbot, db, db_path, files, monkeypatch):
    from merlet_desk.store import open_database

    case = add_case(db)
    store.add_evidence(db, case.id, files[0].name, files[0].read_bytes())
    db.close()
    read_only = open_database(db_path, read_only=True)
    try:
        _window, section = open_section(qtbot, read_only, db_path, "incidenten", read_only=True)
        section.open_case(case.reference)
        evidence = section.editor.evidence
        shown = []
        monkeypatch.setattr(dialogs, "show_image", lambda parent, title, data: shown.append(title))
        evidence.list.setCurrentRow(0)
        evidence.open_current()
        assert shown == [files[0].name]
        assert not evidence.delete_button.isVisible() and not evidence.delete_current()
        assert not drag_enter(evidence, mime_with(files[1]))
        QGuiApplication.clipboard().setMimeData(mime_with(files[1]))
        assert not evidence.paste()
        assert evidence.file_names() == [files[0].name]
    finally:
        read_only.close()
