"""`merlet-desk takedowns` and `report takedowns`: what IT scripts and location managers see of
the takedown list (issue 6)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from merlet_desk.cli import main
from merlet_desk.domain import consent as rules
from merlet_desk.reports.common import CELL_PADDING, STYLES
from merlet_desk.reports.letterhead import CONTENT_WIDTH
from merlet_desk.reports.takedowns import WIDTHS, break_long_words, build_takedowns_report
from merlet_desk.store import decisions as decision_store
from merlet_desk.store import publications as pub
from tests.helpers import (
    LINK,
    MUSICAL,
    WITHDRAWN_ON,
    assert_letterhead_on_every_page,
    flat,
    page_texts,
    school_with_takedowns,
)


@pytest.fixture
def school(db):
    published = school_with_takedowns(db)
    return db, published


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_nothing_open_exits_0(db, db_path, capsys):
    code, out, _ = run(capsys, "takedowns", "--db", str(db_path))
    assert code == 0
    assert out.startswith("Er hoeft niets verwijderd te worden (stand op ")


def test_open_takedowns_as_text_exit_1(school, db_path, capsys):
    code, out, _ = run(capsys, "takedowns", "--db", str(db_path))
    assert code == 1
    assert "2 open (2 publicaties)" in out
    assert f"{MUSICAL} — Website van de school (website), gepubliceerd 10-09-2026" in out
    assert f"  link: {LINK}" in out
    assert f"{MUSICAL} — Jaarboek (yearbook), gepubliceerd 15-09-2026" in out
    assert "  - leerling 1004: Toestemming ingetrokken (sinds 05-10-2026)" in out
    assert "Sportdag" not in out
    # Pupils by number only: the output may land in a log file.
    assert "Jan" not in out and "Joëlle" not in out


def test_open_takedowns_as_json(school, db_path, capsys):
    _, published = school
    code, out, _ = run(capsys, "takedowns", "--db", str(db_path), "--json", "--date", "2026-11-25")
    assert code == 1
    data = json.loads(out)
    assert data["date"] == "2026-11-25"
    assert (data["count"], data["publications"]) == (2, 2)
    first = data["open"][0]
    assert first == {
        "publication": published["website"].id,
        "item_id": published["website"].item_id,
        "item": MUSICAL,
        "channel": "website",
        "channel_label": "Website van de school",
        "link": LINK,
        "file": "",
        "published_on": "2026-09-10",
        "pupil": "1004",
        "reason": "withdrawn",
        "since": "2026-10-05",
        "file_boxes": [],
        "hidden": [],
    }
    assert [entry["channel"] for entry in data["open"]] == ["website", "yearbook"]


def test_date_before_the_withdrawal_has_nothing_open(school, db_path, capsys):
    code, out, _ = run(capsys, "takedowns", "--db", str(db_path), "--date", "04-10-2026")
    assert code == 0
    assert out.strip() == "Er hoeft niets verwijderd te worden (stand op 04-10-2026)."


def test_taken_down_and_kept_are_no_longer_listed(school, db_path, capsys):
    db, published = school
    pub.take_down(db, published["website"].id, date(2026, 10, 6), "van de site gehaald")
    code, out, _ = run(capsys, "takedowns", "--db", str(db_path), "--json")
    assert code == 1
    assert [entry["channel"] for entry in json.loads(out)["open"]] == ["yearbook"]
    pub.keep_publication(
        db,
        published["yearbook"].id,
        "1004",
        rules.WITHDRAWN,
        WITHDRAWN_ON,
        "Gedrukt jaarboek kan niet worden teruggehaald",
    )
    code, out, _ = run(capsys, "takedowns", "--db", str(db_path), "--json")
    assert code == 0
    assert json.loads(out)["open"] == []


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--date", "31-02-2026"], "--date: onmogelijke datum '31-02-2026'"),
        (["--date", "morgen"], "--date: onbekende datumnotatie 'morgen'"),
    ],
)
def test_bad_date_exits_2(school, db_path, capsys, argv, message):
    code, out, err = run(capsys, "takedowns", "--db", str(db_path), *argv)
    assert code == 2
    assert out == ""
    assert message in err


def test_missing_database_exits_2_and_is_not_created(tmp_path, capsys):
    missing = tmp_path / "nergens.sqlite"
    code, _, err = run(capsys, "takedowns", "--db", str(missing))
    assert code == 2
    assert "bestaat niet" in err
    assert not missing.exists()


def test_damaged_or_foreign_file_exits_2(tmp_path, capsys):
    junk = tmp_path / "kapot.sqlite"
    junk.write_bytes(b"dit is geen database" * 100)
    code, _, err = run(capsys, "takedowns", "--db", str(junk))
    assert code == 2
    assert str(junk) in err
    assert "Traceback" not in err


def test_takedowns_open_the_database_read_only(school, db_path, capsys):
    db, _ = school
    before = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    db.close()
    mtime = db_path.stat().st_mtime_ns
    assert run(capsys, "takedowns", "--db", str(db_path))[0] == 1
    assert db_path.stat().st_mtime_ns == mtime
    from merlet_desk.store import open_database

    again = open_database(db_path)
    assert again.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before
    again.close()


# -- the letterhead report ----------------------------------------------------------------------


def test_report_lists_each_takedown_with_names_escaped(school, db_path, tmp_path, capsys):
    target = tmp_path / "te-verwijderen.pdf"
    code, out, _ = run(
        capsys, "report", "takedowns", "--db", str(db_path), "-o", str(target), "--on", "25-11-2026"
    )
    assert code == 0
    assert out.strip() == f"Rapport gemaakt: {target} (1 pagina)"
    texts = page_texts(target)
    assert_letterhead_on_every_page(texts)
    text = flat(texts)
    assert "Te verwijderen publicaties" in text
    assert "Stand op 25-11-2026" in text
    assert "Te verwijderen 2 publicaties, met samen 1 leerling die er niet (meer) op mag" in text
    assert "(publicaties:" not in text
    for header in ("Item", "Doel", "Link", "Leerling", "Reden", "Sinds"):
        assert header in text
    assert MUSICAL in text  # literally: not eaten as markup
    assert "1004 <b>Jan</b> & Zn (2A)" in text
    assert "Toestemming ingetrokken" in text
    assert "05-10-2026" in text
    assert "Jaarboek 2026-2027, pagina 12" in text
    assert "".join(text.split()).count("id=12&foto=<3>") == 1  # the link, maybe wrapped
    assert "Sportdag" not in text
    assert "Joëlle" not in text  # allowed pupils are not listed


def test_report_with_nothing_open_says_so(db, tmp_path):
    target = tmp_path / "leeg.pdf"
    assert build_takedowns_report(db, target, on=date(2026, 11, 25)) == 1
    text = flat(page_texts(target))
    assert "Er hoeft niets verwijderd te worden" in text
    assert "Stand op 25-11-2026" in text
    assert "Reden" not in text  # no empty table


def test_report_names_with_diacritics(school, tmp_path):
    db, published = school
    decision_store.record_decision(
        db, "1003", "website", rules.REFUSED, rules.PARENT, "Marek Łęcki", "2026-11-01"
    )
    target = tmp_path / "x.pdf"
    build_takedowns_report(db, target, on=date(2026, 11, 25))
    text = flat(page_texts(target))
    assert "1003 Zofia Łęcka (2A)" in text
    assert "Toestemming geweigerd" in text
    assert "01-11-2026" in text


def test_report_unknown_database_exits_2_and_writes_nothing(tmp_path, capsys):
    target = tmp_path / "x.pdf"
    code, _, err = run(
        capsys, "report", "takedowns", "--db", str(tmp_path / "nee.sqlite"), "-o", str(target)
    )
    assert code == 2
    assert "bestaat niet" in err
    assert not target.exists()


def test_long_links_are_broken_to_fit_their_column():
    width = CONTENT_WIDTH * WIDTHS[2]
    room = width - 2 * CELL_PADDING
    style = STYLES["cell"]
    link = "https://www.instagram.com/merletcollege/p/" + "AbCdEfGhIjKlMnOpQrStUvWxYz" * 3
    broken = break_long_words(link, width)
    assert broken.replace("\n", "") == link
    lines = broken.split("\n")
    assert len(lines) > 1
    assert all(stringWidth(line, style.fontName, style.fontSize) <= room for line in lines)
    assert lines[0][-1] in "/?&=-._#"  # at a separator where it can, else anywhere
    assert break_long_words("Jaarboek 2026-2027, pagina 12", width) == (
        "Jaarboek 2026-2027, pagina 12"
    )
