"""The pupil's art. 15 file lists the photos and videos the pupil is in and where they went."""

from __future__ import annotations

from datetime import date

from merlet_desk.domain import consent as rules
from merlet_desk.domain.publications import publish_checklist
from merlet_desk.reports.pupil_file import build_pupil_file
from merlet_desk.store import consent as cs
from merlet_desk.store import publications as pub
from tests.helpers import page_texts


def test_pupil_file_lists_items_and_publications_of_that_pupil_only(db, tmp_path):
    cs.save_pupil(db, "1001", "Zofia", "", "Łęcka", "2012-03-14", "2A", "Cuijk")
    cs.save_pupil(db, "1002", "Berkay", "", "Öztürk", "2012-07-02", "2A", "Cuijk")
    for number in ("1001", "1002"):
        cs.record_decision(
            db, number, "website", rules.GRANTED, rules.PARENT, "Ouder", "2026-09-01"
        )
    shared = pub.create_item(db, "Sportdag <b>Jan</b> & Zn", pupil_numbers=["1001", "1002"])
    web = pub.publish(
        db,
        shared.id,
        "website",
        date(2026, 10, 1),
        "https://merlet.nl/sportdag",
        checklist=[entry.agreement for entry in publish_checklist()],
    )
    pub.take_down(db, web.id, date(2026, 11, 3))
    pub.create_item(db, "Klassenfoto 2A", pupil_numbers=["1001"], taken_on=date(2026, 9, 10))
    pub.create_item(db, "Alleen Berkay", pupil_numbers=["1002"])
    out = tmp_path / "inzage.pdf"
    build_pupil_file(db, out, pupil="1001", on=date(2026, 11, 20))
    text = " ".join(" ".join(page.split()) for page in page_texts(out))
    assert "Foto's en video's waarop de leerling staat (2)" in text
    assert "Sportdag <b>Jan</b> & Zn" in text
    assert "Website van de school, 01-10-2026: https://merlet.nl/sportdag" in text
    assert "verwijderd op 03-11-2026" in text
    assert "Klassenfoto 2A" in text and "niet gepubliceerd" in text
    assert "Alleen Berkay" not in text


def test_pupil_in_no_item_says_so(db, tmp_path):
    cs.save_pupil(db, "1001", "Meryem", "", "Boujdaini", "2012-03-14", "2A", "Cuijk")
    out = tmp_path / "inzage.pdf"
    build_pupil_file(db, out, pupil="1001", on=date(2026, 11, 20))
    text = " ".join(" ".join(page.split()) for page in page_texts(out))
    assert "staat in geen enkel item van het publicatieregister" in text
