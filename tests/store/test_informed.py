"""Pupils who turned 16 and were told (`store.informed`): the mark takes them off the "16
geworden" list and out of Start's count, an undo is a new entry, the history and the audit log
keep both, and the retention purge removes them with the pupil. On both engines."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from merlet_desk.domain import consent as rules
from merlet_desk.domain.consent import ConsentSettings
from merlet_desk.errors import InputError
from merlet_desk.store.attention import TURNED_16, read_consent_counts
from merlet_desk.store.audit_query import record_history
from merlet_desk.store.consent_settings import save_consent_settings
from merlet_desk.store.decisions import record_decision
from merlet_desk.store.informed import (
    INFORMED,
    UNDONE,
    informed_marks,
    mark_informed,
    standing_mark,
    undo_informed,
)
from merlet_desk.store.pupils import get_pupil, save_pupil
from merlet_desk.store.reminders import reminders
from merlet_desk.store.retention import purge, purge_candidates
from merlet_desk.store.statuses import (
    publication_check,
    pupil_statuses,
    register_statuses,
    status_of,
)
from tests.helpers import TODAY, born_aged


@pytest.fixture
def school(db):
    """Three pupils who turned 16 since a parent's consent, one who is 14 (consents hold until
    withdrawn, so the school year's end plays no part)."""
    save_consent_settings(db, ConsentSettings(validity=rules.UNTIL_WITHDRAWN))
    for number, first, prefix, last, age in (
        ("1001", "Joëlle", "van den", "Broek", 16),
        ("1002", "Berkay", "", "Öztürk", 16),
        ("1003", "Zofia", "", "Łęcka", 17),
        ("1004", "Meryem", "", "Boujdaini", 14),
    ):
        save_pupil(db, number, first, prefix, last, born_aged(age, 40), "4H", "Cuijk")
        given = TODAY - timedelta(days=700)
        record_decision(db, number, "website", "granted", "parent", "<Ouder> & Zn", given)
    return db


def _listed(db) -> list[str]:
    return sorted({entry.pupil.number for entry in reminders(db, TODAY).turned_16})


def test_informed_pupils_leave_the_list_and_the_count(school):
    db = school
    assert _listed(db) == ["1001", "1002", "1003"]
    assert read_consent_counts(db, TODAY).count(TURNED_16).pupils == 3
    mark_informed(db, ["1001", "1003"], TODAY - timedelta(days=2), "In de mentorles")
    assert _listed(db) == ["1002"]
    assert read_consent_counts(db, TODAY).count(TURNED_16).pupils == 1
    informed = reminders(db, TODAY).turned_16_informed
    assert {(e.pupil.number, e.informed_on) for e in informed} == {
        ("1001", TODAY - timedelta(days=2)),
        ("1003", TODAY - timedelta(days=2)),
    }


def test_a_mistaken_mark_is_undone_by_a_new_entry_and_the_history_keeps_both(school):
    db = school
    mark_informed(db, ["1002"], TODAY)
    undo_informed(db, ["1002"])
    assert _listed(db) == ["1001", "1002", "1003"]
    assert standing_mark(db, get_pupil(db, "1002")) is None
    marks = informed_marks(db, "1002")
    assert [(m.kind, m.on) for m in marks] == [(INFORMED, TODAY), (UNDONE, TODAY)]
    assert marks[0].text.startswith("Leerling geïnformeerd (16 geworden) op ")
    actions = [entry.action for entry in record_history(db, "pupil", "1002")]
    assert actions[-2:] == ["informed", "informed_undone"]
    # Append-only: the register refuses to change or remove a mark.
    with pytest.raises(Exception, match="append-only"):
        with db.atomic():
            db.execute("UPDATE pupils_informed SET on_date = '2020-01-01'")
    with pytest.raises(Exception, match="append-only"):
        with db.atomic():
            db.execute("DELETE FROM pupils_informed")
    assert len(informed_marks(db, "1002")) == 2


@pytest.mark.parametrize(
    ("numbers", "on", "message"),
    [
        (["1001"], TODAY + timedelta(days=1), "ligt in de toekomst"),
        (["1001", "1004"], TODAY, "Meryem Boujdaini \\(1004\\) nog geen 16"),
        ([], TODAY, "Kies eerst een of meer leerlingen"),
        (["9999"], TODAY, "9999"),
    ],
)
def test_a_mark_that_cannot_be_right_is_refused_and_nothing_is_recorded(
    school, numbers, on, message
):
    db = school
    with pytest.raises(InputError, match=message):
        mark_informed(db, numbers, on)
    assert db.execute("SELECT count(*) FROM pupils_informed").fetchone()[0] == 0
    assert _listed(db) == ["1001", "1002", "1003"]


def test_undo_without_a_standing_mark_is_refused(school):
    with pytest.raises(InputError, match="Berkay Öztürk \\(1002\\) staat niet als geïnformeerd"):
        undo_informed(school, ["1002"])


def test_the_purge_removes_the_marks_with_the_pupil(school):
    db = school
    mark_informed(db, ["1001", "1002"], TODAY, "Gesprek met <mentor> & ouder")
    db.execute("UPDATE pupils SET left_on = '2020-07-31' WHERE number = '1001'")
    [candidate] = purge_candidates(db, TODAY)
    purge(db, [candidate.pupil_id], TODAY)
    assert [m.pupil_number for m in informed_marks(db, "1002")] == ["1002"]
    rows = db.execute("SELECT count(*) FROM pupils_informed").fetchone()[0]
    assert rows == 1
    log = json.dumps(
        db.execute("SELECT record_id, new_value FROM audit_log").fetchall(), ensure_ascii=False
    )
    assert '"1001"' not in log and "1001" not in log


def _cells(db, on) -> dict[str, rules.Status]:
    return {pupil.number: statuses["website"] for pupil, statuses in register_statuses(db, on)}


def test_a_pupil_told_has_plain_consent_wherever_the_status_is_read(school):
    """The register, one pupil's statuses, the publication check (text and JSON) agree: the
    pupil told is "✓" with the day, the pupil not told yet stays flagged; an undone mark and
    a day before the mark do not count."""
    db = school
    told = TODAY - timedelta(days=2)
    mark_informed(db, ["1003"], told, "In de mentorles")
    label = f"Toestemming — 16 geworden, leerling geïnformeerd op {told:%d-%m-%Y}"

    cells = _cells(db, TODAY)
    assert (cells["1003"].state, cells["1003"].informed_on) == (rules.ALLOWED, told)
    assert (cells["1003"].symbol, cells["1003"].label, cells["1003"].flags) == ("✓", label, ())
    assert cells["1002"].state == rules.ALLOWED_TURNED_16 and cells["1002"].informed_on is None
    zofia = get_pupil(db, "1003")
    assert pupil_statuses(db, zofia, TODAY, ["website"])["website"] == cells["1003"]
    assert status_of(db, "1003", "website", TODAY) == cells["1003"]

    check = publication_check(db, "website", ["1003", "1002"], TODAY)
    assert check.as_json()["allowed"] == [
        {"pupil": "1003", "name": "Zofia Łęcka", "flags": [], "informed_on": told.isoformat()},
        {"pupil": "1002", "name": "Berkay Öztürk", "flags": ["turned_16"], "informed_on": None},
    ]
    lines = check.as_text().splitlines()
    assert "  1003  Zofia Łęcka (4H)" in lines
    assert "  1002  Berkay Öztürk (4H) [16 geworden — leerling informeren]" in lines

    # On the day before she was told, she was still to be told.
    assert _cells(db, told - timedelta(days=1))["1003"].state == rules.ALLOWED_TURNED_16

    undo_informed(db, ["1003"])
    assert _cells(db, TODAY)["1003"].state == rules.ALLOWED_TURNED_16
    assert status_of(db, "1003", "website", TODAY).informed_on is None
    check = publication_check(db, "website", ["1003"], TODAY)
    assert check.as_json()["allowed"][0]["flags"] == ["turned_16"]


def test_pupil_only_from_16_still_asks_a_pupil_who_was_told(school):
    """Under `pupil_only_from_16` the parent's consent no longer counts from 16, told or not:
    the mark only takes the pupil off the "16 geworden" list."""
    db = school
    save_consent_settings(
        db, ConsentSettings(validity=rules.UNTIL_WITHDRAWN, pupil_only_from_16=True)
    )
    mark_informed(db, ["1001"], TODAY)
    cell = _cells(db, TODAY)["1001"]
    assert (cell.state, cell.informed_on, cell.allowed) == (rules.ASK_PUPIL, TODAY, False)
    check = publication_check(db, "website", ["1001"], TODAY)
    assert check.as_json()["blocked"] == [
        {"pupil": "1001", "name": "Joëlle van den Broek", "reason": "ask_pupil"}
    ]
    assert _listed(db) == ["1002", "1003"]
    assert [e.pupil.number for e in reminders(db, TODAY).turned_16_informed] == ["1001"]
