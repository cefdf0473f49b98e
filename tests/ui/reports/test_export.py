"""Export, preview and printing of reports in the GUI, with the dialogs patched."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import QSettings

from merlet_desk.errors import InputError
from merlet_desk.reports.common import para
from merlet_desk.reports.letterhead import build_pdf
from merlet_desk.ui.common import dialogs, export
from tests.helpers import open_window, print_to_file, shown


def three_pages(_db, path: Path) -> int:
    story = [para(f"Şükrü Yılmaz regel {i}") for i in range(150)]
    return build_pdf(path, "Proef", story, location="Mill")


def test_policy_export_button_writes_pdf_and_remembers_folder(
    qtbot, db, db_path, tmp_path, monkeypatch
):
    window = open_window(qtbot, db, db_path)
    view = window.show_section("beleid")
    target = tmp_path / "uit" / "beleid"
    target.parent.mkdir()
    asked = []

    def fake_save(parent, title, suggested, file_filter, kind="export"):
        asked.append((suggested, kind))
        dialogs._remember_folder(kind, str(target))
        return target

    monkeypatch.setattr(dialogs, "choose_save_path", fake_save)
    assert shown(view.export_button.text()) == "Exporteren als PDF"
    view.export_button.click()
    written = target.with_name("beleid.pdf")
    assert written.exists()
    assert asked == [("beleid-sociale-media.pdf", "report")]
    text = "\n".join(p.extract_text() for p in PdfReader(str(written)).pages)
    assert "Afspraak 14" in text and "Postbus 47" in text
    assert QSettings().value("dialogs/last_folder_report") == str(target.parent)


def test_export_cancelled_writes_nothing(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(dialogs, "choose_save_path", lambda *a, **k: None)
    called = []
    assert export.export_report(None, "Proef", "x.pdf", lambda db, p: called.append(p)) is None
    assert called == []


def test_failed_build_shows_error_and_leaves_no_file(qtbot, tmp_path, monkeypatch):
    target = tmp_path / "kapot.pdf"
    errors = []
    monkeypatch.setattr(dialogs, "choose_save_path", lambda *a, **k: target)
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, msg: errors.append(msg))

    def build(db, path):
        raise InputError("Onbekende leerling 99999")

    assert export.export_report(None, "Proef", "kapot.pdf", build) is None
    assert errors == ["Onbekende leerling 99999"]
    assert not target.exists()


def progress_dialogs_shown(parent) -> list:
    """Checks, while the export runs, whether a progress dialog is on screen over `parent`."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressDialog

    seen: list = []
    QTimer.singleShot(
        700,
        lambda: seen.append(any(d.isVisible() for d in parent.findChildren(QProgressDialog))),
    )
    return seen


def test_slow_build_shows_progress_and_keeps_window_responsive(
    qtbot, db, db_path, tmp_path, monkeypatch
):
    window = open_window(qtbot, db, db_path)
    target = tmp_path / "traag.pdf"
    monkeypatch.setattr(dialogs, "choose_save_path", lambda *a, **k: target)
    ticks = []

    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(50)

    def slow(db, path):
        time.sleep(0.9)  # a build slower than the half second after which progress shows
        three_pages(db, path)

    shown = progress_dialogs_shown(window)
    assert export.export_report(window, "Traag", "traag.pdf", slow, db) == target
    timer.stop()
    assert target.exists()
    assert shown == [True]
    assert len(ticks) >= 8  # the event loop kept running while the worker built the PDF


def test_fast_build_shows_no_progress(qtbot, db, db_path, tmp_path, monkeypatch):
    window = open_window(qtbot, db, db_path)
    target = tmp_path / "snel.pdf"
    monkeypatch.setattr(dialogs, "choose_save_path", lambda *a, **k: target)
    shown = progress_dialogs_shown(window)
    build = lambda db, p: p.write_bytes(b"%PDF")  # noqa: E731
    assert export.export_report(window, "Snel", "snel.pdf", build, db) == target
    qtbot.waitUntil(lambda: shown != [], timeout=5000)  # looked after the half second
    assert shown == [False]


def test_the_gui_writes_while_a_report_builds_on_its_own_connection(
    qtbot, db, db_path, tmp_path, monkeypatch
):
    """The report reads through a read-only connection of its own: the window's connection
    saves a pupil while the report is being built (issue 19 part 4)."""
    from PySide6.QtCore import QTimer

    from merlet_desk.store import pupils as pupil_store

    window = open_window(qtbot, db, db_path)
    target = tmp_path / "overzicht.pdf"
    monkeypatch.setattr(dialogs, "choose_save_path", lambda *a, **k: target)
    pupil_store.save_pupil(db, "1001", "Joëlle", "van den", "Broek", "2012-03-14", "2A", "Cuijk")
    building, saved = threading.Event(), threading.Event()
    seen = {}

    def report(reader, path):
        seen["own connection"] = reader.conn is not db.conn
        seen["read-only"] = reader.read_only
        building.set()
        assert saved.wait(5)  # the GUI wrote meanwhile, through its own connection
        seen["pupils"] = [p.number for p in pupil_store.list_pupils(reader)]
        three_pages(reader, path)

    def save_meanwhile():
        assert building.wait(5)
        pupil_store.save_pupil(db, "1002", "Berkay", "", "Öztürk", "2010-11-02", "4H", "Cuijk")
        saved.set()

    QTimer.singleShot(100, save_meanwhile)
    assert export.export_report(window, "Overzicht", "overzicht.pdf", report, db) == target
    assert seen["own connection"] and seen["read-only"]
    assert seen["pupils"] == ["1001", "1002"]  # read after the GUI's save: nothing blocked
    assert [p.number for p in pupil_store.list_pupils(db)] == ["1001", "1002"]
    assert target.exists()


def test_preview_shows_every_page_and_prints_the_same_pages(qtbot, tmp_path, monkeypatch):
    dialog = export.preview_report(None, "Proef", "proef.pdf", three_pages)
    qtbot.addWidget(dialog)
    expected = len(PdfReader(str(dialog.pdf_path)).pages)
    assert expected >= 3
    assert dialog.page_count() == expected
    assert dialog.isVisible()
    first = dialog.page_labels[0].pixmap()
    assert first.height() > first.width() > 500  # an A4 page at screen resolution

    printed = print_to_file(monkeypatch, tmp_path / "afdruk.pdf")
    dialog.print_button.click()
    assert len(PdfReader(str(printed)).pages) == expected

    saved = tmp_path / "kopie.pdf"
    monkeypatch.setattr(dialogs, "choose_save_path", lambda *a, **k: saved)
    dialog.save_button.click()
    assert saved.read_bytes() == dialog.pdf_path.read_bytes()

    temp_folder = dialog.pdf_path.parent
    dialog.reject()
    assert not temp_folder.exists()


def test_long_report_preview_renders_only_pages_in_view(qtbot, tmp_path):
    def forty_pages(_db, path):
        build_pdf(path, "Lang", [para(f"Berkay Öztürk regel {i}") for i in range(2000)])

    dialog = export.preview_report(None, "Lang", "lang.pdf", forty_pages)
    qtbot.addWidget(dialog)
    dialog.resize(800, 700)
    assert dialog.page_count() == len(PdfReader(str(dialog.pdf_path)).pages) >= 30
    qtbot.waitUntil(lambda: 0 in dialog.rendered_pages())
    assert len(dialog.rendered_pages()) <= 4
    bar = dialog.scroll_area.verticalScrollBar()
    bar.setValue(bar.maximum())
    last = dialog.page_count() - 1
    assert last in dialog.rendered_pages()
    assert 0 not in dialog.rendered_pages()
    assert dialog.page_labels[0].pixmap().isNull()
    assert len(dialog.rendered_pages()) <= 6
    dialog.reject()


def test_print_report_cancelled_prints_nothing(qtbot, monkeypatch):
    monkeypatch.setattr(dialogs, "choose_printer", lambda parent, printer: False)
    assert export.print_report(None, "Proef", three_pages) is False
