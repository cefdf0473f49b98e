"""Input that is checked: pupil numbers, birth dates, control characters, name lengths, a cell
larger than the CSV reader takes and an .xlsx that unpacks to hundreds of MB. Each refusal
names the file's row and column, and nothing is imported (issue 13)."""

from __future__ import annotations

import resource
import time
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook

from merlet_desk import clock
from merlet_desk.errors import InputError
from merlet_desk.imports import import_consents, import_pupils
from merlet_desk.store import pupils as store
from tests.helpers.processes import HEADER, digest

COLUMNS = HEADER.strip().split(";")


def dump(db):
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    return {t: db.execute(f"SELECT * FROM [{t}]").fetchall() for t in tables}


def csv_file(tmp_path, *rows, name="leerlingen.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(";".join(r) + "\n" for r in rows), encoding="utf-8")
    return path


def xlsx_file(tmp_path, *rows):
    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append(list(row))
    path = tmp_path / "leerlingen.xlsx"
    book.save(path)
    return path


GOOD = ["2012-05-01", "1A", "Cuijk"]


def refused(db, path, *expected):
    before = dump(db)
    with pytest.raises(InputError) as caught:
        import_pupils(db, path)
    text = str(caught.value)
    for part in expected:
        assert part in text, text
    assert "er is niets veranderd" in text.lower()
    assert dump(db) == before
    return text


@pytest.fixture(autouse=True)
def fixed_day():
    with clock.fixed(date(2026, 11, 24)):
        yield


@pytest.mark.parametrize("number", ["abc", "-1", "2000 27", "=1+1", "1e20", "400003.5", "12a"])
def test_pupil_numbers_are_digits(db, tmp_path, number):
    path = csv_file(tmp_path, [number, "Berkay", "", "Öztürk", *GOOD])
    refused(db, path, "rij 2, kolom leerlingnummer", "geen leerlingnummer", "cijfers")


@pytest.mark.parametrize("value", [True, 400003.5, 1e20, -5])
def test_pupil_numbers_from_a_workbook_are_digits(db, tmp_path, value):
    path = xlsx_file(tmp_path, [value, "Berkay", "", "Öztürk", *GOOD])
    refused(db, path, "rij 2, kolom leerlingnummer", "geen leerlingnummer")


def test_leading_zeros_do_not_make_a_second_pupil(db, tmp_path):
    first = import_pupils(db, csv_file(tmp_path, ["00123", "Zofia", "", "Łęcka", *GOOD]))
    assert "1 leerlingnummers zonder voorloopnullen gelezen (00123 is leerling 123)" in (
        first.summary()
    )
    assert [p.number for p in store.list_pupils(db)] == ["123"]
    result = import_pupils(db, csv_file(tmp_path, ["123", "Zofia", "", "Łęcka", *GOOD], name="b"))
    assert (result.added, result.unchanged) == (0, 1)
    assert store.get_pupil(db, "00123").number == "123"  # looking up with zeros finds it too
    # 0123 and 123 in one file are the same pupil twice
    twice = csv_file(
        tmp_path,
        ["0456", "Zofia", "", "Łęcka", *GOOD],
        ["456", "Zofia", "", "Łęcka", *GOOD],
        name="c.csv",
    )
    refused(db, twice, "rij 3, kolom leerlingnummer", "ook in rij 2")


def test_a_number_stored_with_zeros_before_the_rule_is_updated_not_doubled(db, tmp_path):
    db.execute(
        "INSERT INTO pupils (number, first_name, prefix, last_name, birth_date, class_name,"
        " location) VALUES ('00777', 'Meryem', '', 'Boujdaini', '2012-05-01', '1A', 'Cuijk')"
    )
    result = import_pupils(
        db, csv_file(tmp_path, ["777", "Meryem", "", "Boujdaini", GOOD[0], "2A", "Cuijk"])
    )
    assert (result.added, result.updated) == (0, 1)
    assert [(p.number, p.class_name) for p in store.list_pupils(db)] == [("00777", "2A")]


@pytest.mark.parametrize(
    "birth", ["01-01-0001", "1900-01-01", "2025-06-01", "2030-01-01", "24-11-1995"]
)
def test_birth_dates_are_plausible_for_a_pupil(db, tmp_path, birth):
    path = csv_file(tmp_path, ["9100", "Meryem", "", "Boujdaini", birth, "3H", "Mill"])
    refused(db, path, "rij 2, kolom geboortedatum")


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("roepnaam", "Mer\x00yem"),
        ("roepnaam", "Mer\x1byem"),
        ("achternaam", "Boujdaini\u202e"),
        ("tussenvoegsel", "van\x07"),
        ("klas", "3\x00H"),
        ("roepnaam", "M" * 101),
        ("achternaam", "B" * 5000),
    ],
)
def test_control_characters_and_absurd_lengths_are_refused(db, tmp_path, column, value):
    row = dict(zip(COLUMNS, ["9101", "Meryem", "", "Boujdaini", *GOOD], strict=True))
    row[column] = value
    path = csv_file(tmp_path, list(row.values()))
    refused(db, path, f"rij 2, kolom {column}")


def test_real_names_pass(db, tmp_path):
    path = csv_file(
        tmp_path,
        ["1001", "Joëlle", "van den", "Broek", *GOOD],
        ["1002", "Berkay", "", "Öztürk", *GOOD],
        ["1003", "Zofia", "", "Łęcka", *GOOD],
        ["1004", "Meryem", "", "Boujdaini", *GOOD],
        ["1005", "<b>Jan</b> & Zn", "", "O'Brien-Ünal", *GOOD],
    )
    assert import_pupils(db, path).added == 5


def test_consent_import_checks_numbers_and_names_too(db, tmp_path):
    import_pupils(db, csv_file(tmp_path, ["1001", "Joëlle", "van den", "Broek", *GOOD]))
    path = tmp_path / "besluiten.csv"
    path.write_text(
        "leerlingnummer;doel;besluit;gegeven_door;naam_gever;datum\n"
        "=1+1;website;ja;ouder;Anna van den Broek;01-11-2026\n"
        "01001;website;ja;ouder;Anna\x00 van den Broek;01-11-2026\n",
        encoding="utf-8",
    )
    before = dump(db)
    with pytest.raises(InputError) as caught:
        import_consents(db, path)
    text = str(caught.value)
    assert "rij 2, kolom leerlingnummer: '=1+1' is geen leerlingnummer" in text
    assert "rij 3, kolom naam_gever" in text and "stuurteken" in text
    assert dump(db) == before


def test_a_csv_cell_larger_than_the_reader_takes(db, tmp_path):
    path = csv_file(tmp_path, ["9001", "A" * 131_073, "", "Broek", *GOOD])
    refused(db, path, "rij 2", "langer dan 131.072 tekens")


def test_a_file_far_larger_than_an_export_is_not_read(db, tmp_path, monkeypatch):
    from merlet_desk.imports import tabular

    monkeypatch.setattr(tabular, "MAX_FILE_BYTES", 1_000_000)
    rows = [[f"{10000 + i}", "Berkay", "", "Öztürk", *GOOD] for i in range(30_000)]
    path = csv_file(tmp_path, *rows)
    refused(db, path, "het bestand is 1 MB", "grens van 1 MB")


def zip_bomb(path, megabytes):
    """An .xlsx whose one cell unpacks to `megabytes` MB (about 1 KB per MB compressed)."""
    book = Workbook()
    book.active.append(COLUMNS)
    book.active.append(["1", "x", "", "y", "01-01-2012", "1A", "Cuijk"])
    base = path.with_name("basis.xlsx")
    book.save(base)
    with (
        zipfile.ZipFile(base) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb,
    ):
        for item in source.infolist():
            data = source.read(item)
            if item.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(item, data)
                continue
            head, tail = data.decode().split('<c r="B2"', 1)
            tail = tail.split("</c>", 1)[1]
            with bomb.open(item.filename, "w", force_zip64=True) as out:
                out.write(head.encode() + b'<c r="B2" t="inlineStr"><is><t>')
                chunk = b"A" * (1 << 20)
                for _ in range(megabytes):
                    out.write(chunk)
                out.write(b"</t></is></c>" + tail.encode())
    base.unlink()
    return path


def test_an_xlsx_bomb_is_refused_from_its_directory_in_a_second(db, db_path, tmp_path):
    bomb = zip_bomb(tmp_path / "bom.xlsx", 400)
    assert bomb.stat().st_size < 600_000  # ~400 KB on disk, 400 MB unpacked
    before, rss_before = digest(db_path), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.process_time()
    refused(db, bomb, "bom.xlsx", "uitgepakt", "MB")
    spent = time.process_time() - started
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    assert grown_kb < 50_000, f"memory grew by {grown_kb} KB"  # it read the directory only
    assert spent < 5, spent  # generous; the figure itself is in the closing report
    assert digest(db_path) == before
