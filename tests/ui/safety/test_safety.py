"""The Extra menu, the restore preview, the purge dialog and the audit log viewer."""

from __future__ import annotations

import csv

from PySide6.QtCore import QDate, Qt

from merlet_desk.store import open_database
from merlet_desk.store.backup import list_backups
from merlet_desk.store.decisions import record_decision
from merlet_desk.store.pupils import get_pupil, save_pupil
from merlet_desk.store.settings import get_setting, set_setting
from merlet_desk.ui.common import dialogs
from merlet_desk.ui.safety.actions import open_audit_log
from merlet_desk.ui.safety.audit_view import ENTRY_ROLE
from merlet_desk.ui.safety.purge import PurgeDialog
from tests.helpers import TODAY, dry_run_shown, open_register, open_window, screenshot


def fill(db) -> None:
    save_pupil(db, "2001", "Joëlle", "van den", "Broek", "2008-03-01", "6V2", "Cuijk", "2023-07-15")
    save_pupil(db, "2002", "Şükrü", "", "Yılmaz", "2012-05-05", "2B", "Mill")
    record_decision(db, "2001", "website", "granted", "parent", "<b>Jan</b> & Zn", "2022-09-01")
    set_setting(db, "test.wie", "Zofia Łęcka")


def test_read_only_disables_restore_and_purge_and_has_no_backup(qtbot, db, db_path):
    db.close()
    ro = open_database(db_path, read_only=True)
    window = open_window(qtbot, ro, db_path, read_only=True, show=False)
    enabled = {key: action.isEnabled() for key, action in window.safety_actions.items()}
    assert enabled["restore"] is enabled["encrypt"] is enabled["purge"] is False
    assert enabled["verify"] is enabled["audit"] is True
    # A backup is a new file, and read-only mode writes none: the action is not there at all.
    assert [a.text() for a in window.extra_menu.actions() if a.isVisible() and a.text()] == [
        "Back-up &terugzetten…",
        "Database &controleren",
        "&Versleutelen…",
        "&Auditlog…",
        "Leerlingen &opschonen…",
    ]
    window.db.close()


def test_backup_is_offered_when_writable_and_goes_once_read_only(qtbot, db, db_path):
    window = open_window(qtbot, db, db_path, show=False)
    menu = window.extra_menu
    assert "Back-up &maken…" in [a.text() for a in menu.actions() if a.isVisible()]
    window.set_read_only(True)  # e.g. another instance took the lock meanwhile
    assert "Back-up &maken…" not in [a.text() for a in menu.actions() if a.isVisible()]
    window.db.close()


def test_verify_action(qtbot, db, db_path, shown):
    window = open_window(qtbot, db, db_path, show=False)
    window.safety_actions["verify"].trigger()
    assert shown[-1][0] == "show_info" and "in orde" in shown[-1][2]
    window.db.close()


def test_purge_dialog_lists_asks_and_purges(qtbot, qtmodeltester, db, db_path, shown, monkeypatch):
    fill(db)
    window = open_window(qtbot, db, db_path, show=False)
    dialog = PurgeDialog(window, window)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    assert dialog.model.rowCount() == 1
    assert dialog.model.headerData(4, Qt.Orientation.Horizontal) == "Vertrokken"
    assert dialog.model.index(0, 1).data() == "Joëlle van den Broek"
    assert "langer dan 2 jaar" in dialog.explanation.text()
    dialog.years.setValue(20)  # a longer period: nobody yet; saved as the register's setting
    assert dialog.model.rowCount() == 0 and not dialog.purge_button.isEnabled()
    assert get_setting(window.db, "retention.years_after_leaving") == 20
    dialog.years.setValue(2)
    assert dialog.model.rowCount() == 1 and dialog.purge_button.isEnabled()
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda *a: False)
    assert dialog.confirm_and_purge() is False
    assert window.db.execute("SELECT count(*) FROM pupils").fetchone()[0] == 2
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda *a: True)
    assert dialog.confirm_and_purge() is True
    assert "Opgeschoond: 1 leerling, 1 besluit" in shown[-1][2]
    assert [r[0] for r in window.db.execute("SELECT number FROM pupils")] == ["2002"]
    window.db.close()


def test_audit_log_viewer_filters_and_exports(
    qtbot, qtmodeltester, db, db_path, tmp_path, shown, monkeypatch
):
    fill(db)
    db.execute(
        "INSERT INTO audit_log (at, user, action, record_kind, record_id, new_value)"
        " VALUES ('2025-01-10T09:00:00', 'berkay', 'update', 'setting', 'oud', '\"x\"')"
    )
    window = open_window(qtbot, db, db_path, show=False)
    dialog = open_audit_log(window, window)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    rows = dialog.model.rowCount()
    assert rows >= 4  # this month's entries; the 2025 entry is outside the period
    assert all(e.user != "berkay" for e in dialog.visible_entries())

    dialog.start_edit.setDate(QDate(2025, 1, 1))
    dialog.user_combo.setCurrentIndex(dialog.user_combo.findData("berkay"))
    assert [e.record_id for e in dialog.visible_entries()] == ["oud"]
    assert dialog.model.index(0, 0).data() == "10-01-2025 09:00:00"
    dialog.user_combo.setCurrentIndex(0)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("pupil"))
    assert {e.record_id for e in dialog.visible_entries()} == {"2001", "2002"}
    assert dialog.kind_combo.currentText() == "leerling"
    dialog.kind_combo.setCurrentIndex(0)
    dialog.user_combo.setCurrentIndex(0)

    target = tmp_path / "audit.csv"
    monkeypatch.setattr(dialogs, "choose_save_path", lambda *a, **k: target)
    dialog.export_csv()
    with target.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle, delimiter=";"))
    assert lines[0][:3] == ["Tijdstip", "Gebruiker", "Actie"]
    assert len(lines) == 1 + len(dialog.visible_entries())
    assert any("<b>Jan</b> & Zn" in cell for line in lines for cell in line)

    from pypdf import PdfReader

    pdf = tmp_path / "audit.pdf"
    monkeypatch.setattr(dialogs, "choose_save_path", lambda *a, **k: pdf)
    dialog.export_pdf()
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Auditlog" in text and "Joëlle" in text and "MERLET" in text.upper()
    dialog.resize(1000, 420)
    screenshot(dialog, tmp_path / "auditlog.png")
    window.db.close()


def test_gui_imports_back_up_first_and_a_bad_file_makes_no_backup(
    qtbot, db, db_path, tmp_path, shown, monkeypatch
):
    _, section = open_register(qtbot, db, db_path)
    bad = tmp_path / "fout.csv"
    bad.write_text("leerlingnummer;roepnaam;locatie\n3002;<b>Jan</b> & Zn;Mill\n", encoding="utf-8")
    monkeypatch.setattr(dialogs, "show_problems", lambda *a: None)
    monkeypatch.setattr(dialogs, "choose_open_path", lambda *a, **k: bad)
    section.toolbar.import_pupils_action.trigger()
    section.toolbar.import_consents_action.trigger()
    assert list_backups(db_path.parent / "backups", db_path) == []

    good = tmp_path / "leerlingen.csv"
    good.write_text(
        "leerlingnummer;roepnaam;tussenvoegsel;achternaam;geboortedatum;klas;locatie\n"
        "3001;Meryem;;Boujdaini;01-02-2011;2B;Mill\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(dialogs, "choose_open_path", lambda *a, **k: good)
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda *a: False)
    section.toolbar.import_pupils_action.trigger()
    assert [b.reason for b in list_backups(db_path.parent / "backups", db_path)] == ["voor-import"]
    consents = tmp_path / "toestemmingen.csv"
    consents.write_text(
        "leerlingnummer;doel;besluit;gegeven_door;naam_gever;datum\n"
        "3001;website;ja;ouder;Fatima Boujdaini;01-09-2025\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(dialogs, "choose_open_path", lambda *a, **k: consents)
    section.toolbar.import_consents_action.trigger()
    assert len(list_backups(db_path.parent / "backups", db_path)) == 1  # not before the click
    dry_run_shown(qtbot, section.import_dialog).import_button.click()
    assert len(list_backups(db_path.parent / "backups", db_path)) == 2
    assert db.execute("SELECT count(*) FROM decisions").fetchone()[0] == 1


def test_purge_dialog_says_when_the_stored_retention_cannot_be_right(qtbot, db, db_path, shown):
    fill(db)
    set_setting(db, "retention.years_after_leaving", 0)  # written by another tool
    window = open_window(qtbot, db, db_path, show=False)
    dialog = PurgeDialog(window)
    qtbot.addWidget(dialog)
    assert "tussen 1 en 50 jaar" in dialog.explanation.text()
    assert dialog.model.rowCount() == 0 and not dialog.purge_button.isEnabled()
    dialog.years.setValue(3)  # choosing a period stores a good one
    assert get_setting(window.db, "retention.years_after_leaving") == 3
    assert dialog.model.rowCount() == 1 and dialog.purge_button.isEnabled()
    window.db.close()


def test_audit_log_in_words_and_filtered_by_pupil_by_type_ahead(
    qtbot, db, db_path, tmp_path, monkeypatch
):
    """A parent asks what was done with their child's data: "ozturk" picks Berkay Öztürk,
    and the log shows only the entries about him, each naming him, not a code or a row id."""
    from PySide6.QtCore import Qt

    from merlet_desk.store import paper_forms
    from tests.helpers import pdf_text

    fill(db)
    save_pupil(db, "2003", "Berkay", "", "Öztürk", "2011-02-03", "3C", "Grave")
    decision = record_decision(
        db, "2003", "website", "refused", "parent", "H. Öztürk", TODAY.isoformat()
    )
    paper_forms.issue_forms(
        db,
        [get_pupil(db, "2003")],
        paper_forms.form_purposes(db, ["website"]),
        TODAY,
    )
    window = open_window(qtbot, db, db_path, show=False)
    dialog = open_audit_log(window, window)
    qtbot.addWidget(dialog)
    dialog.show()
    everyone = len(dialog.visible_entries())

    qtbot.keyClicks(dialog.pupil_picker, "ozturk")
    popup = dialog.pupil_picker.suggestions()
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    rows = [dialog.model.index(r, 0).data(ENTRY_ROLE).row() for r in range(dialog.model.rowCount())]
    assert sorted((row[2], row[3], row[4]) for row in rows) == [
        ("aangemaakt", "besluit", "Berkay Öztürk (2003)"),
        ("aangemaakt", "leerling", "Berkay Öztürk (2003)"),
        ("aangemaakt", "papieren formulier", "Berkay Öztürk (2003)"),
    ]
    assert str(decision.id) not in [row[4] for row in rows]
    assert all("form_scan" not in cell and "consent_form" not in cell for r in rows for cell in r)
    assert dialog.count_label.text() == "3 regels"

    pdf = tmp_path / "audit.pdf"
    monkeypatch.setattr(dialogs, "choose_save_path", lambda *a, **k: pdf)
    dialog.export_pdf()
    text = pdf_text(pdf)
    assert "over leerling Berkay Öztürk (2003)" in text and "Joëlle" not in text
    dialog.resize(1000, 520)
    screenshot(dialog, tmp_path / "auditlog-leerling.png")

    dialog.pupil_picker.clear()  # emptied: everyone again
    assert len(dialog.visible_entries()) == everyone
