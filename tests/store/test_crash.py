"""Crash safety: a process killed (SIGKILL) in the middle of a large import leaves a database
that verifies and holds either all of the import or none of it."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from merlet_desk.store import open_database
from merlet_desk.store.verification import verify
from tests.helpers.processes import wait_for

ROWS = 20_000

# A 20,000-pupil CSV import through the consent importer (`merlet_desk.imports.pupils`): one
# transaction. SQLite's trace callback sees every row's INSERT, so the child can say
# "halverwege" from inside that transaction, after half of the rows; with STALL it then waits
# there, so the kill surely lands mid-import. The importer is imported plainly: a broken or
# renamed importer fails this test instead of being replaced by something else.
IMPORTER = r"""
import sys, time
from merlet_desk.imports.pupils import import_pupils
from merlet_desk.store import open_database

path, csv_path, rows, stall = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"
db = open_database(path)
inserted = [0]


def trace(statement):
    if statement.startswith("INSERT INTO pupils"):
        inserted[0] += 1
        if inserted[0] == rows // 2:
            print("halverwege", flush=True)
            if stall:
                time.sleep(30)  # stalled mid-import, so the kill surely lands there


db.conn.set_trace_callback(trace)
import_pupils(db, csv_path)
db.conn.set_trace_callback(None)
print("klaar", flush=True)
"""


def write_csv(path) -> None:
    lines = ["leerlingnummer;roepnaam;tussenvoegsel;achternaam;geboortedatum;klas;locatie"]
    names = [("Joëlle", "van den", "Broek"), ("Berkay", "", "Öztürk"), ("Zofia", "", "Łęcka")]
    for i in range(ROWS):
        first, prefix, last = names[i % 3]
        lines.append(f"{i:06d};{first};{prefix};{last} {i};03-02-2011;1A;Grave")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def start_import(db_path, stall: bool = False):
    csv_path = db_path.with_name("leerlingen.csv")
    if not csv_path.exists():
        write_csv(csv_path)
    return subprocess.Popen(
        [sys.executable, "-c", IMPORTER, str(db_path), str(csv_path), str(ROWS), str(int(stall))],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def pupils_in(db_path) -> int:
    db = open_database(db_path)  # also proves it opens (and recovers the WAL) after the crash
    try:
        return db.execute("SELECT count(*) FROM pupils").fetchone()[0]
    finally:
        db.close()


def test_kill_in_the_middle_leaves_none_of_it(db_path):
    open_database(db_path).close()
    process = start_import(db_path, stall=True)
    assert process.stdout.readline().strip() == "halverwege", process.stderr.read()
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    assert verify(db_path).ok
    assert pupils_in(db_path) == 0
    assert verify(db_path).ok


def test_kill_at_random_moments_is_all_or_nothing(db_path):
    """Kills at random moments, some near the commit; each time all or nothing."""
    open_database(db_path).close()
    rng = random.Random(3)
    outcomes = []
    for _attempt in range(4):
        process = start_import(db_path)
        assert process.stdout.readline().strip() == "halverwege", process.stderr.read()
        time.sleep(rng.uniform(0.0, 0.6))  # a random moment of the import: the point of it
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        result = verify(db_path)
        assert result.ok, result.summary()
        count = pupils_in(db_path)
        assert count in (0, ROWS)
        outcomes.append(count)
        if count == ROWS:
            break  # the import got through before the kill; the next one would change nothing
    print(f"\nkill test outcomes (pupils after each kill): {outcomes}")


def test_an_import_that_is_not_killed_holds_everything(db_path):
    open_database(db_path).close()
    process = start_import(db_path)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "klaar" in out
    assert pupils_in(db_path) == ROWS
    assert verify(db_path).ok


def test_a_killed_command_line_import_leaves_a_file_every_command_finds_whole(tmp_path):
    """`merlet-desk import-pupils` of 60,000 rows, killed (SIGKILL) in the middle of its
    transaction; then every kind of command, `verify` first, finds the file whole: not "een
    schrijver is halverwege gestopt" (exit 2), which a rollback journal left beside the file
    made every reader say until a writer had opened it."""
    from tests.helpers.processes import HEADER, run_cli

    db_path = tmp_path / "merlet.sqlite"
    assert run_cli("init", "--db", db_path).returncode == 0
    rows = tmp_path / "leerlingen.csv"
    rows.write_text(
        HEADER
        + "".join(f"{100000 + i};Zofia;;Łęcka {i};03-02-2012;1A;Grave\n" for i in range(60_000)),
        encoding="utf-8",
    )
    wal, journal = (db_path.with_name(db_path.name + side) for side in ("-wal", "-journal"))

    def size(path) -> int:
        try:
            return path.stat().st_size
        except FileNotFoundError:
            return 0

    # Killed inside the import's one transaction, once SQLite has spilled changed pages (its
    # cache is full): into the WAL, or, with a rollback journal, into the file itself, which
    # makes the journal "hot" (a reader must roll it back, and a read-only one cannot).
    at_rest = size(db_path)
    argv = [sys.executable, "-m", "merlet_desk", "import-pupils", str(rows), "--db", str(db_path)]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Looked at every 2 ms: the window between the first page written and the commit is short.
    wait_for(
        lambda: (
            process.poll() is not None
            or size(wal) > 1_000_000
            or (size(journal) > 0 and size(db_path) > at_rest)
        ),
        60,
        "the import wrote nothing in a minute",
        interval=0.002,
    )
    assert process.poll() is None, "the import ended before the kill: " + process.stdout.read()
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    result = run_cli("verify", "--db", db_path)
    assert result.returncode == 0, result.stdout + result.stderr
    for reader in (["--read-only", "takedowns"], ["takedowns"], ["cases"]):
        result = run_cli(*reader, "--db", db_path)
        assert result.returncode in (0, 1), (reader, result.stderr)
        assert "halverwege" not in result.stderr and "Traceback" not in result.stderr
    assert run_cli("backup", "--db", db_path).returncode == 0
    one = tmp_path / "een.csv"
    one.write_text(HEADER + "9001;Joëlle;van den;Broek;01-05-2012;1A;Cuijk\n", encoding="utf-8")
    assert run_cli("import-pupils", one, "--db", db_path).returncode == 0
    result = run_cli("check", "--purpose", "website", "--class", "1A", "--db", db_path)
    assert result.returncode in (0, 1), result.stderr
    assert pupils_in(db_path) == 1  # none of the killed import, and the next one whole
    assert verify(db_path).ok
