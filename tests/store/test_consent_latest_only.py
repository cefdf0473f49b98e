"""The register and the publication check read only each cell's latest date (issue 9's speed
fix); they must still give exactly what the full history gives, including the one case where
the latest date holds nothing that counts (a grant from the wrong giver, stored by hand)."""

from __future__ import annotations

from datetime import date

from merlet_desk.domain import consent as rules
from merlet_desk.store import decisions as decision_store
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store import statuses as store

ON = date(2026, 11, 20)


def _setup(db):
    pupil_store.save_pupil(db, "3001", "Berkay", "", "Öztürk", date(2012, 3, 4), "2A", "Cuijk")
    pupil_store.save_pupil(db, "3002", "Zofia", "", "Łęcka", date(2012, 5, 6), "2A", "Cuijk")
    decision_store.record_decision(
        db, "3001", "website", "granted", "parent", "M. Öztürk", "2026-09-01"
    )
    decision_store.record_decision(
        db, "3002", "website", "granted", "parent", "A. Łęcka", "2026-09-01"
    )
    decision_store.record_decision(db, "3002", "website", "refused", "pupil", "Zofia", "2026-10-01")
    decision_store.record_decision(
        db, "3002", "website", "granted", "parent", "A. Łęcka", "2026-10-01"
    )
    # A grant by a 14-year-old is refused by record_decision; put one in by hand, later than
    # the parent's grant: it must be ignored and the parent's grant must still count.
    pupil_id = db.execute("SELECT id FROM pupils WHERE number = '3001'").fetchone()[0]
    purpose_id = db.execute("SELECT id FROM purposes WHERE code = 'website'").fetchone()[0]
    db.execute(
        "INSERT INTO decisions (pupil_id, purpose_id, decision, given_by, giver_name,"
        " received_on, method, recorded_by, recorded_at)"
        " VALUES (?, ?, 'granted', 'pupil', 'Berkay', '2026-10-15', 'paper', 't', 't')",
        [pupil_id, purpose_id],
    )


def test_check_falls_back_to_history_when_latest_date_does_not_count(db):
    _setup(db)
    result = store.publication_check(db, "website", ["3001", "3002"], ON)
    allowed = {pupil.number: status for pupil, status in result.allowed}
    blocked = {pupil.number: status for pupil, status in result.blocked}
    assert allowed["3001"].state == rules.ALLOWED
    assert allowed["3001"].decision.received_on == date(2026, 9, 1)
    assert allowed["3001"].decision.given_by == "parent"
    # Same day: the refusal wins over the grant.
    assert blocked["3002"].state == rules.REFUSED


def test_register_gives_the_same_statuses_as_the_check(db):
    _setup(db)
    rows = {pupil.number: statuses for pupil, statuses in store.register_statuses(db, ON)}
    assert rows["3001"]["website"].state == rules.ALLOWED
    assert rows["3001"]["website"].decision.given_by == "parent"
    assert rows["3002"]["website"].state == rules.REFUSED
    assert rows["3001"]["press"].state == rules.NO_RECORD
