"""Several writers on one register on a server, at the same moment: the server does the
locking. A withdrawal that commits while `publish` waits is seen (a blocked pupil is never
published), and four processes recording decisions into one set of pupils lose none, with
the history in commit order."""

from __future__ import annotations

import threading
import time

import pytest

from merlet_desk.domain import consent as rules
from merlet_desk.domain.publications import publish_checklist
from merlet_desk.store import decisions as decision_store
from merlet_desk.store import items as item_store
from merlet_desk.store import open_database
from merlet_desk.store import publications as pub
from merlet_desk.store import pupils as pupil_store
from tests.helpers import TODAY, born_aged
from tests.helpers.processes import start_together

ALL_AGREEMENTS = [entry.agreement for entry in publish_checklist()]
PUPILS = (
    ("1001", "Joëlle", "van den", "Broek"),
    ("1002", "Berkay", "", "Öztürk"),
    ("1003", "Zofia", "", "Łęcka"),
    ("1004", "Meryem", "", "Boujdaini"),
)


@pytest.fixture
def url(postgres_server):
    target = postgres_server.new_register()
    yield target
    postgres_server.drop(target)


def waiting_for_the_writer_lock(postgres_server, url: str) -> bool:
    """Whether a connection to this register waits for the writer lock (an advisory lock)."""
    rows = postgres_server.sql(
        "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database"
        " WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = %s",
        params=[postgres_server.name_of(url)],
    )
    return rows[0][0] > 0


def test_a_withdrawal_committed_while_publish_waits_is_seen(postgres_server, url):
    """The other seat is saving a withdrawal when publish() starts: publish() checks consent
    inside its own write transaction, after the writer lock, so it sees the withdrawal and
    refuses."""
    register = open_database(url)
    other = open_database(url)
    try:
        day = TODAY.isoformat()
        pupil_store.save_pupil(
            register, "1005", "Şükrü", "", "Yılmaz", born_aged(12), "2A", "Cuijk"
        )
        decision_store.record_decision(
            register, "1005", "website", rules.GRANTED, rules.PARENT, "Ouder", day
        )
        item = item_store.create_item(register, "Sportdag 2A <& co>", pupil_numbers=["1005"])

        saving = other.atomic()
        saving.__enter__()  # the other window is saving a withdrawal
        decision_store.record_decision(
            other, "1005", "website", rules.WITHDRAWN, rules.PARENT, "Ouder", day
        )
        outcome: list[object] = []

        def publish() -> None:
            try:
                outcome.append(
                    pub.publish(
                        register, item.id, "website", TODAY, "site", checklist=ALL_AGREEMENTS
                    )
                )
            except pub.PublishBlocked as exc:
                outcome.append(exc)

        worker = threading.Thread(target=publish)
        worker.start()
        deadline = time.monotonic() + 10
        while not waiting_for_the_writer_lock(postgres_server, url):
            assert time.monotonic() < deadline, "publish() never waited for the writer lock"
            time.sleep(0.02)
        saving.__exit__(None, None, None)  # the withdrawal commits
        worker.join(10)
        [result] = outcome
        assert isinstance(result, pub.PublishBlocked)
        assert [(p.number, s.state) for p, s in result.blocked] == [("1005", rules.WITHDRAWN)]
        assert pub.publications_of_item(register, item.id) == []
    finally:
        other.close()
        register.close()


WRITER = """
import sys
from merlet_desk.store import open_database
from merlet_desk.store.decisions import record_decision

url, seat, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
numbers = ["1001", "1002", "1003", "1004"]
decisions = ["granted", "refused", "withdrawn"]
db = open_database(url)
print("klaar", flush=True)
sys.stdin.readline()  # all four start together
for n in range(count):
    record_decision(
        db, numbers[n % 4], "website", decisions[(n + seat) % 3], "parent",
        f"Werkplek {seat} & <{n}>", "2026-09-01",
    )
db.close()
"""


def test_four_seats_writing_at_once_lose_nothing_and_keep_commit_order(postgres_server, url):
    db = open_database(url)
    try:
        for number, first, prefix, last in PUPILS:
            pupil_store.save_pupil(db, number, first, prefix, last, born_aged(12), "2A", "Grave")
    finally:
        db.close()
    seats = start_together(WRITER, [[url, str(seat), "500"] for seat in range(4)])
    for seat in seats:
        assert seat.wait(300) == 0

    rows = postgres_server.sql(
        "SELECT d.id, d.giver_name, pg_xact_commit_timestamp(d.xmin) FROM decisions d"
        " ORDER BY d.id",
        database=postgres_server.name_of(url),
    )
    assert len(rows) == 4 * 500  # none lost
    per_seat = {seat: 0 for seat in range(4)}
    for _id, giver, _committed in rows:
        per_seat[int(giver.split()[1])] += 1
    assert per_seat == {0: 500, 1: 500, 2: 500, 3: 500}
    assert len({committed for *_rest, committed in rows}) == len(rows)  # one commit each
    commits = [committed for *_rest, committed in rows]
    assert commits == sorted(commits)  # the history's order is the commit order

    # And the seats took turns, not one after another: their decisions interleave.
    seats_in_order = [int(giver.split()[1]) for _id, giver, _c in rows]
    changes = sum(1 for a, b in zip(seats_in_order, seats_in_order[1:], strict=False) if a != b)
    assert changes > 3
    db = open_database(url, read_only=True)
    try:
        history = decision_store.decisions_for(db, "1001")
        assert [d.giver_name for d in history] == [
            giver for _id, giver, _c in rows if int(giver.rsplit("<", 1)[1][:-1]) % 4 == 0
        ]
    finally:
        db.close()
