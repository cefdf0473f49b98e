"""PDF export from the Incidenten section: a single case and the overview per location."""

from __future__ import annotations

from datetime import timedelta

import pytest

from merlet_desk.domain.cases import Case, CasePerson
from merlet_desk.store import cases as store
from merlet_desk.ui.common import dialogs
from tests.helpers import TODAY, open_section, pdf_text


@pytest.fixture
def section(qtbot, db, db_path):
    return open_section(qtbot, db, db_path, "incidenten")[1]


def add_case(db, location="Cuijk"):
    day = TODAY - timedelta(days=5)
    return store.create_case(
        db,
        Case(
            incident_date=day,
            report_date=day,
            location=location,
            category="images_without_consent",
            platform="instagram",
            summary="Foto van <b>Jan</b> & Zn zonder toestemming",
            people=[CasePerson("staff", "Joëlle van den Broek")],
            agreements=[9],
        ),
    )


def test_export_single_case_from_the_editor(section, db, tmp_path, monkeypatch):
    case = add_case(db)
    target = tmp_path / "zaak.pdf"
    suggested = []
    monkeypatch.setattr(
        dialogs,
        "choose_save_path",
        lambda parent, title, name, *a, **k: suggested.append(name) or target,
    )
    section.open_case(case.reference)
    assert section.editor.export_button.isVisible()
    assert section.export_case() == target
    assert suggested == [f"incident-{case.reference}.pdf"]
    assert case.reference in pdf_text(target)


def test_export_overview_of_the_chosen_location_or_all_and_the_filter_period(
    section, db, tmp_path, monkeypatch
):
    add_case(db, "Grave")
    section.list_view.refresh()
    everywhere = tmp_path / "alle.pdf"
    monkeypatch.setattr(dialogs, "choose_save_path", lambda *a, **k: everywhere)
    assert section.export_overview() == everywhere  # no location chosen: all of them
    text = pdf_text(everywhere)
    assert "Incidenten alle locaties" in text and "Incidenten locatie Grave (1)" in text

    view = section.list_view
    view.location.setCurrentIndex(view.location.findText("Grave"))
    location, date_from, date_to = section.overview_period()
    assert (location, date_from, date_to) == (
        "Grave",
        TODAY - timedelta(days=5),
        TODAY,
    )
    target = tmp_path / "overzicht.pdf"
    monkeypatch.setattr(dialogs, "choose_save_path", lambda *a, **k: target)
    assert section.export_overview() == target
    text = pdf_text(target)
    assert "Grave" in text


@pytest.fixture
def edited(section, db, tmp_path, monkeypatch):
    """An open case whose summary was changed and not saved; the save dialog answers with
    a file in tmp_path."""
    case = add_case(db)
    section.open_case(case.reference)
    section.editor.summary.setText("Foto van Meryem Boujdaini & klas <2C> online gezet")
    assert section.editor.dirty
    target = tmp_path / "zaak.pdf"
    monkeypatch.setattr(dialogs, "choose_save_path", lambda *a, **k: target)
    return case, target


def answer(monkeypatch, reply: bool) -> list[str]:
    asked: list[str] = []
    monkeypatch.setattr(
        dialogs, "ask_yes_no", lambda parent, title, text: asked.append(text) or reply
    )
    return asked


def test_export_with_unsaved_changes_saves_first_when_asked(section, db, edited, monkeypatch):
    case, target = edited
    asked = answer(monkeypatch, True)
    assert section.export_case() == target
    assert asked == ["Het incident heeft wijzigingen die nog niet zijn opgeslagen. Eerst opslaan?"]
    summary = "Foto van Meryem Boujdaini & klas <2C> online gezet"
    assert store.get_case(db, case.reference).summary == summary
    assert not section.editor.dirty
    assert summary in pdf_text(target)  # the PDF shows what the officer sees


def test_export_with_unsaved_changes_does_nothing_when_declined(section, db, edited, monkeypatch):
    case, target = edited
    answer(monkeypatch, False)
    assert section.export_case() is None
    assert not target.exists()
    assert store.get_case(db, case.reference).summary == case.summary
    assert section.editor.dirty  # the edit is still there


def test_export_stops_when_the_save_fails(section, db, edited, monkeypatch):
    case, target = edited
    section.editor.incident_date.setText("31-02-2026")
    answer(monkeypatch, True)
    assert section.export_case() is None
    assert not target.exists()
    assert store.get_case(db, case.reference).summary == case.summary
    assert section.editor.fields["incident_date"].error.isVisible()
