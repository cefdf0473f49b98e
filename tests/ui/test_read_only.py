"""Read-only that a location manager recognises: a banner on every screen says it, Start tells
a reader who does what instead of giving orders, and an incident's fields that ignore typing
look read-only (grey, not the white of a field that takes typing)."""

from __future__ import annotations

from datetime import date

import pytest

from merlet_desk.store import open_database
from tests.helpers import add_case, fix_clock, open_section, open_window, school_with_takedowns

TODAY = date(2026, 11, 25)
A_CASE = dict(
    incident_date=date(2026, 11, 16),
    report_date=date(2026, 11, 17),
    summary="Foto van <2B> & klas gedeeld",
)


@pytest.fixture(autouse=True)
def scenario_day(monkeypatch):
    fix_clock(monkeypatch, TODAY)


@pytest.fixture
def reader(db, db_path):
    """The school's register opened read-only, as a location manager opens it."""
    school_with_takedowns(db)
    case = add_case(db, **A_CASE)
    db.close()
    connection = open_database(db_path, read_only=True)
    yield connection, case
    connection.close()


def test_a_banner_says_read_only_on_every_section(qtbot, reader, db_path):
    connection, _case = reader
    window = open_window(qtbot, connection, db_path, read_only=True, size=(1024, 700))
    for key in window.section_keys():
        window.show_section(key)
        assert window.read_only_banner.isVisible(), key
        assert window.read_only_banner.text().startswith("Alleen-lezen: u kunt alles bekijken")
        top = window.read_only_banner.mapTo(window, window.read_only_banner.rect().topLeft())
        assert top.y() < window.stack.mapTo(window, window.stack.rect().topLeft()).y()


def test_no_banner_when_the_officer_may_write(qtbot, db, db_path):
    window = open_window(qtbot, db, db_path)
    assert not window.read_only_banner.isVisible()
    window.set_read_only(True)  # a lock taken by another instance while opening
    assert window.read_only_banner.isVisible()


def test_start_tells_a_reader_who_does_what(qtbot, reader, db_path):
    connection, _case = reader
    window, start = open_section(qtbot, connection, db_path, "start", read_only=True)
    start.refresh()
    card = start.takedown_card
    assert card.count.text() == "2"
    assert card.text.text().startswith("De communicatiemedewerker haalt ze weg")
    shown = " ".join(
        label.text()
        for widget in (start.takedown_card, start.consent_card, start.cases_card)
        for label in (widget.caption, widget.text, widget.later)
    )
    assert "Nu doen" not in shown and "Haal ze weg" not in shown
    assert "informeer" not in shown and "vraag nu" not in shown


def test_the_officer_still_reads_what_to_do(qtbot, db, db_path):
    school_with_takedowns(db)
    window, start = open_section(qtbot, db, db_path, "start")
    start.refresh()
    assert start.takedown_card.text.text().startswith("Haal ze weg")


def _background(widget):
    """The colour drawn in the middle of a field's own area, left of its text."""
    image = widget.grab().toImage()
    return image.pixelColor(image.width() - 6, image.height() // 2).name()


def test_an_incidents_fields_look_read_only(qtbot, reader, db_path):
    connection, case = reader
    window, section = open_section(qtbot, connection, db_path, "incidenten", read_only=True)
    section.open_case(case.reference)
    editor = section.editor
    for field in (editor.summary, editor.description, editor.press_contact):
        assert field.isReadOnly()
        assert _background(field) == "#e9edf1"


def test_an_officers_incident_fields_stay_white(qtbot, db, db_path):
    case = add_case(db, **A_CASE)
    window, section = open_section(qtbot, db, db_path, "incidenten")
    section.open_case(case.reference)
    for field in (section.editor.summary, section.editor.description):
        assert not field.isReadOnly()
        assert _background(field) == "#ffffff"
