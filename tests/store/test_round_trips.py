"""On a server register each query is a round trip, so the reads the window repeats all day
wait for the server a fixed number of times, however many pupils or publications they cover:
a query per pupil, per row or per purpose (harmless inside SQLite's process) made the server
tens of times slower than the file. Counted, not timed (`tests/helpers/postgres.RoundTrips`);
the times are in `make bench`, figure 8."""

from __future__ import annotations

import pytest

from merlet_desk.demo import fill_demo
from merlet_desk.domain import consent as rules
from merlet_desk.store import open_database, statuses
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store import takedowns as takedown_store
from merlet_desk.store.decisions import record_decision
from tests.helpers import TODAY
from tests.helpers.postgres import RoundTrips


@pytest.fixture(scope="module")
def demo_url(postgres_server):
    """A demo register of 400 pupils on the test server, shared by this module's tests (they
    read it; the takedown test writes decisions of its own pupil only)."""
    url = postgres_server.new_register()
    db = open_database(url)
    try:
        fill_demo(db, 400)
    finally:
        db.close()
    yield url
    postgres_server.drop(url)


@pytest.fixture
def demo(demo_url):
    db = open_database(demo_url)
    yield db
    db.close()


@pytest.fixture
def trips(monkeypatch) -> RoundTrips:
    return RoundTrips(monkeypatch)


def largest_class(db) -> list[str]:
    classes = pupil_store.list_classes(db)
    return max((pupil_store.class_numbers(db, c) for c in classes), key=len)


def test_opening_a_register_is_one_query_after_connecting(demo_url, trips):
    with trips.counting_now():
        open_database(demo_url).close()
    assert trips.round_trips == 1, trips.statements


def test_a_class_check_is_one_round_trip_for_a_class_or_the_whole_school(demo, trips):
    klass = largest_class(demo)
    everyone = [pupil.number for pupil in pupil_store.list_pupils(demo)]
    assert len(klass) >= 10 and len(everyone) >= 300
    for numbers in (klass, everyone):
        with trips.counting_now():
            result = statuses.publication_check(demo, "website", numbers, TODAY)
        assert len(result.allowed) + len(result.blocked) == len(numbers)
        assert trips.round_trips == 1, trips.statements
        # purposes, pupils, settings, decisions, and who of the pupils was told at 16
        assert len(trips.statements) == 5, trips.statements


def test_class_checks_are_planned_once_per_connection_and_answer_as_a_fresh_one(demo):
    """A class check's reads are prepared statements with one plan for any class (the server
    planned each again per check); the plan made for a class of 30 still answers right for
    the whole school, and each answer is what a new connection gives."""
    classes = pupil_store.list_classes(demo)[:3]
    selections = [pupil_store.class_numbers(demo, c) for c in classes]
    selections.append([pupil.number for pupil in pupil_store.list_pupils(demo)])
    results = [statuses.publication_check(demo, "website", n, TODAY) for n in selections]
    plans = demo.execute(
        "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements"
    ).fetchall()
    assert any("FROM decisions" in statement for statement, _g, _c in plans), plans
    assert len(plans) == 5, plans  # purposes, pupils, settings, decisions, marks
    for _statement, generic, custom in plans:
        assert (generic, custom) == (len(selections), 0), plans
    fresh = open_database(demo.target)
    try:
        for numbers, result in zip(selections, results, strict=True):
            again = statuses.publication_check(fresh, "website", numbers, TODAY)
            assert [(p.number, s.allowed) for p, s in result.allowed + result.blocked] == [
                (p.number, s.allowed) for p, s in again.allowed + again.blocked
            ]
            assert len(result.allowed) + len(result.blocked) == len(numbers)
    finally:
        fresh.close()


def test_the_register_is_one_round_trip(demo, trips):
    with trips.counting_now():
        rows = statuses.register_statuses(demo, TODAY)
    assert len(rows) >= 300
    assert trips.round_trips == 1, trips.statements


def test_the_takedown_list_after_a_decision_waits_twice_whatever_its_length(demo, trips):
    with trips.counting_now():
        listed = takedown_store.open_takedowns(demo, TODAY)
    assert len(listed) >= 5, "the demo has publications to take down"
    # The whole list: the look for other seats' commits, the reads, the hidden faces.
    assert trips.round_trips <= 3, trips.statements
    on_website = demo.execute(
        "SELECT p.number FROM publications pb JOIN purposes pu ON pu.id = pb.purpose_id"
        " JOIN publication_item_pupils ip ON ip.item_id = pb.item_id"
        " JOIN pupils p ON p.id = ip.pupil_id"
        " WHERE pu.code = 'website' AND pb.taken_down_on IS NULL ORDER BY p.number LIMIT 1"
    ).fetchone()[0]
    pupil = pupil_store.get_pupil(demo, on_website)
    giver = rules.default_giver(pupil.birth_date, TODAY)
    record_decision(
        demo, pupil.number, "website", "withdrawn", giver, "Joëlle van den Broek", TODAY
    )
    with trips.counting_now():
        after = takedown_store.open_takedowns(demo, TODAY)
    other = open_database(demo.target)
    try:
        assert after == takedown_store.open_takedowns(other, TODAY)
    finally:
        other.close()
    # After this seat's own decision only that pupil is read again: one round trip for the
    # pupil's publications, statuses, kept takedowns and hidden faces, whose answer also
    # brings the notices of other seats' commits.
    assert trips.round_trips == 1, trips.statements
    assert len(trips.statements) <= 8, trips.statements


def test_the_pupils_reads_after_a_decision_are_planned_once_per_connection(demo):
    """The server would plan the five-table join of a pupil's publications again after each
    decision (ten times as long as running it): they are prepared statements with one plan
    for any pupil, planned at the first decision only."""
    listed = takedown_store.open_takedowns(demo, TODAY)
    numbers = sorted({t.pupil.number for t in listed})[:3]
    assert len(numbers) == 3, "the demo has pupils on the list"
    for round_ in range(2):
        for number in numbers:
            pupil = pupil_store.get_pupil(demo, number)
            giver = rules.default_giver(pupil.birth_date, TODAY)
            decision = ("granted", "withdrawn")[round_]
            record_decision(demo, number, "website", decision, giver, "Berkay Öztürk", TODAY)
            takedown_store.open_takedowns(demo, TODAY)
    plans = demo.execute(
        "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements"
    ).fetchall()
    publications = [p for p in plans if "FROM publications pb JOIN" in p[0]]
    assert publications, plans
    for _statement, generic, custom in plans:
        assert (generic, custom) == (6, 0), plans
    fresh = open_database(demo.target)
    try:
        assert takedown_store.open_takedowns(demo, TODAY) == takedown_store.open_takedowns(
            fresh, TODAY
        )
    finally:
        fresh.close()
