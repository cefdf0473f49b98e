"""`verify` on files that another tool changed (issue 19, part 5): a reference to a row that
is gone, a table or a trigger that was dropped. SQLite's integrity check passes on all of
them; verify must not, and must not write."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from merlet_desk.cli import main
from merlet_desk.store import migrations, open_database
from merlet_desk.store.decisions import record_decision
from merlet_desk.store.pupils import save_pupil
from merlet_desk.store.verification import verify
from tests.helpers import sqlite

pytestmark = pytest.mark.sqlite_only(
    "`verify` checks a register file; a server checks its own pages"
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def school(db, db_path):
    """Two pupils with a decision each; closed, so another tool can edit the file."""
    save_pupil(db, "1001", "Joëlle", "van den", "Broek", "2012-03-14", "2A", "Cuijk")
    save_pupil(db, "1002", "Berkay", "", "Öztürk", "2012-07-02", "2A", "Cuijk")
    for number in ("1001", "1002"):
        record_decision(db, number, "website", "granted", "parent", "Ayşe & co", "2026-09-01")
    db.close()
    return db_path


def edit_with_another_tool(path: Path, *statements: str) -> None:
    """What a DB browser does: no foreign keys enforced, no triggers of ours in the way."""
    conn = sqlite.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    for statement in statements:
        conn.execute(statement)
    conn.close()


def check_cli(path: Path, capsys) -> str:
    before = digest(path)
    assert main(["verify", "--db", str(path)]) == 1
    assert digest(path) == before  # nothing written
    return capsys.readouterr().err


def test_a_healthy_file_is_in_order(school, capsys):
    result = verify(school)
    assert result.ok and result.missing == [] and result.foreign_keys == []
    assert main(["verify", "--db", str(school)]) == 0
    assert "in orde (integriteit, verwijzingen en tabellen gecontroleerd" in capsys.readouterr().out


def test_a_decision_of_a_pupil_who_is_gone_is_a_foreign_key_problem(school, capsys):
    edit_with_another_tool(
        school,
        "INSERT INTO decisions (pupil_id, purpose_id, decision, given_by, giver_name,"
        " received_on, method, recorded_by, recorded_at)"
        " VALUES (999, 1, 'granted', 'parent', 'x', '2026-09-02', 'paper', 'x', 'x')",
    )
    result = verify(school)
    assert not result.ok and result.integrity == []  # SQLite's own check sees nothing
    [problem] = result.foreign_keys
    assert problem.startswith("tabel decisions, rij ") and problem.endswith("in pupils")
    err = check_cli(school, capsys)
    assert (
        "BESCHADIGD of onbruikbaar" in err and "verwijst naar een ontbrekende rij in pupils" in err
    )


def test_a_dropped_table_and_trigger_are_missing(school, capsys):
    edit_with_another_tool(school, "DROP TABLE case_evidence", "DROP TRIGGER decisions_no_delete")
    result = verify(school)
    assert result.missing == [
        "tabel case_evidence ontbreekt",
        "trigger decisions_no_delete ontbreekt",
    ]
    assert result.integrity == [] and result.foreign_keys == []
    err = check_cli(school, capsys)
    assert "  - tabel case_evidence ontbreekt" in err
    assert "  - trigger decisions_no_delete ontbreekt" in err


def test_an_older_schema_is_checked_against_its_own_version(db_path, monkeypatch):
    """A backup from before the publications register lacks its tables, and that is fine."""
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:3])
    monkeypatch.setattr(migrations, "LATEST_VERSION", 3)
    open_database(db_path).close()
    monkeypatch.undo()
    result = verify(db_path)
    assert result.schema_version == 3 and result.ok, result.summary()
