"""Closing the window or switching database with an unsaved case asks first: save, don't save
or cancel; cancel keeps everything as it was."""

from __future__ import annotations

from merlet_desk.store import cases as store
from merlet_desk.store import open_database
from merlet_desk.ui.common import dialogs
from tests.helpers import add_case, open_section


def answer(monkeypatch, reply: str) -> list[str]:
    asked: list[str] = []

    def ask(parent, title, question):
        asked.append(question)
        return reply

    monkeypatch.setattr(dialogs, "ask_save_changes", ask)
    return asked


def edit_summary(qtbot, db, db_path, text: str):
    case = add_case(db)
    window, section = open_section(qtbot, db, db_path, "incidenten")
    section.open_case(case.reference)
    section.editor.summary.setText(text)
    assert section.has_unsaved_changes()
    window.show_section("beleid")
    return window, section, case


def test_cancel_keeps_the_window_open_with_the_edit(qtbot, db, db_path, monkeypatch):
    window, section, case = edit_summary(qtbot, db, db_path, "Filmpje over <b>Jan</b> & Zn")
    asked = answer(monkeypatch, "cancel")
    assert window.close() is False
    assert window.isVisible()
    assert asked == [f"De wijzigingen in incident {case.reference} zijn nog niet opgeslagen."]
    assert window.current_section_key() == "incidenten"  # shown what the question is about
    assert section.editor.summary.text() == "Filmpje over <b>Jan</b> & Zn"
    assert store.get_case(db, case.reference).summary == "Filmpje over een docent"


def test_save_saves_and_closes(qtbot, db, db_path, monkeypatch):
    window, _section, case = edit_summary(qtbot, db, db_path, "Filmpje over Berkay Öztürk")
    answer(monkeypatch, "save")
    assert window.close() is True
    assert store.get_case(db, case.reference).summary == "Filmpje over Berkay Öztürk"


def test_save_that_fails_keeps_the_window_open(qtbot, db, db_path, monkeypatch):
    window, section, case = edit_summary(qtbot, db, db_path, "")
    section.editor.incident_date.setText("31-02-2026")
    answer(monkeypatch, "save")
    assert window.close() is False
    assert store.get_case(db, case.reference).summary == "Filmpje over een docent"


def test_discard_closes_without_saving(qtbot, db, db_path, monkeypatch):
    window, _section, case = edit_summary(qtbot, db, db_path, "Weggooien")
    answer(monkeypatch, "discard")
    assert window.close() is True
    assert store.get_case(db, case.reference).summary == "Filmpje over een docent"


def test_no_question_without_changes(qtbot, db, db_path, monkeypatch):
    window, _section = open_section(qtbot, db, db_path, "incidenten")
    asked = answer(monkeypatch, "cancel")
    assert window.close() is True
    assert asked == []


def test_switching_database_asks_and_cancel_keeps_the_current_one(
    qtbot, db, db_path, tmp_path, monkeypatch
):
    other = tmp_path / "andere.sqlite"
    open_database(other).close()
    window, _section, _case = edit_summary(qtbot, db, db_path, "Nog bezig")
    asked = answer(monkeypatch, "cancel")
    assert window.switch_database(other) is False
    assert window.db_path == db_path and len(asked) == 1
