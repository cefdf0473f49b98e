"""Spreadsheets and bounded work: CSV cells that are formulas, a report over ten thousand
years, two imports in the same second, and characters the report fonts cannot draw (issue 13).
The .xlsx zip bomb is in tests/hostile/test_input.py."""

from __future__ import annotations

import csv
import subprocess
import sys
from datetime import date

import pytest
from pypdf import PdfReader

from merlet_desk import clock
from merlet_desk.cli import main
from merlet_desk.csv_export import spreadsheet_safe, write_csv
from merlet_desk.reports.letterhead import REPLACEMENT, drawable
from merlet_desk.store import audit, open_database
from merlet_desk.store.audit_query import audit_entries, write_audit_csv
from merlet_desk.store.backup import list_backups
from merlet_desk.store.pupils import save_pupil
from tests.helpers.processes import HEADER


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_neutralised(start):
    assert spreadsheet_safe(f"{start}SUM(1+1)") == f"'{start}SUM(1+1)"
    assert spreadsheet_safe("Joëlle =1+1") == "Joëlle =1+1"  # only the first character counts
    assert spreadsheet_safe(None) == ""


def read_cells(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [cell for row in csv.reader(handle, delimiter=";") for cell in row]


def test_the_audit_log_export_writes_no_formula(db, db_path, tmp_path, monkeypatch):
    # The OS user name and a pupil number from before numbers were checked, as an attacker
    # who can name an account or edit an old export would choose them.
    audit.current_user.cache_clear()
    monkeypatch.setattr(audit, "current_user", lambda: '@SUM(1+1)*cmd|" /C calc"!A0')
    with db.atomic():
        db.execute(
            "INSERT INTO pupils (number, first_name, prefix, last_name, birth_date, class_name,"
            " location) VALUES ('=HYPERLINK(\"http://x\")', 'Berkay', '', 'Öztürk',"
            " '2012-05-01', '1A', 'Cuijk')"
        )
        audit.record_change(db, "create", "pupil", '=HYPERLINK("http://x")', None, {"a": 1})
        audit.record_change(db, "create", "case", '=HYPERLINK("http://x")', None, {"a": 1})
    save_pupil(db, "1002", "-2+3", "", "+Zofia", "2012-05-01", "=1+1", "Cuijk")
    out = tmp_path / "audit.csv"
    write_audit_csv(audit_entries(db), out, db_path=db_path)
    cells = read_cells(out)
    assert '\'=HYPERLINK("http://x")' in cells  # the case's reference, escaped
    assert 'Berkay Öztürk (=HYPERLINK("http://x"))' in cells  # the pupil, by name
    assert '\'@SUM(1+1)*cmd|" /C calc"!A0' in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_the_csv_writer_refuses_the_database(db, db_path):
    from merlet_desk.store.errors import UnsafeOutputError

    before = db_path.read_bytes()[:100]
    with pytest.raises(UnsafeOutputError):
        write_csv(db_path, ["a"], [["b"]], db_path=db_path)
    assert db_path.read_bytes()[:100] == before


def test_a_case_overview_over_ten_thousand_years_is_bounded(tmp_path, capsys):
    path = tmp_path / "merlet.sqlite"
    assert main(["init", "--db", str(path), "--demo", "--pupils", "30"]) == 0
    out = tmp_path / "incidenten.pdf"
    args = ["report", "cases", "--location", "Mill", "--from", "0001-01-01", "--to", "9999-12-31"]
    assert main([*args, "--db", str(path), "-o", str(out)]) == 0
    text = " ".join("".join(page.extract_text() for page in PdfReader(out).pages).split())
    assert "Periode 01-01-0001 t/m 31-12-9999" in text
    assert "De periode beslaat 119.988 maanden" in text
    assert "begrensd tot" in text and "de maanden met incidenten" in text
    assert len(PdfReader(out).pages) <= 6
    capsys.readouterr()


def test_report_months_bounds_by_the_data():
    from merlet_desk.reports.case_overview import MAX_MONTHS, report_months

    months, note = report_months(date(2025, 8, 1), date(2026, 7, 31), {"2025-10": 2})
    assert len(months) == 12 and note is None  # a school year shows every month
    months, note = report_months(date(1, 1, 1), date(9999, 12, 31), {"2024-03": 1, "2026-11": 4})
    assert months[0] == "2024-03" and months[-1] == "2026-11" and "begrensd" in note
    months, note = report_months(date(1, 1, 1), date(9999, 12, 31), {"1900-01": 1, "2026-11": 1})
    assert len(months) == MAX_MONTHS and months[-1] == "2026-11" and "laatste 120" in note
    months, note = report_months(date(1, 1, 1), date(9999, 12, 31), {})
    assert months == [] and "geen maanden met incidenten" in note


WORKER = """
import sys
from merlet_desk.cli import main
sys.stdin.readline()
sys.exit(main(["import-pupils", sys.argv[1], "--db", sys.argv[2]]))
"""


def test_two_imports_in_the_same_second_both_succeed_with_their_own_backup(tmp_path):
    path = tmp_path / "merlet.sqlite"
    assert main(["init", "--db", str(path)]) == 0
    files = []
    for n in range(2):
        f = tmp_path / f"leerlingen{n}.csv"
        f.write_text(HEADER + f"{9000 + n};Joëlle;van den;Broek;01-05-2012;1A;Cuijk\n")
        files.append(f)
    for _round in range(3):
        workers = [
            subprocess.Popen(
                [sys.executable, "-c", WORKER, str(f), str(path)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for f in files
        ]
        for worker in workers:  # as close together as two processes can start
            worker.stdin.write("go\n")
            worker.stdin.flush()
        for worker in workers:
            out, err = worker.communicate(timeout=120)
            # Both succeed, or the second says truly that the database is busy.
            assert worker.returncode == 0 or "bezet" in err, err
            assert "Traceback" not in err and "readonly" not in err
    backups = list_backups(path.parent / "backups", path)
    assert len(backups) == len({b.path.name for b in backups}) >= 2
    assert not list((path.parent / "backups").glob("*.part"))


def test_characters_the_fonts_cannot_draw_become_a_visible_replacement(db, db_path, tmp_path):
    assert drawable("Joëlle 😀 van den Broek") == f"Joëlle {REPLACEMENT} van den Broek"
    assert drawable("👍🏽 Łęcka Öztürk 👨‍👩‍👧") == f"{REPLACEMENT} Łęcka Öztürk {REPLACEMENT}"
    with clock.fixed(date(2026, 11, 24)):
        save_pupil(db, "9300", "Joëlle 😀", "van den", "Broek 🎉", "2012-05-01", "1A", "Cuijk")
    db.close()
    out = tmp_path / "inzage.pdf"
    assert main(["report", "pupil", "--pupil", "9300", "--db", str(db_path), "-o", str(out)]) == 0
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert f"Joëlle {REPLACEMENT}" in text and f"Broek {REPLACEMENT}" in text
    assert "\u1f60" not in text  # what reportlab made of 😀 before: another glyph
    reopened = open_database(db_path)
    assert reopened.execute("SELECT first_name FROM pupils WHERE number = '9300'").fetchone()[
        0
    ] == ("Joëlle 😀")  # the register keeps what was typed; only the print replaces it
    reopened.close()
