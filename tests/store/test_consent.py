"""The consent register in SQLite: append-only decisions, audit entries, derived statuses."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from merlet_desk import sqlite_driver
from merlet_desk.domain import consent as rules
from merlet_desk.domain.consent import ConsentSettings
from merlet_desk.errors import InputError
from merlet_desk.store import consent_settings as settings_store
from merlet_desk.store import decisions as decision_store
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store import purposes as purpose_store
from merlet_desk.store import reminders as reminder_store
from merlet_desk.store import statuses as store
from tests.helpers import TODAY


def audit(db, kind=None):
    sql = "SELECT action, record_kind, record_id, old_value, new_value, user FROM audit_log"
    params = []
    if kind:
        sql += " WHERE record_kind = ?"
        params.append(kind)
    return db.execute(sql + " ORDER BY id", params).fetchall()


def years_ago(years: int, days: int = 0) -> date:
    try:
        born = TODAY.replace(year=TODAY.year - years)
    except ValueError:  # 29 February
        born = TODAY.replace(year=TODAY.year - years, day=28)
    return born - timedelta(days=days)


@pytest.fixture
def school(db):
    """Five pupils in two classes; Şükrü is 17, the others 13."""
    pupil_store.save_pupil(db, "1001", "Joëlle", "van den", "Broek", years_ago(13), "1A", "Cuijk")
    pupil_store.save_pupil(db, "1002", "Berkay", "", "Öztürk", years_ago(13), "1A", "Cuijk")
    pupil_store.save_pupil(db, "1003", "Zofia", "", "Łęcka", years_ago(13), "1A", "Cuijk")
    pupil_store.save_pupil(db, "1004", "Meryem", "", "Boujdaini", years_ago(13), "2B", "Grave")
    pupil_store.save_pupil(db, "1005", "Şükrü", "", "Yılmaz", years_ago(17), "5V", "Mill")
    return db


def test_default_purposes_are_seeded(db):
    purposes = purpose_store.list_purposes(db)
    assert [p.code for p in purposes] == [
        "brochure",
        "website",
        "social_media",
        "newsletter",
        "screens",
        "yearbook",
        "press",
    ]
    assert purpose_store.get_purpose(db, "Website van de school").code == "website"
    assert purpose_store.get_purpose(db, "WEBSITE").code == "website"
    with pytest.raises(InputError, match="Onbekend doel"):
        purpose_store.get_purpose(db, "tiktok")


def test_save_pupil_inserts_updates_and_audits(db):
    pupil = pupil_store.save_pupil(
        db, "1001", "Joëlle", "van den", "Broek", "2012-05-01", "1A", "cuijk"
    )
    assert pupil.name == "Joëlle van den Broek"
    assert pupil.location == "Cuijk"
    pupil_store.save_pupil(db, "1001", "Joëlle", "van den", "Broek", "2012-05-01", "1A", "Cuijk")
    pupil_store.save_pupil(db, "1001", "Joëlle", "van den", "Broek", "2012-05-01", "2A", "Cuijk")
    entries = audit(db, "pupil")
    assert [e[0] for e in entries] == ["create", "update"]  # the unchanged save is not audited
    assert json.loads(entries[1][3])["class_name"] == "1A"
    assert json.loads(entries[1][4])["class_name"] == "2A"
    assert pupil_store.get_pupil(db, "1001").class_name == "2A"


def test_save_pupil_refuses_bad_input_and_changes_nothing(db):
    with pytest.raises(InputError) as info:
        pupil_store.save_pupil(
            db, "1001", "", "", "Broek", TODAY + timedelta(days=1), "", "Boxmeer"
        )
    text = str(info.value)
    assert "voornaam ontbreekt" in text
    assert "toekomst" in text
    assert "onbekende locatie 'Boxmeer'" in text
    assert db.execute("SELECT count(*) FROM pupils").fetchone()[0] == 0
    assert audit(db) == []


def test_unknown_pupil(db):
    with pytest.raises(InputError, match="Onbekende leerling 12345"):
        pupil_store.get_pupil(db, "12345")


def test_list_pupils_sorted_by_class_then_last_name(school):
    names = [p.name for p in pupil_store.list_pupils(school)]
    assert names == [
        "Joëlle van den Broek",
        "Zofia Łęcka",
        "Berkay Öztürk",
        "Meryem Boujdaini",
        "Şükrü Yılmaz",
    ]
    assert pupil_store.list_classes(school) == ["1A", "2B", "5V"]
    assert pupil_store.list_classes(school, "Grave") == ["2B"]
    assert pupil_store.class_numbers(school, "1A") == ["1001", "1003", "1002"]
    assert [p.number for p in pupil_store.list_pupils(school, location="Mill")] == ["1005"]


def test_record_decision_is_audited_and_append_only(school):
    decision = decision_store.record_decision(
        school, "1001", "website", "granted", "parent", "Anna van den Broek", TODAY, "email"
    )
    assert decision.id is not None
    assert decision.recorded_by
    entries = audit(school, "decision")
    assert len(entries) == 1
    assert entries[0][0] == "create"
    assert json.loads(entries[0][4]) == {
        "pupil": "1001",
        "purpose": "website",
        "decision": "granted",
        "given_by": "parent",
        "giver_name": "Anna van den Broek",
        "received_on": TODAY.isoformat(),
        "method": "email",
    }
    with pytest.raises(sqlite_driver.IntegrityError, match="append-only"):
        school.execute("UPDATE decisions SET decision = 'refused'")
    with pytest.raises(sqlite_driver.IntegrityError, match="append-only"):
        school.execute("DELETE FROM decisions")
    assert decision_store.decisions_for(school, "1001", "website") == [decision]


def test_purge_switch_allows_deleting_decisions_only_while_set(school):
    decision_store.record_decision(
        school, "1001", "website", "refused", "parent", "A. Broek", TODAY
    )
    with school.atomic():
        school.execute("INSERT INTO purge_in_progress (id) VALUES (1)")
        school.execute("DELETE FROM decisions WHERE pupil_id = 1")
        school.execute("DELETE FROM pupils WHERE id = 1")
        school.execute("DELETE FROM purge_in_progress")
    assert school.execute("SELECT count(*) FROM decisions").fetchone()[0] == 0
    decision_store.record_decision(
        school, "1002", "website", "refused", "parent", "A. Öztürk", TODAY
    )
    with pytest.raises(sqlite_driver.IntegrityError):
        school.execute("DELETE FROM decisions")
    with pytest.raises(sqlite_driver.IntegrityError):  # the switch holds one row at most
        school.execute("INSERT INTO purge_in_progress (id) VALUES (2)")
    school.execute("INSERT INTO purge_in_progress (id) VALUES (1)")
    with pytest.raises(sqlite_driver.IntegrityError, match="append-only"):  # never an update
        school.execute("UPDATE decisions SET giver_name = 'x'")
    school.execute("DELETE FROM purge_in_progress")


@pytest.mark.parametrize(
    ("number", "decision", "given_by", "name", "received", "message"),
    [
        ("1001", "granted", "pupil", "", TODAY, "jonger dan 16"),
        ("1005", "granted", "parent", "Ahmet Yılmaz", TODAY, "16 of ouder"),
        ("1001", "granted", "parent", "Anna", TODAY + timedelta(days=1), "toekomst"),
        ("1001", "granted", "parent", "", TODAY, "naam van de ouder"),
        ("1001", "maybe", "parent", "Anna", TODAY, "(?i)onbekend besluit"),
        ("1001", "granted", "aunt", "Anna", TODAY, "(?i)onbekende gever"),
        ("9999", "granted", "parent", "Anna", TODAY, "Onbekende leerling 9999"),
    ],
)
def test_record_decision_refuses(school, number, decision, given_by, name, received, message):
    with pytest.raises(InputError, match=message):
        decision_store.record_decision(
            school, number, "website", decision, given_by, name, received
        )
    assert school.execute("SELECT count(*) FROM decisions").fetchone()[0] == 0
    assert audit(school, "decision") == []


def test_each_problem_is_said_once(school):
    """A parent's yes for a 16-year-old, without the parent's name: the 16+ sentence heads
    the message and is not repeated below it; the missing name follows."""
    with pytest.raises(InputError) as caught:
        decision_store.record_decision(school, "1005", "website", "granted", "parent", "", TODAY)
    lines = str(caught.value).splitlines()
    assert lines == [
        "De leerling was op die datum 16 of ouder: alleen de leerling zelf kan dan toestemming "
        "geven.",
        "  - vul de naam van de ouder of voogd in",
    ]


def test_refusals_are_accepted_from_anyone(school):
    decision_store.record_decision(school, "1001", "press", "refused", "pupil", "", TODAY)
    decision_store.record_decision(
        school, "1005", "press", "withdrawn", "parent", "Ahmet Yılmaz", TODAY
    )
    history = decision_store.decisions_for(school, "1001", "press")
    assert history[0].giver_name == "Joëlle van den Broek"  # the pupil's own name by default


def test_register_statuses_every_pupil_every_purpose(school):
    decision_store.record_decision(school, "1001", "website", "granted", "parent", "Anna", TODAY)
    decision_store.record_decision(school, "1002", "website", "refused", "guardian", "Emre", TODAY)
    decision_store.record_decision(school, "1005", "website", "granted", "pupil", "", TODAY)
    decision_store.record_decision(school, "1005", "website", "withdrawn", "pupil", "", TODAY)
    rows = store.register_statuses(school, TODAY)
    assert [p.number for p, _ in rows] == ["1001", "1003", "1002", "1004", "1005"]
    for _, statuses in rows:
        assert list(statuses) == [p.code for p in purpose_store.list_purposes(school)]
    by_number = {p.number: s for p, s in rows}
    assert by_number["1001"]["website"].state == rules.ALLOWED
    assert by_number["1002"]["website"].state == rules.REFUSED
    assert by_number["1003"]["website"].state == rules.NO_RECORD
    assert by_number["1005"]["website"].state == rules.WITHDRAWN
    assert by_number["1001"]["press"].state == rules.NO_RECORD
    assert [p.number for p, _ in store.register_statuses(school, TODAY, class_name="1A")] == [
        "1001",
        "1003",
        "1002",
    ]
    # a date before the decisions: nothing yet
    earlier = store.register_statuses(school, TODAY - timedelta(days=1))
    assert all(s["website"].state == rules.NO_RECORD for _, s in earlier)


def test_left_pupils_leave_the_register_but_keep_their_history(school):
    decision_store.record_decision(school, "1004", "website", "granted", "parent", "Fatima", TODAY)
    assert pupil_store.mark_pupils_left(school, ["1004"], TODAY) == 1
    assert pupil_store.mark_pupils_left(school, ["1004"], TODAY) == 0
    assert "1004" not in [p.number for p, _ in store.register_statuses(school, TODAY)]
    with_left = store.register_statuses(school, TODAY, include_left=True)
    assert "1004" in [p.number for p, _ in with_left]
    assert len(decision_store.decisions_for(school, "1004")) == 1
    with pytest.raises(InputError, match="Onbekende leerling 7777"):
        pupil_store.mark_pupils_left(school, ["7777"])


def test_publication_check(school):
    decision_store.record_decision(
        school, "1001", "social_media", "granted", "parent", "Anna", TODAY
    )
    decision_store.record_decision(
        school, "1002", "social_media", "refused", "parent", "Emre", TODAY
    )
    result = store.publication_check(school, "social_media", ["1002", "1001", "1003"], TODAY)
    assert [p.number for p, _ in result.allowed] == ["1001"]
    assert [(p.number, s.reason) for p, s in result.blocked] == [
        ("1002", "refused"),
        ("1003", "no_record"),
    ]
    assert result.as_json() == {
        "purpose": "social_media",
        "date": TODAY.isoformat(),
        "allowed": [
            {"pupil": "1001", "name": "Joëlle van den Broek", "flags": [], "informed_on": None}
        ],
        "blocked": [
            {"pupil": "1002", "name": "Berkay Öztürk", "reason": "refused"},
            {"pupil": "1003", "name": "Zofia Łęcka", "reason": "no_record"},
        ],
    }
    text = result.as_text()
    assert "Joëlle van den Broek" in text and "geweigerd" in text
    with pytest.raises(InputError, match="Onbekende leerling 4242"):
        store.publication_check(school, "social_media", ["1001", "4242"], TODAY)
    with pytest.raises(InputError, match="Onbekend doel"):
        store.publication_check(school, "billboards", ["1001"], TODAY)


def test_turned_16_flag_and_pupil_only_setting(db):
    # Parent's consent given at 15, pupil now 16.
    born = years_ago(16, days=30)
    pupil_store.save_pupil(db, "2001", "Şükrü", "", "Yılmaz", born, "4V", "Mill")
    given = max(born.replace(year=born.year + 16) - timedelta(days=1), TODAY - timedelta(days=40))
    decision_store.record_decision(
        db, "2001", "website", "granted", "parent", "Ahmet Yılmaz", given
    )
    settings_store.save_consent_settings(db, ConsentSettings(validity=rules.UNTIL_WITHDRAWN))
    result = store.publication_check(db, "website", ["2001"], TODAY)
    assert result.as_json()["allowed"] == [
        {"pupil": "2001", "name": "Şükrü Yılmaz", "flags": ["turned_16"], "informed_on": None}
    ]
    assert [r.pupil.number for r in reminder_store.reminders(db, TODAY).turned_16] == ["2001"]
    settings_store.save_consent_settings(
        db, ConsentSettings(validity=rules.UNTIL_WITHDRAWN, pupil_only_from_16=True)
    )
    assert settings_store.consent_settings(db).pupil_only_from_16 is True
    result = store.publication_check(db, "website", ["2001"], TODAY)
    assert result.as_json()["blocked"] == [
        {"pupil": "2001", "name": "Şükrü Yılmaz", "reason": "ask_pupil"}
    ]
    keys = [e[2] for e in audit(db, "setting")]
    # Saving the settings also records that the school checked them (step 3 of "Zo begint u").
    assert keys == ["consent.validity", "setup.settings_checked", "consent.pupil_only_from_16"]


def test_settings_change_reading_not_decisions(school):
    long_ago = TODAY - timedelta(days=800)
    pupil_store.save_pupil(
        school, "3001", "Anna", "de", "Boer", long_ago - timedelta(days=4000), "3H", "Grave"
    )
    decision_store.record_decision(
        school, "3001", "yearbook", "granted", "parent", "Piet de Boer", long_ago
    )
    assert store.status_of(school, "3001", "yearbook", TODAY).state == rules.EXPIRED
    before = school.execute("SELECT * FROM decisions").fetchall()
    settings_store.save_consent_settings(school, ConsentSettings(validity=rules.UNTIL_WITHDRAWN))
    assert store.status_of(school, "3001", "yearbook", TODAY).state == rules.ALLOWED
    assert school.execute("SELECT * FROM decisions").fetchall() == before


def test_school_year_start_setting_round_trips(db):
    assert settings_store.consent_settings(db) == ConsentSettings()
    settings_store.save_consent_settings(db, ConsentSettings(school_year_start=(9, 1)))
    assert settings_store.consent_settings(db).school_year_start == (9, 1)
    with pytest.raises(InputError):
        settings_store.save_consent_settings(db, ConsentSettings(school_year_start=(2, 30)))


def test_reminders(school):
    settings_store.save_consent_settings(school, ConsentSettings())
    decision_store.record_decision(school, "1001", "website", "granted", "parent", "Anna", TODAY)
    old = settings_store.school_year(TODAY)[0] - timedelta(days=10)
    decision_store.record_decision(school, "1002", "website", "granted", "parent", "Emre", old)
    found = reminder_store.reminders(school, TODAY)
    year_end = settings_store.school_year(TODAY)[1]
    assert [(r.pupil.number, r.purpose.code, r.valid_until) for r in found.expiring] == [
        ("1001", "website", year_end)
    ]
    assert ("1002", "website") in [(r.pupil.number, r.purpose.code) for r in found.expired]
    no_record = {(r.pupil.number, r.purpose.code) for r in found.no_record}
    assert ("1003", "website") in no_record
    assert ("1001", "website") not in no_record
    assert len(no_record) == 5 * 7 - 2
    assert found.turned_16 == []


def test_retired_purpose_keeps_its_history(school):
    decision_store.record_decision(school, "1001", "press", "granted", "parent", "Anna", TODAY)
    purpose_store.retire_purpose(school, "press")
    assert "press" not in [p.code for p in purpose_store.list_purposes(school)]
    assert "press" in [p.code for p in purpose_store.list_purposes(school, include_retired=True)]
    rows = store.register_statuses(school, TODAY)
    assert all("press" not in statuses for _, statuses in rows)
    assert len(decision_store.decisions_for(school, "1001", "press")) == 1
    with pytest.raises(InputError, match="vervallen"):
        decision_store.record_decision(school, "1002", "press", "refused", "parent", "Emre", TODAY)
    purpose_store.retire_purpose(school, "press", retired=False)
    assert store.status_of(school, "1001", "press", TODAY).state == rules.ALLOWED
    assert [e[0] for e in audit(school, "purpose")] == ["update", "update"]


def test_renamed_label_keeps_code_and_history(school):
    decision_store.record_decision(school, "1001", "screens", "granted", "parent", "Anna", TODAY)
    purpose_store.rename_purpose(school, "screens", "Schermen in de aula")
    purpose = purpose_store.get_purpose(school, "Schermen in de aula")
    assert purpose.code == "screens"
    assert decision_store.decisions_for(school, "1001", "screens")[0].purpose == "screens"
    entry = audit(school, "purpose")[-1]
    assert json.loads(entry[3]) == {"label": "Beeldschermen in de school"}
    assert json.loads(entry[4]) == {"label": "Schermen in de aula"}
    with pytest.raises(InputError, match="al een doel"):
        purpose_store.rename_purpose(school, "press", "Schermen in de aula")


def test_add_purpose(db):
    purpose = purpose_store.add_purpose(db, "open_day", "Open dag")
    assert purpose_store.list_purposes(db)[-1] == purpose
    with pytest.raises(InputError):
        purpose_store.add_purpose(db, "website", "Nog een website")
    with pytest.raises(InputError):
        purpose_store.add_purpose(db, "Bad code!", "X")


def test_search_pupils(school):
    assert [p.number for p in pupil_store.search_pupils(school, "öztü")] == ["1002"]
    assert [p.name for p in pupil_store.search_pupils(school, "100", limit=2)] == [
        "Meryem Boujdaini",
        "Joëlle van den Broek",
    ]
    assert pupil_store.search_pupils(school, "  ") == []


def test_reminders_until_withdrawn_nothing_expires(school):
    settings_store.save_consent_settings(school, ConsentSettings(validity=rules.UNTIL_WITHDRAWN))
    long_ago = TODAY - timedelta(days=900)
    decision_store.record_decision(school, "1001", "website", "granted", "parent", "Anna", long_ago)
    found = reminder_store.reminders(school, TODAY)
    assert found.expiring == [] and found.expired == []
    assert ("1001", "website") not in {(r.pupil.number, r.purpose.code) for r in found.no_record}


def test_class_sort_key():
    assert sorted(["10A", "2B", "1A", "5V", "3H"], key=pupil_store.class_sort_key) == [
        "1A",
        "2B",
        "3H",
        "5V",
        "10A",
    ]
