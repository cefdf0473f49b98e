"""The takedown list kept per open database (issue 18): after this window's own consent
decisions only those pupils are computed again, and the list always equals a full computation;
any other write, or another program's, makes it compute everything again."""

from __future__ import annotations

import gc
import random
import weakref

import pytest

from merlet_desk.demo import fill_demo
from merlet_desk.domain import consent as rules
from merlet_desk.store import changes, open_database
from merlet_desk.store import decisions as decision_store
from merlet_desk.store import publications as pub
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store import takedowns as takedown_store
from tests.helpers import TODAY


@pytest.fixture
def demo(tmp_path):
    path = tmp_path / "demo.sqlite"
    db = open_database(path)
    fill_demo(db, 600)
    yield db, path
    db.close()


def fresh_list(path):
    """The list as a connection without any kept state computes it."""
    other = open_database(path, read_only=True)
    try:
        return takedown_store.open_takedowns(other, TODAY)
    finally:
        other.close()


@pytest.fixture
def computations(monkeypatch):
    """Which pupils each computation of the list covered (None: every pupil)."""
    seen: list[frozenset[int] | None] = []
    compute = takedown_store._compute_open_takedowns

    def spy(db, on, pupil_ids=None):
        seen.append(None if pupil_ids is None else frozenset(pupil_ids))
        return compute(db, on, pupil_ids)

    monkeypatch.setattr(takedown_store, "_compute_open_takedowns", spy)
    return seen


def pupils_in_publications(db) -> list[pupil_store.Pupil]:
    numbers = [
        row[0]
        for row in db.execute(
            "SELECT DISTINCT p.number FROM publication_item_pupils ip"
            " JOIN pupils p ON p.id = ip.pupil_id ORDER BY p.number"
        )
    ]
    return [pupil_store.get_pupil(db, number) for number in numbers]


def test_after_decisions_only_those_pupils_are_computed_and_the_list_stays_true(demo, computations):
    db, path = demo
    first = takedown_store.open_takedowns(db, TODAY)
    assert computations == [None]
    assert first == fresh_list(path)
    rng = random.Random(18)
    listed = {t.pupil.id for t in first}
    on_list = [p for p in pupils_in_publications(db) if p.id in listed]
    others = [p for p in pupils_in_publications(db) if p.id not in listed]
    assert len(on_list) >= 3, "the demo has pupils on the list"
    pupils = rng.sample(on_list, 3) + rng.sample(others, 5)
    for pupil in pupils:
        # A withdrawal and, the same day, a grant (the withdrawal wins on one date): the
        # pupil's rows are computed again each time, never listed twice.
        grant = rules.default_giver(pupil.birth_date, TODAY)
        for decision, giver in ((rules.WITHDRAWN, rules.PARENT), (rules.GRANTED, grant)):
            for purpose in ("website", "social_media", "yearbook"):
                decision_store.record_decision(
                    db, pupil.number, purpose, decision, giver, "Ouder", TODAY
                )
            computations.clear()
            kept = takedown_store.open_takedowns(db, TODAY)
            assert computations == [frozenset({pupil.id})]
            assert kept == fresh_list(path)
    # Nothing changed since: no computation at all.
    computations.clear()
    assert takedown_store.open_takedowns(db, TODAY) == kept
    assert computations == []


def test_a_withdrawal_puts_the_pupil_on_the_list_without_a_full_computation(demo, computations):
    db, path = demo
    takedown_store.open_takedowns(db, TODAY)
    pupil = next(
        p
        for p in pupils_in_publications(db)
        if not any(t.pupil.id == p.id for t in takedown_store.open_takedowns(db, TODAY))
        and db.execute(
            "SELECT 1 FROM publications pb JOIN publication_item_pupils ip"
            " ON ip.item_id = pb.item_id JOIN purposes pu ON pu.id = pb.purpose_id"
            " WHERE ip.pupil_id = ? AND pu.code = 'website' AND pb.taken_down_on IS NULL"
            " AND NOT EXISTS (SELECT 1 FROM publication_unrecognisable u"
            "  WHERE u.publication_id = pb.id AND u.pupil_id = ip.pupil_id)",
            [p.id],
        ).fetchone()
    )
    computations.clear()
    decision_store.record_decision(
        db, pupil.number, "website", rules.WITHDRAWN, rules.PARENT, "Ouder", TODAY
    )
    listed = [t for t in takedown_store.open_takedowns(db, TODAY) if t.pupil.id == pupil.id]
    assert listed and {t.reason for t in listed} == {rules.WITHDRAWN}
    assert computations == [frozenset({pupil.id})]


def test_any_other_write_or_another_programs_commit_computes_everything(demo, computations):
    db, path = demo
    first = takedown_store.open_takedowns(db, TODAY)
    assert first, "the demo has open takedowns"
    # A write nobody reported as pupil-only: a publication taken down.
    computations.clear()
    pub.take_down(db, first[0].publication_id, TODAY, "offline gehaald")
    after = takedown_store.open_takedowns(db, TODAY)
    assert computations == [None]
    assert all(t.publication_id != first[0].publication_id for t in after)
    assert after == fresh_list(path)
    # Another connection (the CLI, a second window) records a withdrawal.
    other = open_database(path)
    pupil = pupils_in_publications(other)[0]
    decision_store.record_decision(
        other, pupil.number, "yearbook", rules.WITHDRAWN, rules.PARENT, "O", TODAY
    )
    other.close()
    computations.clear()
    listed = takedown_store.open_takedowns(db, TODAY)
    assert computations == [None]
    assert listed == fresh_list(path)


def test_a_decision_mixed_with_an_unreported_write_computes_everything(demo, computations):
    db, path = demo
    takedown_store.open_takedowns(db, TODAY)
    pupil = pupils_in_publications(db)[1]
    with db.atomic():
        db.execute("INSERT INTO settings (key, value) VALUES ('test.marker', '1')")
        decision_store.record_decision(
            db, pupil.number, "website", rules.WITHDRAWN, rules.PARENT, "O", TODAY
        )
    computations.clear()
    listed = takedown_store.open_takedowns(db, TODAY)
    assert computations == [None]
    assert listed == fresh_list(path)


def test_change_spans_are_answered_only_when_every_write_was_reported(db):
    start = db.conn.total_changes
    db.execute("INSERT INTO settings (key, value) VALUES ('x', '1')")
    after_setting = db.conn.total_changes
    changes.pupils_changed(db, after_setting, [7])  # a report of no writes: harmless
    db.execute("UPDATE settings SET value = '2' WHERE key = 'x'")
    changes.pupils_changed(db, after_setting, [3])
    end = db.conn.total_changes
    assert changes.pupils_changed_between(db, after_setting, end) == {3}
    assert changes.pupils_changed_between(db, start, end) is None  # the INSERT went unreported
    assert changes.pupils_changed_between(db, end, end) == frozenset()


def test_a_pupil_computed_again_keeps_the_publications_kept_with_a_reason(demo, computations):
    """A takedown kept up with a reason stays off the list when its pupil is computed again
    after a decision for another purpose (the kept decisions are read for that pupil)."""
    db, path = demo
    before = takedown_store.open_takedowns(db, TODAY)
    kept_rows = db.execute(
        "SELECT k.publication_id, p.number FROM publication_kept k"
        " JOIN pupils p ON p.id = k.pupil_id JOIN publications pb ON pb.id = k.publication_id"
        " WHERE pb.taken_down_on IS NULL ORDER BY k.publication_id"
    ).fetchall()
    assert kept_rows, "the demo keeps some publications up with a reason"
    publication_id, number = kept_rows[0]
    assert not any(t.publication_id == publication_id and t.pupil.number == number for t in before)
    pupil = pupil_store.get_pupil(db, number)
    giver = rules.default_giver(pupil.birth_date, TODAY)
    computations.clear()
    decision_store.record_decision(db, number, "brochure", rules.GRANTED, giver, "Ouder", TODAY)
    after = takedown_store.open_takedowns(db, TODAY)
    assert computations == [frozenset({pupil.id})]
    assert after == fresh_list(path)
    assert not any(t.publication_id == publication_id and t.pupil.number == number for t in after)


def test_a_list_computed_on_another_connection_is_kept_only_if_nothing_changed(demo, computations):
    """The window counts the badge on a worker's connection and keeps that list as its own
    (issue 18): only when nothing was committed since the work began."""
    db, path = demo
    assert takedown_store.kept_open_takedowns(db, TODAY) is None  # nothing kept yet
    stamp = takedown_store.takedown_stamp(db, TODAY)
    computed = fresh_list(path)
    assert takedown_store.adopt_open_takedowns(db, stamp, computed)
    computations.clear()
    assert takedown_store.kept_open_takedowns(db, TODAY) == computed
    assert takedown_store.open_takedowns(db, TODAY) == computed
    assert computations == []  # no computation: the worker's list is used

    # Another program commits after the work began: its list is not kept.
    stamp = takedown_store.takedown_stamp(db, TODAY)
    other = open_database(path)
    pupil = pupils_in_publications(other)[0]
    decision_store.record_decision(
        other, pupil.number, "website", rules.WITHDRAWN, rules.PARENT, "Ouder", TODAY
    )
    other.close()
    assert not takedown_store.adopt_open_takedowns(db, stamp, computed)
    assert takedown_store.kept_open_takedowns(db, TODAY) is None
    assert takedown_store.open_takedowns(db, TODAY) == fresh_list(path)


def test_each_connection_keeps_its_own_list_and_takes_it_along(demo, computations):
    """The kept list belongs to the connection: another connection starts with nothing kept,
    and nothing outlives a closed and dropped connection."""
    db, path = demo
    listed = takedown_store.open_takedowns(db, TODAY)
    assert takedown_store.takedown_cache(db).takedowns == listed
    other = open_database(path, read_only=True)
    assert takedown_store.kept_open_takedowns(other, TODAY) is None
    assert takedown_store.open_takedowns(other, TODAY) == listed
    assert computations == [None, None]  # one full computation per connection
    kept = weakref.ref(takedown_store.takedown_cache(other))
    other.close()
    del other
    gc.collect()
    assert kept() is None
    takedown_store.takedown_cache(db).clear()
    computations.clear()
    assert takedown_store.open_takedowns(db, TODAY) == listed
    assert computations == [None]
