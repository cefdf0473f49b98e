"""Demo data of the publication register: a few hundred items and publications that all passed
the publication check, and a short takedown list to look at (issue 6)."""

from __future__ import annotations

import re
import struct
import zlib
from collections import Counter
from datetime import date

import pytest

from merlet_desk.demo import consent as demo_consent
from merlet_desk.demo import fill_demo
from merlet_desk.demo import publications as demo_publications
from merlet_desk.domain import consent as rules
from merlet_desk.domain.publications import MEDIA_KINDS, media_kind_for, publish_checklist
from merlet_desk.store import items as item_store
from merlet_desk.store import open_database
from merlet_desk.store import publications as pub
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store import statuses as status_store
from merlet_desk.store import takedowns as takedown_store

DAY = date(2026, 11, 25)


@pytest.fixture
def fixed_day(monkeypatch):
    monkeypatch.setattr(demo_consent, "_today", lambda: DAY)
    monkeypatch.setattr(demo_publications, "_today", lambda: DAY)


def make(tmp_path, name: str, pupils: int):
    db = open_database(tmp_path / name)
    fill_demo(db, pupils)
    return db


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """One 600-pupil demo database for the read-only checks below."""
    patch = pytest.MonkeyPatch()
    patch.setattr(demo_consent, "_today", lambda: DAY)
    patch.setattr(demo_publications, "_today", lambda: DAY)
    try:
        db = make(tmp_path_factory.mktemp("demo"), "demo.sqlite", 600)
    finally:
        patch.undo()
    yield db
    db.close()


def dump(db) -> tuple:
    """Everything but the moments of recording (those are the clock's)."""
    return (
        db.execute(
            "SELECT id, title, media_kind, file_name, file_size, file_hash, file_path, thumbnail,"
            " taken_on, location FROM publication_items ORDER BY id"
        ).fetchall(),
        db.execute("SELECT * FROM publication_item_pupils ORDER BY item_id, pupil_id").fetchall(),
        db.execute(
            "SELECT id, item_id, purpose_id, published_on, link, published_by, checklist,"
            " taken_down_on, taken_down_note FROM publications ORDER BY id"
        ).fetchall(),
        db.execute(
            "SELECT publication_id, pupil_id, how FROM publication_unrecognisable ORDER BY 1, 2"
        ).fetchall(),
        db.execute(
            "SELECT publication_id, pupil_id, reason, since, note FROM publication_kept"
            " ORDER BY 1, 2"
        ).fetchall(),
    )


def test_same_size_gives_the_same_register(tmp_path, fixed_day):
    first, second = make(tmp_path, "a.sqlite", 300), make(tmp_path, "b.sqlite", 300)
    assert dump(first) == dump(second)
    assert dump(first)[0] != dump(make(tmp_path, "c.sqlite", 301))[0]


def test_a_few_hundred_items_and_publications(demo):
    items = item_store.list_items(demo)
    assert len(items) == 300  # one per two pupils
    count = demo.execute("SELECT count(*) FROM publications").fetchone()[0]
    assert count >= 300
    assert 1 <= min(i.pupil_count for i in items) and max(i.pupil_count for i in items) <= 25
    kinds = Counter(i.media_kind for i in items)
    assert set(kinds) == set(MEDIA_KINDS) and kinds["photo"] > kinds["video"]
    channels = Counter(
        code
        for (code,) in demo.execute(
            "SELECT pu.code FROM publications p JOIN purposes pu ON pu.id = p.purpose_id"
        )
    )
    assert {"website", "social_media", "newsletter", "yearbook"} <= set(channels)


def test_small_school_still_gets_150_items(tmp_path, fixed_day):
    db = make(tmp_path, "small.sqlite", 100)
    assert len(item_store.list_items(db)) == 150


def test_items_look_like_the_school_image_bank(demo):
    locations = set(pupil_store.known_locations())
    first_day = date(rules.school_year(DAY)[0].year - 1, 8, 1)
    titles = set()
    for summary in item_store.list_items(demo):
        item = item_store.get_item(demo, summary.id)
        titles.add(item.title)
        assert item.location in locations
        assert first_day <= item.taken_on <= DAY
        assert not (
            item.taken_on.month == 8 or (item.taken_on.month == 7 and item.taken_on.day > 10)
        )
        assert item.media_kind == media_kind_for(item.file_name)
        assert re.fullmatch(r"[0-9a-f]{64}", item.file_hash)
        assert item.file_path == f"\\\\merlet-fs\\beeldbank\\{item.taken_on.year}\\{item.file_name}"
        assert item.file_size > 1_000_000
    assert "Musical <Grease> & repetitie" in titles
    assert any(title.startswith("Sportdag ") for title in titles)


def test_thumbnails_are_real_160_by_120_pngs(demo):
    data = item_store.item_thumbnail(demo, 1)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert (width, height, depth, colour) == (160, 120, 8, 2)
    assert zlib.crc32(data[12:29]) == struct.unpack(">I", data[29:33])[0]
    from PySide6.QtGui import QImage

    image = QImage.fromData(data)
    assert (image.width(), image.height()) == (160, 120)
    assert image.pixelColor(80, 5) != image.pixelColor(80, 115)  # sky and ground


def test_every_publication_passed_the_check_on_its_date(demo):
    for item in item_store.list_items(demo):
        pupils = [p.number for p in item_store.item_pupils(demo, item.id)]
        for publication in pub.publications_of_item(demo, item.id):
            assert set(publication.checklist) == {e.agreement for e in publish_checklist()}
            result = status_store.publication_check(
                demo, publication.purpose_code, pupils, publication.published_on
            )
            blocked = {pupil.number for pupil, _ in result.blocked}
            assert blocked <= set(publication.unrecognisable), (item.title, publication)


def test_takedown_list_has_a_handful_open_and_some_resolved(demo):
    takedowns = takedown_store.open_takedowns(demo, DAY)
    publications = {t.publication_id for t in takedowns}
    assert 5 <= len(publications) <= 30
    reasons = Counter(t.reason for t in takedowns)
    assert reasons[rules.WITHDRAWN] >= 1
    assert all(t.since <= DAY for t in takedowns)
    taken_down = demo.execute(
        "SELECT count(*) FROM publications WHERE taken_down_on IS NOT NULL"
    ).fetchone()[0]
    kept = demo.execute("SELECT count(*) FROM publication_kept").fetchone()[0]
    hidden = demo.execute("SELECT count(*) FROM publication_unrecognisable").fetchone()[0]
    assert taken_down >= 5 and kept >= 5 and hidden >= 5
    notes = {n for (n,) in demo.execute("SELECT note FROM publication_kept")}
    assert "Gedrukt jaarboek kan niet worden teruggehaald" in notes
    assert takedown_store.open_takedown_count(demo, DAY) == len(
        {t.publication_id for t in takedowns}
    )


def test_withdrawals_after_publishing_are_in_the_audit_log(demo):
    actions = Counter(
        action
        for (action,) in demo.execute(
            "SELECT action FROM audit_log WHERE record_kind IN ('publication', 'publication_item')"
        )
    )
    assert actions["create"] == 300
    assert actions["publish"] >= 300
    assert actions["take_down"] >= 5 and actions["keep"] >= 5 and actions["unrecognisable"] >= 5


def test_two_thousand_pupils(tmp_path):
    # How long the whole demo takes is measured by `make bench` (figure 8b), not asserted here.
    db = make(tmp_path, "big.sqlite", 2000)
    assert len(item_store.list_items(db)) == 1000
