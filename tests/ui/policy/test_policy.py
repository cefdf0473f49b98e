"""The main window and the Beleid section, as a user sees them."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication

from merlet_desk.store import open_database
from merlet_desk.ui.common import dialogs
from tests.helpers import open_window


def test_window_shows_sections_and_database(qtbot, db, db_path):
    window = open_window(qtbot, db, db_path)
    titles = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert titles == ["Start", "Beleid", "Toestemmingen", "Publicaties", "Incidenten", "Rapporten"]
    assert str(db_path) in window.db_label.full_text()
    assert db_path.name in window.windowTitle()
    assert [a.text() for a in window.menuBar().actions()] == [
        "&Bestand",
        "&Ga naar",
        "E&xtra",
        "&Help",
    ]


def test_search_toestemming_selects_agreement_nine(qtbot, db, db_path):
    window = open_window(qtbot, db, db_path)
    view = window.show_section("beleid")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    view.section_list.setFocus()
    qtbot.keyClick(view.section_list, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(view.search.hasFocus)
    qtbot.keyClicks(view.search, "toestemming")
    assert view.current_section().number == 9
    assert view.section_list.currentItem().text().startswith("9.")
    html = view.text.toHtml()
    assert "background-color:#ffe066" in html
    assert "negatieve gevolgen van kunnen ondervinden." in view.text.toPlainText()


def test_open_artikel_nine_from_code(qtbot, db, db_path):
    window = open_window(qtbot, db, db_path)
    window.show_section("incidenten")
    window.open_agreement(9)
    assert window.current_section_key() == "beleid"
    view = window.section_widgets["beleid"]
    text = view.text.toPlainText()
    assert "Afspraak 9" in text
    assert "Je respecteert elkaars privacy." in text
    assert text.rstrip().endswith("negatieve gevolgen van kunnen ondervinden.")


def test_open_agreement_clears_a_search_that_hides_it(qtbot, db, db_path):
    window = open_window(qtbot, db, db_path)
    view = window.section_widgets["beleid"]
    view.set_search("toestemming")
    window.open_agreement(14)
    assert view.current_section().number == 14
    assert view.search.text() == ""


def test_copy_agreement_to_clipboard(qtbot, db, db_path):
    window = open_window(qtbot, db, db_path)
    window.open_agreement(9)
    view = window.section_widgets["beleid"]
    qtbot.mouseClick(view.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith("Afspraak 9")
    assert "negatieve gevolgen van kunnen ondervinden." in copied


def test_last_section_is_remembered(qtbot, db, db_path):
    window = open_window(qtbot, db, db_path)
    window.show_section("rapporten")
    window.close()
    assert QSettings().value("main_window/section") == "rapporten"
    again = open_window(qtbot, db, db_path)
    assert again.current_section_key() == "rapporten"


def test_opening_a_text_file_shows_error_and_keeps_database(
    qtbot, db, db_path, tmp_path, monkeypatch
):
    notes = tmp_path / "notes.txt"
    notes.write_text("geen database", encoding="utf-8")
    errors = []
    monkeypatch.setattr(dialogs, "choose_open_path", lambda *a, **k: notes)
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, msg: errors.append(msg))
    window = open_window(qtbot, db, db_path)
    window.choose_other_database()
    assert errors and "geen SQLite-bestand" in errors[0]
    assert window.db_path == db_path
    assert notes.read_text(encoding="utf-8") == "geen database"


def test_open_other_database(qtbot, db, db_path, tmp_path, monkeypatch):
    other = tmp_path / "ander.sqlite"
    open_database(other).close()
    monkeypatch.setattr(dialogs, "choose_open_path", lambda *a, **k: other)
    window = open_window(qtbot, db, db_path)
    with qtbot.waitSignal(window.databaseChanged):
        window.choose_other_database()
    assert window.db_path == other
    assert "ander.sqlite" in window.db_label.full_text()


def test_about_shows_version(qtbot, db, db_path, monkeypatch):
    from merlet_desk import __version__

    shown = []
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, msg: shown.append(msg))
    window = open_window(qtbot, db, db_path)
    window.show_about()
    assert __version__ in shown[0]
