"""The Rapporten section: choose a report and its parameters, export, preview, print."""

from __future__ import annotations

from pypdf import PdfReader
from PySide6.QtCore import QDate

from merlet_desk.store import cases as case_store
from merlet_desk.store import open_database
from merlet_desk.ui.common import dialogs
from tests.helpers import REPORT_CASE_DAY as TODAY
from tests.helpers import fill_report_school as fill_school
from tests.helpers import flat, open_section, page_texts, pdf_text, print_to_file, screenshot
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
    screenshot(section, tmp_path / "rapporten.png")


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


def type_and_pick(qtbot, picker, text: str) -> None:
    """Type into a pupil picker and pick the first pupil it offers with Enter."""
    from PySide6.QtCore import Qt

    qtbot.keyClicks(picker, text)
    popup = picker.suggestions()
    qtbot.keyClick(popup, Qt.Key.Key_Return)


def test_check_by_pupil_names_and_unknown_pupil(qtbot, db, db_path, tmp_path, monkeypatch):
    """A parent's or teacher's request comes in by name: "ozturk" finds Berkay Öztürk, a
    number still works, and a name nobody has says so before anything is written."""
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

    qtbot.keyClicks(section.check_picker, "emre ozt")
    section.export_button.click()
    assert errors == ["Onbekende leerling emre ozt"]
    assert not out.exists()

    section.check_picker.clear()
    type_and_pick(qtbot, section.check_picker, "ozturk")
    assert section.check_numbers() == ["2001"]
    assert section.check_picker.text() == ""  # ready for the next name
    type_and_pick(qtbot, section.check_picker, "joelle")
    type_and_pick(qtbot, section.check_picker, "1004")  # again: chosen once
    assert section.check_numbers() == ["2001", "1004"]
    section.export_button.click()
    text = pdf_text(out)
    assert "Mogen in beeld (1)" in text and "Berkay Öztürk" in text
    assert "Mogen niet in beeld (1)" in text and "Joëlle van den Broek" in text


def test_pupil_report_by_name_refuses_unknown_and_ambiguous(
    qtbot, db, db_path, tmp_path, monkeypatch
):
    fill_school(db)
    _, section = open_section(qtbot, db, db_path, "rapporten")
    section.select("pupil")
    errors = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, msg: errors.append(msg))
    asked = save_to(monkeypatch, tmp_path / "x.pdf")
    qtbot.keyClicks(section.pupil_picker, "9999")
    section.export_button.click()
    assert errors == ["Onbekende leerling 9999"] and asked == []  # asked before the save dialog
    section.pupil_picker.clear()
    qtbot.keyClicks(section.pupil_picker, "2a")  # three pupils of 2A
    assert section.pupil_name.text() == "‘2a’ past bij 3 leerlingen; kies er één uit de lijst."
    section.export_button.click()
    assert errors[-1] == "‘2a’ past bij 3 leerlingen; kies er één uit de lijst."
    assert asked == []
    section.pupil_picker.clear()
    type_and_pick(qtbot, section.pupil_picker, "gok")
    assert section.pupil_name.text() == "İlayda Gök (2A, Cuijk)"
    section.export_button.click()
    assert asked == ["inzage-1002.pdf"]
    assert "İlayda Gök" in pdf_text(tmp_path / "x.pdf")
    # A number typed in full still does, without choosing from the list.
    section.pupil_picker.clear()
    qtbot.keyClicks(section.pupil_picker, "2001")
    assert section.pupil_name.text() == "Berkay Öztürk (3C, Grave)"


def test_consent_overview_for_all_locations(qtbot, db, db_path, tmp_path, monkeypatch):
    fill_school(db)
    _, section = open_section(qtbot, db, db_path, "rapporten")
    section.select("consent")
    section.consent_location.setCurrentText("Alle locaties")
    classes = [section.consent_class.itemText(i) for i in range(section.consent_class.count())]
    assert classes == ["Alle klassen", "2A", "3C", "4B"]
    section.consent_on.setDate(QDate(2026, 11, 25))
    out = tmp_path / "alle.pdf"
    asked = save_to(monkeypatch, out)
    section.export_button.click()
    assert asked == ["toestemmingen-alle-locaties-2026-11-25.pdf"]
    texts = page_texts(out)
    assert "Per locatie: leerlingen en wie in beeld mag" in texts[0]
    assert "Şükrü Yılmaz" in flat(texts) and "Berkay Öztürk" in flat(texts)


def test_case_overview_for_all_locations(qtbot, db, db_path, tmp_path, monkeypatch):
    case_store.create_case(db, make_case(), today=TODAY)
    case_store.create_case(db, make_case(location="Mill", summary="Filmpje in Mill"), today=TODAY)
    _, section = open_section(qtbot, db, db_path, "rapporten")
    section.select("cases")
    section.cases_location.setCurrentIndex(section.cases_location.findData(None))
    assert section.cases_location.currentText() == "Alle locaties"
    section.cases_from.setDate(QDate(2026, 11, 1))
    section.cases_to.setDate(QDate(2026, 11, 30))
    out = tmp_path / "alle.pdf"
    asked = save_to(monkeypatch, out)
    section.export_button.click()
    assert asked == ["incidenten-alle-locaties-2026-11-01-2026-11-30.pdf"]
    text = pdf_text(out)
    assert "Incidenten alle locaties" in text and "Filmpje in Mill" in text
    assert "Incidenten locatie Mill (1)" in text and "Incidenten locatie Grave (0)" in text


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
    screenshot(dialog, tmp_path / "voorbeeld.png")
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
