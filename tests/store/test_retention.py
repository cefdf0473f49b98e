"""Retention purge: who is listed, what goes, what stays (anonymised), and the audit log."""

from __future__ import annotations

import json
from datetime import date

import pytest

from merlet_desk import sqlite_driver
from merlet_desk.cli import main
from merlet_desk.domain.cases import Case, CasePerson
from merlet_desk.store import open_database
from merlet_desk.store.cases import create_case, get_case
from merlet_desk.store.decisions import record_decision
from merlet_desk.store.pupils import get_pupil, save_pupil
from merlet_desk.store.retention import purge, purge_candidates
from merlet_desk.store.settings import set_setting
from merlet_desk.store.verification import verify
from tests.helpers import fix_clock

TODAY = date(2026, 11, 25)


def make_school(db) -> None:
    save_pupil(db, "1001", "Joëlle", "van den", "Broek", "2008-03-01", "6V2", "Cuijk", "2024-07-15")
    save_pupil(db, "1002", "Berkay", "", "Öztürk", "2009-05-05", "5H1", "Grave", "2025-07-15")
    save_pupil(db, "1003", "Zofia", "", "Łęcka", "2012-01-02", "2B", "Mill")
    save_pupil(db, "1004", "Meryem", "", "Boujdaini", "2005-09-09", "6V1", "Cuijk", "2023-01-31")
    record_decision(db, "1001", "website", "granted", "parent", "Anke van den Broek", "2022-09-01")
    record_decision(db, "1001", "website", "withdrawn", "pupil", "", "2024-06-01")
    record_decision(db, "1004", "yearbook", "granted", "pupil", "", "2022-10-10")
    record_decision(db, "1003", "website", "granted", "parent", "<b>Jan</b> & Zn", "2025-09-01")
    create_case(
        db,
        Case(
            incident_date=date(2024, 3, 1),
            report_date=date(2024, 3, 2),
            location="Cuijk",
            category="belittling_video",
            platform="tiktok",
            summary="Filmpje in de les",
            people=[
                CasePerson("pupil", "leerling 6V2", "1001"),
                CasePerson("pupil", "leerling 2B", "1003"),
            ],
        ),
        today=date(2024, 3, 3),
    )


def test_candidates_are_those_who_left_more_than_n_years_ago(db):
    make_school(db)
    names = [c.name for c in purge_candidates(db, TODAY)]
    assert names == ["Meryem Boujdaini", "Joëlle van den Broek"]
    set_setting(db, "retention.years_after_leaving", 1)
    assert [c.number for c in purge_candidates(db, TODAY)] == ["1004", "1001", "1002"]
    assert purge_candidates(db, TODAY, years=5) == []
    joelle = [c for c in purge_candidates(db, TODAY) if c.number == "1001"][0]
    assert (joelle.decisions, joelle.case_links) == (2, 1)


def test_purge_removes_personal_data_keeps_an_anonymous_case_reference(db, db_path, engine):
    make_school(db)
    case_ref = db.execute("SELECT reference FROM cases").fetchone()[0]
    counts = purge(db, [c.pupil_id for c in purge_candidates(db, TODAY)], TODAY)
    assert (counts.pupils, counts.decisions, counts.case_links) == (2, 3, 1)
    numbers = [r[0] for r in db.execute("SELECT number FROM pupils ORDER BY number")]
    assert numbers == ["1002", "1003"]
    assert db.execute("SELECT count(*) FROM decisions").fetchone()[0] == 1
    people = get_case(db, case_ref).people
    assert people[1].pupil_number == "1003"
    assert people[0].pupil_number.startswith("verwijderd-")
    assert "1001" not in people[0].pupil_number

    # The audit log: nothing about Joëlle or Meryem is left, but the entries still exist.
    log = db.execute(
        "SELECT record_kind, record_id, old_value, new_value FROM audit_log"
    ).fetchall()
    text = json.dumps(log, ensure_ascii=False)
    for personal in ("Joëlle", "Broek", "Anke", "Meryem", "Boujdaini", "2008-03-01", '"1001"'):
        assert personal not in text
    assert "Zofia" in text and "Öztürk" in text  # others are untouched
    purge_entry = db.execute(
        "SELECT record_id, old_value, new_value FROM audit_log WHERE action='purge'"
    ).fetchone()
    assert purge_entry[0] is None and purge_entry[1] is None
    assert json.loads(purge_entry[2]) == {
        "pupils": 2,
        "decisions": 3,
        "case_links": 1,
        "publication_links": 0,
        "audit_entries_scrubbed": counts.audit_entries_scrubbed,
        "paper_forms": 0,
        "retention_years": 2,
    }
    assert counts.audit_entries_scrubbed >= 5  # 2 creates + 3 decisions
    db.close()
    if engine == "sqlite":  # a server's pages and backups are its own (docs/deployment.md)
        assert verify(db_path).ok
        # secure_delete + checkpoint: the names are not in the file's free pages either.
        raw = db_path.read_bytes()
        assert b"Boujdaini" not in raw and b"Anke van den Broek" not in raw


def test_purge_scrubs_other_entries_that_name_the_pupil(db):
    make_school(db)
    from merlet_desk.store.audit import record_change

    with db.atomic():
        record_change(db, "create", "publication", "7", None, {"pupils": ["1001", "1003"]})
        record_change(db, "create", "publication", "8", None, {"pupils": ["1003"], "n": 1001})
    purge(db, [c.pupil_id for c in purge_candidates(db, TODAY)], TODAY)
    values = dict(
        db.execute("SELECT record_id, new_value FROM audit_log WHERE record_kind='publication'")
    )
    assert values == {"7": '"geschoond"', "8": '{"n": 1001, "pupils": ["1003"]}'}


def test_purge_never_removes_a_current_pupil(db):
    make_school(db)
    zofia = get_pupil(db, "1003")
    assert purge(db, [zofia.id], TODAY).pupils == 0
    assert get_pupil(db, "1003").name == "Zofia Łęcka"


def test_audit_log_stays_append_only_outside_a_purge(db):
    make_school(db)
    with pytest.raises(sqlite_driver.IntegrityError, match="append-only"):
        db.execute("UPDATE audit_log SET new_value = NULL")
    with pytest.raises(sqlite_driver.IntegrityError, match="append-only"):
        db.execute("DELETE FROM audit_log")
    with pytest.raises(sqlite_driver.IntegrityError, match="append-only"):
        db.execute("DELETE FROM decisions")
    # Even inside a scrub, who/when/what cannot be rewritten and entries cannot be deleted.
    with pytest.raises(sqlite_driver.IntegrityError):
        with db.atomic():
            db.execute("INSERT INTO audit_scrub_in_progress (id) VALUES (1)")
            db.execute("UPDATE audit_log SET user = 'iemand anders'")
    with pytest.raises(sqlite_driver.IntegrityError):
        with db.atomic():
            db.execute("INSERT INTO audit_scrub_in_progress (id) VALUES (1)")
            db.execute("UPDATE audit_log SET new_value = '{\"x\": 1}'")
    with pytest.raises(sqlite_driver.IntegrityError):
        with db.atomic():
            db.execute("INSERT INTO audit_scrub_in_progress (id) VALUES (1)")
            db.execute("DELETE FROM audit_log")
    assert db.execute("SELECT count(*) FROM audit_scrub_in_progress").fetchone()[0] == 0


def test_cli_purge_dry_run_then_purge(db_path, capsys, monkeypatch):
    fix_clock(monkeypatch, TODAY)  # the CLI purges as of today; the school below is of TODAY
    db = open_database(db_path)
    make_school(db)
    db.close()
    assert main(["purge", "--db", str(db_path), "--dry-run"]) == 1
    out = capsys.readouterr().out
    assert "2 leerlingen" in out and "Meryem Boujdaini" in out
    db = open_database(db_path)
    assert db.execute("SELECT count(*) FROM pupils").fetchone()[0] == 4
    db.close()
    assert main(["purge", "--db", str(db_path)]) == 0
    assert "Opgeschoond: 2 leerlingen, 3 besluiten" in capsys.readouterr().out
    assert main(["purge", "--db", str(db_path), "--dry-run"]) == 0
    capsys.readouterr()
    assert main(["purge", "--db", str(db_path), "--years", "1", "--dry-run"]) == 1
    assert "Berkay Öztürk" in capsys.readouterr().out
    assert main(["purge", "--db", str(db_path), "--years", "0"]) == 2


@pytest.mark.parametrize("stored", [0, -3, 3000, 2.5, "twee", None, True])
def test_a_retention_setting_that_cannot_be_right_is_refused_where_it_is_read(db, stored):
    """0 years would purge everyone who ever left; 3,000 years crashed on the calendar."""
    from merlet_desk.store.retention import RetentionSettingError

    make_school(db)
    set_setting(db, "retention.years_after_leaving", stored)
    with pytest.raises(RetentionSettingError, match="tussen 1 en 50 jaar") as refused:
        purge_candidates(db, TODAY)
    assert "Extra › Leerlingen opschonen" in str(refused.value)
    with pytest.raises(RetentionSettingError):
        purge(db, [1, 2, 3, 4], TODAY)
    assert db.execute("SELECT count(*) FROM pupils").fetchone()[0] == 4
    assert [c.number for c in purge_candidates(db, TODAY, years=2)] == ["1004", "1001"]


def test_purge_from_the_command_line_refuses_a_bad_setting_and_keeps_everyone(
    db, db_target, capsys, monkeypatch
):
    make_school(db)
    set_setting(db, "retention.years_after_leaving", 0)
    db.close()
    fix_clock(monkeypatch, TODAY)
    assert main(["purge", "--db", str(db_target)]) == 2
    err = capsys.readouterr().err
    assert "bewaartermijn" in err and "Traceback" not in err
    check = open_database(db_target, read_only=True)
    assert check.execute("SELECT count(*) FROM pupils").fetchone()[0] == 4
    check.close()


@pytest.mark.parametrize("years", [0, 51, 3000])
def test_a_retention_period_out_of_range_is_never_stored(db, years):
    from merlet_desk.store.retention import RetentionSettingError, set_retention_years
    from merlet_desk.store.settings import get_setting

    with pytest.raises(RetentionSettingError, match="1 tot 50 jaar"):
        set_retention_years(db, years)
    assert get_setting(db, "retention.years_after_leaving") == 2
    set_retention_years(db, 7)
    assert get_setting(db, "retention.years_after_leaving") == 7
