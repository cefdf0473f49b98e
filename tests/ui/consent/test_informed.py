"""Herinneringen › 16 geworden: the officer records that pupils who turned 16 were told. They
leave the list and Start's count; the mark shows in the pupil's history, the audit log and the
art. 15 file; a mistaken mark is undone by a new entry; a reader only reads."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from merlet_desk.domain import consent as rules
from merlet_desk.domain.consent import ConsentSettings
from merlet_desk.reports.pupil_file import build_pupil_file
from merlet_desk.store import items as item_store
from merlet_desk.store import open_database
from merlet_desk.store.audit_query import AuditFilter, audit_entries
from merlet_desk.store.consent_settings import save_consent_settings
from merlet_desk.store.decisions import record_decision
from merlet_desk.store.pupils import get_pupil, save_pupil
from merlet_desk.store.purposes import get_purpose
from merlet_desk.ui.common import dialogs
from merlet_desk.ui.publications.publish_dialog import COL_NAME, COL_VERDICT
from tests.helpers import (
    TODAY,
    born_aged,
    open_publish_dialog,
    open_section,
    pdf_text,
    register_cell,
)
from tests.helpers.photos import class_photo

TOOLTIP = Qt.ItemDataRole.ToolTipRole
PUPILS = (
    ("1001", "Joëlle", "van den", "Broek", 16),
    ("1002", "Berkay", "", "Öztürk", 16),
    ("1003", "Zofia", "", "Łęcka", 17),
    ("1004", "Meryem", "", "Boujdaini", 14),
)


@pytest.fixture
def school(db):
    """Three pupils who turned 16 since a parent's consent (consents hold until withdrawn)."""
    save_consent_settings(db, ConsentSettings(validity=rules.UNTIL_WITHDRAWN))
    for number, first, prefix, last, age in PUPILS:
        save_pupil(db, number, first, prefix, last, born_aged(age, 40), "4H", "Cuijk")
        given = TODAY - timedelta(days=700)
        record_decision(db, number, "website", "granted", "parent", "<Ouder> & Zn", given)
    return db


def _start_count(window) -> str:
    start = window.show_section("start")
    start.refresh()
    return start.consent_card.count.text()


def _choose(reminders, names: list[str]) -> None:
    listing = reminders.turned_16
    selection = listing.table.selectionModel()
    selection.clearSelection()
    for row in range(listing.proxy.rowCount()):
        index = listing.proxy.index(row, 0)
        if listing.row_at_proxy(index).pupil.name in names:
            selection.select(
                index,
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
            )


def _names(reminders) -> list[str]:
    return sorted(row.pupil.name for row in reminders.turned_16.shown_rows())


def test_mark_pupils_informed_and_undo_one(qtbot, school, db_path, monkeypatch, tmp_path):
    window, section = open_section(qtbot, school, db_path, "start", size=(1366, 768))
    assert _start_count(window) == "3"
    window.show_section("toestemmingen")
    reminders = window.section_widgets["toestemmingen"].show_reminders("turned_16")
    assert _names(reminders) == ["Berkay Öztürk", "Joëlle van den Broek", "Zofia Łęcka"]
    assert not reminders.mark_button.isEnabled()  # nobody chosen yet

    # Two pupils at once, told two days ago.
    _choose(reminders, ["Joëlle van den Broek", "Zofia Łęcka"])
    assert reminders.mark_button.isEnabled() and not reminders.undo_button.isEnabled()
    assert reminders.informed_date.value() == TODAY  # today unless the officer says otherwise
    reminders.informed_date.set_value(TODAY - timedelta(days=2))
    reminders.mark_button.click()
    assert _names(reminders) == ["Berkay Öztürk"]
    assert reminders.tabs.tabText(0) == "16 geworden (1)"
    assert reminders.summary.text().startswith("2 leerlingen als geïnformeerd vastgelegd.")
    assert _start_count(window) == "1"

    # The informed pupils on request, with the day; one mark was a mistake.
    reminders.show_informed.setChecked(True)
    rows = {row.pupil.name: row.detail for row in reminders.turned_16.shown_rows()}
    assert len(rows) == 3 and reminders.tabs.tabText(0) == "16 geworden (1)"
    told = (TODAY - timedelta(days=2)).strftime("%d-%m-%Y")
    assert rows["Zofia Łęcka"] == f"geïnformeerd op {told}"
    assert rows["Berkay Öztürk"].startswith("Ouder <Ouder> & Zn")
    _choose(reminders, ["Zofia Łęcka"])
    assert reminders.undo_button.isEnabled() and not reminders.mark_button.isEnabled()
    asked = []
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda _p, _t, text: asked.append(text) or True)
    reminders.undo_button.click()
    assert "Zofia Łęcka" in asked[0] and "blijft in de geschiedenis" in asked[0]
    reminders.show_informed.setChecked(False)
    assert _names(reminders) == ["Berkay Öztürk", "Zofia Łęcka"]
    assert _start_count(window) == "2"

    # The pupil's history (the decision dialog of any purpose) keeps both entries.
    consent = window.section_widgets["toestemmingen"]
    dialog = consent.open_history(get_pupil(school, "1003"), get_purpose(school, "website"))
    qtbot.addWidget(dialog)
    history = dialog.informed_history.text().splitlines()
    assert history[0].startswith(f"Leerling geïnformeerd (16 geworden) op {told}")
    assert history[1].startswith("Markering 'geïnformeerd' ongedaan gemaakt op ")
    dialog.close()

    # The audit log, in words, under the pupil.
    entries = audit_entries(school, AuditFilter(pupil="1003"))
    assert [e.action_label for e in entries][:2] == [
        "markering geïnformeerd ongedaan gemaakt",
        "leerling geïnformeerd (16 geworden)",
    ]
    assert entries[1].record_display.startswith("Zofia Łęcka")

    # The art. 15 file.
    pdf = tmp_path / "inzage.pdf"
    build_pupil_file(school, pdf, pupil="1003")
    text = pdf_text(pdf)
    assert "16 geworden: leerling geïnformeerd" in text
    assert f"Leerling geïnformeerd (16 geworden) op {told}" in text


def test_a_date_that_cannot_be_right_is_said_and_nothing_is_recorded(
    qtbot, school, db_path, monkeypatch
):
    window, consent = open_section(qtbot, school, db_path, "toestemmingen")
    reminders = consent.show_reminders("turned_16")
    errors = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, title, text: errors.append(text))
    _choose(reminders, ["Joëlle van den Broek"])
    reminders.informed_date.set_value(born_aged(16, 40) + timedelta(days=300))
    assert reminders.mark_button.click() is None and errors
    assert "nog geen 16" in errors[0] and "Joëlle van den Broek (1001)" in errors[0]
    assert len(_names(reminders)) == 3
    assert school.execute("SELECT count(*) FROM pupils_informed").fetchone()[0] == 0


def test_a_reader_sees_the_list_but_records_nothing(qtbot, school, db_path):
    school.close()
    read_only = open_database(db_path, read_only=True)
    window, consent = open_section(qtbot, read_only, db_path, "toestemmingen", read_only=True)
    reminders = consent.show_reminders("turned_16")
    assert len(_names(reminders)) == 3
    assert not reminders.show_informed.isHidden()  # reading who was told is fine
    for button in (reminders.mark_button, reminders.undo_button, reminders.informed_date):
        assert button.isHidden()
    read_only.close()


def test_the_register_and_the_publish_dialog_drop_the_flag_of_a_pupil_told(
    qtbot, school, db_path, tmp_path
):
    """Once Zofia is marked as told, her register cell is plain "✓" with the day in its
    tooltip, and Publiceren says "mag erop" for her without "(16 geworden)"; Berkay, not told
    yet, keeps the flag in both."""
    window, consent = open_section(qtbot, school, db_path, "toestemmingen")
    zofia = register_cell(consent, "1003", "website")
    assert zofia.data() == "✓!"
    assert "Toestemming — 16 geworden, leerling informeren" in zofia.data(TOOLTIP)

    reminders = consent.show_reminders("turned_16")
    told = TODAY - timedelta(days=2)
    _choose(reminders, ["Zofia Łęcka"])
    reminders.informed_date.set_value(told)
    reminders.mark_button.click()

    zofia = register_cell(consent, "1003", "website")
    assert zofia.data() == "✓"
    lines = zofia.data(TOOLTIP).splitlines()
    assert f"✓ Toestemming — 16 geworden, leerling geïnformeerd op {told:%d-%m-%Y}" in lines
    assert "informeren" not in zofia.data(TOOLTIP)
    berkay = register_cell(consent, "1002", "website")
    assert berkay.data() == "✓!" and "leerling informeren" in berkay.data(TOOLTIP)
    # The dialog is the section's child and deletes itself on closing: not qtbot's to close.
    history = consent.open_history(get_pupil(school, "1003"), get_purpose(school, "website"))
    assert history.status_text.text().endswith(f"leerling geïnformeerd op {told:%d-%m-%Y}")
    history.close()

    photo = class_photo(tmp_path / "Klassenfoto 4H.jpg")
    item = item_store.create_item(
        school,
        "Klassenfoto 4H <Cuijk> & mentor",
        pupil_numbers=["1002", "1003"],
        file=item_store.file_facts(photo),
        file_path=str(photo),
    )
    dialog = open_publish_dialog(qtbot, school, item.id, "website", "https://merlet.nl/4h")
    verdicts = {
        dialog.pupils.topLevelItem(i).text(COL_NAME): (
            dialog.pupils.topLevelItem(i).text(0),
            dialog.pupils.topLevelItem(i).text(COL_VERDICT),
        )
        for i in range(dialog.pupils.topLevelItemCount())
    }
    assert verdicts == {
        "Zofia Łęcka": ("✓", "mag erop"),
        "Berkay Öztürk": ("✓!", "mag erop (16 geworden)"),
    }
    dialog.close()

    # A mistaken mark undone: the flag is back.
    reminders.show_informed.setChecked(True)
    _choose(reminders, ["Zofia Łęcka"])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(dialogs, "ask_yes_no", lambda *_args: True)
        reminders.undo_button.click()
    assert register_cell(consent, "1003", "website").data() == "✓!"
