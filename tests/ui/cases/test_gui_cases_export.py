"""PDF export from the Incidenten section: a single case and the overview per location."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pypdf import PdfReader

from merlet_desk.domain.cases import Case, CasePerson
from merlet_desk.store import cases as store
from merlet_desk.ui.common import dialogs
from tests.helpers import TODAY, open_section


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


def pdf_text(path):
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


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
    assert suggested == [f"zaak-{case.reference}.pdf"]
    assert case.reference in pdf_text(target)


def test_export_overview_needs_a_location_and_uses_the_filter_period(
    section, db, tmp_path, monkeypatch
):
    add_case(db, "Grave")
    section.list_view.refresh()
    told = []
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, text: told.append(text))
    assert section.export_overview() is None
    assert "kies eerst Cuijk, Grave of Mill" in told[0]

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
