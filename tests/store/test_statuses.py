"""A pupil's statuses as the window shows them: one store function for the register row, the
paper-form entry and the decision dialog."""

from __future__ import annotations

from datetime import timedelta

from merlet_desk.domain import consent as rules
from merlet_desk.store import decisions as decision_store
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store import purposes as purpose_store
from merlet_desk.store import statuses as store
from tests.helpers import born_aged, settled_today


def test_pupil_statuses_agree_with_the_register_for_every_purpose_in_the_order_asked(
    db, monkeypatch
):
    today = settled_today(monkeypatch)
    pupil_store.save_pupil(db, "1001", "Joëlle", "van den", "Broek", born_aged(13), "1A", "Cuijk")
    pupil_store.save_pupil(db, "1005", "Şükrü", "", "Yılmaz", born_aged(17), "5V", "Mill")
    yesterday = today - timedelta(days=1)
    decision_store.record_decision(db, "1001", "website", "granted", "parent", "Anna", yesterday)
    decision_store.record_decision(db, "1001", "press", "refused", "parent", "Anna", yesterday)
    decision_store.record_decision(db, "1001", "website", "withdrawn", "parent", "Anna", today)
    decision_store.record_decision(db, "1005", "website", "granted", "pupil", "", today)
    joelle = pupil_store.get_pupil(db, "1001")

    statuses = store.pupil_statuses(db, joelle, today)
    register = dict((p.number, s) for p, s in store.register_statuses(db, today))
    assert statuses == register["1001"]
    assert list(statuses) == [p.code for p in purpose_store.list_purposes(db)]
    assert statuses["website"].state == rules.WITHDRAWN
    assert statuses["press"].state == rules.REFUSED
    assert statuses["yearbook"].state == rules.NO_RECORD

    asked = store.pupil_statuses(db, joelle, yesterday, ["press", "website"])
    assert list(asked) == ["press", "website"]
    assert asked["website"].state == rules.ALLOWED  # the withdrawal came a day later
    assert asked["website"] == store.status_of(db, "1001", "website", yesterday)
