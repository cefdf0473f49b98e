"""The paper consent round (issue 16): print personal forms, fill them with a synthetic pen,
"scan" them (turned, blurred, grey, noisy, JPEG), and read them back with import-scans.

The round trips use a handful of forms at 150 dpi; the 500-form accuracy run is `make bench`.
"""

from __future__ import annotations

import json
import os
from datetime import date

import pytest
from PIL import Image

from merlet_desk import clock
from merlet_desk.cli import main
from merlet_desk.domain import paper_form as layout
from merlet_desk.imaging import omr
from merlet_desk.imaging import synthetic as syn
from merlet_desk.imports import scans
from merlet_desk.store import decisions as store
from merlet_desk.store import open_database
from merlet_desk.store import paper_forms as forms_store
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store import purposes as purpose_store
from tests.helpers import PAPER_PRINTED as PRINTED
from tests.helpers import PAPER_PURPOSES as PURPOSES
from tests.helpers import PAPER_RECEIVED as RECEIVED
from tests.helpers import PAPER_TODAY, hide_qr_code, paper_school, steady_scan_settings
from tests.helpers import issue_forms as issue
from tests.helpers import scan_form as scan_to

TODAY = PAPER_TODAY
DIALOG_MESSAGE = (
    "De leerling was op die datum 16 of ouder: alleen de leerling zelf kan dan toestemming geven."
)
STEADY = steady_scan_settings()


@pytest.fixture(autouse=True)
def _today():
    with clock.fixed(TODAY):
        yield


@pytest.fixture
def school(db):
    """Four pupils; Meryem turns 16 between printing and the forms coming back."""
    paper_school(db)
    return db


def counts(db):
    return {
        table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("decisions", "form_scans", "decision_scans")
    }


def run_cli(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


# --------------------------------------------------------------------------- printing


def test_printed_form_names_pupil_signer_purposes_and_records_the_form(school, tmp_path):
    from pypdf import PdfReader

    store.record_decision(
        school, "1001", "website", "granted", "parent", "Anna <& Broek>", "2026-08-20"
    )
    forms, pdf = issue(school, ["1001", "1002"], tmp_path)
    pages = [page.extract_text() for page in PdfReader(pdf).pages]
    assert len(pages) == 2
    joelle, berkay = pages
    assert "Joëlle van den Broek" in joelle and "Geboortedatum 01-05-2013" in joelle
    assert "ouder of voogd" in joelle and "Handtekening van ouder of voogd" in joelle
    assert "Je bent 16 jaar of ouder" in berkay and "Handtekening van de leerling" in berkay
    for text in pages:
        assert "vrijwillig" in text and "hangt er niet van af" in text
        assert (
            "aparte keuze" in text
            and "altijd intrekken" in text
            and "info@merletcollege.nl" in text
        )
        assert "Website van de school" in text and "Instagram, Facebook, LinkedIn" in text
    assert "Nu vastgelegd: Toestemming" in joelle and "Nu vastgelegd" not in berkay

    form = forms_store.get_form(school, forms[0].id)
    assert form.signer == layout.SIGNER_PARENT and forms[1].signer == layout.SIGNER_PUPIL
    assert [row.code for row in form.purposes] == PURPOSES
    assert form.issued_on == PRINTED.date()


def test_forms_for_parents_name_a_role_not_an_account(school, tmp_path, monkeypatch):
    """The forms go home with pupils: the header says who made them by role (issue 15)."""
    from pypdf import PdfReader

    from merlet_desk.reports import letterhead

    monkeypatch.setattr(letterhead, "current_user", lambda: "j.devries.beheer")
    _forms, pdf = issue(school, ["1001", "1002"], tmp_path)
    for page in PdfReader(pdf).pages:
        text = page.extract_text()
        assert "door communicatiemedewerker" in text
        assert "j.devries" not in text


def test_renaming_a_purpose_later_does_not_change_a_printed_form(school, tmp_path):
    forms, _ = issue(school, ["1001"], tmp_path)
    purpose_store.rename_purpose(school, "website", "Website en intranet")
    purpose_store.add_purpose(school, "alumni", "Oud-leerlingenvereniging")
    form = forms_store.get_form(school, forms[0].id)
    assert [(row.code, row.label) for row in form.purposes] == [
        ("website", "Website van de school"),
        ("social_media", "Sociale-media-accounts van de school"),
        ("yearbook", "Jaarboek"),
    ]


def test_report_forms_cli(school, tmp_path, capsys):
    out = tmp_path / "klas.pdf"
    code, text, _ = run_cli(
        capsys, "report", "forms", "--db", str(school_path(school)), "-o", str(out), "--class", "1a"
    )
    assert code == 0 and out.exists()
    assert "2 formulieren vastgelegd" in text
    assert school.execute("SELECT count(*) FROM consent_forms").fetchone()[0] == 2

    code, _, err = run_cli(
        capsys,
        "report",
        "forms",
        "--db",
        str(school_path(school)),
        "-o",
        str(tmp_path / "x.pdf"),
        "--class",
        "9Z",
    )
    assert code == 2 and "Onbekende klas '9Z'" in err
    code, _, err = run_cli(
        capsys,
        "report",
        "forms",
        "--db",
        str(school_path(school)),
        "-o",
        str(tmp_path / "x.pdf"),
        "--pupils",
        "1001",
        "--purposes",
        "website,vlog",
    )
    assert code == 2 and "Onbekend doel 'vlog'" in err
    assert not (tmp_path / "x.pdf").exists()
    assert school.execute("SELECT count(*) FROM consent_forms").fetchone()[0] == 2


def school_path(db):
    return db.execute("PRAGMA database_list").fetchone()[2]


def test_purposes_have_examples_from_the_data_file(db):
    purposes = {p.code: p for p in purpose_store.list_purposes(db)}
    assert "Instagram" in purposes["social_media"].examples
    changed = purpose_store.set_purpose_examples(db, "press", "De Gelderlander & Omroep Brabant")
    assert changed.examples == "De Gelderlander & Omroep Brabant"


# --------------------------------------------------------------------------- reading back


def test_round_trip_every_outcome_upside_down_and_turned(school, tmp_path):
    forms, pdf = issue(school, ["1001", "1003"], tmp_path)
    upside_down = syn.ScanSettings(
        scale=0.97, angle=-2.5, quarter_turns=2, blur=0.9, paper=215, noise=6, jpeg_quality=45
    )
    first = scan_to(tmp_path / "a.jpg", pdf, 0, [layout.JA, layout.NEE, layout.LEEG])
    second = scan_to(
        tmp_path / "b.png", pdf, 1, [layout.BEIDE, syn.CORRECTION, layout.JA], settings=upside_down
    )
    pages = scans.read_stack(school, [first, second])
    assert [page.form.pupil.number for page in pages] == ["1001", "1003"]
    assert pages[0].outcomes == [layout.JA, layout.NEE, layout.LEEG]
    assert pages[0].certain and pages[0].signed
    assert pages[1].reading.rotation == 2
    # The proof is kept upright: read again, it needs no turning.
    import cv2
    import numpy as np

    proof = cv2.imdecode(np.frombuffer(pages[1].proof.data, np.uint8), cv2.IMREAD_GRAYSCALE)
    assert omr.read_page(proof, lambda code: 3).rotation == 0
    assert pages[1].outcomes[:2] == [layout.BEIDE, layout.TWIJFEL]
    assert pages[1].outcomes[2] == layout.JA and not pages[1].certain
    assert all(0.9 <= m.confidence <= 1 for m in pages[0].reading.marks)


def test_unsigned_not_recognised_and_nothing_recorded_without_confirm(school, tmp_path, capsys):
    forms, pdf = issue(school, ["1001"], tmp_path)
    unsigned = scan_to(
        tmp_path / "unsigned.jpg", pdf, 0, [layout.JA, layout.JA, layout.NEE], signed=False
    )
    blank = tmp_path / "blanco.png"
    Image.new("L", (1240, 1754), 250).save(blank)
    before = counts(school)
    size = os.path.getsize(school_path(school))

    code, out, _ = run_cli(
        capsys,
        "import-scans",
        str(unsigned),
        str(blank),
        "--db",
        str(school_path(school)),
        "--json",
    )
    result = json.loads(out)
    assert code == 1
    first, second = result["results"]
    assert first["form"] == forms[0].label and first["pupil"] == "1001"
    assert [m["outcome"] for m in first["marks"]] == ["ja", "ja", "nee"]
    assert first["signature"] == {"ink": False, "certain": True} and not first["certain"]
    assert second["status"] == "not_recognised" and second["form"] is None
    assert "niet gevonden" in second["message"]
    assert counts(school) == before and os.path.getsize(school_path(school)) == size

    code, out, _ = run_cli(
        capsys, "import-scans", str(unsigned), "--db", str(school_path(school)), "--confirm-certain"
    )
    assert code == 1 and "0 formulieren vastgelegd" in out
    assert counts(school) == before


def test_confirm_certain_records_decisions_with_the_scan_as_proof(school, tmp_path, capsys):
    forms, pdf = issue(school, ["1001", "1003"], tmp_path)
    sure = scan_to(tmp_path / "sure.jpg", pdf, 0, [layout.JA, layout.NEE, layout.LEEG])
    doubt = scan_to(tmp_path / "doubt.jpg", pdf, 1, [layout.JA, layout.BEIDE, layout.NEE])
    code, out, _ = run_cli(
        capsys,
        "import-scans",
        str(sure),
        str(doubt),
        "--db",
        str(school_path(school)),
        "--confirm-certain",
    )
    assert code == 1  # the second page needs a person
    assert "1 formulier vastgelegd (3 besluiten)" in out
    decisions = store.decisions_for(school, "1001")
    # The empty row: "Geen kruisje betekent geen toestemming", as the form says.
    assert [(d.purpose, d.decision, d.given_by, d.method, d.received_on) for d in decisions] == [
        ("website", "granted", "parent", "paper", RECEIVED),
        ("social_media", "refused", "parent", "paper", RECEIVED),
        ("yearbook", "refused", "parent", "paper", RECEIVED),
    ]
    assert store.decisions_for(school, "1003") == []
    [scan] = forms_store.scans_of_pupil(school, "1001")
    assert set(scan.decision_ids) == {d.id for d in decisions}
    assert scan.scanned_on == RECEIVED and scan.form_id == forms[0].id
    proof = forms_store.scan_image(school, scan.id)
    assert proof.image_type == "image/jpeg" and proof.data[:2] == b"\xff\xd8"
    assert 1100 < proof.height < 1900  # about 150 dpi

    # The same form again: nothing twice, and it says so.
    code, out, _ = run_cli(
        capsys, "import-scans", str(sure), "--db", str(school_path(school)), "--confirm-certain"
    )
    assert code == 1 and "al eerder verwerkt" in out
    assert len(store.decisions_for(school, "1001")) == 3


def test_received_date_and_a_parents_yes_after_the_16th_birthday(school, tmp_path, capsys):
    forms, pdf = issue(school, ["1004"], tmp_path)  # Meryem is 15 when the form is printed
    assert forms[0].signer == layout.SIGNER_PARENT
    path = scan_to(tmp_path / "meryem.jpg", pdf, 0, [layout.JA, layout.NEE, layout.NEE])
    before = counts(school)
    code, out, _ = run_cli(
        capsys,
        "import-scans",
        str(path),
        "--db",
        str(school_path(school)),
        "--confirm-certain",
        "--received",
        "2026-09-12",
    )
    assert code == 1
    assert f"Website van de school: {DIALOG_MESSAGE}" in out
    assert counts(school) == before  # the whole form, not only the refused yes

    code, out, _ = run_cli(
        capsys,
        "import-scans",
        str(path),
        "--db",
        str(school_path(school)),
        "--confirm-certain",
        "--received",
        "2026-09-09",
    )
    assert code == 0
    assert [d.received_on for d in store.decisions_for(school, "1004")] == [date(2026, 9, 9)] * 3


def test_duplicate_in_one_stack_foreign_database_and_left_pupil(school, tmp_path, db_path):
    forms, pdf = issue(school, ["1001", "1002"], tmp_path)
    joelle = scan_to(tmp_path / "j.jpg", pdf, 0, [layout.JA, layout.JA, layout.JA])
    berkay = scan_to(tmp_path / "b.jpg", pdf, 1, [layout.NEE, layout.NEE, layout.NEE])
    pupil_store.mark_pupils_left(school, ["1002"], "2026-09-05")
    pages = scans.read_stack(school, [joelle, berkay, joelle])
    assert [page.status for page in pages] == ["ok", "left", scans.IN_BATCH]
    assert "vertrokken" in pages[1].message and "pagina 1" in pages[2].message

    other = open_database(tmp_path / "andere.sqlite")
    try:
        pupil_store.save_pupil(
            other, "1001", "Joëlle", "van den", "Broek", "2013-05-01", "1A", "Cuijk"
        )
        [page] = scans.read_stack(other, [joelle])
        assert page.status == forms_store.FORM_FOREIGN and page.form is None
        assert "andere Merlet Desk-database" in page.message
        with pytest.raises(Exception, match="andere Merlet Desk-database"):
            scans.record_page(other, page)
        assert counts(other)["decisions"] == 0
    finally:
        other.close()


def test_a_person_names_an_unreadable_page_and_corrects_a_mark(school, tmp_path):
    forms, pdf = issue(school, ["1003"], tmp_path)
    path = hide_qr_code(
        scan_to(tmp_path / "z.png", pdf, 0, [layout.NEE, syn.CORRECTION, layout.JA])
    )
    [page] = scans.read_stack(school, [path])
    assert page.status == scans.NOT_RECOGNISED and page.message == omr.NO_CODE
    with pytest.raises(Exception, match="niet herkend|QR"):
        scans.record_page(school, page)

    scans.name_form(school, page, "1003")
    assert page.form.id == forms[0].id and not page.certain
    assert page.outcomes == [layout.NEE, layout.TWIJFEL, layout.JA]
    with pytest.raises(Exception, match="nog niet beslist voor Sociale-media-accounts"):
        scans.record_page(school, page, RECEIVED)
    page.outcomes[1] = layout.JA  # the officer looked at the scan
    scans.record_page(school, page, RECEIVED)
    decisions = store.decisions_for(school, "1003")
    assert sorted(d.decision for d in decisions) == ["granted", "granted", "refused"]
    [scan] = forms_store.scans_of_pupil(school, "1003")
    assert scan.reading["checked_by_person"] is True


def test_scans_are_in_the_pupil_file_and_go_with_the_purge(school, tmp_path):
    from pypdf import PdfReader

    from merlet_desk.reports.pupil_file import build_pupil_file
    from merlet_desk.store.retention import purge

    forms, pdf = issue(school, ["1001"], tmp_path)
    path = scan_to(tmp_path / "j.jpg", pdf, 0, [layout.JA, layout.NEE, layout.JA])
    [page] = scans.read_stack(school, [path])
    scans.record_page(school, page)
    out = tmp_path / "inzage.pdf"
    build_pupil_file(school, out, pupil="1001")
    reader = PdfReader(out)
    text = "".join(p.extract_text() for p in reader.pages)
    assert "Gescande formulieren (1)" in text and forms[0].label in text
    assert any(p.images for p in reader.pages)  # the scan itself

    pupil_store.mark_pupils_left(school, ["1001"], "2020-07-01")
    pupil = pupil_store.get_pupil(school, "1001")
    result = purge(school, [pupil.id], years=2)
    assert result.paper_forms == 1
    for table in ("consent_forms", "consent_form_purposes", "form_scans", "decision_scans"):
        assert school.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0


def test_consent_overview_lists_the_scanned_forms_as_sources(school, tmp_path):
    from pypdf import PdfReader

    from merlet_desk.reports.consent_overview import build_consent_overview

    forms, pdf = issue(school, ["1001"], tmp_path)
    path = scan_to(tmp_path / "j.jpg", pdf, 0, [layout.JA, layout.NEE, layout.LEEG])
    [page] = scans.read_stack(school, [path])
    scans.record_page(school, page)
    out = tmp_path / "overzicht.pdf"
    build_consent_overview(school, out, location="Cuijk")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(out).pages)
    assert "Bronnen: gescande papieren formulieren" in text
    assert f"1001 Joëlle van den Broek {forms[0].label} 14-09-2026" in text
    assert "Website van de school, Sociale-media-accounts van de school" in text
    assert "Zofia" in text and text.count(forms[0].label) == 1  # Zofia has no scan


def test_multi_page_tiff_and_a_copier_pdf_in_any_order(school, tmp_path):
    forms, pdf = issue(school, ["1001", "1003"], tmp_path)
    first = scan_to(tmp_path / "a.png", pdf, 0, [layout.JA, layout.NEE, layout.JA])
    upside_down = syn.ScanSettings(angle=-1, quarter_turns=2, blur=0.5, paper=240, noise=3)
    second = scan_to(
        tmp_path / "b.png", pdf, 1, [layout.NEE, layout.NEE, layout.LEEG], settings=upside_down
    )
    pages = [Image.open(first), Image.open(second)]
    tiff, copier = tmp_path / "stapel.tiff", tmp_path / "kopieerapparaat.pdf"
    pages[1].save(tiff, save_all=True, append_images=[pages[0]])
    pages[0].save(copier, save_all=True, append_images=[pages[1]], resolution=150)
    read = scans.read_stack(school, [tiff, copier])
    assert [page.source for page in read] == [
        "stapel.tiff, pagina 1",
        "stapel.tiff, pagina 2",
        "kopieerapparaat.pdf, pagina 1",
        "kopieerapparaat.pdf, pagina 2",
    ]
    assert [page.form.pupil.number for page in read] == ["1003", "1001", "1001", "1003"]
    assert read[0].outcomes == [layout.NEE, layout.NEE, layout.LEEG]
    assert read[2].outcomes == [layout.JA, layout.NEE, layout.JA] and read[2].reading.certain
    assert [page.status for page in read] == ["ok", "ok", scans.IN_BATCH, scans.IN_BATCH]


def test_the_printed_pdf_itself_reads_as_empty_and_unsigned(school, tmp_path):
    """A PDF that is not a copier's scan (vector pages) is rendered instead."""
    forms, pdf = issue(school, ["1001", "1002"], tmp_path)
    read = scans.read_stack(school, [pdf])
    assert [page.form.id for page in read] == [form.id for form in forms]
    for page in read:
        assert page.outcomes == [layout.LEEG] * 3 and not page.signed
        assert page.reading.signature_certain and not page.certain


def test_import_scans_bad_input_exits_2_before_reading(school, tmp_path, capsys):
    text = tmp_path / "notities.txt"
    text.write_text("geen scan", encoding="utf-8")
    broken = tmp_path / "kapot.pdf"
    broken.write_bytes(b"%PDF-1.4 niets")
    db = str(school_path(school))
    for args, message in (
        ([str(tmp_path / "weg.pdf")], "weg.pdf: bestand bestaat niet."),
        ([str(text)], "onbekend soort bestand (gebruik pdf, png, jpeg of tiff)"),
        ([str(broken)], "kapot.pdf: kan niet gelezen worden"),
    ):
        code, out, err = run_cli(capsys, "import-scans", *args, "--db", db, "--confirm-certain")
        assert code == 2 and message in err and out == ""
    code, _, err = run_cli(
        capsys, "import-scans", str(text), "--db", db, "--received", "31-02-2026"
    )
    assert code == 2 and "--received" in err


def test_a_page_fed_sideways_reads_too(school, tmp_path):
    forms, pdf = issue(school, ["1001"], tmp_path)
    sideways = syn.ScanSettings(angle=2, quarter_turns=1, blur=0.6, paper=238, noise=3)
    path = scan_to(
        tmp_path / "zij.png", pdf, 0, [layout.NEE, layout.JA, layout.LEEG], settings=sideways
    )
    [page] = scans.read_stack(school, [path])
    assert page.form.id == forms[0].id and page.reading.rotation in (1, 3)
    assert page.outcomes == [layout.NEE, layout.JA, layout.LEEG] and page.certain
    assert page.proof.height > page.proof.width  # kept upright


def test_read_only_mode_reads_scans_but_neither_prints_nor_records(
    school, tmp_path, capsys, monkeypatch
):
    forms, pdf = issue(school, ["1001"], tmp_path)
    path = scan_to(tmp_path / "a.jpg", pdf, 0, [layout.JA, layout.NEE, layout.LEEG])
    db = str(school_path(school))
    before = counts(school)
    monkeypatch.setenv("MERLET_DESK_READ_ONLY", "1")
    code, out, _ = run_cli(capsys, "import-scans", str(path), "--db", db)
    assert code == 0 and "→ zeker" in out
    code, _, err = run_cli(capsys, "import-scans", str(path), "--db", db, "--confirm-certain")
    assert code == 2 and "Alleen-lezen" in err
    code, _, err = run_cli(
        capsys, "report", "forms", "--db", db, "-o", str(tmp_path / "f.pdf"), "--pupils", "1001"
    )
    assert code == 2 and "Alleen-lezen" in err and not (tmp_path / "f.pdf").exists()
    assert counts(school) == before
