"""The start screen, read as the officer reads it (issue 15): each card's number is the number
of rows in the list its button opens, the list is already filtered to it, a zero is said in a
sentence, and a new database shows "Zo begint u" with a working button for each step."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from merlet_desk.domain import consent as rules
from merlet_desk.domain.cases import Case
from merlet_desk.domain.publications import publish_checklist
from merlet_desk.store import cases as case_store
from merlet_desk.store import decisions as decision_store
from merlet_desk.store import items as item_store
from merlet_desk.store import publications as pub
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store import purposes as purpose_store
from merlet_desk.ui.common import dialogs
from tests.helpers import (
    dry_run_shown,
    fix_clock,
    open_section,
    open_window,
    pdf_text,
    shown_dialog,
    wait_for_register,
)
from tests.helpers import shown as plain

TODAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def scenario_day(monkeypatch):
    """The scenario below is told on 20 November 2026: the program sees that day."""
    fix_clock(monkeypatch, TODAY)


def publish(db, title: str, numbers: list[str], purpose: str = "website") -> None:
    item = item_store.create_item(db, title, pupil_numbers=numbers)
    pub.publish(
        db,
        item.id,
        purpose,
        date(2026, 10, 1),
        f"https://www.merletcollege.nl/nieuws/{len(title)}",
        checklist=[entry.agreement for entry in publish_checklist()],
    )


def case(db, incident: date, summary: str, status: str = "open"):
    return case_store.create_case(
        db,
        Case(
            incident_date=incident,
            report_date=incident + timedelta(days=1),
            location="Cuijk",
            category="other",
            platform="other",
            summary=summary,
            status=status,
            measures="Gesprek gevoerd" if status == "closed" else "",
            closed_on=incident + timedelta(days=3) if status == "closed" else None,
        ),
    )


def fill(db) -> None:
    """Two publications to take down (one with two pupils), two pupils who turned 16 with
    consent for two purposes each, three active cases and a closed one."""
    pupil_store.save_pupil(db, "1001", "Joëlle", "van den", "Broek", "2012-03-14", "2A", "Cuijk")
    pupil_store.save_pupil(db, "1002", "Berkay", "", "Öztürk", "2010-11-02", "4H", "Cuijk")
    pupil_store.save_pupil(db, "1003", "Zofia", "", "Łęcka", "2010-10-30", "4H", "Cuijk")
    pupil_store.save_pupil(db, "1004", "Meryem", "", "Boujdaini", "2012-05-05", "2A", "Cuijk")
    for number in ("1001", "1002", "1003", "1004"):
        for purpose in ("website", "yearbook"):
            decision_store.record_decision(
                db, number, purpose, rules.GRANTED, rules.PARENT, "Ouder", "2026-09-01"
            )
    publish(db, "Open dag <b>Jan</b> & Zn", ["1001", "1004", "1002"])
    publish(db, "Sportdag 2A", ["1001"], "yearbook")
    for number in ("1001", "1004"):
        for purpose in ("website", "yearbook"):
            decision_store.record_decision(
                db, number, purpose, rules.WITHDRAWN, rules.PARENT, "Ouder", "2026-11-02"
            )
    case(db, date(2026, 9, 1), "Nepaccount met het logo van de school")
    case(db, date(2026, 11, 10), "Filmpje in de klassenapp", "in_progress")
    case(db, date(2026, 11, 12), "Dreigbericht via Snapchat")
    case(db, date(2026, 6, 1), "Afgehandeld", "closed")


def open_start(qtbot, db, db_path):
    """(window, Start) at 1366x768, the counts read."""
    window, start = open_section(qtbot, db, db_path, "start", size=(1366, 768))
    start.refresh()
    return window, start


def test_takedown_report_heads_with_what_start_says(qtbot, db, db_path, tmp_path):
    """The report's count is Start's: publications, with the pupils in them; not the number
    of publication × pupil rows ("Open: 3 (publicaties: 2 · leerlingen: 2)")."""
    from merlet_desk.reports.takedowns import build_takedowns_report

    fill(db)
    _, start = open_start(qtbot, db, db_path)
    card = start.takedown_card
    out = tmp_path / "te-verwijderen.pdf"
    build_takedowns_report(db, out, on=TODAY)
    text = pdf_text(out)
    said = f"{card.count.text()} {card.caption.text()}"
    assert said == "2 publicaties, met samen 2 leerlingen die er niet (meer) op mogen"
    assert f"Te verwijderen {said}" in text
    assert "Open 3" not in text and "publicaties:" not in text


def test_takedown_card_counts_publications_and_opens_exactly_those(qtbot, db, db_path):
    fill(db)
    window, start = open_start(qtbot, db, db_path)
    card = start.takedown_card
    assert card.count.text() == "2"
    assert card.caption.text() == "publicaties, met samen 2 leerlingen die er niet (meer) op mogen"
    assert card.property("attention") == "true"
    row = window.section_keys().index("publicaties")
    assert window.navigation.item(row).text() == "Publicaties (2)"

    # A search left in the list does not make it show fewer than the card counted.
    window.show_section("publicaties").takedowns.search.setText("iets anders")
    window.show_section("start")
    card.button.click()
    section = window.section_widgets["publicaties"]
    assert window.current_section_key() == "publicaties"
    assert section.tabs.currentWidget() is section.takedowns
    takedowns = section.takedowns
    assert len(takedowns.shown_publications()) == 2  # what the card said
    shown = takedowns.rows_text()
    # One row per publication, its pupils beneath it.
    assert shown[0][:3] == [
        "Open dag <b>Jan</b> & Zn",
        "Website van de school",
        "https://www.merletcollege.nl/nieuws/24",
    ]
    assert [r[0] for r in takedowns.pupils_text(0)] == [  # by last name
        "Meryem Boujdaini (2A, 1004)",
        "Joëlle van den Broek (2A, 1001)",
    ]
    assert shown[1][:3] == ["Sportdag 2A", "Jaarboek", "https://www.merletcollege.nl/nieuws/11"]
    assert [r[0] for r in takedowns.pupils_text(1)] == ["Joëlle van den Broek (2A, 1001)"]
    assert takedowns.summary.text() == (
        "Stand op 20-11-2026: 2 publicaties, met samen 2 leerlingen"
    )


def test_consent_card_counts_pupils_and_opens_the_list_it_counted(qtbot, db, db_path):
    fill(db)
    window, start = open_start(qtbot, db, db_path)
    card = start.consent_card
    # Berkay (website, yearbook) and Zofia (website, yearbook): 4 rows, but 2 pupils.
    assert card.count.text() == "2"
    assert card.caption.text() == "leerlingen zijn 16 geworden sinds de ouder toestemming gaf"
    assert card.text.text().startswith("Nu doen: vertel hen")
    assert plain(card.button.text()) == "Naar 16 geworden"
    assert "Daarna:" in card.later.text()

    card.button.click()
    assert window.current_section_key() == "toestemmingen"
    reminders = window.section_widgets["toestemmingen"].reminders
    shown = reminders.current_list()
    assert shown is reminders.turned_16
    assert [row.pupil.name for row in shown.shown_rows()] == ["Zofia Łęcka", "Berkay Öztürk"]
    assert shown.shown_rows()[0].purposes_text == "Website van de school, Jaarboek"
    assert reminders.tabs.tabText(reminders.tabs.currentIndex()) == "16 geworden (2)"


def test_cases_card_names_the_first_and_opens_the_active_cases(qtbot, db, db_path):
    fill(db)
    window, start = open_start(qtbot, db, db_path)
    card = start.cases_card
    assert card.count.text() == "3"
    assert card.caption.text() == "lopende incidenten (2 open, 1 in behandeling)"
    first = case_store.list_cases(db, case_store.CaseFilter(text="Nepaccount"))[0].reference
    assert card.text.text() == f"Eerst: {first} (Overig), de laatste stap was op 02-09-2026."
    assert "1 lopend incident heeft 14 dagen of langer geen nieuwe stap." in card.later.text()

    card.button.click()
    assert window.current_section_key() == "incidenten"
    listing = window.section_widgets["incidenten"].list_view
    assert listing.model.rowCount() == 3  # the closed case is not there
    assert listing.visible_references()[0] == first  # the card's "first" on top, chosen
    assert listing.current_reference() == first
    assert listing.status.currentText() == "Lopend (open en in behandeling)"

    window.show_section("start")
    card.second_button.click()
    cases = window.section_widgets["incidenten"]
    assert cases.currentWidget() is cases.editor
    assert cases.editor.reference() == first


def test_nothing_open_is_said_in_sentences(qtbot, db, db_path):
    pupil_store.save_pupil(db, "1001", "Joëlle", "van den", "Broek", "2012-03-14", "2A", "Cuijk")
    for purpose in purpose_store.list_purposes(db):
        decision_store.record_decision(
            db, "1001", purpose.code, rules.GRANTED, rules.PARENT, "Ouder", "2026-09-01"
        )
    window, start = open_start(qtbot, db, db_path)
    for card, sentence in (
        (start.takedown_card, "Er hoeft niets verwijderd te worden."),
        (start.cases_card, "Er zijn geen lopende incidenten."),
        (
            start.consent_card,
            "Voor alle leerlingen is voor elk doel een geldig besluit vastgelegd.",
        ),
    ):
        assert card.caption.text() == sentence
        assert card.count.isHidden()  # no bare "0"
        assert card.property("attention") == "false"
    row = window.section_keys().index("publicaties")
    assert window.navigation.item(row).text() == "Publicaties"


def test_expiring_consents_lead_only_in_the_last_six_weeks():
    from merlet_desk.store.attention import EXPIRING, TURNED_16, ConsentCounts, ReminderCount

    counts = ConsentCounts({EXPIRING: ReminderCount(40, 120)}, year_end=date(2027, 7, 31))
    assert counts.first(date(2026, 11, 26)) is None
    assert counts.first(date(2027, 6, 19)) == EXPIRING
    assert counts.first(date(2027, 6, 18)) is None
    both = ConsentCounts(
        {EXPIRING: ReminderCount(40, 120), TURNED_16: ReminderCount(3, 5)}, date(2027, 7, 31)
    )
    assert both.first(date(2027, 7, 1)) == TURNED_16


def test_shown_start_screen_fills_its_cards_from_the_event_loop(qtbot, db, db_path):
    fill(db)
    window = open_window(qtbot, db, db_path)
    start = window.section_widgets["start"]
    qtbot.waitUntil(lambda: start.takedown_card.count.text() == "2")
    qtbot.waitUntil(lambda: plain(start.consent_card.button.text()) == "Naar 16 geworden")
    assert window.takedown_count == 2


# -- "Zo begint u" --------------------------------------------------------------------------


def test_the_first_steps_on_an_empty_database_each_with_a_working_button(
    qtbot, db, db_path, tmp_path, monkeypatch
):
    window, start = open_start(qtbot, db, db_path)
    assert start.guide.isVisible()
    steps = (start.pupils_step, start.consents_step, start.settings_step)
    assert [s.mark.text() for s in steps] == ["1.", "2.", "3."]
    assert not start.consents_step.buttons[0].isEnabled()  # pupils first

    # 1. Pupils from the administration system.
    pupils = tmp_path / "magister.csv"
    pupils.write_text(
        "leerlingnummer;roepnaam;tussenvoegsel;achternaam;geboortedatum;klas;locatie\n"
        "1001;Joëlle;van den;Broek;14-03-2012;2A;Cuijk\n"
        "1002;Berkay;;Öztürk;02-11-2010;4H;Grave\n",
        encoding="utf-8",
    )
    consents = tmp_path / "ouderportaal.csv"
    consents.write_text(
        "leerlingnummer;doel;besluit;gegeven_door;naam_gever;datum;wijze\n"
        "1001;website;ja;ouder;M. van den Broek;01-10-2026;portaal\n",
        encoding="utf-8",
    )
    files = iter([pupils, consents])
    shown = []
    monkeypatch.setattr(dialogs, "choose_open_path", lambda *a, **k: next(files))
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, text: shown.append(text))
    start.pupils_step.buttons[0].click()
    assert shown[-1] == "Import gelukt: 2 toegevoegd, 0 bijgewerkt, 0 ongewijzigd."
    assert window.current_section_key() == "toestemmingen"  # the register with the pupils
    consent = window.section_widgets["toestemmingen"]
    wait_for_register(qtbot, consent)
    assert consent.model.rowCount() == 2

    window.show_section("start")
    start.refresh()
    assert start.pupils_step.mark.text() == "✓"
    assert start.consents_step.buttons[0].isEnabled()

    # 2. Consents: the paper forms, or an import.
    form_button, import_button = start.consents_step.buttons
    assert plain(form_button.text()) == "Formulieren invoeren…"
    form_button.click()
    from merlet_desk.ui.consent.form_entry import FormEntryDialog

    shown_dialog(consent, FormEntryDialog).close()
    window.show_section("start")
    import_button.click()  # the import dialog shows what the file changes; Importeren
    dry_run_shown(qtbot, consent.import_dialog).import_button.click()
    assert shown[-1] == "Import gelukt: 1 besluit vastgelegd, 0 stonden er al."
    window.show_section("start")
    start.refresh()
    assert start.consents_step.mark.text() == "✓"
    assert start.guide.isVisible()  # step 3 still open

    # 3. The school's settings.
    start.settings_step.buttons[0].click()
    from merlet_desk.ui.consent.settings_dialog import ConsentSettingsDialog

    settings = shown_dialog(consent, ConsentSettingsDialog)
    assert settings.save()
    window.show_section("start")
    start.refresh()
    assert not start.guide.isVisible()  # every step done


def test_read_only_shows_no_first_steps(qtbot, db, db_path):
    db.close()
    from merlet_desk.store import open_database

    read_only = open_database(db_path, read_only=True)
    try:
        window = open_window(qtbot, read_only, db_path, read_only=True)
        start = window.section_widgets["start"]
        start.refresh()
        assert not start.guide.isVisible()
    finally:
        read_only.close()
