"""A new file for a publication that is out (`store.publications.replace_file`): pupils made
unrecognisable in it through their own boxes, the publication refers to it, the earlier file
stays in the history; refused when it would show a face hidden before, or when the
publication is down. On both engines, with a real JPEG."""

from __future__ import annotations

from datetime import date

import pytest

from merlet_desk.domain import consent as rules
from merlet_desk.domain.consent import ConsentSettings
from merlet_desk.errors import InputError
from merlet_desk.imaging import anonymise
from merlet_desk.imaging.faces import detect_faces_in_file
from merlet_desk.store import consent_settings as settings_store
from merlet_desk.store import decisions as decision_store
from merlet_desk.store import items as item_store
from merlet_desk.store import publications as pub
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store import takedowns as takedown_store
from tests.helpers import all_agreements, born_aged, fix_clock
from tests.helpers.photos import class_photo, face_left_to_right

TODAY = date(2026, 11, 25)
NUMBERS = ("1001", "1002", "1003")


@pytest.fixture
def out(db, tmp_path, monkeypatch):
    """A class photo of three on the website, 1002's face blurred in the file that went out;
    then 1003's parent withdraws. Returns (publication, faces widened, photo)."""
    fix_clock(monkeypatch, TODAY)
    settings_store.save_consent_settings(db, ConsentSettings(validity=rules.UNTIL_WITHDRAWN))
    names = ("Joëlle", "Berkay", "Zofia")
    for number, first in zip(NUMBERS, names, strict=True):
        pupil_store.save_pupil(db, number, first, "", "<Łęcka> & Zn", born_aged(13), "2A", "Mill")
        if number != "1002":
            decision_store.record_decision(
                db, number, "website", rules.GRANTED, rules.PARENT, "Ouder", "2026-09-01"
            )
    photo = class_photo(tmp_path / "klas.jpg")
    found = [face.box for face in detect_faces_in_file(photo)[0]]
    faces = [anonymise.widen(found[i], 900, 360) for i in face_left_to_right(found)]
    item = item_store.create_item(
        db,
        "Klassenfoto",
        pupil_numbers=list(NUMBERS),
        file=item_store.file_facts(photo),
        file_path=str(photo),
    )
    first = anonymise.make_unrecognisable(photo, anonymise.target_beside(photo), [faces[1]])
    publication = pub.publish(
        db,
        item.id,
        "website",
        date(2026, 9, 10),
        "https://www.merletcollege.nl/klas",
        checklist=all_agreements(),
        outgoing=pub.OutgoingFile(
            first.path, pub.UNRECOGNISABLE_FILE, "blur", first.regions, ("1002",)
        ),
    )
    decision_store.record_decision(
        db, "1003", "website", rules.WITHDRAWN, rules.PARENT, "Ouder", "2026-10-05"
    )
    return publication, faces, photo


def _made(photo, boxes, owners) -> pub.OutgoingFile:
    written = anonymise.make_unrecognisable(photo, anonymise.target_beside(photo), boxes)
    return pub.OutgoingFile(written.path, pub.UNRECOGNISABLE_FILE, "blur", written.regions, owners)


def test_the_new_file_hides_the_pupil_and_is_the_one_that_is_out(db, out):
    publication, faces, photo = out
    assert [t.pupil.number for t in takedown_store.open_takedowns(db, TODAY)] == ["1003"]
    made = _made(photo, [faces[1], faces[2]], ("1002", "1003"))
    after = pub.replace_file(db, publication.id, made)
    assert after.file.name == made.path.name
    assert {h.number: h.regions for h in after.hidden} == {
        "1002": (faces[1],),
        "1003": (faces[2],),
    }
    kinds = db.execute(
        "SELECT count(*) FROM publication_files WHERE publication_id = ?", [publication.id]
    ).fetchone()[0]
    assert kinds == 2  # the earlier file stays in the history
    assert takedown_store.open_takedowns(db, TODAY) == []
    actions = [
        row[0]
        for row in db.execute(
            "SELECT action FROM audit_log WHERE record_kind = 'publication' ORDER BY id"
        )
    ]
    assert actions[-3:] == ["file", "unrecognisable", "unrecognisable"]


def test_a_file_that_shows_a_face_hidden_before_is_refused(db, out):
    publication, faces, photo = out
    with pytest.raises(InputError, match="Berkay <Łęcka> & Zn was onherkenbaar"):
        pub.replace_file(db, publication.id, _made(photo, [faces[2]], ("1003",)))
    assert pub.get_publication(db, publication.id).file.name == "klas-onherkenbaar.jpg"


def test_no_new_file_for_a_publication_that_is_down_or_for_nobody(db, out):
    publication, faces, photo = out
    with pytest.raises(InputError, match="Geen vak is aan een leerling gekoppeld"):
        pub.replace_file(db, publication.id, _made(photo, [faces[2]], ("",)))
    pub.take_down(db, publication.id, TODAY)
    with pytest.raises(InputError, match="al op 25-11-2026 als verwijderd"):
        pub.replace_file(db, publication.id, _made(photo, [faces[1], faces[2]], ("1002", "1003")))
