"""Which box hid whom: a pupil counts as made unrecognisable in Merlet Desk only when a box
linked to that pupil (by the officer's click) was hidden in the file that went out. What the
officer states otherwise is recorded as their statement; records made before the link existed
stay readable and say that the boxes were not linked per pupil."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from merlet_desk import clock
from merlet_desk.domain import consent as rules
from merlet_desk.domain.publications import publish_checklist
from merlet_desk.errors import InputError
from merlet_desk.imaging import anonymise
from merlet_desk.store import decisions as decision_store
from merlet_desk.store import items as item_store
from merlet_desk.store import migrations, open_database
from merlet_desk.store import publications as pub
from merlet_desk.store import pupils as pupil_store
from tests.helpers import fix_clock
from tests.helpers.photos import class_photo

ALL_AGREEMENTS = [entry.agreement for entry in publish_checklist()]
PUPILS = [
    ("1001", "Joëlle", "van den", "Broek", "2012-03-14"),
    ("1002", "Berkay", "", "Öztürk", "2012-07-02"),
    ("1003", "Zofia", "", "Łęcka", "2011-11-30"),
    ("1005", "Daan", "de", "Vries", "2012-05-05"),
]
ZOFIA, DAAN = "1003", "1005"
# Two faces of the class photo (widened a little, as the dialog hands them over).
MIDDLE, RIGHT = (373, 97, 126, 162), (673, 101, 126, 162)


@pytest.fixture
def today(monkeypatch):
    fix_clock(monkeypatch, date(2026, 11, 20))
    return clock.today()


def _decide_in_sql(db, number, purpose, decision, given_by, giver_name, on):
    """`record_decision`'s row, written as SQL: for a file at an older schema, which the store
    of today cannot read (it reads the purposes' later columns)."""
    with db.atomic():
        db.execute(
            "INSERT INTO decisions (pupil_id, purpose_id, decision, given_by, giver_name,"
            " received_on, method, recorded_by, recorded_at) SELECT p.id, pu.id, ?, ?, ?, ?,"
            " 'paper', 'officer', '2026-11-18T10:00:00' FROM pupils p, purposes pu"
            " WHERE p.number = ? AND pu.code = ?",
            [decision, given_by, giver_name, on.isoformat(), number, purpose],
        )


def _fill(db, tmp_path, today, decide=decision_store.record_decision):
    """Joëlle and Berkay may be on social media; Zofia's parent refused; for Daan nothing is
    recorded. The class photo of all four."""
    for number, first, prefix, last, born in PUPILS:
        pupil_store.save_pupil(db, number, first, prefix, last, born, "2A", "Cuijk")
    for number in ("1001", "1002"):
        decide(db, number, "social_media", rules.GRANTED, rules.PARENT, "Meryem Boujdaini", today)
    decide(db, ZOFIA, "social_media", rules.REFUSED, rules.PARENT, "Ouder", today)
    original = class_photo(tmp_path / "klassenfoto.jpg")
    item = item_store.create_item(
        db,
        "Klassenfoto 2A <Cuijk> & mentor",
        pupil_numbers=[p[0] for p in PUPILS],
        file=item_store.file_facts(original),
        file_path=str(original),
        taken_on=today - timedelta(days=3),
    )
    return item, original


@pytest.fixture
def school(db, tmp_path, today):
    item, original = _fill(db, tmp_path, today)
    return db, item, original


def _blurred(original, boxes, **extra) -> pub.OutgoingFile:
    written = anonymise.make_unrecognisable(
        original, anonymise.target_beside(original), boxes, anonymise.BLUR
    )
    return pub.OutgoingFile(written.path, pub.UNRECOGNISABLE_FILE, "blur", written.regions, **extra)


def _publish(db, item, on, **extra) -> pub.Publication:
    return pub.publish(
        db,
        item.id,
        "social_media",
        on,
        "https://www.instagram.com/merletcollege",
        checklist=ALL_AGREEMENTS,
        **extra,
    )


def _rows(db) -> list[tuple[str, str, list]]:
    return [
        (number, how, json.loads(regions))
        for number, how, regions in db.execute(
            "SELECT p.number, u.how, u.regions FROM publication_unrecognisable u"
            " JOIN pupils p ON p.id = u.pupil_id ORDER BY p.number"
        )
    ]


def test_one_box_does_not_make_two_pupils_unrecognisable(school, today):
    """The file hides one face; both blocked pupils are said to be "vervaagd in Merlet Desk":
    refused, and nothing is recorded."""
    db, item, original = school
    audit_before = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    with pytest.raises(InputError, match="Leerling 1003 .* geen vak"):
        _publish(
            db,
            item,
            today,
            unrecognisable={ZOFIA: pub.MERLET_METHOD, DAAN: pub.MERLET_METHOD},
            outgoing=_blurred(original, [MIDDLE]),
        )
    assert pub.publications_of_item(db, item.id) == []
    assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == audit_before


def test_the_box_linked_to_a_pupil_is_recorded_for_that_pupil_only(school, today):
    db, item, original = school
    publication = _publish(
        db,
        item,
        today,
        outgoing=_blurred(original, [MIDDLE, RIGHT, (10, 10, 40, 40)], owners=(ZOFIA, DAAN, "")),
    )
    # Each pupil who owns a box is unrecognisable, with that box; the third box hid nobody
    # named (a passer-by), and is only in the file's boxes.
    assert _rows(db) == [
        (ZOFIA, pub.MERLET_METHOD, [list(MIDDLE)]),
        (DAAN, pub.MERLET_METHOD, [list(RIGHT)]),
    ]
    assert publication.unrecognisable == (ZOFIA, DAAN)
    assert publication.file.regions == (MIDDLE, RIGHT, (10, 10, 40, 40))
    hidden = {h.number: h for h in publication.hidden}
    assert hidden[ZOFIA].label(publication.file.regions) == (
        "vervaagd in Merlet Desk: vak 1 (x 373, y 97, 126 × 162)"
    )
    assert publication.hidden_lines() == [
        "vak 1 (x 373, y 97, 126 × 162): Zofia Łęcka (2A, 1003)",
        "vak 2 (x 673, y 101, 126 × 162): Daan de Vries (2A, 1005)",
        "vak 3 (x 10, y 10, 40 × 40): geen leerling gekoppeld",
    ]
    entries = [
        json.loads(r[0])
        for r in db.execute(
            "SELECT new_value FROM audit_log WHERE action = 'unrecognisable' ORDER BY id"
        )
    ]
    assert [(e["pupil"], e["regions"]) for e in entries] == [
        (ZOFIA, [list(MIDDLE)]),
        (DAAN, [list(RIGHT)]),
    ]


def test_a_blocked_pupil_without_a_box_is_still_blocked(school, today):
    db, item, original = school
    with pytest.raises(pub.PublishBlocked) as caught:
        _publish(db, item, today, outgoing=_blurred(original, [MIDDLE], owners=(ZOFIA,)))
    assert [p.number for p, _status in caught.value.blocked] == [DAAN]
    assert pub.publications_of_item(db, item.id) == []


def test_a_box_names_a_pupil_in_the_photo_or_nobody(school, today):
    db, item, original = school
    with pytest.raises(InputError, match="9999 staat niet op"):
        _publish(db, item, today, outgoing=_blurred(original, [MIDDLE], owners=("9999",)))
    with pytest.raises(InputError, match="2 vakken en 1 koppeling"):
        _publish(db, item, today, outgoing=_blurred(original, [MIDDLE, RIGHT], owners=(ZOFIA,)))
    with pytest.raises(InputError, match="Leerling 1003 heeft een vak"):
        _publish(
            db,
            item,
            today,
            unrecognisable={ZOFIA: "uitgesneden", DAAN: "van achteren"},
            outgoing=_blurred(original, [MIDDLE], owners=(ZOFIA,)),
        )
    assert pub.publications_of_item(db, item.id) == []


def test_what_the_officer_states_stays_their_statement(school, today):
    db, item, original = school
    publication = _publish(
        db,
        item,
        today,
        unrecognisable={DAAN: "van achteren in beeld"},
        outgoing=_blurred(original, [MIDDLE], owners=(ZOFIA,)),
    )
    hidden = {h.number: h for h in publication.hidden}
    assert (hidden[DAAN].basis, hidden[DAAN].regions) == ("stated", ())
    assert hidden[DAAN].label(publication.file.regions) == (
        "volgens de medewerker: van achteren in beeld"
    )
    assert publication.hidden_lines() == [
        "vak 1 (x 373, y 97, 126 × 162): Zofia Łęcka (2A, 1003)",
        "volgens de medewerker onherkenbaar (van achteren in beeld): Daan de Vries (2A, 1005)",
    ]


def test_blurred_in_merlet_desk_cannot_be_stated_by_hand(school, today):
    db, item, original = school
    with pytest.raises(InputError, match="Leerling 1005 .* geen vak"):
        _publish(
            db,
            item,
            today,
            unrecognisable={DAAN: " Vervaagd in Merlet Desk "},
            outgoing=_blurred(original, [MIDDLE], owners=(ZOFIA,)),
        )
    publication = _publish(db, item, today, unrecognisable={ZOFIA: "x", DAAN: "y"})
    with pytest.raises(InputError, match="alleen voor wat Merlet Desk zelf"):
        pub.mark_unrecognisable(db, publication.id, "1001", pub.MERLET_METHOD)


def test_records_from_before_the_link_stay_and_say_they_are_not_per_pupil(db_path, tmp_path):
    """A file at schema 9 whose publication hid one box and marked two pupils "vervaagd in
    Merlet Desk" (the old behaviour), a pupil marked by hand, and a video: every row is kept,
    and read honestly."""
    from merlet_desk.store.migrations import m0009_publication_files

    at_nine = migrations.MIGRATIONS.index(m0009_publication_files) + 1
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:at_nine])
        patch.setattr(migrations, "LATEST_VERSION", at_nine)
        old = open_database(db_path)
        assert old.execute("PRAGMA user_version").fetchone()[0] == at_nine
        clock.fix(date(2026, 11, 20))
        item, original = _fill(old, tmp_path, clock.today(), decide=_decide_in_sql)
        video = item_store.create_item(
            old, "Sportdag", pupil_numbers=[DAAN], file_path="/x/sport.mp4"
        )
        with old.atomic():
            old.execute(
                "INSERT INTO publications (id, item_id, purpose_id, published_on, link,"
                " published_by, recorded_at) SELECT 1, ?, id, '2026-11-18', 'insta', 'officer',"
                " '2026-11-18T10:00:00' FROM purposes WHERE code = 'social_media'",
                [item.id],
            )
            old.execute(
                "INSERT INTO publications (id, item_id, purpose_id, published_on, link,"
                " published_by, recorded_at) SELECT 2, ?, id, '2026-11-18', 'web', 'officer',"
                " '2026-11-18T10:00:00' FROM purposes WHERE code = 'website'",
                [video.id],
            )
            old.execute(
                "INSERT INTO publication_files (publication_id, kind, file_name, file_size,"
                " file_hash, file_path, style, regions, recorded_by, recorded_at) VALUES"
                " (1, 'unrecognisable', 'klassenfoto-onherkenbaar.jpg', 10, ?, '/x', 'blur',"
                " ?, 'officer', '2026-11-18T10:00:00'),"
                " (2, 'unrecognisable', 'sport-onherkenbaar.mp4', 10, ?, '/y', 'blur', '[]',"
                " 'officer', '2026-11-18T10:00:00')",
                ["a" * 64, json.dumps([list(MIDDLE)]), "b" * 64],
            )
            for publication, number, how, regions in (
                (1, ZOFIA, pub.MERLET_METHOD, [list(MIDDLE)]),
                (1, DAAN, pub.MERLET_METHOD, [list(MIDDLE)]),
                (1, "1001", "uitgesneden", []),
                (2, DAAN, pub.MERLET_METHOD, []),
            ):
                old.execute(
                    "INSERT INTO publication_unrecognisable (publication_id, pupil_id, how,"
                    " recorded_by, recorded_at, regions) SELECT ?, id, ?, 'officer',"
                    " '2026-11-18T10:00:00', ? FROM pupils WHERE number = ?",
                    [publication, how, json.dumps(regions), number],
                )
        old.close()

    db = open_database(db_path)
    try:
        assert db.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST_VERSION
        assert db.execute("SELECT count(*) FROM publication_unrecognisable").fetchone()[0] == 4
        photo_publication = pub.get_publication(db, 1)
        hidden = {h.number: h for h in photo_publication.hidden}
        assert {n: h.basis for n, h in hidden.items()} == {
            ZOFIA: "unlinked",
            DAAN: "unlinked",
            "1001": "stated",
        }
        assert hidden[ZOFIA].how == pub.MERLET_METHOD  # the row itself is unchanged
        assert hidden[ZOFIA].regions == (MIDDLE,)
        assert hidden[DAAN].label(photo_publication.file.regions) == (
            "vervaagd (niet per leerling vastgelegd)"
        )
        assert photo_publication.hidden_lines() == [
            "vak 1 (x 373, y 97, 126 × 162): niet per leerling vastgelegd",
            "vervaagd (niet per leerling vastgelegd): Zofia Łęcka (2A, 1003), "
            "Daan de Vries (2A, 1005)",
            "volgens de medewerker onherkenbaar (uitgesneden): Joëlle van den Broek (2A, 1001)",
        ]
        [in_video] = pub.get_publication(db, 2).hidden
        assert in_video.basis == "every_face"
        assert in_video.label(()) == "vervaagd in Merlet Desk: elk gezicht in elk beeld"
    finally:
        db.close()
