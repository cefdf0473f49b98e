"""The start screen: the open takedowns, consent reminders and cases, each with a way there."""

from __future__ import annotations

from datetime import date

import pytest

from merlet_desk.domain import consent as rules
from merlet_desk.domain.cases import Case
from merlet_desk.domain.publications import publish_checklist
from merlet_desk.store import cases as case_store
from merlet_desk.store import consent as cs
from merlet_desk.store import publications as pub
from tests.helpers import fix_clock, open_window

TODAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def scenario_day(monkeypatch):
    """The scenario below is told on 20 November 2026: the program sees that day."""
    fix_clock(monkeypatch, TODAY)


def fill(db) -> None:
    cs.save_pupil(db, "1001", "Joëlle", "van den", "Broek", "2012-03-14", "2A", "Cuijk")
    cs.save_pupil(db, "1002", "Berkay", "", "Öztürk", "2010-11-02", "4H", "Cuijk")
    for number, giver in (("1001", rules.PARENT), ("1002", rules.PARENT)):
        cs.record_decision(db, number, "website", rules.GRANTED, giver, "Ouder", "2026-09-01")
    item = pub.create_item(db, "Open dag <b>Jan</b> & Zn", pupil_numbers=["1001", "1002"])
    pub.publish(
        db,
        item.id,
        "website",
        date(2026, 10, 1),
        "https://merlet.nl/open-dag",
        checklist=[entry.agreement for entry in publish_checklist()],
    )
    cs.record_decision(db, "1001", "website", rules.WITHDRAWN, rules.PARENT, "Ouder", "2026-11-02")
    case_store.create_case(
        db,
        Case(
            incident_date=date(2026, 11, 1),
            report_date=date(2026, 11, 2),
            location="Cuijk",
            category="other",
            platform="other",
            summary="Testgeval",
        ),
    )


def test_window_opens_on_start_with_the_open_takedowns(qtbot, db, db_path):
    fill(db)
    window = open_window(qtbot, db, db_path)
    assert window.current_section_key() == "start"
    start = window.section_widgets["start"]
    start._today = TODAY
    attention = start.refresh()
    assert attention.urgent.takedowns == 1
    assert start.takedown_card.count.text() == "1"
    assert start.takedown_card.property("attention") == "true"
    assert attention.consent.turned_16 == 1  # Berkay turned 16 on 2 November
    assert "1 leerling is 16 geworden" in start.consent_card.text.text()
    assert start.cases_card.text.text() == "1 open, 0 in behandeling."
    row = window.section_keys().index("publicaties")
    assert window.navigation.item(row).text() == "Publicaties (1)"
    assert window.grab().save(str(db_path.parent / "start.png"))  # in tmp_path, to look at


def test_buttons_lead_to_the_place_that_handles_it(qtbot, db, db_path):
    fill(db)
    window = open_window(qtbot, db, db_path)
    start = window.section_widgets["start"]
    start.consent_card.button.click()
    assert window.current_section_key() == "toestemmingen"
    window.show_section("start")
    start.cases_card.button.click()
    assert window.current_section_key() == "incidenten"
    window.show_section("start")
    start.takedown_card.button.click()
    assert window.current_section_key() == "publicaties"


def test_nothing_open_says_so(qtbot, db, db_path):
    window = open_window(qtbot, db, db_path)
    start = window.section_widgets["start"]
    attention = start.refresh()
    assert (attention.urgent.takedowns, attention.urgent.open_cases) == (0, 0)
    assert start.takedown_card.text.text() == "Er hoeft niets verwijderd te worden."
    assert start.takedown_card.property("attention") == "false"
    row = window.section_keys().index("publicaties")
    assert window.navigation.item(row).text() == "Publicaties"


def test_expiring_consents_ask_for_action_only_in_the_last_six_weeks():
    from merlet_desk.store.attention import ConsentCounts

    counts = ConsentCounts(expiring=40, turned_16=3, no_record=0, year_end=date(2027, 7, 31))
    assert counts.needs_action(date(2026, 11, 26)) == 3
    assert counts.needs_action(date(2027, 6, 19)) == 43
    assert counts.needs_action(date(2027, 6, 18)) == 3


def test_shown_start_screen_fills_its_cards_from_the_event_loop(qtbot, db, db_path):
    fill(db)
    window = open_window(qtbot, db, db_path)
    start = window.section_widgets["start"]
    qtbot.waitUntil(lambda: start.takedown_card.count.text() == "1")
    qtbot.waitUntil(lambda: start.consent_card.caption.text() == "vragen nu om actie")
    assert window.takedown_count == 1
