"""The publication register in the store: items, publishing behind the publication check, and
the takedown list that follows from later consent decisions (issue 6)."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest

from merlet_desk.domain import consent as rules
from merlet_desk.domain.publications import publish_checklist
from merlet_desk.errors import InputError
from merlet_desk.store import consent_settings as settings_store
from merlet_desk.store import decisions as decision_store
from merlet_desk.store import items as item_store
from merlet_desk.store import open_database
from merlet_desk.store import publications as pub
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store import takedowns as takedown_store
from merlet_desk.store.retention import purge

ALL_AGREEMENTS = [entry.agreement for entry in publish_checklist()]
PUPILS = [
    ("1001", "Joëlle", "van den", "Broek", "2012-03-14", "2A"),
    ("1002", "Berkay", "", "Öztürk", "2012-07-02", "2A"),
    ("1003", "Zofia", "", "Łęcka", "2011-11-30", "2A"),
    ("1004", "Meryem", "", "Boujdaini", "2012-01-09", "2A"),
]


@pytest.fixture
def register(db):
    for number, first, prefix, last, born, klass in PUPILS:
        pupil_store.save_pupil(db, number, first, prefix, last, born, klass, "Cuijk")
    return db


def grant(db, number: str, purpose: str, on: str) -> None:
    decision_store.record_decision(db, number, purpose, rules.GRANTED, rules.PARENT, "Ouder", on)


def audit(db, action: str) -> list[dict]:
    rows = db.execute(
        "SELECT record_kind, record_id, old_value, new_value FROM audit_log WHERE action = ?"
        " ORDER BY id",
        [action],
    ).fetchall()
    return [
        {
            "kind": r[0],
            "id": r[1],
            "old": json.loads(r[2]) if r[2] else None,
            "new": json.loads(r[3]) if r[3] else None,
        }
        for r in rows
    ]


def test_item_keeps_file_facts_thumbnail_and_pupils(register, tmp_path):
    photo = tmp_path / "sportdag.jpg"
    content = b"\xff\xd8 not really a jpeg, but bytes to hash" * 1000
    photo.write_bytes(content)
    facts = item_store.file_facts(photo)
    item = item_store.create_item(
        register,
        "  Sportdag <b>Jan</b> & Zn ",
        pupil_numbers=["1001", "1002"],
        file=facts,
        file_path=str(photo),
        thumbnail=b"\x89PNG thumb",
        taken_on=date(2026, 9, 18),
        location="Cuijk",
    )
    assert item.title == "Sportdag <b>Jan</b> & Zn"
    assert (item.file_name, item.file_size, item.media_kind) == ("sportdag.jpg", 39000, "photo")
    assert item.file_hash == hashlib.sha256(content).hexdigest()
    assert item.file_path == str(photo)
    assert item_store.item_thumbnail(register, item.id) == b"\x89PNG thumb"
    assert [p.name for p in item_store.item_pupils(register, item.id)] == [
        "Joëlle van den Broek",
        "Berkay Öztürk",
    ]
    [entry] = audit(register, "create")[-1:]
    assert entry["kind"] == "publication_item" and entry["new"]["pupils"] == ["1001", "1002"]
    assert "thumbnail" not in entry["new"]


def test_a_video_is_recognised_by_its_extension(register):
    item = item_store.create_item(register, "Musical", file_path="/beeldbank/musical 2026.MP4")
    assert item.media_kind == "video" and item.media_label == "Video"


def test_bad_item_input_changes_nothing(register):
    before = register.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    with pytest.raises(InputError, match="Onbekende leerling 9999"):
        item_store.create_item(register, "Open dag", pupil_numbers=["1001", "9999"])
    with pytest.raises(InputError, match="titel"):
        item_store.create_item(register, "   ")
    assert item_store.list_items(register) == []
    assert register.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before


def test_whole_class_minus_the_absent(register):
    item = item_store.create_item(register, "Klassenfoto 2A")
    item_store.set_item_pupils(register, item.id, pupil_store.class_numbers(register, "2A"))
    numbers = [p.number for p in item_store.item_pupils(register, item.id)]
    assert sorted(numbers) == ["1001", "1002", "1003", "1004"]
    item_store.set_item_pupils(register, item.id, [n for n in numbers if n != "1003"])
    assert "1003" not in [p.number for p in item_store.item_pupils(register, item.id)]
    entry = audit(register, "pupils")[-1]
    assert entry["old"] == {"removed": ["1003"]} and entry["new"] is None


def test_item_with_three_pupils_one_without_consent_cannot_be_published(register):
    for number in ("1001", "1002"):
        grant(register, number, "website", "2026-09-01")
    item = item_store.create_item(register, "Open dag", pupil_numbers=["1001", "1002", "1004"])
    with pytest.raises(pub.PublishBlocked) as caught:
        pub.publish(
            register,
            item.id,
            "website",
            date(2026, 10, 1),
            "https://merlet.nl/open-dag",
            checklist=ALL_AGREEMENTS,
        )
    assert [(p.number, s.state) for p, s in caught.value.blocked] == [("1004", rules.NO_RECORD)]
    assert "Meryem Boujdaini" in str(caught.value)
    assert pub.publications_of_item(register, item.id) == []


def test_unrecognisable_pupil_lets_it_through_and_the_log_says_so(register):
    for number in ("1001", "1002"):
        grant(register, number, "website", "2026-09-01")
    item = item_store.create_item(register, "Open dag", pupil_numbers=["1001", "1002", "1004"])
    publication = pub.publish(
        register,
        item.id,
        "website",
        date(2026, 10, 1),
        "https://merlet.nl/open-dag",
        unrecognisable={"1004": "gezicht vervaagd"},
        checklist=ALL_AGREEMENTS,
    )
    assert publication.active and publication.unrecognisable == ("1004",)
    assert publication.purpose_code == "website"
    [entry] = audit(register, "unrecognisable")
    assert entry["new"]["pupil"] == "1004"
    assert entry["new"]["how"] == "gezicht vervaagd"
    assert entry["new"]["status"] == rules.NO_RECORD
    assert audit(register, "publish")[-1]["new"]["pupils"] == ["1001", "1002", "1004"]
    # A pupil made unrecognisable never causes a takedown.
    assert takedown_store.open_takedowns(register, date(2026, 11, 1)) == []


def test_consent_for_another_channel_does_not_count(register):
    grant(register, "1001", "social_media", "2026-09-01")
    item = item_store.create_item(register, "Schoolreis", pupil_numbers=["1001"])
    with pytest.raises(pub.PublishBlocked):
        pub.publish(register, item.id, "website", date(2026, 10, 1), "x", checklist=ALL_AGREEMENTS)


def test_publishing_needs_checklist_link_and_a_past_date(register):
    grant(register, "1001", "website", "2026-09-01")
    item = item_store.create_item(register, "Schoolreis", pupil_numbers=["1001"])
    with pytest.raises(InputError, match="afspraak 12"):
        pub.publish(register, item.id, "website", date(2026, 10, 1), "x", checklist=[6, 7, 8, 9])
    with pytest.raises(InputError, match="link"):
        pub.publish(register, item.id, "website", date(2026, 10, 1), " ", checklist=ALL_AGREEMENTS)
    with pytest.raises(InputError, match="toekomst"):
        pub.publish(register, item.id, "website", date(2099, 1, 1), "x", checklist=ALL_AGREEMENTS)
    assert pub.publications_of_item(register, item.id) == []


@pytest.fixture
def published(register):
    """An item with three allowed pupils, published on the website in October 2026."""
    for number in ("1001", "1002", "1003"):
        grant(register, number, "website", "2026-09-01")
        grant(register, number, "yearbook", "2026-09-01")
    item = item_store.create_item(register, "Sportdag 2A", pupil_numbers=["1001", "1002", "1003"])
    web = pub.publish(
        register,
        item.id,
        "website",
        date(2026, 10, 1),
        "https://merlet.nl/sportdag",
        checklist=ALL_AGREEMENTS,
    )
    return register, item, web


def test_withdrawal_for_one_pupil_lists_exactly_that_publication(published):
    db, item, web = published
    other = item_store.create_item(db, "Kerstviering", pupil_numbers=["1001"])
    pub.publish(
        db,
        other.id,
        "website",
        date(2026, 10, 5),
        "https://merlet.nl/kerst",
        checklist=ALL_AGREEMENTS,
    )
    assert takedown_store.open_takedowns(db, date(2026, 11, 1)) == []
    decision_store.record_decision(
        db, "1002", "website", rules.WITHDRAWN, rules.PARENT, "Ouder", "2026-11-02"
    )
    [takedown] = takedown_store.open_takedowns(db, date(2026, 11, 10))
    assert takedown.publication_id == web.id
    assert takedown.pupil.name == "Berkay Öztürk"
    assert (takedown.reason, takedown.since) == (rules.WITHDRAWN, date(2026, 11, 2))
    assert takedown.reason_label == "Toestemming ingetrokken"
    assert takedown.as_json()["pupil"] == "1002" and "name" not in takedown.as_json()
    assert takedown_store.open_takedown_count(db, date(2026, 11, 10)) == 1
    pub.take_down(db, web.id, date(2026, 11, 10), "van de website gehaald")
    assert takedown_store.open_takedowns(db, date(2026, 11, 10)) == []
    assert pub.get_publication(db, web.id).taken_down_on == date(2026, 11, 10)
    assert audit(db, "take_down")[-1]["new"]["taken_down_on"] == "2026-11-10"


def test_the_kept_list_follows_every_change_on_this_and_other_connections(published, db_target):
    """The list is kept between navigations; a write through this connection, a commit by
    another (a second window, the CLI) and a new day each give the list afresh."""
    db, _item, web = published
    on = date(2026, 11, 10)
    assert takedown_store.open_takedowns(db, on) == []
    other = open_database(db_target)
    try:
        decision_store.record_decision(
            other, "1002", "website", rules.WITHDRAWN, rules.PARENT, "Ouder", "2026-11-02"
        )
    finally:
        other.close()
    assert [t.pupil.number for t in takedown_store.open_takedowns(db, on)] == ["1002"]
    assert (
        takedown_store.open_takedowns(db, date(2026, 11, 1)) == []
    )  # the day before the withdrawal
    pub.take_down(db, web.id, on, "van de website gehaald")
    assert takedown_store.open_takedowns(db, on) == []
    assert takedown_store.open_takedown_count(db, on) == 0


@pytest.mark.parametrize("others_first", [True, False], ids=["others-first", "own-first"])
def test_another_seats_decision_reaches_the_list_next_to_this_seats_own(
    published, db_target, others_first
):
    """This connection's own decision makes the kept list compute only that pupil again; a
    decision another connection (a second seat) committed meanwhile must be on the list too,
    whichever of the two came first."""
    db, _item, _web = published
    on = date(2026, 11, 10)
    assert takedown_store.open_takedowns(db, on) == []
    other = open_database(db_target)
    try:

        def others_decision() -> None:
            decision_store.record_decision(
                other, "1002", "website", rules.WITHDRAWN, rules.PARENT, "Ouder", on
            )

        if others_first:
            others_decision()
        decision_store.record_decision(
            db, "1003", "website", rules.WITHDRAWN, rules.PARENT, "Ouder", on
        )
        if not others_first:
            others_decision()
        listed = takedown_store.open_takedowns(db, on)
        assert sorted(t.pupil.number for t in listed) == ["1002", "1003"]
        assert listed == takedown_store.open_takedowns(other, on)
    finally:
        other.close()


def test_withdrawal_for_a_different_channel_lists_nothing(published):
    db, _item, _web = published
    decision_store.record_decision(
        db, "1002", "yearbook", rules.WITHDRAWN, rules.PARENT, "Ouder", "2026-11-02"
    )
    assert takedown_store.open_takedowns(db, date(2026, 11, 10)) == []


def test_expiry_at_the_end_of_the_school_year_lists_it_on_1_august(register):
    for number in ("1001", "1002"):
        grant(register, number, "website", "2025-09-01")
    item = item_store.create_item(register, "Diploma-uitreiking", pupil_numbers=["1001", "1002"])
    publication = pub.publish(
        register,
        item.id,
        "website",
        date(2026, 6, 30),
        "https://merlet.nl/diploma",
        checklist=ALL_AGREEMENTS,
    )
    grant(register, "1001", "website", "2026-08-01")  # renewed for the new school year
    assert takedown_store.open_takedowns(register, date(2026, 7, 31)) == []
    [takedown] = takedown_store.open_takedowns(register, date(2026, 8, 1))
    assert takedown.publication_id == publication.id
    assert (takedown.pupil.number, takedown.reason) == ("1002", rules.EXPIRED)
    assert takedown.since == date(2026, 8, 1)
    pub.take_down(register, publication.id, date(2026, 8, 3))
    assert takedown_store.open_takedowns(register, date(2026, 8, 3)) == []


def test_grant_renewed_for_the_new_year_clears_the_expiry(register):
    grant(register, "1001", "website", "2025-09-01")
    item = item_store.create_item(register, "Open dag", pupil_numbers=["1001"])
    pub.publish(register, item.id, "website", date(2026, 1, 20), "x", checklist=ALL_AGREEMENTS)
    assert len(takedown_store.open_takedowns(register, date(2026, 9, 1))) == 1
    grant(register, "1001", "website", "2026-08-25")
    assert takedown_store.open_takedowns(register, date(2026, 9, 1)) == []


def test_sixteenth_birthday_counts_only_when_the_school_switched_it_on(register):
    pupil_store.save_pupil(register, "1005", "Şükrü", "", "Yılmaz", "2010-10-10", "4H", "Cuijk")
    grant(register, "1005", "website", "2026-09-01")
    item = item_store.create_item(register, "Profielwerkstuk", pupil_numbers=["1005"])
    pub.publish(register, item.id, "website", date(2026, 9, 20), "x", checklist=ALL_AGREEMENTS)
    assert (
        takedown_store.open_takedowns(register, date(2026, 10, 20)) == []
    )  # turned 16, still allowed
    settings_store.save_consent_settings(register, rules.ConsentSettings(pupil_only_from_16=True))
    [takedown] = takedown_store.open_takedowns(register, date(2026, 10, 20))
    assert (takedown.reason, takedown.since) == (rules.ASK_PUPIL, date(2026, 10, 10))


def test_kept_with_a_reason_clears_that_takedown_only(published):
    db, item, web = published
    book = pub.publish(
        db, item.id, "yearbook", date(2026, 10, 1), "Jaarboek 2026, p. 12", checklist=ALL_AGREEMENTS
    )
    decision_store.record_decision(
        db, "1003", "yearbook", rules.WITHDRAWN, rules.PARENT, "Ouder", "2026-11-03"
    )
    [takedown] = takedown_store.open_takedowns(db, date(2026, 11, 10))
    assert takedown.publication_id == book.id
    with pytest.raises(InputError, match="waarom"):
        pub.keep_publication(db, book.id, "1003", takedown.reason, takedown.since, "  ")
    pub.keep_publication(
        db,
        book.id,
        "1003",
        takedown.reason,
        takedown.since,
        "Gedrukt jaarboek: niet terug te halen",
    )
    assert takedown_store.open_takedowns(db, date(2026, 11, 10)) == []
    assert audit(db, "keep")[-1]["new"]["note"] == "Gedrukt jaarboek: niet terug te halen"


def test_unrecognisable_afterwards_clears_the_takedown(published):
    db, _item, web = published
    decision_store.record_decision(
        db, "1001", "website", rules.WITHDRAWN, rules.PARENT, "Ouder", "2026-11-02"
    )
    assert len(takedown_store.open_takedowns(db, date(2026, 11, 5))) == 1
    pub.mark_unrecognisable(db, web.id, "1001", "uitgesneden")
    assert takedown_store.open_takedowns(db, date(2026, 11, 5)) == []
    assert pub.get_publication(db, web.id).unrecognisable == ("1001",)


def test_take_down_refuses_impossible_dates_and_twice(published):
    db, _item, web = published
    with pytest.raises(InputError, match="voor de publicatiedatum"):
        pub.take_down(db, web.id, date(2026, 9, 1))
    pub.take_down(db, web.id, date(2026, 11, 1))
    with pytest.raises(InputError, match="al op 01-11-2026"):
        pub.take_down(db, web.id, date(2026, 11, 2))


def test_published_item_cannot_be_deleted_an_unpublished_one_can(published):
    db, item, _web = published
    with pytest.raises(InputError, match="gepubliceerd"):
        item_store.delete_item(db, item.id)
    draft = item_store.create_item(db, "Nog niet gebruikt", pupil_numbers=["1001"])
    item_store.delete_item(db, draft.id)
    assert [s.title for s in item_store.list_items(db)] == ["Sportdag 2A"]


def test_list_items_shows_counts_and_active_channels(published):
    db, item, web = published
    [summary] = item_store.list_items(db)
    assert (summary.pupil_count, summary.publication_count) == (3, 1)
    assert summary.active_channels == ("Website van de school",)
    assert "Zofia Łęcka" in summary.pupil_names
    pub.take_down(db, web.id, date(2026, 11, 1))
    assert item_store.list_items(db)[0].active_channels == ()


def test_publications_of_pupil(published):
    db, item, web = published
    [(found_item, publication)] = pub.publications_of_pupil(db, "1003")
    assert found_item.id == item.id and publication.id == web.id
    assert pub.publications_of_pupil(db, "1004") == []


def test_purging_a_pupil_removes_them_from_items(published):
    db, item, web = published
    pupil_store.save_pupil(
        db, "1003", "Zofia", "", "Łęcka", "2011-11-30", "2A", "Cuijk", left_on="2020-07-01"
    )
    pub.mark_unrecognisable(db, web.id, "1003", "vervaagd")
    pupil_id = pupil_store.get_pupil(db, "1003").id
    counts = purge(db, [pupil_id], today=date(2026, 11, 26))
    assert counts.pupils == 1 and counts.publication_links >= 2
    assert [p.number for p in item_store.item_pupils(db, item.id)] == ["1001", "1002"]
    assert pub.get_publication(db, web.id).unrecognisable == ()
    mentions = db.execute(
        "SELECT count(*) FROM audit_log WHERE new_value LIKE '%\"1003\"%'"
        " OR old_value LIKE '%\"1003\"%'"
    ).fetchone()[0]
    assert mentions == 0


def test_a_past_date_shows_what_was_open_that_day(published):
    db, _item, web = published
    decision_store.record_decision(
        db, "1002", "website", rules.WITHDRAWN, rules.PARENT, "Ouder", "2026-11-02"
    )
    pub.take_down(db, web.id, date(2026, 11, 9))
    assert [t.publication_id for t in takedown_store.open_takedowns(db, date(2026, 11, 5))] == [
        web.id
    ]
    assert takedown_store.open_takedowns(db, date(2026, 11, 9)) == []


def test_cli_purge_says_how_many_item_links_went(db_path, capsys):
    from merlet_desk.cli import main
    from merlet_desk.store import open_database

    db = open_database(db_path)
    pupil_store.save_pupil(
        db, "1001", "Zofia", "", "Łęcka", "2008-11-30", "6V", "Cuijk", left_on="2020-07-01"
    )
    pupil_store.save_pupil(db, "1002", "Berkay", "", "Öztürk", "2012-07-02", "2A", "Cuijk")
    item_store.create_item(db, "Diploma-uitreiking", pupil_numbers=["1001", "1002"])
    item_store.create_item(db, "Eindmusical", pupil_numbers=["1001"])
    db.close()
    assert main(["purge", "--db", str(db_path)]) == 0
    assert "2 koppelingen met foto's, video's en publicaties" in capsys.readouterr().out
    db = open_database(db_path)
    assert [s.pupil_count for s in item_store.list_items(db)] == [0, 1]
    db.close()


@pytest.mark.sqlite_only(
    "sqlite3's own BEGIN IMMEDIATE and trace callback; on the server: test_server.py,"
    " test_a_withdrawal_committed_while_publish_waits_is_seen"
)
def test_a_withdrawal_committed_while_publish_waits_for_the_lock_is_seen(register, db_path):
    """Two connections, as the CLI and a window: the other one is recording a withdrawal
    when publish() starts. publish() checks consent inside its own write transaction, so it
    waits for that withdrawal and refuses; it used to check first, outside the transaction,
    and publish a pupil whose consent had just been withdrawn."""
    import threading

    from merlet_desk.store import open_database
    from tests.helpers import TODAY, born_aged

    day = TODAY.isoformat()
    pupil_store.save_pupil(register, "1005", "Şükrü", "", "Yılmaz", born_aged(12), "2A", "Cuijk")
    grant(register, "1005", "website", day)
    item = item_store.create_item(register, "Sportdag 2A", pupil_numbers=["1005"])
    other = open_database(db_path)
    other.conn.execute("BEGIN IMMEDIATE")  # the other window is saving a withdrawal
    decision_store.record_decision(
        other, "1005", "website", rules.WITHDRAWN, rules.PARENT, "Ouder", day
    )

    began = threading.Event()
    register.conn.set_trace_callback(lambda sql: sql.startswith("BEGIN") and began.set())
    outcome: list[object] = []

    def publish() -> None:
        try:
            outcome.append(
                pub.publish(register, item.id, "website", TODAY, "site", checklist=ALL_AGREEMENTS)
            )
        except pub.PublishBlocked as exc:
            outcome.append(exc)

    worker = threading.Thread(target=publish)
    worker.start()
    assert began.wait(10)  # publish() has started its transaction (and waits for the lock)
    other.conn.execute("COMMIT")
    worker.join(10)
    register.conn.set_trace_callback(None)
    other.close()
    [result] = outcome
    assert isinstance(result, pub.PublishBlocked)
    assert [(p.number, s.state) for p, s in result.blocked] == [("1005", rules.WITHDRAWN)]
    assert pub.publications_of_item(register, item.id) == []
