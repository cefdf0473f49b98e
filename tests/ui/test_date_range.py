"""Every date picker offers only the dates the register computes with (issue 13's "left"
item): 01-01-1900 to 31-12-2199, the range the CLI's --on accepts, not Qt's 1752 to 9999."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QDateEdit

from merlet_desk.demo import fill_demo
from merlet_desk.domain.dates import EARLIEST_DATE, LATEST_DATE
from merlet_desk.ui.common import dialogs
from merlet_desk.ui.common.widgets import DateField
from tests.helpers import all_dialogs, open_window


@pytest.fixture
def demo(db):
    fill_demo(db, 60)
    return db


def test_a_date_field_stays_within_the_register_dates(qtbot):
    field = DateField(date(2026, 11, 24))
    qtbot.addWidget(field)
    assert field.text() == "24-11-2026"
    field.set_value(date(9999, 12, 31))
    assert field.value() == LATEST_DATE == date(2199, 12, 31)
    field.set_value(date(1752, 9, 14))
    assert field.value() == EARLIEST_DATE == date(1900, 1, 1)


def test_every_date_picker_of_the_window_and_its_dialogs_stays_within_them(qtbot, demo, db_path):
    window = open_window(qtbot, demo, db_path)
    ranges: dict[str, tuple[date, date]] = {}

    def collect(owner, prefix: str) -> None:
        for number, edit in enumerate(owner.findChildren(QDateEdit)):
            ranges[f"{prefix} {number}"] = (
                edit.minimumDate().toPython(),
                edit.maximumDate().toPython(),
            )

    for key in window.section_keys():
        collect(window.show_section(key), key)
    for name, build in all_dialogs(demo, window):
        dialog = build()
        qtbot.addWidget(dialog)
        collect(dialog, name)
    # The few this must reach: the register's "Stand op", the reports' dates, the audit log's
    # period, the received date of scanned forms. A picker may offer less (the date of a photo
    # or a publication ends today), never more.
    assert {"toestemmingen 0", "rapporten 0", "auditlog 0", "scans verwerken 0"} <= set(ranges)
    wrong = [
        f"{name}: {first:%d-%m-%Y} t/m {last:%d-%m-%Y}"
        for name, (first, last) in ranges.items()
        if not EARLIEST_DATE <= first <= last <= LATEST_DATE
    ]
    assert not wrong, "\n".join(wrong)


def test_the_date_question_offers_the_same_range(qtbot, monkeypatch):
    """`dialogs.ask_date_and_note` (when a post was taken down) builds its own dialog."""
    seen = {}

    def answer(dialog):
        [edit] = dialog.findChildren(QDateEdit)
        seen["range"] = (edit.minimumDate().toPython(), edit.maximumDate().toPython())
        return 0  # cancelled

    monkeypatch.setattr("PySide6.QtWidgets.QDialog.exec", answer)
    asked = dialogs.ask_date_and_note(None, "Offline gehaald", "Op", date(2026, 11, 24), "Notitie")
    assert asked is None
    assert seen["range"] == (EARLIEST_DATE, LATEST_DATE)
