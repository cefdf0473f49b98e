"""Reading the audit log back where a screen or a report needs one record's story or where the
log begins."""

from __future__ import annotations

from merlet_desk.store import pupils as store
from merlet_desk.store.audit_query import first_entry_day, record_history
from tests.helpers import TODAY, born_aged


def test_a_pupils_record_history_holds_each_change_with_old_and_new_values(db):
    store.save_pupil(db, "1002", "Berkay", "", "Öztürk", born_aged(13), "1A", "Cuijk")
    store.save_pupil(db, "1002", "Berkay", "", "Öztürk", born_aged(13), "2B <&>", "Cuijk")
    store.save_pupil(db, "1003", "Zofia", "", "Łęcka", born_aged(13), "1A", "Grave")
    created, moved = record_history(db, "pupil", "1002")
    assert (created.action, created.old, created.new["class_name"]) == ("create", {}, "1A")
    assert (moved.action, moved.old, moved.new) == (
        "update",
        {"class_name": "1A"},
        {"class_name": "2B <&>"},
    )
    assert record_history(db, "pupil", "9999") == []


def test_the_first_entry_day_is_the_oldest_change(db):
    db.execute("DELETE FROM audit_log")
    assert first_entry_day(db) is None
    store.save_pupil(db, "1004", "Meryem", "", "Boujdaini", born_aged(13), "1A", "Mill")
    assert first_entry_day(db) == TODAY
