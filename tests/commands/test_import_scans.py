"""`merlet-desk import-scans`: which date a decision gets, and two runs at once.

A form cannot be received before it was printed, or after today. The scan's own date (the
PDF's creation date, the image's EXIF date, else the file's date) counts when it lies in that
span; otherwise the page goes to a person and `--received` gives the date. A `--received`
outside the span is refused before anything is recorded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image

from merlet_desk import clock
from merlet_desk.cli import main
from merlet_desk.domain import consent as rules
from merlet_desk.domain import paper_form as layout
from merlet_desk.store import decisions as decision_store
from merlet_desk.store import open_database
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store import statuses as store
from merlet_desk.store.verification import verify
from tests.helpers import PAPER_TODAY, paper_school, sqlite
from tests.helpers import issue_forms as issue
from tests.helpers import scan_form as scan_to

# Joëlle's parent had granted social media by e-mail; the paper form says no.
ANSWERS = [layout.JA, layout.NEE, layout.JA]


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    with clock.fixed(PAPER_TODAY):
        monkeypatch.setenv(clock.ENV_VAR, PAPER_TODAY.isoformat())
        yield


def run_cli(capsys, *args):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def social_media(db):
    return store.status_of(db, "1001", "social_media", PAPER_TODAY.date()).state


def copier_pdf(image_path: Path, target: Path, created: str) -> Path:
    """What the copier makes of the page: a PDF whose CreationDate is its own clock."""
    Image.open(image_path).save(
        target, "PDF", resolution=150, creationDate=time.strptime(created, "%Y-%m-%d")
    )
    return target


@pytest.fixture
def refusal(db, tmp_path):
    paper_school(db)
    decision_store.record_decision(
        db, "1001", "social_media", rules.GRANTED, rules.PARENT, "Anna van den Broek", "2026-09-05"
    )
    _, pdf = issue(db, ["1001"], tmp_path)  # printed 01-09-2026
    return scan_to(tmp_path / "nee.png", pdf, 0, ANSWERS)


def test_a_copier_clock_before_the_printing_does_not_date_the_refusal(
    db, db_target, tmp_path, refusal, capsys
):
    stack = copier_pdf(refusal, tmp_path / "stapel.pdf", "2025-03-15")
    code, out, _ = run_cli(capsys, "import-scans", stack, "--db", db_target, "--confirm-certain")
    assert code == 1
    assert "15-03-2025" in out and "01-09-2026" in out and "--received" in out
    assert "0 formulieren vastgelegd" in out
    assert [d.received_on.year for d in decision_store.decisions_for(db, "1001")] == [2026]
    assert social_media(db) == rules.ALLOWED  # nothing recorded, nothing lost either

    code, out, _ = run_cli(capsys, "import-scans", stack, "--db", db_target, "--json")
    [page] = json.loads(out)["results"]
    assert code == 1 and not page["certain"] and "15-03-2025" in page["message"]

    code, out, _ = run_cli(
        capsys,
        "import-scans",
        stack,
        "--db",
        db_target,
        "--confirm-certain",
        "--received",
        "2026-09-14",
    )
    assert code == 0 and "1 formulier vastgelegd (3 besluiten)" in out
    assert social_media(db) == rules.REFUSED


def test_a_scan_dated_after_today_goes_to_a_person(db, db_target, tmp_path, refusal, capsys):
    ahead = datetime(2026, 10, 3, 12, 0).timestamp()
    os.utime(refusal, (ahead, ahead))  # a PNG has no date of its own: the file's date
    code, out, _ = run_cli(capsys, "import-scans", refusal, "--db", db_target, "--confirm-certain")
    assert code == 1 and "03-10-2026" in out and "--received" in out
    assert "0 formulieren vastgelegd" in out
    assert social_media(db) == rules.ALLOWED


def test_a_plausible_scan_date_counts(db, db_target, refusal, capsys):
    code, out, _ = run_cli(capsys, "import-scans", refusal, "--db", db_target, "--confirm-certain")
    assert code == 0
    assert {d.received_on.isoformat() for d in decision_store.decisions_for(db, "1001")} == {
        "2026-09-05",
        "2026-09-14",
    }
    assert social_media(db) == rules.REFUSED


@pytest.mark.parametrize(
    ("received", "words"),
    [
        ("2026-08-31", ["31-08-2026", "01-09-2026", "afgedrukt"]),
        ("2026-09-21", ["21-09-2026", "toekomst"]),
    ],
)
def test_an_impossible_received_date_is_refused_before_anything_is_recorded(
    db, db_target, refusal, capsys, received, words
):
    before = decision_store.decisions_for(db, "1001")
    code, out, err = run_cli(
        capsys,
        "import-scans",
        refusal,
        "--db",
        db_target,
        "--confirm-certain",
        "--received",
        received,
    )
    assert code == 2 and out == ""
    assert err.startswith("merlet-desk: ") and len(err.strip().splitlines()) == 1
    for word in words:
        assert word in err
    assert decision_store.decisions_for(db, "1001") == before
    assert db.execute("SELECT count(*) FROM form_scans").fetchone()[0] == 0


# --------------------------------------------------------------------------- two runs at once


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _wait_until_idle(processes, idle_for=0.6, limit=90.0) -> None:
    """Until every process has used no CPU for `idle_for` seconds: waiting for the lock."""
    deadline = time.monotonic() + limit
    last = {p.pid: -1 for p in processes}
    since = {p.pid: time.monotonic() for p in processes}
    while time.monotonic() < deadline:
        for process in processes:
            assert process.poll() is None, process.communicate()
            ticks = _cpu_ticks(process.pid)
            if ticks != last[process.pid]:
                last[process.pid], since[process.pid] = ticks, time.monotonic()
        if all(time.monotonic() - since[p.pid] >= idle_for for p in processes):
            return
        time.sleep(0.05)  # another process's CPU use, read from /proc: looked at, not waited on
    raise AssertionError("the imports did not get to their first write")


@pytest.mark.sqlite_only("holds the file's write lock with sqlite3 itself")
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to see a wait")
def test_two_confirm_certain_runs_over_overlapping_stacks(db, db_path, tmp_path):
    """Both runs read their stacks while a third connection holds the write lock, so both find
    Joëlle's form not yet recorded; then they record at once. Before, the one that came second
    exited 2 on `UNIQUE constraint failed: form_scans.form_id` without its report."""
    paper_school(db)
    pupil_store.save_pupil(db, "1005", "Şükrü", "", "Yılmaz", "2013-04-05", "1A", "Cuijk")
    _, pdf = issue(db, ["1001", "1002", "1003", "1005"], tmp_path)
    pages = {
        number: scan_to(tmp_path / f"{number}.png", pdf, index, [layout.JA, layout.NEE, layout.NEE])
        for index, number in enumerate(["1001", "1002", "1003", "1005"])
    }
    db.close()
    stacks = (["1001", "1002", "1003"], ["1001", "1005", "1003"])
    environment = {k: v for k, v in os.environ.items() if k != "MERLET_DESK_READ_ONLY"}
    environment.update(QT_QPA_PLATFORM="offscreen")

    holder = sqlite.connect(db_path, timeout=0)
    holder.execute("BEGIN IMMEDIATE")
    try:
        runs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "merlet_desk",
                    "import-scans",
                    *(str(pages[n]) for n in stack),
                    "--db",
                    str(db_path),
                    "--confirm-certain",
                    "--json",
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=environment,
            )
            for stack in stacks
        ]
        _wait_until_idle(runs)
    finally:
        holder.rollback()
        holder.close()
    results = []
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode in (0, 1), err
        assert "Traceback" not in err and "UNIQUE" not in err
        results.append(json.loads(out))

    statuses = [[page["status"] for page in result["results"]] for result in results]
    by_form: dict[str, list[str]] = {}
    for result in results:
        for page in result["results"]:
            by_form.setdefault(page["pupil"], []).append(page["status"])
    assert sorted(by_form["1001"]) == ["duplicate", "recorded"], statuses
    assert sorted(by_form["1003"]) == ["duplicate", "recorded"], statuses
    assert by_form["1002"] == ["recorded"] and by_form["1005"] == ["recorded"], statuses
    for result in results:
        for page in result["results"]:
            if page["status"] == "duplicate":
                assert "al eerder verwerkt" in page["message"]
    assert sum(result["recorded"] for result in results) == 4

    assert verify(db_path).ok
    check = open_database(db_path, read_only=True)
    try:
        assert check.execute("SELECT count(*) FROM form_scans").fetchone()[0] == 4
        assert check.execute("SELECT count(*) FROM decisions").fetchone()[0] == 12
    finally:
        check.close()
