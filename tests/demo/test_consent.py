"""Demo data for the consent register: deterministic, diverse, every state present, fast."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

import pytest

from merlet_desk.demo import consent as demo_consent
from merlet_desk.demo import fill_demo
from merlet_desk.domain import consent as rules
from merlet_desk.domain.consent import ConsentSettings
from merlet_desk.store import consent_settings as settings_store
from merlet_desk.store import decisions as decision_store
from merlet_desk.store import open_database
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store import statuses as store

DAY = date(2026, 11, 25)


def dump(db):
    return (
        db.execute("SELECT * FROM pupils ORDER BY id").fetchall(),
        db.execute("SELECT * FROM decisions ORDER BY id").fetchall(),
    )


@pytest.fixture
def fixed_day(monkeypatch):
    monkeypatch.setattr(demo_consent, "_today", lambda: DAY)


def make(tmp_path, name, pupils):
    db = open_database(tmp_path / name)
    fill_demo(db, pupils)
    return db


def test_same_size_gives_the_same_data(tmp_path, fixed_day):
    first, second = make(tmp_path, "a.sqlite", 300), make(tmp_path, "b.sqlite", 300)
    assert dump(first) == dump(second)
    assert dump(first) != dump(make(tmp_path, "c.sqlite", 301))


def test_random_stream_does_not_depend_on_the_day(tmp_path, monkeypatch):
    states = []
    for index, day in enumerate((date(2026, 8, 2), date(2027, 6, 30))):
        monkeypatch.setattr(demo_consent, "_today", lambda day=day: day)
        rng = random.Random("x")
        db = open_database(tmp_path / f"{index}.sqlite")
        with db.atomic():
            demo_consent.fill(db, rng, 200)
        states.append(rng.getstate())
    assert states[0] == states[1]


def test_demo_covers_locations_ages_names_and_every_state(tmp_path, fixed_day):
    db = make(tmp_path, "demo.sqlite", 600)
    pupils = pupil_store.list_pupils(db)
    assert len(pupils) == 600
    assert {p.location for p in pupils} == {"Cuijk", "Grave", "Mill"}
    assert {rules.age_on(p.birth_date, DAY) for p in pupils} <= set(range(11, 20))
    assert min(rules.age_on(p.birth_date, DAY) for p in pupils) == 11
    assert max(rules.age_on(p.birth_date, DAY) for p in pupils) >= 18
    names = " ".join(p.name for p in pupils)
    for letter in "şğıöüłęż":
        assert letter in names.casefold(), letter
    assert any(p.prefix in ("van der", "van den", "de") for p in pupils)
    classes = pupil_store.list_classes(db)
    assert "1A" in classes and "5V" in classes and "3H" in classes
    states = Counter(
        status.state
        for _, statuses in store.register_statuses(db, DAY)
        for status in statuses.values()
    )
    assert set(states) == set(rules.STATES) - {rules.ASK_PUPIL}
    settings_store.save_consent_settings(db, ConsentSettings(pupil_only_from_16=True))
    states = Counter(
        status.state
        for _, statuses in store.register_statuses(db, DAY)
        for status in statuses.values()
    )
    assert states[rules.ASK_PUPIL] > 0
    # pupils with nothing recorded at all
    assert any(
        all(s.state == rules.NO_RECORD for s in statuses.values())
        for _, statuses in store.register_statuses(db, DAY)
    )


def test_demo_decisions_obey_the_rules(tmp_path, fixed_day):
    """Every stored grant came from someone allowed to give it, and none is in the future."""
    db = make(tmp_path, "demo.sqlite", 400)
    births = {p.number: p.birth_date for p in pupil_store.list_pupils(db)}
    for pupil in pupil_store.list_pupils(db)[:400]:
        for decision in decision_store.decisions_for(db, pupil.number):
            assert decision.received_on <= DAY
            if decision.decision == rules.GRANTED:
                assert (
                    rules.grant_problem(
                        births[pupil.number], decision.given_by, decision.received_on
                    )
                    is None
                )


def test_two_thousand_pupils(tmp_path):
    # How long this takes is measured by `make bench` (figure 8a), not asserted here.
    db = make(tmp_path, "big.sqlite", 2000)
    assert db.execute("SELECT count(*) FROM pupils").fetchone()[0] == 2000
    assert (
        db.execute(
            "SELECT count(*) FROM audit_log WHERE record_kind = 'demo' AND record_id = 'consent'"
        ).fetchone()[0]
        == 1
    )
