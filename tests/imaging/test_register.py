"""The register and the files Merlet Desk makes for a publication (issue 17): the cleaned file
is recorded as the publication's file (path, size, SHA-256), the pupils made unrecognisable
with "vervaagd in Merlet Desk" and the regions, audited; the takedown list and the pupil's
art. 15 file name the cleaned file; the original and its facts stay as they were."""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta

import pytest

from merlet_desk import clock
from merlet_desk.cli import main
from merlet_desk.domain import consent as rules
from merlet_desk.domain.publications import box_text, publish_checklist
from merlet_desk.errors import InputError
from merlet_desk.imaging import anonymise, faces, photo
from merlet_desk.reports.pupil_file import build_pupil_file
from merlet_desk.reports.takedowns import build_takedowns_report
from merlet_desk.store import decisions as decision_store
from merlet_desk.store import items as item_store
from merlet_desk.store import publications as pub
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store import takedowns as takedown_store
from tests.helpers import fix_clock, page_texts
from tests.helpers.photos import photo_with_metadata

ALL_AGREEMENTS = [entry.agreement for entry in publish_checklist()]
PUPILS = [
    ("1001", "Joëlle", "van den", "Broek", "2012-03-14", "2A"),
    ("1002", "Berkay", "", "Öztürk", "2012-07-02", "2A"),
    ("1003", "Zofia", "", "Łęcka", "2011-11-30", "2A"),
]
TITLE = "Musical <Grease> & repetitie"


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _audit(db, action: str) -> list[dict]:
    rows = db.execute(
        "SELECT new_value FROM audit_log WHERE action = ? ORDER BY id", [action]
    ).fetchall()
    return [json.loads(r[0]) for r in rows]


@pytest.fixture
def today(monkeypatch):
    """A day in the school year the fixtures' consents were given in (pupils born 2011-12)."""
    fix_clock(monkeypatch, date(2026, 11, 20))
    return clock.today()


@pytest.fixture
def school(db, tmp_path, today):
    """Joëlle and Berkay may be on the website, Zofia has no consent; the photo of all three
    is registered with its original file."""
    for number, first, prefix, last, born, klass in PUPILS:
        pupil_store.save_pupil(db, number, first, prefix, last, born, klass, "Cuijk")
    for number in ("1001", "1002"):
        decision_store.record_decision(
            db, number, "website", rules.GRANTED, rules.PARENT, "Meryem Boujdaini", "2026-09-01"
        )
    original = photo_with_metadata(tmp_path / "musical.jpg")
    item = item_store.create_item(
        db,
        TITLE,
        pupil_numbers=["1001", "1002", "1003"],
        file=item_store.file_facts(original),
        file_path=str(original),
        taken_on=today - timedelta(days=10),
    )
    return db, item, original


def _publish(db, item, on, **extra) -> pub.Publication:
    """Publish the musical on the website with every agreement ticked."""
    return pub.publish(
        db,
        item.id,
        "website",
        on,
        "https://www.merletcollege.nl/musical",
        checklist=ALL_AGREEMENTS,
        **extra,
    )


def _blurred(original, tmp_path):
    pixels = photo.read_photo(original)
    box = anonymise.widen(faces.detect_faces(pixels)[0].box, 512, 512)
    target = anonymise.target_beside(original)
    return anonymise.make_unrecognisable(original, target, [box], anonymise.PIXELATE)


def test_cleaned_file_is_the_publications_file_and_the_pupil_is_marked(school, tmp_path, today):
    db, item, original = school
    before = _sha(original)
    written = _blurred(original, tmp_path)
    publication = _publish(
        db,
        item,
        today,
        unrecognisable={"1003": pub.MERLET_METHOD},
        outgoing=pub.OutgoingFile(
            written.path, pub.UNRECOGNISABLE_FILE, written.style, written.regions, ("1003",)
        ),
    )
    # the publication's file: the new one, with its own facts read from disk
    recorded = publication.file
    assert recorded is not None and recorded.kind == pub.UNRECOGNISABLE_FILE
    assert recorded.name == "musical-onherkenbaar.jpg"
    assert recorded.path == str(written.path)
    assert (recorded.size, recorded.sha256) == (written.path.stat().st_size, _sha(written.path))
    assert recorded.regions == written.regions and recorded.style == "pixelate"
    # the pupil: unrecognisable, how and which regions
    assert publication.unrecognisable == ("1003",)
    how, regions = db.execute(
        "SELECT how, regions FROM publication_unrecognisable WHERE publication_id = ?",
        [publication.id],
    ).fetchone()
    assert how == "vervaagd in Merlet Desk"
    assert [tuple(r) for r in json.loads(regions)] == list(written.regions)
    # audited: the file and the pupil
    [file_entry] = _audit(db, "file")
    assert file_entry["file_hash"] == _sha(written.path)
    assert file_entry["source_hash"] == before
    [pupil_entry] = _audit(db, "unrecognisable")
    assert pupil_entry["pupil"] == "1003" and pupil_entry["how"] == pub.MERLET_METHOD
    assert pupil_entry["regions"] == [list(r) for r in written.regions]
    # the original: its facts on the item and its bytes on disk
    again = item_store.get_item(db, item.id)
    assert (again.file_name, again.file_hash) == ("musical.jpg", before)
    assert _sha(original) == before


def test_takedown_list_and_art_15_file_name_the_cleaned_file_and_whom_its_box_hid(
    school, db_path, tmp_path, today, capsys
):
    db, item, original = school
    written = _blurred(original, tmp_path)
    [box] = written.regions
    where = box_text(box)
    _publish(
        db,
        item,
        today - timedelta(days=5),
        outgoing=pub.OutgoingFile(
            written.path, pub.UNRECOGNISABLE_FILE, "blur", written.regions, ("1003",)
        ),
    )
    decision_store.record_decision(
        db, "1002", "website", rules.WITHDRAWN, rules.PARENT, "Ayşe Öztürk", today
    )
    [takedown] = takedown_store.open_takedowns(db, today)
    assert takedown.pupil.number == "1002"  # Zofia is unrecognisable: no takedown for her
    assert takedown.file_name == "musical-onherkenbaar.jpg"
    assert takedown.faces.lines() == [f"vak 1 ({where}): Zofia Łęcka (2A, 1003)"]

    assert main(["takedowns", "--db", str(db_path), "--json"]) == 1
    [entry] = json.loads(capsys.readouterr().out)["open"]
    assert entry["file"] == "musical-onherkenbaar.jpg"
    assert entry["file_boxes"] == [list(box)]
    assert entry["hidden"] == [{"pupil": "1003", "basis": "boxes", "boxes": [list(box)]}]
    # The text names pupils by number only (it may land in a log).
    assert main(["takedowns", "--db", str(db_path)]) == 1
    out = capsys.readouterr().out
    assert f"  vak 1 ({where}): leerling 1003\n" in out
    assert "Zofia" not in out

    report = tmp_path / "verwijderen.pdf"
    build_takedowns_report(db, report, on=today)
    text = "".join("".join(page.split()) for page in page_texts(report))  # the cell wraps
    assert "bestand:musical-onherkenbaar.jpg" in text
    assert "".join(f"vak 1 ({where}): Zofia Łęcka (2A, 1003)".split()) in text

    inzage = tmp_path / "inzage.pdf"
    build_pupil_file(db, inzage, pupil="1003", on=today)
    text = " ".join(" ".join(page.split()) for page in page_texts(inzage))
    assert (
        f"(onherkenbaar gemaakt: vervaagd in Merlet Desk: vak 1 ({where})) — bestand: "
        "musical-onherkenbaar.jpg"
    ) in text
    # Another pupil's file does not say whose face was hidden.
    build_pupil_file(db, inzage, pupil="1002", on=today)
    text = " ".join(" ".join(page.split()) for page in page_texts(inzage))
    assert "musical-onherkenbaar.jpg" in text
    assert "Zofia" not in text and "vak 1" not in text


def test_clean_copy_for_a_photo_everyone_may_be_in(school, tmp_path, today):
    db, item, original = school
    item_store.set_item_pupils(db, item.id, ["1001", "1002"])
    copy = anonymise.clean_copy(original, anonymise.target_beside(original, anonymise.CLEAN_SUFFIX))
    publication = _publish(
        db,
        item,
        today,
        outgoing=pub.OutgoingFile(copy.path, pub.CLEAN_COPY_FILE),
    )
    assert publication.file is not None
    assert publication.file.name == "musical-zonder-metadata.jpg"
    assert publication.file.kind_label == "kopie zonder metadata"
    assert photo.metadata_segments(copy.path.read_bytes()) == ["JFIF"]


def test_the_original_is_never_recorded_as_the_cleaned_file(school, today):
    db, item, original = school
    with pytest.raises(InputError, match="het origineel"):
        _publish(
            db,
            item,
            today,
            unrecognisable={"1003": pub.MERLET_METHOD},
            outgoing=pub.OutgoingFile(
                original, pub.UNRECOGNISABLE_FILE, "blur", ((1, 1, 9, 9),), ("1003",)
            ),
        )
    assert pub.publications_of_item(db, item.id) == []
    assert db.execute("SELECT count(*) FROM publication_files").fetchone()[0] == 0


def test_blurred_in_merlet_desk_needs_the_blurred_file(school, today):
    db, item, _original = school
    with pytest.raises(InputError, match="geen onherkenbaar gemaakte foto"):
        _publish(
            db,
            item,
            today,
            unrecognisable={"1003": pub.MERLET_METHOD},
        )
    assert pub.publications_of_item(db, item.id) == []


def test_a_missing_file_changes_nothing(school, tmp_path, today):
    db, item, _original = school
    audit_before = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    with pytest.raises(InputError, match="niet gevonden"):
        _publish(
            db,
            item,
            today,
            unrecognisable={"1003": pub.MERLET_METHOD},
            outgoing=pub.OutgoingFile(
                tmp_path / "weg.jpg", pub.UNRECOGNISABLE_FILE, "bar", ((1, 1, 9, 9),), ("1003",)
            ),
        )
    assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == audit_before
