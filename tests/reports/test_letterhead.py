"""The letterhead and the policy hand-out, read back from the PDF as a reader would."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from merlet_desk.reports.common import data_table, para
from merlet_desk.reports.letterhead import build_pdf, esc
from merlet_desk.reports.policy import build_policy_report
from tests.helpers import assert_letterhead_on_every_page, page_texts

NAMES = ["Şükrü Yılmaz", "İlayda Gök", "Zofia Łęcka", "Joëlle van den Broek", "<b>Jan</b> & Zn"]


def test_policy_handout_carries_letterhead_on_every_page(db, tmp_path):
    out = tmp_path / "beleid.pdf"
    pages = build_policy_report(db, out, made_by="Meryem Boujdaini")
    texts = page_texts(out)
    assert pages == len(texts) >= 2
    assert_letterhead_on_every_page(texts)
    full = "\n".join(texts)
    assert "Beleid sociale media" in texts[0]
    assert "Meryem Boujdaini" in texts[0]
    assert "Alle locaties" in texts[0]
    for number in range(1, 15):
        assert f"Afspraak {number}" in full
    assert "Je respecteert elkaars privacy." in full


def test_names_and_markup_extract_exactly_as_stored(tmp_path):
    out = tmp_path / "namen.pdf"
    story = [para(name) for name in NAMES]
    story.append(data_table(["Naam", "Klas"], [[name, "2A"] for name in NAMES], [0.7, 0.3]))
    build_pdf(out, "Namen & <tekens>", story, location="Grave", made_by="Berkay Öztürk")
    text = page_texts(out)[0]
    for name in NAMES:
        assert text.count(name) == 2, name
    assert "Namen & <tekens>" in text
    assert "Berkay Öztürk" in text
    assert "Locatie Grave · Stoofweg 4, 5361 HZ Grave" in text


def test_decomposed_input_is_normalised_to_nfc(tmp_path):
    out = tmp_path / "nfc.pdf"
    decomposed = "Joe\u0308lle"  # e + combining diaeresis, as some forms paste it
    build_pdf(out, "NFC", [para(decomposed)])
    assert "Joëlle" in page_texts(out)[0]


def test_long_table_repeats_header_and_numbers_pages(tmp_path):
    out = tmp_path / "lang.pdf"
    rows = [[f"Leerling {i:03d}", NAMES[i % len(NAMES)]] for i in range(160)]
    made_at = datetime(2026, 11, 24, 14, 5)
    pages = build_pdf(out, "Lange lijst", [data_table(["Nummer", "Naam"], rows)], made_at=made_at)
    texts = page_texts(out)
    assert pages == len(texts) >= 3
    assert_letterhead_on_every_page(texts)
    for text in texts:
        assert "Nummer" in text and "Naam" in text  # repeated header
        assert "Gemaakt op 24-11-2026 14:05" in text
    found = re.findall(r"Leerling (\d{3})", "\n".join(texts))
    assert sorted(found) == [f"{i:03d}" for i in range(160)]


def test_same_input_gives_identical_bytes(tmp_path):
    made_at = datetime(2026, 11, 24, 9, 0)
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    for path in (a, b):
        build_pdf(path, "Twee keer", [para(n) for n in NAMES], made_by="x", made_at=made_at)
    assert a.read_bytes() == b.read_bytes()


def test_failed_build_leaves_no_file(tmp_path):
    out = tmp_path / "kapot.pdf"

    class Boom(Exception):
        pass

    class Exploding(type(para("x"))):
        def wrap(self, *args):
            raise Boom

    with pytest.raises(Boom):
        build_pdf(out, "Kapot", [para("eerst"), Exploding("x", para("x").style)])
    assert list(tmp_path.iterdir()) == []


def test_esc_keeps_markup_literal():
    assert esc("<b>Jan</b> & Zn") == "&lt;b&gt;Jan&lt;/b&gt; &amp; Zn"
    assert esc("regel 1\nregel 2") == "regel 1<br/>regel 2"
