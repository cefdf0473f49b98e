"""The Rapporten section: choose a report and its parameters, export, preview, print."""

from __future__ import annotations

from pypdf import PdfReader
from PySide6.QtCore import QDate

from merlet_desk.store import cases as case_store
from merlet_desk.store import open_database
from merlet_desk.ui.common import dialogs
from tests.helpers import REPORT_CASE_DAY as TODAY
from tests.helpers import fill_report_school as fill_school
from tests.helpers import open_section, pdf_text, print_to_file
from tests.helpers import report_case as make_case


def dump(db_path) -> list:
    """Every row of every table, read through a separate connection."""
    db = open_database(db_path, read_only=True)
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return [
            (t, sorted(db.execute(f"SELECT * FROM [{t}]").fetchall(), key=repr)) for t in tables
        ]
    finally:
        db.close()


def save_to(monkeypatch, path):
    asked = []

    def fake(parent, title, suggested, file_filter, kind="export"):
        asked.append(suggested)
        return path

    monkeypatch.setattr(dialogs, "choose_save_path", fake)
    return asked


def test_section_lists_the_reports(qtbot, db, db_path, tmp_path):
    _, section = open_section(qtbot, db, db_path, "rapporten")
    labels = [section.report_list.item(i).text() for i in range(section.report_list.count())]
    assert labels == [
        "Toestemmingen per locatie",
        "Publicatiecheck",
        "Inzage leerling (AVG art. 15)",
        "Eén incident",
        "Overzicht incidenten",
        "Te verwijderen publicaties",
        "Beleid (hand-out)",
        "Toestemmingsformulieren (papier)",
    ]
    assert section.grab().save(str(tmp_path / "rapporten.png"))  # to look at


def test_export_consent_overview_of_one_class(qtbot, db, db_path, tmp_path, monkeypatch):
    fill_school(db)
    _, section = open_section(qtbot, db, db_path, "rapporten")
    section.select("consent")
    section.consent_location.setCurrentText("Cuijk")
    classes = [section.consent_class.itemText(i) for i in range(section.consent_class.count())]
    assert classes == ["Alle klassen", "2A", "4B"]
    section.consent_class.setCurrentIndex(2)
    out = tmp_path / "4b.pdf"
    asked = save_to(monkeypatch, out)
    section.export_button.click()
    assert asked and asked[0].startswith("toestemmingen-cuijk-4b-")
    text = pdf_text(out)
    assert "<b>Jan</b> & Zn" in text and "Zofia Łęcka" in text
    assert "Şükrü Yılmaz" not in text


def test_check_by_pupil_numbers_and_unknown_pupil(qtbot, db, db_path, tmp_path, monkeypatch):
    fill_school(db)
    _, section = open_section(qtbot, db, db_path, "rapporten")
    section.select("check")
    section.check_purpose.setCurrentIndex(section.check_purpose.findData("website"))
    section.check_by_pupils.setChecked(True)
    section.check_on.setDate(QDate(2026, 11, 25))
    errors = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, msg: errors.append(msg))
    out = tmp_path / "check.pdf"
    save_to(monkeypatch, out)

    section.check_pupils.setText("1001, 4242")
    section.export_button.click()
    assert errors == ["Onbekende leerling 4242"]
    assert not out.exists()

    section.check_pupils.setText("1001, 1004")
    section.export_button.click()
    text = pdf_text(out)
    assert "Mogen in beeld (1)" in text and "Joëlle van den Broek" in text


def test_pupil_report_shows_name_and_refuses_unknown(qtbot, db, db_path, tmp_path, monkeypatch):
    fill_school(db)
    _, section = open_section(qtbot, db, db_path, "rapporten")
    section.select("pupil")
    errors = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, msg: errors.append(msg))
    asked = save_to(monkeypatch, tmp_path / "x.pdf")
    section.pupil_number.setText("9999")
    section.export_button.click()
    assert errors == ["Onbekende leerling 9999"] and asked == []  # asked before the save dialog
    section.pupil_number.setText("1002")
    assert section.pupil_name.text() == "İlayda Gök (2A, Cuijk)"
    section.export_button.click()
    assert "İlayda Gök" in pdf_text(tmp_path / "x.pdf")


def test_preview_and_print_case_overview(qtbot, db, db_path, tmp_path, monkeypatch):
    case = case_store.create_case(db, make_case(), today=TODAY)
    _, section = open_section(qtbot, db, db_path, "rapporten")
    section.select("cases")
    section.cases_location.setCurrentText("Cuijk")
    section.cases_from.setDate(QDate(2026, 11, 1))
    section.cases_to.setDate(QDate(2026, 11, 30))
    dialog = section.preview()
    qtbot.addWidget(dialog)
    assert dialog.page_count() == len(PdfReader(str(dialog.pdf_path)).pages) >= 1
    assert case.reference in pdf_text(dialog.pdf_path)
    assert dialog.grab().save(str(tmp_path / "voorbeeld.png"))  # to look at
    dialog.reject()

    printed = print_to_file(monkeypatch, tmp_path / "afdruk.pdf")
    assert section.print_() is True
    assert printed.exists() and len(PdfReader(str(printed)).pages) >= 1


def test_case_and_policy_export_in_read_only_mode(qtbot, db, db_path, tmp_path, monkeypatch):
    """A location manager (read-only) exports a single case and the policy; the database is
    not touched."""
    case = case_store.create_case(db, make_case(), today=TODAY)
    db.close()
    before = dump(db_path)
    read_only = open_database(db_path, read_only=True)
    try:
        window, section = open_section(qtbot, read_only, db_path, "rapporten", read_only=True)
        assert window.windowTitle().endswith("(alleen-lezen)")
        section.select("case")
        section.case_reference.setText(case.reference)
        save_to(monkeypatch, tmp_path / "zaak.pdf")
        section.export_button.click()
        assert "Dreigend bericht in klassenapp" in pdf_text(tmp_path / "zaak.pdf")

        section.select("policy")
        save_to(monkeypatch, tmp_path / "beleid.pdf")
        section.export_button.click()
        assert "Afspraak 14" in pdf_text(tmp_path / "beleid.pdf")
    finally:
        read_only.close()
    assert dump(db_path) == before


def test_reports_work_in_read_only_mode(qtbot, db, db_path, tmp_path, monkeypatch):
    fill_school(db)
    read_only = open_database(db_path, read_only=True)
    try:
        _, section = open_section(qtbot, read_only, db_path, "rapporten", read_only=True)
        section.select("consent")
        section.consent_location.setCurrentText("Cuijk")
        section.consent_on.setDate(QDate(2026, 11, 25))
        save_to(monkeypatch, tmp_path / "ro.pdf")
        assert section.export_button.isEnabled()
        section.export_button.click()
        assert "Şükrü Yılmaz" in pdf_text(tmp_path / "ro.pdf")
    finally:
        read_only.close()
