"""Consent reports read back from the PDF: overview per class, publication check, pupil file."""

from __future__ import annotations

import re
from datetime import date

import pytest

from merlet_desk.domain.consent import STATE_LABELS, STATE_SYMBOLS
from merlet_desk.errors import InputError
from merlet_desk.reports.consent_overview import build_consent_overview
from merlet_desk.reports.publication_check import build_publication_check
from merlet_desk.reports.pupil_file import build_pupil_file
from merlet_desk.store import pupils as store
from tests.helpers import REPORT_PUPILS as PUPILS
from tests.helpers import assert_letterhead_on_every_page, flat, page_texts
from tests.helpers import fill_report_school as fill_school

ON = date(2026, 11, 25)


@pytest.fixture
def school(db):
    fill_school(db)
    return db


def name_of(row) -> str:
    return " ".join(part for part in (row[1], row[2], row[3]) if part)


def test_consent_overview_has_one_page_group_per_class_and_every_pupil_once(db, tmp_path):
    fill_school(db, extra_2a=70)  # 2A spans more than one page
    out = tmp_path / "toestemmingen.pdf"
    pages = build_consent_overview(db, out, location="cuijk", on=ON)
    texts = page_texts(out)
    assert pages == len(texts) >= 3
    assert_letterhead_on_every_page(texts)

    # Each page says which class it belongs to; the classes form consecutive groups.
    groups = [re.search(r"— Klas (\S+)", text).group(1) for text in texts]
    runs = [g for i, g in enumerate(groups) if i == 0 or groups[i - 1] != g]
    assert runs == ["2A", "4B"]
    assert groups.count("2A") >= 2
    for text in texts:  # the purposes header repeats on every page of a class
        assert "Website van de school" in text and "Leerling" in text

    full = "\n".join(texts)
    cuijk = [row for row in PUPILS if row[6] == "Cuijk"]
    for row in cuijk:
        assert full.count(name_of(row)) == 1, name_of(row)
    for i in range(70):
        assert full.count(f"Boujdaini{i:03d}") == 1
    assert "Berkay Öztürk" not in full  # Grave
    assert "<b>Jan</b> & Zn" in full
    # Legend: every state's symbol and label.
    for state, label in STATE_LABELS.items():
        assert label in full
        assert STATE_SYMBOLS[state] in full


def test_consent_overview_row_shows_register_symbols(school, tmp_path):
    out = tmp_path / "2a.pdf"
    build_consent_overview(school, out, location="Cuijk", class_name="2a", on=ON)
    text = page_texts(out)[0]
    assert "klas 2A" in text
    assert "Zofia Łęcka" not in text
    # Şükrü: brochure none, website granted, social media refused, then four without record.
    row = re.search(r"1001\s*\n?Şükrü Yılmaz\s*(.*?)\s*(?:1\d{3}|Mag in beeld)", text, re.S)
    assert row is not None
    assert row.group(1).split() == ["–", "✓", "✗", "–", "–", "–", "–"]


def test_consent_overview_of_all_locations_counts_per_location_with_totals(school, tmp_path):
    store.save_pupil(school, "3001", "Meryem", None, "Boujdaini", "2012-01-01", "1M", "Mill")
    out = tmp_path / "alle.pdf"
    build_consent_overview(school, out, location=None, on=ON)
    texts = page_texts(out)
    assert_letterhead_on_every_page(texts)
    first = " ".join(texts[0].split())
    assert "Alle locaties" in first and "7 leerlingen · 3 locaties" in first
    # Pupils, then who may appear per purpose: brochure for Zofia, website for Şükrü (Cuijk)
    # and Berkay (Grave).
    assert re.search(r"Cuijk 5 1 1 0 0 0 0 0\b", first), first
    assert re.search(r"Grave 1 0 1 0 0 0 0 0\b", first)
    assert re.search(r"Mill 1 0 0 0 0 0 0 0\b", first)
    assert re.search(r"Totaal 7 1 2 0 0 0 0 0\b", first)
    # Then the classes location by location, each page's header naming its location.
    headers = [re.search(r"Locatie (\w+) · .* — Klas (\S+)", t).groups() for t in texts[1:]]
    assert headers == [("Cuijk", "2A"), ("Cuijk", "4B"), ("Grave", "3C"), ("Mill", "1M")]
    full = flat(texts)
    for row in PUPILS:
        assert full.count(name_of(row)) == 1, name_of(row)


def test_unknown_location_or_class_raises_and_writes_nothing(school, tmp_path):
    folder = tmp_path / "uit"
    folder.mkdir()
    out = folder / "x.pdf"
    with pytest.raises(InputError, match="Onbekende locatie 'Zwolle'"):
        build_consent_overview(school, out, location="Zwolle", on=ON)
    with pytest.raises(InputError, match="Onbekende klas '9Z'"):
        build_consent_overview(school, out, location="Cuijk", class_name="9Z", on=ON)
    assert list(folder.iterdir()) == []


def test_publication_check_lists_who_may_and_may_not_with_reasons(school, tmp_path):
    out = tmp_path / "check.pdf"
    build_publication_check(
        school, out, purpose="website", pupils=["1001", "1002", "1003", "1004"], on=ON
    )
    texts = page_texts(out)
    assert_letterhead_on_every_page(texts)
    text = flat(texts)
    assert "Website van de school (website)" in text
    assert "25-11-2026" in text
    may, may_not = text.split("Mogen in beeld (1)")[1], text.split("Mogen in beeld (1)")[0]
    assert "Şükrü Yılmaz" in may and "01-09-2026" in may
    assert "Mogen niet in beeld (3)" in may_not
    assert "İlayda Gök" in may_not and "niets vastgelegd" in may_not
    assert "Joëlle van den Broek" in may_not and "toestemming ingetrokken" in may_not
    assert "Zofia Łęcka" in may_not and "verlopen" in may_not
    assert "Handtekening" in text
    # For a photographer or a teacher: the verdict, never who gave it nor how.
    for giver in ("Ayşe Yılmaz", "Marek Łęcki", "Meryem Boujdaini", "ouder", "voogd"):
        assert giver not in text, giver
    for method in ("Papieren formulier", "Ouderportaal", "E-mail"):
        assert method not in text, method


def test_publication_check_for_a_class(school, tmp_path):
    out = tmp_path / "check2a.pdf"
    build_publication_check(school, out, purpose="brochure", class_name="2A", on=ON)
    text = page_texts(out)[0]
    assert "klas 2A (3 leerlingen)" in text
    assert "Mogen in beeld (0)" in text


def test_pupil_file_holds_the_full_history_and_no_other_pupil(school, tmp_path):
    store.save_pupil(school, "1004", "Joëlle", "van den", "Broek", "2012-07-08", "2B", "Cuijk")
    out = tmp_path / "inzage.pdf"
    build_pupil_file(school, out, pupil="1004", on=ON)
    texts = page_texts(out)
    assert_letterhead_on_every_page(texts)
    text = flat(texts)
    assert "Joëlle van den Broek" in text
    assert "Geschiedenis van alle besluiten (2)" in text
    assert "Voogd: Meryem Boujdaini" in text
    assert "03-09-2026" in text and "03-10-2026" in text
    assert "Ingetrokken" in text and "Ouderportaal" in text and "E-mail" in text
    assert "Klas: 2A → 2B" in text
    for row in PUPILS:
        if row[0] != "1004":
            assert row[3] not in text, row
    for other in ("Ayşe", "Marek", "Hatice"):
        assert other not in text


def test_pupil_file_unknown_pupil(school, tmp_path):
    folder = tmp_path / "uit"
    folder.mkdir()
    with pytest.raises(InputError, match="Onbekende leerling 9999"):
        build_pupil_file(school, folder / "x.pdf", pupil="9999")
    assert list(folder.iterdir()) == []


def test_consent_overview_of_an_encrypted_register_reads_through_a_larger_cache_then_gives_it_back(
    tmp_path, monkeypatch
):
    """On an encrypted file every page SQLite reads again is decrypted again, so the overview
    reads with a 128 MiB cache there (a plain file keeps its own) and the same PDF comes out."""
    from datetime import datetime

    from merlet_desk.reports import consent_overview
    from merlet_desk.store import open_database

    real = consent_overview.store.register_statuses
    texts, caches = {}, {}
    for kind, key in (("plain", None), ("encrypted", bytes.fromhex("5a" * 32))):
        db = open_database(tmp_path / f"{kind}.sqlite", key=key)
        try:
            fill_school(db, extra_2a=40)
            before = db.execute("PRAGMA cache_size").fetchone()[0]
            seen: list[int] = []

            def reading(*args, db=db, seen=seen, **kwargs):
                seen.append(db.execute("PRAGMA cache_size").fetchone()[0])
                return real(*args, **kwargs)

            monkeypatch.setattr(consent_overview.store, "register_statuses", reading)
            out = tmp_path / f"{kind}.pdf"
            build_consent_overview(
                db, out, location="Cuijk", on=ON, made_at=datetime(2026, 11, 25, 9, 30)
            )
            caches[kind] = (before, seen, db.execute("PRAGMA cache_size").fetchone()[0])
            texts[kind] = page_texts(out)
        finally:
            db.close()
    plain_before, plain_seen, plain_after = caches["plain"]
    assert plain_seen == [plain_before] and plain_after == plain_before
    encrypted_before, encrypted_seen, encrypted_after = caches["encrypted"]
    assert encrypted_seen == [-131072]  # 128 MiB while the report reads
    assert encrypted_after == encrypted_before != -131072  # and given back
    assert texts["encrypted"] == texts["plain"]
    assert "Boujdaini039" in "\n".join(texts["encrypted"])
