"""Save dialogs refuse what every -o refuses: the open database however spelled, its side
files, its backups, any SQLite file. The user is told why and nothing is written (issue 13)."""

from __future__ import annotations

import os

import pytest

from merlet_desk.store.backup import backup_before
from merlet_desk.ui.common import dialogs, export
from merlet_desk.ui.safety.actions import open_audit_log
from tests.helpers import open_window, sqlite
from tests.helpers.processes import digest, listing


@pytest.fixture
def window(qtbot, db, db_path):
    backup_before(db, "voor-import")
    return open_window(qtbot, db, db_path)


def targets(db_path):
    folder = db_path.parent
    other = folder / "ander.pdf"
    conn = sqlite.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    os.symlink(db_path, folder / "snelkoppeling.pdf")
    backup = next((folder / "backups").glob("*.sqlite"))
    return {
        "the database": db_path,
        "a link to it": folder / "snelkoppeling.pdf",
        "its -wal": folder / (db_path.name + "-wal"),
        "its -journal, without .pdf": folder / (db_path.name + "-journal"),
        "a backup": backup,
        "a new file among the backups": backup.parent / "rapport.pdf",
        "another SQLite file": other,
    }


def patch_dialogs(monkeypatch, target):
    errors = []
    monkeypatch.setattr(dialogs, "choose_save_path", lambda *a, **k: target)
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, text: errors.append(text))
    return errors


def fingerprint(db_path):
    folder = db_path.parent
    return listing(folder), {p: digest(p) for p in folder.rglob("*") if p.is_file()}


PDF_TARGETS = ("a link to it", "a backup", "a new file among the backups", "another SQLite file")


def test_report_export_refuses_each_target(window, db_path, monkeypatch):
    """A PDF export adds ".pdf" to a name without it, so "merlet.sqlite" becomes
    "merlet.sqlite.pdf" (harmless); what ends in .pdf or lies among the backups is refused."""
    view = window.show_section("beleid")
    for what, target in targets(db_path).items():
        if what not in PDF_TARGETS:
            continue
        errors = patch_dialogs(monkeypatch, target)
        before = fingerprint(db_path)
        view.export_button.click()
        assert len(errors) == 1 and "Er is niets geschreven" in errors[0], what
        assert fingerprint(db_path) == before, what


def test_the_audit_log_exports_refuse_the_database(window, db_path, monkeypatch):
    dialog = open_audit_log(window, window)
    for export_to in (dialog.export_csv, dialog.export_pdf):
        for what in ("the database", "a backup"):
            target = {"the database": db_path, "a backup": next(db_path.parent.glob("b*/*"))}
            errors = patch_dialogs(monkeypatch, target[what])
            before = fingerprint(db_path)
            export_to()
            assert errors and "Er is niets geschreven" in errors[0], what
            assert fingerprint(db_path) == before
    dialog.close()


def test_saving_a_previewed_report_refuses_the_database(qtbot, window, db_path, monkeypatch):
    from merlet_desk.reports.policy import build_policy_report

    preview = export.preview_report(
        window,
        "Beleid",
        "beleid.pdf",
        lambda db, path: build_policy_report(db, path),
        window.db,
    )
    qtbot.addWidget(preview)
    monkeypatch.setattr(dialogs, "choose_save_path", lambda *a, **k: db_path.with_name("x"))
    before = fingerprint(db_path)
    assert preview.save_copy() is not None  # an ordinary name is saved, with ".pdf" added
    link = db_path.with_name("beleid.pdf")
    os.symlink(db_path, link)
    errors = patch_dialogs(monkeypatch, link)
    assert preview.save_copy() is None
    assert errors and "de database zelf" in errors[0]
    before[0].append("beleid.pdf")
    after = fingerprint(db_path)
    assert after[0] == sorted([*before[0], "x.pdf"])
    assert link.is_symlink()
    assert after[1][db_path] == before[1][db_path]
    preview.reject()


def test_choose_output_path_finds_the_database_of_any_widget_in_the_window(
    window, db_path, monkeypatch
):
    errors = patch_dialogs(monkeypatch, db_path.with_name(db_path.name + "-shm"))
    inner = window.show_section("incidenten")
    assert dialogs.database_of(inner) == db_path
    assert dialogs.choose_output_path(inner, "Kopie opslaan", "x", "*") is None
    assert "hulpbestand (-shm)" in errors[0]
