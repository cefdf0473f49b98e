"""Row-level security's cost on a register on a server (figure 13 of `make bench`): the same
store reads as a location's reader (every row passes the location policies) and as an officer
(no policy to pass), in turn.

In `make bench` (`figure_roles`) the large database of each size is copied onto the test
server (`server copy`, as figure 8); a reader for its largest location and an officer are
added. Alone, it fills a register of its own (pupils over Cuijk, Grave and Mill, decisions
for every purpose, in bulk) on a throwaway server, with a reader for Grave:

    python benchmarks/roles.py [--pupils 2000] [--decisions-per-pupil 50]

Both time, alternating the two seats (median of the runs):

- a class check (`statuses.publication_check`) of the largest class of the reader's
  location, the same class for both seats: the pure cost of the policies;
- the register load (`statuses.register_statuses`, what the register filter works on): the
  reader gets its location's pupils only, the officer every pupil, which the filter then
  narrows; the officer's share for the location is in the note.

Besides the wall time, the CPU time of each seat's client and its server process (the
server runs on this machine), which a busy machine disturbs less. Target (issue 28):
reader ≤ 1.3 × officer.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from common import REPEAT, Samples, alternate, median  # noqa: E402

LOCATIONS = ("Cuijk", "Grave", "Mill")
TODAY = date(2026, 11, 24)
PURPOSE = "website"


def fill(db, pupils: int, per_pupil: int) -> None:
    """Pupils over three locations (classes of 25), and `per_pupil` decisions each over the
    purposes and ten years, written by the owner in bulk."""
    rng = random.Random(28)
    purposes = [row[0] for row in db.execute("SELECT id FROM purposes ORDER BY id")]
    pupil_rows = []
    for index in range(pupils):
        location = LOCATIONS[index % 3]
        klass = f"{1 + (index // 3) % 6}{'ABCD'[(index // 18) % 4]}"
        born = date(2008, 1, 1) + timedelta(days=rng.randrange(2500))
        pupil_rows.append(
            (f"{100000 + index}", "Berkay", "", f"Öztürk{index}", born.isoformat(), klass, location)
        )
    with db.atomic():
        db.conn.executemany(
            "INSERT INTO pupils (number, first_name, prefix, last_name, birth_date, class_name,"
            " location) VALUES (?, ?, ?, ?, ?, ?, ?)",
            pupil_rows,
        )
        ids = [row[0] for row in db.execute("SELECT id FROM pupils ORDER BY id")]
        decisions = []
        for pupil in ids:
            for step in range(per_pupil):
                received = TODAY - timedelta(days=rng.randrange(3650))
                decisions.append(
                    (
                        pupil,
                        purposes[step % len(purposes)],
                        rng.choice(("granted", "refused", "withdrawn")),
                        received.isoformat(),
                    )
                )
        db.conn.executemany(
            "INSERT INTO decisions (pupil_id, purpose_id, decision, given_by, giver_name,"
            " received_on, method, recorded_by, recorded_at) VALUES (?, ?, ?, 'parent',"
            " 'Ayşe Yılmaz', ?, 'paper', 'bench', '2026-11-24T09:00:00')",
            decisions,
        )
    db.execute("ANALYZE")


@dataclass
class Figures:
    """What `measure_seats` found: the samples of each seat, and the CPU time of each seat's
    client and server process together (seconds per run)."""

    klass: str
    pupils_in_class: int
    answers_agree: bool
    check_reader: Samples
    check_officer: Samples
    check_cpu: tuple[float, float]
    load_reader: Samples
    load_officer: Samples
    load_cpu: tuple[float, float]
    rows_reader: int
    rows_officer: int


def _backend_cpu(db) -> Callable[[], float]:  # a ServerDatabase
    """The CPU seconds so far of `db`'s server process (the server runs on this machine):
    on a busy machine the wall time of one seat can stretch while the other's does not."""
    pid = db.execute("SELECT pg_backend_pid()").fetchone()[0]
    ticks = os.sysconf("SC_CLK_TCK")

    def now() -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / ticks

    return now


def _paired(reader_fn, officer_fn, reader, officer, repeat: int):
    """`alternate` the two seats; also their CPU per run, client and server process."""
    reader_cpu, officer_cpu = _backend_cpu(reader), _backend_cpu(officer)
    reader_fn()
    officer_fn()  # warm: the plans and caches of both seats
    before = reader_cpu(), officer_cpu()
    ours, base = alternate(reader_fn, officer_fn, repeat=repeat, warmup=0)
    server = reader_cpu() - before[0], officer_cpu() - before[1]
    cpu = (
        (sum(ours.cpu) + server[0]) / len(ours),
        (sum(base.cpu) + server[1]) / len(base),
    )
    return ours, base, cpu


def measure_seats(officer, reader, location: str, on: date, repeat: int = REPEAT) -> Figures:
    """Time the class check and the register load of the reader (for `location`) and the
    officer, in turn: the same largest class of `location` for both."""
    from merlet_desk.store import pupils as pupil_store
    from merlet_desk.store import statuses

    classes = pupil_store.list_classes(reader)
    klass = max(classes, key=lambda c: len(pupil_store.class_numbers(reader, c)))
    numbers = pupil_store.class_numbers(reader, klass)
    assert numbers == pupil_store.class_numbers(officer, klass, location)

    def check(db):
        return statuses.publication_check(db, PURPOSE, numbers, on)

    def answer(db) -> list:
        result = check(db)
        return [(p.number, s.allowed) for p, s in (*result.allowed, *result.blocked)]

    check_reader, check_officer, check_cpu = _paired(
        lambda: check(reader), lambda: check(officer), reader, officer, max(repeat, 9) * 3
    )
    load_reader, load_officer, load_cpu = _paired(
        lambda: statuses.register_statuses(reader, on),
        lambda: statuses.register_statuses(officer, on),
        reader,
        officer,
        repeat,
    )
    return Figures(
        klass,
        len(numbers),
        answer(reader) == answer(officer),
        check_reader,
        check_officer,
        check_cpu,
        load_reader,
        load_officer,
        load_cpu,
        len(statuses.register_statuses(reader, on)),
        len(statuses.register_statuses(officer, on)),
    )


def _seats(owner_url: str, server, location: str):
    """An officer and a reader for `location` on the register at `owner_url`, opened."""
    from merlet_desk.store import open_database
    from merlet_desk.store.engine.access import add_seat

    name = server.name_of(owner_url)
    officer_login, reader_login = f"bench_officer_{os.getpid()}", f"bench_reader_{os.getpid()}"
    owner = open_database(owner_url)
    try:
        add_seat(owner, officer_login, ("officer",), (), "Bench&Lang<2026>")
        add_seat(owner, reader_login, ("reader",), (location,), "Bench&Lang<2026>")
    finally:
        owner.close()
    officer = open_database(server.url(name, user=officer_login))
    reader = open_database(server.url(name, user=reader_login), read_only=True)
    return officer, reader, (officer_login, reader_login)


def figure_roles(rows: list, big: Path, size) -> None:  # Row, bigdb.Size
    """Figure 13 of `make bench`: the large database of `size` copied onto the test server
    (`server copy`, as figure 8), a reader for its largest location and an officer."""
    import shutil
    import tempfile

    from common import Row, ratio_at_most
    from server import _quiet, _test_server

    from merlet_desk.store import open_database

    target = "≤ 1.3× the officer"
    check = Row(
        "13a. Class check as a location's reader vs an officer (row-level security)",
        "ms",
        target=target,
    )
    load = Row("13b. Register load as a location's reader vs an officer", "ms", target=target)
    for row in (check, load):
        row.check = ratio_at_most(1.3)
    rows += [check, load]

    server = _test_server()
    work = Path(tempfile.mkdtemp(prefix="merlet-bench-roles-"))
    url = server.new_database("roles")
    logins: tuple[str, ...] = ()
    try:
        file = work / big.name
        shutil.copyfile(big, file)
        _quiet("server", "copy", str(file), "--db", url)
        owner = open_database(url, read_only=True)
        try:
            location = owner.execute(
                "SELECT location FROM pupils WHERE left_on IS NULL"
                " GROUP BY location ORDER BY count(*) DESC, location LIMIT 1"
            ).fetchone()[0]
        finally:
            owner.close()
        officer, reader, logins = _seats(url, server, location)
        try:
            found = measure_seats(officer, reader, location, date.today())
        finally:
            officer.close()
            reader.close()
    finally:
        server.drop(url)
        for login in logins:
            server.sql(f'DROP ROLE IF EXISTS "{login}"')
        shutil.rmtree(work, ignore_errors=True)

    check.ours, check.baseline = (
        median(found.check_reader) * 1000,
        median(found.check_officer) * 1000,
    )
    check.samples, check.baseline_samples = found.check_reader, found.check_officer
    check.note = (
        f"class {found.klass} of {location} ({found.pupils_in_class} pupils), the same for both"
        f"{'' if found.answers_agree else '; THE ANSWERS DIFFER'}; CPU per check, client and "
        f"its server process: reader {found.check_cpu[0] * 1000:.2f} ms, officer "
        f"{found.check_cpu[1] * 1000:.2f} ms ({found.check_cpu[0] / found.check_cpu[1]:.2f}×)"
    )
    load.ours, load.baseline = median(found.load_reader) * 1000, median(found.load_officer) * 1000
    load.samples, load.baseline_samples = found.load_reader, found.load_officer
    share = load.baseline * found.rows_reader / max(found.rows_officer, 1)
    load.note = (
        f"what the register's filter works on: the reader gets {found.rows_reader} rows of "
        f"{location}, the officer all {found.rows_officer} and filters them; against the "
        f"officer's share for {location} ({share:.0f} ms) the reader takes "
        f"{load.ours / share:.2f}×. CPU per load, client and server process: reader "
        f"{found.load_cpu[0] * 1000:.0f} ms, officer {found.load_cpu[1] * 1000:.0f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pupils", type=int, default=2000)
    parser.add_argument("--decisions-per-pupil", type=int, default=50)
    args = parser.parse_args()

    from merlet_desk import clock
    from merlet_desk.store import open_database
    from tests.helpers.postgres import TestServer

    clock.fix(TODAY)
    server = TestServer()
    server.start()
    try:
        url = server.new_register()
        owner = open_database(url)
        try:
            fill(owner, args.pupils, args.decisions_per_pupil)
        finally:
            owner.close()
        officer, reader, _ = _seats(url, server, "Grave")
        try:
            found = measure_seats(officer, reader, "Grave", TODAY)
        finally:
            officer.close()
            reader.close()
    finally:
        server.remove()

    def ms(samples) -> float:
        return median(samples) * 1000

    print(f"{args.pupils} pupils, {args.pupils * args.decisions_per_pupil} decisions, PostgreSQL")
    print()
    print("| Figure | Grave reader | Officer | Reader / officer | CPU reader / officer | Target |")
    print("| --- | --- | --- | --- | --- | --- |")
    for what, a, b, cpu in (
        (
            f"Class check, {found.klass} in Grave ({found.pupils_in_class} pupils; answers "
            f"{'agree' if found.answers_agree else 'DIFFER'})",
            found.check_reader,
            found.check_officer,
            found.check_cpu,
        ),
        (
            f"Register load ({found.rows_reader} vs {found.rows_officer} rows)",
            found.load_reader,
            found.load_officer,
            found.load_cpu,
        ),
    ):
        ratio = ms(a) / ms(b)
        print(
            f"| {what} | {ms(a):.1f} ms | {ms(b):.1f} ms | {ratio:.2f}× | "
            f"{cpu[0] / cpu[1]:.2f}× | ≤ 1.3× {'yes' if ratio <= 1.3 else 'NO'} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
