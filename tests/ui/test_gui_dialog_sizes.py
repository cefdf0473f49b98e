"""Every dialog fits a school laptop (issue 15): on a screen whose available area is 1366×728
(1366×768 minus the taskbar) each dialog, with its title bar and frame, lies within the area,
can shrink to it, and shows every label and button whole at that size."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect

from merlet_desk.demo import fill_demo
from merlet_desk.store import consent as consent_store
from merlet_desk.store import publications as pub
from merlet_desk.ui.common import screen
from tests.helpers import cut_widgets

AREA = QRect(0, 0, 1366, 728)


@pytest.fixture
def laptop(monkeypatch):
    monkeypatch.setattr(screen, "available_area", lambda widget=None: QRect(AREA))


@pytest.fixture
def demo(db):
    fill_demo(db, 150)
    return db


def dialogs(db, window):
    """(name, build) for every dialog of the program."""
    from merlet_desk.reports.policy import build_policy_report
    from merlet_desk.ui.cases.lists_dialog import CaseListsDialog
    from merlet_desk.ui.common.report_preview import ReportPreviewDialog
    from merlet_desk.ui.consent.check import PublicationCheckDialog
    from merlet_desk.ui.consent.dialogs import (
        ConsentSettingsDialog,
        DecisionDialog,
        PupilDialog,
        PurposesDialog,
    )
    from merlet_desk.ui.consent.form_entry import FormEntryDialog
    from merlet_desk.ui.publications.item_dialog import ItemDialog
    from merlet_desk.ui.publications.publish_dialog import PublishDialog
    from merlet_desk.ui.safety.audit_view import AuditLogDialog
    from merlet_desk.ui.safety.menu import PurgeDialog

    pupils = consent_store.list_pupils(db)
    purpose = consent_store.list_purposes(db)[2]
    item = pub.list_items(db)[0]

    def check():
        dialog = PublicationCheckDialog(db, pupils)
        dialog.add_class(pupils[0].class_name)
        return dialog

    def preview():
        pdf = window.db_path.parent / "beleid.pdf"
        build_policy_report(db, pdf)
        return ReportPreviewDialog(pdf, "Beleid sociale media")

    return [
        ("besluit", lambda: DecisionDialog(db, pupils[0], purpose)),
        ("leerling", lambda: PupilDialog(db, None)),
        ("doelen", lambda: PurposesDialog(db)),
        ("instellingen", lambda: ConsentSettingsDialog(db)),
        ("formulieren", lambda: FormEntryDialog(db, pupils)),
        ("publicatiecheck", check),
        ("item", lambda: ItemDialog(db, item.id)),
        ("publiceren", lambda: PublishDialog(db, item.id)),
        ("voorbeeld", preview),
        ("auditlog", lambda: AuditLogDialog(db)),
        ("categorieen", lambda: CaseListsDialog(db)),
        ("opschonen", lambda: PurgeDialog(window)),
    ]


def test_every_dialog_fits_1366_by_728(qtbot, laptop, demo, db_path):
    from merlet_desk.ui.main_window import MainWindow

    window = MainWindow(demo, db_path)
    qtbot.addWidget(window)
    problems = []
    for name, build in dialogs(demo, window):
        dialog = build()
        qtbot.addWidget(dialog)
        dialog.open()
        qtbot.wait(10)
        outer = dialog.size().grownBy(screen_frame())
        least = dialog.minimumSizeHint().expandedTo(dialog.minimumSize()).grownBy(screen_frame())
        if outer.width() > AREA.width() or outer.height() > AREA.height():
            problems.append(f"{name}: {outer.width()}x{outer.height()} with its frame")
        if least.width() > AREA.width() or least.height() > AREA.height():
            problems.append(f"{name}: cannot shrink below {least.width()}x{least.height()}")
        problems += [f"{name}: {line}" for line in cut_widgets(dialog)]
        dialog.grab().save(str(db_path.parent / f"dialoog-{name}.png"))
        dialog.close()
    assert not problems, "\n".join(problems)


def screen_frame():
    from PySide6.QtCore import QMargins

    return QMargins(0, 0, screen.FRAME_WIDTH, screen.FRAME_HEIGHT)
