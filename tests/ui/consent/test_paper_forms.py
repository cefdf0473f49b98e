"""The paper round in the window (issue 16): "Formulieren afdrukken" from the register and
from Rapporten, "Gescande formulieren verwerken" with its review list, and the scan in the
decision history."""

from __future__ import annotations

import os
from datetime import date, datetime

import shiboken6
from PySide6.QtCore import Qt

from merlet_desk.domain import paper_form as layout
from merlet_desk.store import decisions as store
from merlet_desk.store import paper_forms as forms_store
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store import purposes as purpose_store
from merlet_desk.ui.common import dialogs
from merlet_desk.ui.common.paper_forms import PrintFormsDialog
from merlet_desk.ui.consent.decision_dialog import DecisionDialog
from merlet_desk.ui.consent.scan_review import REVIEW, page_kind
from merlet_desk.ui.consent.scans import ScanImportDialog
from tests.helpers import deliveries_settled, fix_clock, hide_qr_code, open_register
from tests.helpers import issue_forms as issue
from tests.helpers import scan_form as scan_to

TODAY = datetime(2026, 9, 20, 9, 0)


def school(db) -> None:
    pupil_store.save_pupil(db, "1001", "Joëlle", "van den", "Broek", "2013-05-01", "1A", "Cuijk")
    pupil_store.save_pupil(db, "1002", "Berkay", "", "Öztürk", "2010-02-03", "4B", "Grave")
    pupil_store.save_pupil(db, "1003", "Zofia", "", "Łęcka", "2013-02-03", "1A", "Cuijk")
    pupil_store.save_pupil(db, "1006", "Jan", "", "<b>Jan</b> & Zn", "2013-06-07", "1A", "Cuijk")


def test_print_forms_for_the_class_shown_in_the_register(qtbot, db, db_path, tmp_path, monkeypatch):
    fix_clock(monkeypatch, TODAY)
    school(db)
    _, section = open_register(qtbot, db, db_path)
    index = section.filters.class_filter.findData("1A")
    section.filters.class_filter.setCurrentIndex(index)
    dialog = section.open_print_forms()
    assert isinstance(dialog, PrintFormsDialog)
    choice = dialog.choice
    assert (
        choice.by_shown.isChecked()
        and "De 3 leerlingen in het register (1A" in choice.by_shown.text()
    )
    target = tmp_path / "klas-1a.pdf"
    monkeypatch.setattr(dialogs, "choose_save_path", lambda *args: target)
    assert dialog.save() == target and target.exists()
    issued = db.execute(
        "SELECT p.number FROM consent_forms f JOIN pupils p ON p.id = f.pupil_id ORDER BY 1"
    ).fetchall()
    assert [row[0] for row in issued] == ["1001", "1003", "1006"]


def test_paper_round_is_not_offered_read_only(qtbot, db, db_path):
    school(db)
    window, section = open_register(qtbot, db, db_path, read_only=True)
    assert not section.toolbar.form_button.isVisibleTo(section)
    assert section.open_print_forms() is None and section.open_scan_import() is None
    reports = window.show_section("rapporten")
    assert "forms" not in reports.forms


def test_forms_from_rapporten(qtbot, db, db_path, tmp_path, monkeypatch):
    fix_clock(monkeypatch, TODAY)
    school(db)
    window, _ = open_register(qtbot, db, db_path)
    reports = window.show_section("rapporten")
    reports.select("forms")
    reports.forms_choice.by_location.setChecked(True)
    reports.forms_choice.location_combo.setCurrentText("Grave")
    target = tmp_path / "grave.pdf"
    monkeypatch.setattr(dialogs, "choose_save_path", lambda *args: target)
    assert reports.export() == target
    [form_id] = [r[0] for r in db.execute("SELECT id FROM consent_forms")]
    form = forms_store.get_form(db, form_id)
    assert form.pupil.number == "1002" and form.signer == layout.SIGNER_PUPIL


def test_forms_preview_records_nothing_and_its_save_records_once(
    qtbot, db, db_path, tmp_path, monkeypatch
):
    """Voorbeeld shows the forms marked VOORBEELD, without QR code, and records nothing;
    only writing or printing records them. Each parent's form is page 1 of 1, and the header
    names the whole pupil and class, however long the name."""
    from tests.helpers import page_texts

    fix_clock(monkeypatch, TODAY)
    school(db)
    pupil_store.save_pupil(
        db, "1007", "Yasmina", "el", "Amrani-Boujdaini van den Broek", "2013-01-01", "1A", "Cuijk"
    )
    window, _ = open_register(qtbot, db, db_path)
    reports = window.show_section("rapporten")
    reports.select("forms")
    reports.forms_choice.by_class.setChecked(True)
    reports.forms_choice.class_combo.setCurrentText("1A")

    def recorded() -> int:
        return db.execute("SELECT count(*) FROM consent_forms").fetchone()[0]

    preview = reports.preview()
    qtbot.addWidget(preview)
    assert preview.page_count() == 4
    assert recorded() == 0
    texts = page_texts(preview.pdf_path)
    for text in texts:
        assert "VOORBEELD" in text and "pagina 1 van 1" in text
    long_header = "Locatie Cuijk — Yasmina el Amrani-Boujdaini van den Broek — klas 1A"
    assert any(long_header in text for text in texts)
    assert "niets vastgelegd" in preview.info.text()
    preview.reject()
    preview = reports.preview()  # a second look still records nothing
    qtbot.addWidget(preview)
    assert recorded() == 0

    target = tmp_path / "klas-1a.pdf"
    monkeypatch.setattr(dialogs, "choose_save_path", lambda *args: target)
    qtbot.mouseClick(preview.save_button, Qt.MouseButton.LeftButton)  # saves the real forms
    assert recorded() == 4
    texts = page_texts(target)
    assert len(texts) == 4
    for text in texts:
        assert "VOORBEELD" not in text and "pagina 1 van 1" in text
    short_header = "Locatie Cuijk · Katwijkseweg 2, 5431 RX Cuijk — Joëlle van den Broek — klas 1A"
    assert any(short_header in text for text in texts)
    assert any(long_header in text for text in texts)


def test_rapporten_names_the_real_place_to_read_the_forms_back(qtbot, db, db_path):
    """The forms' description points to Toestemmingen › Formulieren invoeren › Gescande
    formulieren verwerken: each step is a button or menu item that is there."""
    import re

    school(db)
    window, register = open_register(qtbot, db, db_path)
    reports = window.show_section("rapporten")
    reports.select("forms")
    path = re.search(r"\((Toestemmingen › [^)]*)\)", reports.description.text()).group(1)
    section, button, item = path.split(" › ")

    def plain(text: str) -> str:
        return text.replace("&", "").rstrip("…")

    assert section in [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert plain(register.toolbar.form_button.text()) == button
    assert item in [plain(a.text()) for a in register.toolbar.form_button.menu().actions()]


def read_stack(qtbot, section, paths) -> ScanImportDialog:
    dialog = section.open_scan_import()
    assert isinstance(dialog, ScanImportDialog)
    assert dialog.start(paths)
    qtbot.waitUntil(lambda: dialog.stack.currentIndex() == 1, timeout=60_000)
    return dialog


def test_review_correct_accept_and_record_all_certain(qtbot, db, db_path, tmp_path, monkeypatch):
    fix_clock(monkeypatch, TODAY)
    school(db)
    forms, pdf = issue(db, ["1001", "1003", "1006"], tmp_path)
    sure = scan_to(tmp_path / "a.jpg", pdf, 0, [layout.JA, layout.NEE, layout.JA])
    doubt = scan_to(tmp_path / "b.jpg", pdf, 1, [layout.NEE, layout.BEIDE, layout.JA])
    blank = tmp_path / "blanco.png"
    from PIL import Image

    Image.new("L", (1240, 1754), 250).save(blank)
    _, section = open_register(qtbot, db, db_path)
    dialog = read_stack(qtbot, section, [sure, doubt, blank])
    assert dialog.review.summary.text().startswith(
        "3 pagina's: 1 zeker, 1 nakijken, 1 niet herkend"
    )

    # The form that needs a person: its uncertain row is highlighted and chosen.
    dialog.review.filter.setCurrentIndex(dialog.review.filter.findData(REVIEW))
    assert dialog.review.page_list.count() == 1
    page = dialog.review.current_page()
    assert page.form.pupil.number == "1003"
    assert dialog.review.marks_shown()[1] == (
        "Sociale-media-accounts van de school",
        "⚠ Beide aangekruist",
    )
    assert dialog.review.marks.item(1, 1).background().color().name() == "#ffd591"
    assert dialog.review.marks.currentRow() == 1
    assert not dialog.review.image.source().isNull() and dialog.review.image.source().width() > 400
    shown = dialog.review.image.pixmap().toImage()
    dialog.review.filter.setCurrentIndex(0)  # every page; the chosen one stays chosen
    assert dialog.review.current_page() is page
    dialog.review.page_list.setCurrentRow(0)  # another page shows its own image
    assert dialog.review.current_page().number == 1
    assert dialog.review.image.pixmap().toImage() != shown
    dialog.review.filter.setCurrentIndex(dialog.review.filter.findData(REVIEW))
    assert dialog.review.current_page() is page and dialog.review.image.pixmap().toImage() == shown
    dialog.review.marks.setCurrentCell(1, 0)

    qtbot.keyClick(dialog.review.marks, Qt.Key.Key_Return)  # not yet: the row is undecided
    assert "nog niet beslist" in dialog.review.error.text()
    assert store.decisions_for(db, "1003") == []
    qtbot.keyClick(dialog.review.marks, Qt.Key.Key_N)  # the officer looked: nee
    assert dialog.review.marks_shown()[1][1] == "Nee (gecorrigeerd)"
    qtbot.keyClick(dialog.review.marks, Qt.Key.Key_Return)
    decisions = store.decisions_for(db, "1003")
    assert sorted((d.purpose, d.decision) for d in decisions) == [
        ("social_media", "refused"),
        ("website", "refused"),
        ("yearbook", "granted"),
    ]
    assert {d.method for d in decisions} == {"paper"}

    # The certain one in one go.
    dialog.review.filter.setCurrentIndex(0)
    assert dialog.review.record_all_certain() == 1
    assert len(store.decisions_for(db, "1001")) == 3
    assert page_kind(dialog.review.pages[0]) == "done"
    assert "2 vastgelegd" in dialog.review.summary.text()
    # The register shows it without a reload.
    row = next(
        r
        for r in range(section.proxy.rowCount())
        if section.proxy.pupil_at(section.proxy.index(r, 0)).number == "1001"
    )
    status = section.proxy.index(row, section.model.column_of("website")).data(
        Qt.ItemDataRole.UserRole + 3
    )
    assert status == "allowed"


def test_after_vastleggen_the_next_waiting_page_and_closing_asks_while_pages_wait(
    qtbot, db, db_path, tmp_path, monkeypatch
):
    fix_clock(monkeypatch, TODAY)
    school(db)
    forms, pdf = issue(db, ["1001", "1003"], tmp_path)
    sure = scan_to(tmp_path / "a.jpg", pdf, 0, [layout.JA, layout.NEE, layout.JA])
    doubt = scan_to(tmp_path / "b.jpg", pdf, 1, [layout.NEE, layout.BEIDE, layout.JA])
    _, section = open_register(qtbot, db, db_path)
    dialog = read_stack(qtbot, section, [sure, doubt])
    asked = []
    monkeypatch.setattr(
        dialogs, "ask_close_anyway", lambda parent, title, text: asked.append(text) or False
    )
    dialog.reject()  # Sluiten with two pages waiting: the officer is told and stays
    assert asked == [
        "2 pagina's zijn nog niet vastgelegd. Sluit u nu, dan moet u die stapel later "
        "opnieuw inlezen. Toch sluiten?"
    ]
    assert dialog.isVisible()

    dialog.review.page_list.setCurrentRow(1)  # the page to review, after the certain one
    dialog.review.marks.setCurrentCell(1, 0)
    qtbot.keyClick(dialog.review.marks, Qt.Key.Key_N)
    qtbot.keyClick(dialog.review.marks, Qt.Key.Key_Return)
    assert page_kind(dialog.review.pages[1]) == "done"
    assert dialog.review.current_page().number == 1  # on to the page that still waits, before it
    qtbot.keyClick(dialog.review.marks, Qt.Key.Key_Return)
    assert page_kind(dialog.review.pages[0]) == "done"
    assert (
        dialog.review.error.text() == "Alle pagina's zijn vastgelegd. U kunt dit venster sluiten."
    )
    dialog.reject()  # nothing waits: no question
    assert len(asked) == 1 and not dialog.isVisible()


def test_review_shows_another_pupil_and_waits_for_a_possible_date(
    qtbot, db, db_path, tmp_path, monkeypatch
):
    """A page whose code names another pupil than its form's is shown as such and cannot be
    recorded; a page whose copier dated it before the printing waits for the officer's date."""
    import time

    from PIL import Image

    from merlet_desk import clock
    from merlet_desk.reports.consent_forms import build_consent_forms
    from merlet_desk.ui.consent.scan_review import CERTAIN, OTHER

    fix_clock(monkeypatch, TODAY)
    school(db)
    [joelle, zofia], pdf = issue(db, ["1001", "1003"], tmp_path)
    stray = forms_store.IssuedForm(
        joelle.id,
        pupil_store.get_pupil(db, "1002"),
        layout.SIGNER_PUPIL,
        joelle.issued_on,
        joelle.purposes,
        joelle.database_id,
    )
    with clock.fixed(datetime(2026, 9, 1, 10, 0)):
        build_consent_forms(db, tmp_path / "berkay.pdf", [stray])
    other = scan_to(tmp_path / "berkay.png", tmp_path / "berkay.pdf", 0, [layout.JA] * 3)
    zofia_png = scan_to(tmp_path / "zofia.png", pdf, 1, [layout.NEE, layout.NEE, layout.JA])
    copier = tmp_path / "kopieerapparaat.pdf"
    Image.open(zofia_png).save(
        copier, "PDF", resolution=150, creationDate=time.strptime("2025-03-15", "%Y-%m-%d")
    )
    _, section = open_register(qtbot, db, db_path)
    dialog = read_stack(qtbot, section, [other, copier])
    mismatch, dated = dialog.review.pages
    assert page_kind(mismatch) == OTHER
    dialog.review.page_list.setCurrentRow(0)
    assert "andere leerling" in dialog.review.page_list.item(0).text()
    assert "1002" in dialog.review.state.text() and not dialog.review.accept_button.isEnabled()

    assert page_kind(dated) == REVIEW and not dialog.review.record_all_button.isEnabled()
    dialog.review.page_list.setCurrentRow(1)
    assert (
        "15-03-2025" in dialog.review.state.text()
        and "Andere datum van ontvangst" in dialog.review.state.text()
    )
    dialog.review.other_date.setChecked(True)
    dialog.review.received.set_value(date(2026, 9, 14))
    assert page_kind(dated) == CERTAIN
    assert dialog.review.record_all_certain() == 1
    assert {d.received_on for d in store.decisions_for(db, "1003")} == {date(2026, 9, 14)}
    assert store.decisions_for(db, "1001") == [] and store.decisions_for(db, "1002") == []


def test_unrecognised_page_gets_a_pupil_by_hand(qtbot, db, db_path, tmp_path, monkeypatch):
    fix_clock(monkeypatch, TODAY)
    school(db)
    forms, pdf = issue(db, ["1001"], tmp_path)
    path = hide_qr_code(scan_to(tmp_path / "a.png", pdf, 0, [layout.JA, layout.JA, layout.NEE]))
    stamp = datetime(2026, 9, 14, 12, 0).timestamp()
    os.utime(path, (stamp, stamp))  # the day the scan was made
    _, section = open_register(qtbot, db, db_path)
    dialog = read_stack(qtbot, section, [path])
    assert dialog.review.link_box.isVisibleTo(dialog)
    dialog.review.picker.setText("1001")
    assert dialog.review.link_pupil()
    page = dialog.review.current_page()
    assert page.form.id == forms[0].id and page_kind(page) == REVIEW
    assert [m[1] for m in dialog.review.marks_shown()] == ["Ja", "Ja", "Nee"]
    qtbot.keyClick(dialog.review.marks, Qt.Key.Key_Return)
    assert (
        dialog.review.error.text() == "Alle pagina's zijn vastgelegd. U kunt dit venster sluiten."
    )
    assert len(store.decisions_for(db, "1001")) == 3


def test_decision_history_shows_the_scan(qtbot, db, db_path, tmp_path, monkeypatch):
    from merlet_desk.imports import scans

    fix_clock(monkeypatch, TODAY)
    school(db)
    forms, pdf = issue(db, ["1001"], tmp_path)
    path = scan_to(tmp_path / "a.jpg", pdf, 0, [layout.JA, layout.NEE, layout.JA])
    [page] = scans.read_stack(db, [path])
    scans.record_page(db, page)
    purpose = purpose_store.get_purpose(db, "website")
    dialog = DecisionDialog(db, pupil_store.get_pupil(db, "1001"), purpose, on=date(2026, 9, 20))
    qtbot.addWidget(dialog)
    assert dialog.history_rows()[0][4] == "Papieren formulier (scan bewaard)"
    shown = []
    monkeypatch.setattr(
        dialogs, "show_image", lambda parent, title, data: shown.append((title, data))
    )
    dialog.history.selectRow(0)
    assert dialog.scan_button.isEnabled() and dialog.show_scan()
    assert shown[0][0] == "Gescand formulier — Joëlle van den Broek"
    assert shown[0][1][:2] == b"\xff\xd8"


def test_reading_shows_progress_and_a_failure_says_why(qtbot, db, db_path, tmp_path, monkeypatch):
    fix_clock(monkeypatch, TODAY)
    school(db)
    forms, pdf = issue(db, ["1001", "1003"], tmp_path)
    first = scan_to(tmp_path / "a.jpg", pdf, 0, [layout.JA, layout.NEE, layout.JA])
    second = scan_to(tmp_path / "b.jpg", pdf, 1, [layout.NEE, layout.NEE, layout.JA])
    _, section = open_register(qtbot, db, db_path)
    dialog = read_stack(qtbot, section, [first, second])
    assert (dialog.progress.value(), dialog.progress.maximum()) == (2, 2)

    # The reader opens the register on its own; a register that has gone is said in words.
    dialog = section.open_scan_import()
    dialog.db_path = tmp_path / "weg.sqlite"
    assert dialog.start([first])
    qtbot.waitUntil(lambda: "Lezen mislukt" in dialog.progress_label.text(), timeout=60_000)
    assert "weg.sqlite" in dialog.progress_label.text()
    assert dialog.choose_button.isVisibleTo(dialog) and not dialog.progress.isVisibleTo(dialog)
    assert dialog.stack.currentIndex() == 0


def test_closing_while_the_stack_is_read_is_safe(qtbot, db, db_path, tmp_path, monkeypatch):
    fix_clock(monkeypatch, TODAY)
    school(db)
    forms, pdf = issue(db, ["1001", "1003", "1006"], tmp_path)
    paths = [
        scan_to(tmp_path / f"{n}.jpg", pdf, n, [layout.JA, layout.NEE, layout.JA]) for n in range(3)
    ]
    _, section = open_register(qtbot, db, db_path)
    dialog = section.open_scan_import()
    assert dialog.start(paths * 4)
    dialog.reject()  # stops after the page being read, and waits for it
    task = dialog._task
    dialog.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog))
    deliveries_settled(qtbot)  # the dialog is gone; the reader touches nothing of it
    assert task is not None and task.done and task.cancelled


def test_recording_scans_backs_up_first_once_per_stack_and_not_at_all_when_it_cannot(
    qtbot, db, db_path, tmp_path, monkeypatch
):
    """As the command line before --confirm-certain: the register as it was before the paper
    round is in a backup before the first form is recorded; without a backup nothing is."""
    from merlet_desk.store.backup import list_backups
    from merlet_desk.store.backup_contents import file_facts
    from merlet_desk.store.settings import set_setting

    fix_clock(monkeypatch, TODAY)
    school(db)
    forms, pdf = issue(db, ["1001", "1003", "1006"], tmp_path)
    first = scan_to(tmp_path / "a.jpg", pdf, 0, [layout.JA, layout.NEE, layout.JA])
    second = scan_to(tmp_path / "b.jpg", pdf, 2, [layout.JA, layout.JA, layout.JA])
    blocked = tmp_path / "geen-map"
    blocked.write_text("Zofia Łęcka <b>Jan</b> & Zn", encoding="utf-8")  # a file, not a folder
    set_setting(db, "safety.backup_dir", str(blocked))
    _, section = open_register(qtbot, db, db_path)
    dialog = read_stack(qtbot, section, [first, second])
    dialog.review.page_list.setCurrentRow(0)
    assert dialog.review.accept_page() is False
    assert "Er is niets vastgelegd: eerst moet er een back-up zijn" in dialog.review.error.text()
    assert dialog.review.record_all_certain() == 0
    assert store.decisions_for(db, "1001") == [] and store.decisions_for(db, "1006") == []

    backups = tmp_path / "back-ups"
    set_setting(db, "safety.backup_dir", str(backups))
    dialog.review.page_list.setCurrentRow(0)
    assert dialog.review.accept_page() is True
    [made] = list_backups(backups, db_path)
    assert made.reason == "voor-import" and made.path == dialog.review.backup
    assert file_facts(made.path).count("form_scans") == 0  # the register before the round
    assert file_facts(made.path).count("decisions") == 0
    assert dialog.review.record_all_certain() == 1
    assert len(store.decisions_for(db, "1006")) == 3
    assert [b.path for b in list_backups(backups, db_path)] == [made.path]  # once per stack
