"""Case reports read back from the PDF: a single case and the overview per location and period."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from PIL import Image as PILImage
from pypdf import PdfReader

from merlet_desk.errors import InputError
from merlet_desk.reports.case import build_case_report
from merlet_desk.reports.case_overview import build_case_overview, months_between
from merlet_desk.store import cases as store
from tests.helpers import REPORT_CASE_DAY as TODAY
from tests.helpers import assert_letterhead_on_every_page, flat, page_texts
from tests.helpers import report_case as make_case


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 40, 40)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def case_db(db):
    case = store.create_case(db, make_case(), today=TODAY)
    store.add_timeline_entry(
        db, case.id, date(2026, 11, 5), "conversation", "Gesprek met Zofia Łęcka", today=TODAY
    )
    store.add_timeline_entry(db, case.id, date(2026, 11, 6), "post_removed", "", today=TODAY)
    store.add_evidence(db, case.id, "schermafbeelding.png", png(640, 480))
    store.add_evidence(db, case.id, "verslag.pdf", b"%PDF-1.4 niet echt")
    db.case = case
    return db


def test_case_report_has_every_field_timeline_agreements_and_thumbnail(case_db, tmp_path):
    out = tmp_path / "zaak.pdf"
    build_case_report(case_db, out, reference=case_db.case.reference)
    texts = page_texts(out)
    assert_letterhead_on_every_page(texts)
    text = flat(texts)
    for expected in (
        f"Incident {case_db.case.reference}: Dreigend bericht in klassenapp",
        "Bedreigend bericht",  # category label
        "WhatsApp",
        "02-11-2026",
        "03-11-2026",
        "<b>Jan</b> & Zn.",
        "Leerling: Berkay Öztürk (leerlingnummer 123456)",
        "Medewerker: Joëlle van den Broek",
        "Gesprek met Şükrü Yılmaz",
        "Bericht laten verwijderen",
        "Ja, op 04-11-2026",
        "Vertrouwenspersoon İlayda Gök",
        "Tijdlijn (2)",
        "Gesprek met Zofia Łęcka",
        "Bericht verwijderd",
        "schermafbeelding.png",
        "verslag.pdf",
        "Afspraak 9",
        "Je respecteert elkaars privacy.",
        "Afspraak 13",
    ):
        assert expected in text, expected
    images = [img for page in PdfReader(str(out)).pages for img in page.images]
    assert len(images) == 1  # the PNG's thumbnail; the PDF evidence has none


def test_case_report_takes_the_date_parents_were_informed_from_the_timeline(db, tmp_path):
    """A case saved without "Ouders geïnformeerd" but with that step in its timeline (as
    the demo's and older cases are): the field says Ja with the step's date, not Nee."""
    case = store.create_case(db, make_case(parents_informed=False, parents_informed_on=None))
    store.add_timeline_entry(
        db, case.id, date(2026, 11, 7), "parents_informed", "Vader gebeld", today=TODAY
    )
    out = tmp_path / "zaak.pdf"
    build_case_report(db, out, reference=case.reference)
    text = flat(page_texts(out))
    assert "Ouders geïnformeerd Ja, op 07-11-2026 (stap in de tijdlijn)" in text
    assert "Ouders geïnformeerd Nee" not in text
    assert "Datum Stap Toelichting Door" in text


def test_case_report_unknown_reference_writes_nothing(case_db, tmp_path):
    folder = tmp_path / "uit"
    folder.mkdir()
    with pytest.raises(InputError, match="2026-9999"):
        build_case_report(case_db, folder / "x.pdf", reference="2026-9999")
    assert list(folder.iterdir()) == []


def test_case_overview_counts_per_category_and_month_then_the_list(db, tmp_path):
    made = []
    for month, category in [
        (1, "threatening_message"),
        (1, "belittling_video"),
        (3, "threatening_message"),
        (3, "threatening_message"),
    ]:
        made.append(
            store.create_case(
                db,
                make_case(
                    incident_date=date(2026, month, 10),
                    report_date=date(2026, month, 11),
                    category=category,
                    summary=f"Zaak over Şükrü {month} {category}",
                ),
                today=TODAY,
            )
        )
    store.create_case(db, make_case(location="Grave", summary="Grave-zaak"), today=TODAY)
    store.create_case(
        db,
        make_case(incident_date=date(2025, 12, 1), report_date=date(2025, 12, 2), summary="Oud"),
        today=TODAY,
    )
    out = tmp_path / "overzicht.pdf"
    build_case_overview(
        db, out, location="cuijk", date_from=date(2026, 1, 1), date_to=date(2026, 4, 30)
    )
    texts = page_texts(out)
    assert_letterhead_on_every_page(texts)
    text = flat(texts)
    assert "Periode 01-01-2026 t/m 30-04-2026" in text
    assert "4 incidenten" in text
    assert re.search(r"Bedreigend bericht 3\b", text)
    assert re.search(r"Kleineren via video 1\b", text)
    assert re.search(r"jan 2026 2 feb 2026 0 mrt 2026 2 apr 2026 0 Totaal 4", text)
    for case in made:
        assert text.count(case.reference) == 1
    assert "Grave-zaak" not in text and "Oud" not in text
    assert "Aantal incidenten per maand" in text  # the chart


def test_case_overview_of_all_locations_per_location_with_totals(db, tmp_path):
    store.create_case(db, make_case(summary="Cuijk-zaak"), today=TODAY)
    store.create_case(db, make_case(summary="Nog een in Cuijk", status="in_progress"), today=TODAY)
    store.create_case(db, make_case(location="Mill", summary="Mill-zaak"), today=TODAY)
    out = tmp_path / "alle.pdf"
    build_case_overview(
        db, out, location=None, date_from=date(2026, 11, 1), date_to=date(2026, 11, 30)
    )
    texts = page_texts(out)
    assert_letterhead_on_every_page(texts)
    text = flat(texts)
    assert "Incidenten alle locaties" in text and "3 incidenten" in text
    # Per location by status (open, in progress, closed) and in all, then the totals.
    assert "Locatie Open In behandeling Gesloten Totaal" in text
    assert "Cuijk 1 1 0 2 Grave 0 0 0 0 Mill 1 0 0 1 Totaal 2 1 0 3" in text
    assert re.search(r"Bedreigend bericht 3\b", text)  # the counts are of all locations
    # Each location's list on its own pages, the header naming the location.
    mill = next(t for t in texts if "Incidenten locatie Mill (1)" in t)
    assert "Locatie Mill · Langenboomseweg 3" in mill and "Mill-zaak" in mill
    assert "Cuijk-zaak" not in mill
    grave = next(t for t in texts if "Incidenten locatie Grave (0)" in t)
    assert "Geen incidenten op deze locatie in deze periode." in grave


def test_case_overview_rejects_unknown_location_and_reversed_period(db, tmp_path):
    folder = tmp_path / "uit"
    folder.mkdir()
    with pytest.raises(InputError, match="Onbekende locatie"):
        build_case_overview(db, folder / "x.pdf", location="Zwolle", date_from=TODAY, date_to=TODAY)
    with pytest.raises(InputError, match="periode"):
        build_case_overview(
            db, folder / "x.pdf", location="Mill", date_from=TODAY, date_to=date(2026, 1, 1)
        )
    assert list(folder.iterdir()) == []


def test_months_between_spans_years():
    assert months_between(date(2025, 11, 30), date(2026, 2, 1)) == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]


def test_case_overview_with_thousands_in_one_category_writes_them_as_everywhere(db, tmp_path):
    """A school board's year: 1,203 cases in one category and month. The counts and the total
    read "1.203" (the program's one number format), and the overview is written (counting
    the formatted numbers again once failed on "1.203")."""
    with db.atomic():
        for number in range(1203):
            store.create_case(
                db,
                make_case(
                    incident_date=date(2026, 3, 1 + number % 28),
                    report_date=date(2026, 3, 28),
                    category="threatening_message",
                    summary=f"Bericht {number} aan Berkay Öztürk & <klas>",
                ),
                today=TODAY,
            )
    out = tmp_path / "overzicht.pdf"
    build_case_overview(
        db, out, location="cuijk", date_from=date(2026, 3, 1), date_to=date(2026, 3, 31)
    )
    text = flat(page_texts(out))
    assert "1.203 incidenten" in text
    assert re.search(r"Bedreigend bericht 1\.203 ", text)
    assert re.search(r"mrt 2026 1\.203 Totaal 1\.203", text)
    assert text.count("Totaal 1.203") == 2  # per category and per month
    assert "Open: 1.203" in text
