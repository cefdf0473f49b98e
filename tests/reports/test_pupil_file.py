"""The pupil's art. 15 file lists the photos and videos the pupil is in and where they went."""

from __future__ import annotations

from datetime import date

from merlet_desk.domain import consent as rules
from merlet_desk.domain.publications import publish_checklist
from merlet_desk.reports.pupil_file import build_pupil_file
from merlet_desk.store import decisions as decision_store
from merlet_desk.store import items as item_store
from merlet_desk.store import publications as pub
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store.informed import mark_informed
from tests.helpers import flat, page_texts


def test_pupil_file_lists_items_and_publications_of_that_pupil_only(db, tmp_path):
    pupil_store.save_pupil(db, "1001", "Zofia", "", "Łęcka", "2012-03-14", "2A", "Cuijk")
    pupil_store.save_pupil(db, "1002", "Berkay", "", "Öztürk", "2012-07-02", "2A", "Cuijk")
    for number in ("1001", "1002"):
        decision_store.record_decision(
            db, number, "website", rules.GRANTED, rules.PARENT, "Ouder", "2026-09-01"
        )
    shared = item_store.create_item(db, "Sportdag <b>Jan</b> & Zn", pupil_numbers=["1001", "1002"])
    web = pub.publish(
        db,
        shared.id,
        "website",
        date(2026, 10, 1),
        "https://merlet.nl/sportdag",
        checklist=[entry.agreement for entry in publish_checklist()],
    )
    pub.take_down(db, web.id, date(2026, 11, 3))
    item_store.create_item(db, "Klassenfoto 2A", pupil_numbers=["1001"], taken_on=date(2026, 9, 10))
    item_store.create_item(db, "Alleen Berkay", pupil_numbers=["1002"])
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
    pupil_store.save_pupil(db, "1001", "Meryem", "", "Boujdaini", "2012-03-14", "2A", "Cuijk")
    out = tmp_path / "inzage.pdf"
    build_pupil_file(db, out, pupil="1001", on=date(2026, 11, 20))
    text = " ".join(" ".join(page.split()) for page in page_texts(out))
    assert "staat in geen enkel item van het publicatieregister" in text


LONG_LINK = (
    "https://www.instagram.com/p/CxY7zQ2LmNp8RtUvWx9/?utm_source=ig_web_copy_link"
    "&igshid=MzRlODBiNWFlZA=="
)


def test_pupil_file_for_parents_wraps_links_names_roles_and_dates_only_consents(db, tmp_path):
    """Issue 15: a long link wraps inside its column, a refusal has no "valid until", and who
    recorded something is a role, not the school's account name."""
    from pypdf import PdfReader
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from merlet_desk.reports.common import CONTENT_WIDTH, FONT
    from merlet_desk.store.audit import current_user

    pupil_store.save_pupil(db, "1001", "Zofia", "", "Łęcka", "2012-03-14", "2A", "Cuijk")
    decision_store.record_decision(
        db, "1001", "social_media", rules.GRANTED, rules.PARENT, "Ouder", "2026-09-01"
    )
    decision_store.record_decision(
        db, "1001", "website", rules.REFUSED, rules.PARENT, "Ouder", "2026-09-01"
    )
    item = item_store.create_item(db, "Kerstgala <b>2A</b>", pupil_numbers=["1001"])
    pub.publish(
        db,
        item.id,
        "social_media",
        date(2026, 10, 1),
        LONG_LINK,
        checklist=[entry.agreement for entry in publish_checklist()],
    )
    out = tmp_path / "inzage.pdf"
    build_pupil_file(db, out, pupil="1001", on=date(2026, 11, 20))
    lines = [
        line for page in PdfReader(str(out)).pages for line in page.extract_text().splitlines()
    ]
    text = "\n".join(lines)

    # The link is there whole, in pieces that each fit the "Gepubliceerd" column.
    assert LONG_LINK in "".join(text.split())
    column = 0.48 * CONTENT_WIDTH
    pieces = [line for line in lines if "igshid" in line or "utm_" in line or "CxY7" in line]
    assert pieces and all(stringWidth(piece, FONT, 8.5) <= column for piece in pieces)

    # Current status: the consent has a "valid until", the refusal none.
    assert "Sociale-media-accounts van de school\nToestemming\n31-07-2027" in text
    refused = text[text.index("Website van de school\nGeweigerd") :].split("\n")[2]
    assert refused.strip() in ("✓", "–", "✗")  # the next row, no date in between

    # Who recorded: the role, never the account.
    assert "Vastgelegd door de communicatiemedewerker van de school." in text
    assert "door communicatiemedewerker" in text  # the letterhead's "made by" too
    assert f"door {current_user()}" not in text


def test_pupil_file_names_the_day_a_pupil_who_turned_16_was_told(db, tmp_path):
    """The current state of the art. 15 file is the register's: a parent's consent kept after
    16, flagged until the pupil was told, then with the day."""
    pupil_store.save_pupil(db, "1003", "Zofia", "", "Łęcka", "2008-05-10", "4H", "Cuijk")
    decision_store.record_decision(
        db, "1003", "website", rules.GRANTED, rules.PARENT, "<Ouder> & Zn", date(2023, 9, 1)
    )
    out = tmp_path / "inzage.pdf"
    build_pupil_file(db, out, pupil="1003", on=date(2024, 6, 15))
    assert "16 geworden, leerling informeren" in flat(page_texts(out))
    mark_informed(db, ["1003"], date(2024, 6, 1))
    build_pupil_file(db, out, pupil="1003", on=date(2024, 6, 15))
    text = flat(page_texts(out))
    assert "Toestemming — 16 geworden, leerling geïnformeerd op 01-06-2024" in text
    assert "leerling informeren" not in text
