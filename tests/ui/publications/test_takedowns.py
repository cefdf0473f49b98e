"""The takedown list (Publicaties › Te verwijderen): what the officer sees and how a row is
resolved (issue 6). Every question is answered through a patched `ui.common.dialogs` function."""

from __future__ import annotations

from datetime import date

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from merlet_desk.domain import consent as rules
from merlet_desk.store import open_database
from merlet_desk.store import publications as pub
from merlet_desk.store import takedowns as takedown_store
from merlet_desk.ui.common import dialogs
from merlet_desk.ui.publications.takedown_list import COL_PURPOSE, TakedownList
from tests.helpers import LINK, MUSICAL, school_with_takedowns, screenshot

TODAY = date(2026, 11, 25)


@pytest.fixture
def school(db):
    return db, school_with_takedowns(db)


@pytest.fixture
def errors(monkeypatch):
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        dialogs, "show_error", lambda parent, title, text: shown.append((title, text))
    )
    return shown


def make(qtbot, db, read_only: bool = False) -> TakedownList:
    widget = TakedownList(db, read_only, today=TODAY)
    qtbot.addWidget(widget)
    widget.resize(1200, 400)
    widget.show()
    return widget


def publications(widget: TakedownList) -> list[list[str]]:
    """The publication rows as shown (title, purpose, link, reason, since)."""
    return widget.rows_text()


def pupils_of(widget: TakedownList, purpose: str) -> list[str]:
    """The pupils beneath the publication for `purpose`, as shown."""
    return [row[0] for row in widget.pupils_text(row_of(widget, purpose))]


def row_of(widget: TakedownList, purpose: str) -> int:
    for index, row in enumerate(publications(widget)):
        if row[COL_PURPOSE] == purpose:
            return index
    raise AssertionError(purpose)


def test_list_shows_each_publication_with_its_pupils_beneath(
    qtbot, qtmodeltester, school, tmp_path
):
    db, _ = school
    widget = make(qtbot, db)
    qtmodeltester.check(widget.model)
    headers = [widget.model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)]
    assert headers == ["Publicatie en leerlingen", "Doel", "Link", "Reden", "Sinds"]
    assert sorted(publications(widget)) == [
        [
            MUSICAL,
            "Jaarboek",
            "Jaarboek 2026-2027, pagina 12",
            "Toestemming ingetrokken",
            "05-10-2026",
        ],
        [MUSICAL, "Website van de school", LINK, "Toestemming ingetrokken", "05-10-2026"],
    ]
    assert widget.pupils_text(0) == [
        ["<b>Jan</b> & Zn (2A, 1004)", "", "", "Toestemming ingetrokken", "05-10-2026"]
    ]
    assert widget.count == 2
    assert widget.summary.text() == "Stand op 25-11-2026: 2 publicaties, met samen 1 leerling"
    assert widget.stack.currentWidget() is widget.tree
    website = widget.model.index(row_of(widget, "Website van de school"), 0)
    assert "gepubliceerd op 10-09-2026" in website.data(Qt.ItemDataRole.ToolTipRole)
    # Nothing chosen yet: the actions wait for a selection.
    assert not widget.take_down_button.isEnabled()
    screenshot(widget, tmp_path / "te-verwijderen.png")


def test_take_down_then_keep_clears_the_list(qtbot, school, monkeypatch):
    db, published = school
    widget = make(qtbot, db)
    asked = []

    def answer_date(parent, title, label, default, note_label):
        asked.append(default)
        return date(2026, 10, 6), "Van de website gehaald"

    monkeypatch.setattr(dialogs, "ask_date_and_note", answer_date)
    widget.select_publications([row_of(widget, "Website van de school")])
    assert widget.take_down_button.isEnabled()
    with qtbot.waitSignal(widget.countChanged) as signal:
        assert widget.take_down_selected()
    assert signal.args == [1]
    assert asked == [TODAY]  # the date proposed is today
    done = pub.get_publication(db, published["website"].id)
    assert (done.taken_down_on, done.taken_down_note) == (
        date(2026, 10, 6),
        "Van de website gehaald",
    )
    assert [row[1] for row in publications(widget)] == ["Jaarboek"]

    monkeypatch.setattr(
        dialogs,
        "ask_text",
        lambda parent, title, label, default="", **kw: (
            "Gedrukt jaarboek kan niet worden teruggehaald"
        ),
    )
    widget.select_publications([0])
    with qtbot.waitSignal(widget.countChanged) as signal:
        assert widget.keep_selected()
    assert signal.args == [0]
    assert pub.get_publication(db, published["yearbook"].id).active  # kept, not taken down
    kept = db.execute("SELECT reason, since, note FROM publication_kept").fetchall()
    assert kept == [("withdrawn", "2026-10-05", "Gedrukt jaarboek kan niet worden teruggehaald")]
    assert widget.stack.currentWidget() is widget.empty
    assert widget.empty.text() == "Er hoeft niets verwijderd te worden."
    assert takedown_store.open_takedowns(db, TODAY) == []


def test_keep_without_a_reason_changes_nothing(qtbot, school, monkeypatch, errors):
    db, _ = school
    widget = make(qtbot, db)
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **kw: "")
    widget.select_publications([0])
    assert not widget.keep_selected()
    assert errors == [("Blijft staan", "Geef aan waarom de publicatie blijft staan.")]
    assert widget.count == 2
    assert db.execute("SELECT count(*) FROM publication_kept").fetchone()[0] == 0


def test_cancelled_question_changes_nothing(qtbot, school, monkeypatch, errors):
    db, _ = school
    widget = make(qtbot, db)
    monkeypatch.setattr(dialogs, "ask_date_and_note", lambda *a, **kw: None)
    widget.select_publications([0, 1])
    assert not widget.take_down_selected()
    assert errors == [] and widget.count == 2


def test_take_down_of_two_is_all_or_nothing(qtbot, school, monkeypatch, errors):
    db, published = school
    widget = make(qtbot, db)
    # 12 September: after the website publication, but before the yearbook was printed.
    monkeypatch.setattr(dialogs, "ask_date_and_note", lambda *a, **kw: (date(2026, 9, 12), ""))
    widget.select_publications([0, 1])
    assert len(widget.selected()) == 2
    assert not widget.take_down_selected()
    assert len(errors) == 1
    assert "ligt voor de publicatiedatum (15-09-2026)" in errors[0][1]
    assert pub.get_publication(db, published["website"].id).active
    assert widget.count == 2


def test_unrecognisable_afterwards_clears_that_pupil(qtbot, school, monkeypatch):
    db, published = school
    widget = make(qtbot, db)
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **kw: "gezicht vervaagd")
    widget.select_publications([row_of(widget, "Website van de school")])
    with qtbot.waitSignal(widget.countChanged) as signal:
        assert widget.mark_unrecognisable_selected()
    assert signal.args == [1]
    assert pub.get_publication(db, published["website"].id).unrecognisable == ("1004",)
    logged = db.execute(
        "SELECT new_value FROM audit_log WHERE action = 'unrecognisable'"
    ).fetchall()
    assert len(logged) == 1 and "gezicht vervaagd" in logged[0][0]


def test_search_and_double_click_open_the_item(qtbot, school):
    db, published = school
    widget = make(qtbot, db)
    widget.search.setText("jaarboek")
    assert [row[1] for row in publications(widget)] == ["Jaarboek"]
    widget.search.setText("ozturk")  # Berkay is allowed: not on the list
    assert publications(widget) == []
    widget.search.setText("zn 1004")  # a pupil's name and number find their publications
    assert len(publications(widget)) == 2
    website = widget.model.index(row_of(widget, "Website van de school"), 0)
    with qtbot.waitSignal(widget.itemRequested) as signal:
        widget.tree.doubleClicked.emit(website)
    assert signal.args == [published["website"].item_id]


def test_withdrawal_after_opening_adds_a_pupil_beneath_its_publication(qtbot, school, monkeypatch):
    db, _ = school
    widget = make(qtbot, db)
    from merlet_desk.store import decisions as decision_store

    decision_store.record_decision(
        db, "1001", "website", rules.WITHDRAWN, rules.PARENT, "Anna", "2026-11-20"
    )
    widget.refresh()
    assert widget.count == 2  # still two publications to take down, now with two pupils
    assert widget.summary.text() == "Stand op 25-11-2026: 2 publicaties, met samen 2 leerlingen"
    website = publications(widget)[row_of(widget, "Website van de school")]
    assert website[3] == "Toestemming ingetrokken"
    assert pupils_of(widget, "Website van de school") == [  # the oldest first
        "<b>Jan</b> & Zn (2A, 1004)",
        "Joëlle van den Broek (2A, 1001)",
    ]
    widget.tree.sortByColumn(
        3, Qt.SortOrder.DescendingOrder
    )  # by last name, Z to A: Broek before "& Zn"
    assert [name[-5:-1] for name in pupils_of(widget, "Website van de school")] == [
        "1001",
        "1004",
    ]
    widget.tree.sortByColumn(1, Qt.SortOrder.AscendingOrder)  # publications by purpose
    assert [row[1] for row in publications(widget)] == ["Jaarboek", "Website van de school"]

    # One pupil chosen: that pupil only; its publication for taking down.
    position = row_of(widget, "Website van de school")
    joelle = [n[-5:-1] for n in pupils_of(widget, "Website van de school")].index("1001")
    widget.select_pupil(position, joelle)
    assert [t.pupil.number for t in widget.selected()] == ["1001"]
    assert widget.selected_publications() == [widget.shown_publications()[position].publication_id]
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **kw: "gezicht vervaagd")
    assert widget.mark_unrecognisable_selected()
    assert pupils_of(widget, "Website van de school") == ["<b>Jan</b> & Zn (2A, 1004)"]


def test_read_only_hides_the_actions_but_exports(qtbot, school, db_path, tmp_path, monkeypatch):
    db, _ = school
    db.close()
    read_only = open_database(db_path, read_only=True)
    try:
        widget = make(qtbot, read_only, read_only=True)
        assert widget.count == 2
        for button in widget.edit_buttons:
            assert button.isHidden()
        widget.select_publications([0])
        assert not widget.take_down_selected()
        assert widget.export_button.isVisible()
        target = tmp_path / "lijst.pdf"
        monkeypatch.setattr(dialogs, "choose_save_path", lambda *a, **kw: target)
        assert widget.export_pdf() == target
        text = " ".join(page.extract_text() for page in PdfReader(str(target)).pages)
        assert "Te verwijderen publicaties" in text
        assert "Stand op 25-11-2026" in " ".join(text.split())
    finally:
        read_only.close()


def test_empty_register_shows_the_empty_text(qtbot, db):
    widget = make(qtbot, db)
    assert widget.count == 0
    assert widget.stack.currentWidget() is widget.empty
    assert widget.empty.isVisible()
    assert widget.empty.text() == "Er hoeft niets verwijderd te worden."


def test_rapporten_section_exports_the_takedown_report(qtbot, school, monkeypatch, tmp_path):
    from PySide6.QtCore import QDate

    from merlet_desk.ui.reports.section import ReportsSection

    db, _ = school
    section = ReportsSection(db, today=TODAY)
    qtbot.addWidget(section)
    section.select("takedowns")
    assert section.report_list.currentItem().text() == "Te verwijderen publicaties"
    section.takedowns_on.setDate(QDate(2026, 10, 4))  # the day before the withdrawal
    target = tmp_path / "rapport.pdf"
    asked = []

    def save(parent, title, suggested, file_filter, kind="export"):
        asked.append(suggested)
        return target

    monkeypatch.setattr(dialogs, "choose_save_path", save)
    assert section.export() == target
    assert asked == ["te-verwijderen-2026-10-04.pdf"]
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(str(target)).pages).split())
    assert "Stand op 04-10-2026" in text
    assert "Er hoeft niets verwijderd te worden" in text
    section.takedowns_on.setDate(QDate(2026, 11, 25))
    assert section.export() == target
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(str(target)).pages).split())
    assert "<b>Jan</b> & Zn (2A)" in text and "Toestemming ingetrokken" in text


def test_each_question_names_the_publication_and_the_pupil(qtbot, school, monkeypatch):
    """The officer answers a question that says what it is about: the publication (title and
    purpose) and, for a pupil's action, the pupil; cancelling it is the way back."""
    db, _published = school
    widget = make(qtbot, db)
    asked = []
    monkeypatch.setattr(
        dialogs, "ask_text", lambda parent, title, label, default="", **kw: asked.append(label)
    )
    monkeypatch.setattr(
        dialogs,
        "ask_date_and_note",
        lambda parent, title, label, default, note: asked.append(label),
    )
    widget.select_pupil(row_of(widget, "Website van de school"), 0)
    assert not widget.mark_unrecognisable_selected()  # cancelled: nothing changes
    assert not widget.keep_selected()
    widget.select_publications([row_of(widget, "Jaarboek")])
    assert not widget.take_down_selected()
    named = f"• {MUSICAL} (Website van de school): <b>Jan</b> & Zn"
    assert asked[0].startswith(named + "\n\nHoe is de leerling onherkenbaar gemaakt?")
    assert asked[1].startswith(named + "\n\nWaarom blijft de publicatie staan?")
    assert asked[2] == (
        f"Deze publicatie is weggehaald, voor alle leerlingen erop:\n• {MUSICAL} (Jaarboek)"
        "\n\nVerwijderd op"
    )
    assert len(takedown_store.open_takedowns(db, TODAY)) == 2


def test_a_search_that_finds_nothing_says_so_and_a_done_search_shows_the_rest(
    qtbot, school, monkeypatch
):
    db, _published = school
    widget = make(qtbot, db)
    widget.search.setText("kerstconcert")
    assert widget.stack.currentWidget() is widget.empty
    assert widget.empty.text() == (
        "Geen publicatie gevonden voor „kerstconcert”. Wis de zoekterm om alle 2 te zien."
    )
    widget.search.setText("jaarboek")
    assert widget.stack.currentWidget() is widget.tree and len(publications(widget)) == 1
    monkeypatch.setattr(dialogs, "ask_date_and_note", lambda *a: (date(2026, 10, 6), ""))
    widget.select_publications([0])
    assert widget.take_down_selected()
    # The one it found is done: the list shows what is left, not a blank.
    assert widget.search.text() == ""
    assert widget.stack.currentWidget() is widget.tree
    assert [row[1] for row in publications(widget)] == ["Website van de school"]
