"""Importing pupil exports: delimiters, encodings, aliases, xlsx, every kind of bad row."""

from __future__ import annotations

import json
import unicodedata
from datetime import date, timedelta

import pytest
from openpyxl import Workbook

from merlet_desk.errors import InputError
from merlet_desk.imports import import_pupils
from merlet_desk.imports.pupils import MISSING_COLUMNS, MISSING_LOCATION
from merlet_desk.reports.pupil_file import build_pupil_file
from merlet_desk.store import pupils as store
from tests.helpers import TODAY, page_texts, write_table
from tests.helpers import dump_tables as dump

HEADER = [
    "leerlingnummer",
    "roepnaam",
    "tussenvoegsel",
    "achternaam",
    "geboortedatum",
    "klas",
    "locatie",
]
ROWS = [
    ["1001", "Joëlle", "van den", "Broek", "01-05-2012", "1A", "Cuijk"],
    ["1002", "Berkay", "", "Öztürk", "2012-11-30", "1A", "Cuijk"],
    ["1003", "Zofia", "", "Łęcka", "3-2-2011", "2B", "Grave"],
    ["1004", "Meryem", "", "Boujdaini", "15/08/2010", "3H", "Mill"],
    ["1005", "Şükrü", "", "Yılmaz", "29-02-2008", "5V", "Mill"],
]


def write(tmp_path, rows, *, header=HEADER, **options):
    """A pupil file (CRLF line ends, `;`, unless `options` say otherwise)."""
    return write_table(tmp_path, rows, header=header, **options)


def names(db):
    return [
        (p.number, p.name, p.birth_date, p.class_name, p.location) for p in store.list_pupils(db)
    ]


EXPECTED = [
    ("1001", "Joëlle van den Broek", date(2012, 5, 1), "1A", "Cuijk"),
    ("1002", "Berkay Öztürk", date(2012, 11, 30), "1A", "Cuijk"),
    ("1003", "Zofia Łęcka", date(2011, 2, 3), "2B", "Grave"),
    ("1004", "Meryem Boujdaini", date(2010, 8, 15), "3H", "Mill"),
    ("1005", "Şükrü Yılmaz", date(2008, 2, 29), "5V", "Mill"),
]


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_each_delimiter(db, tmp_path, delimiter):
    result = import_pupils(db, write(tmp_path, ROWS, delimiter=delimiter))
    assert result.delimiter == delimiter
    assert (result.added, result.updated, result.unchanged) == (5, 0, 0)
    assert names(db) == EXPECTED


@pytest.mark.parametrize(
    ("encoding", "bom", "detected"),
    [("utf-8", False, "UTF-8"), ("utf-8", True, "UTF-8 (BOM)")],
)
def test_utf8_with_and_without_bom(db, tmp_path, encoding, bom, detected):
    result = import_pupils(db, write(tmp_path, ROWS, encoding=encoding, bom=bom))
    assert result.encoding == detected
    assert names(db) == EXPECTED
    assert store.list_pupils(db)[0].number == "1001"  # no BOM glued to the first header


def test_decomposed_letters_and_extra_spaces_are_stored_composed_and_single(db, tmp_path):
    """A Mac export writes ë as e + U+0308; the register stores one form, so search finds it."""
    rows = [[unicodedata.normalize("NFD", cell) for cell in row] for row in ROWS]
    rows[0][1] = "  Joe\u0308lle \t "
    import_pupils(db, write(tmp_path, rows))
    assert names(db) == EXPECTED
    assert store.find_pupil(db, "1001").first_name == "Joëlle"


def test_windows_1252(db, tmp_path):
    rows = [
        ["1001", "Joëlle", "van den", "Broek", "01-05-2012", "1A", "Cuijk"],
        ["1006", "Zoë", "", "Müller-Çelik", "01-05-2012", "1A", "Cuijk"],
    ]
    result = import_pupils(db, write(tmp_path, rows, encoding="cp1252"))
    assert result.encoding == "Windows-1252"
    assert [p.name for p in store.list_pupils(db)] == ["Joëlle van den Broek", "Zoë Müller-Çelik"]


def test_utf16_from_excel_unicode_text(db, tmp_path):
    path = tmp_path / "unicode.txt"
    text = "\r\n".join("\t".join(r) for r in [HEADER, *ROWS]) + "\r\n"
    path.write_bytes(text.encode("utf-16"))
    import_pupils(db, path)
    assert names(db) == EXPECTED


def test_aliases_and_location_option(db, tmp_path):
    header = ["Stamnr.", "Voornaam", "Voorvoegsel", "ACHTERNAAM", "Geboortedatum", "Stamklas"]
    path = write(tmp_path, [r[:6] for r in ROWS[:2]], header=header)
    with pytest.raises(InputError, match="locatie"):
        import_pupils(db, path)
    result = import_pupils(db, path, location="grave")
    assert result.added == 2
    assert {p.location for p in store.list_pupils(db)} == {"Grave"}
    with pytest.raises(InputError, match="Onbekende locatie 'Boxmeer'"):
        import_pupils(db, path, location="Boxmeer")


def test_a_missing_location_column_is_a_problem_code_the_gui_can_act_on(db, tmp_path):
    """The GUI asks for the location on `MISSING_LOCATION`, not on the wording of a message;
    a file with another missing column carries `MISSING_COLUMNS` (the GUI offers the mapping
    step) and not the location code."""
    without_location = write(tmp_path, [r[:6] for r in ROWS[:2]], header=HEADER[:6])
    with pytest.raises(InputError) as missing:
        import_pupils(db, without_location, dry_run=True)
    assert missing.value.codes == {MISSING_LOCATION}
    header = [h for h in HEADER if h != "achternaam"]
    without_surname = write(
        tmp_path, [r[:3] + r[4:] for r in ROWS[:2]], header=header, name="b.csv"
    )
    with pytest.raises(InputError) as other:
        import_pupils(db, without_surname, dry_run=True)
    assert other.value.codes == {MISSING_COLUMNS}
    assert "kolom achternaam: kolom ontbreekt" in str(other.value)


def test_vestiging_column_without_prefix_column(db, tmp_path):
    header = ["llnr", "roepnaam", "achternaam", "geboortedatum", "klas", "vestiging"]
    rows = [["1001", "Anna", "de Boer", "01-05-2012", "1A", "Cuijk"]]
    import_pupils(db, write(tmp_path, rows, header=header))
    assert store.get_pupil(db, "1001").prefix == ""


def test_without_prefix_column_a_trailing_empty_cell_is_no_prefix(db, tmp_path):
    # Excel often ends a row with an empty cell past the header: accepted, and with the prefix
    # column missing every pupil's prefix is empty.
    header = ["llnr", "roepnaam", "achternaam", "geboortedatum", "klas", "vestiging"]
    rows = [
        ["1001", "Anna", "de Boer", "01-05-2012", "1A", "Cuijk", ""],
        ["1002", "Berkay", "Öztürk", "30-11-2012", "1A", "Cuijk"],
    ]
    import_pupils(db, write(tmp_path, rows, header=header))
    assert [store.get_pupil(db, n).prefix for n in ("1001", "1002")] == ["", ""]


def test_xlsx(db, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append([1001, "Joëlle", "van den", "Broek", date(2012, 5, 1), "1A", "Cuijk"])
    sheet.append([1002, "Berkay", None, "Öztürk", "30-11-2012", "1A", "Cuijk"])
    path = tmp_path / "export.xlsx"
    workbook.save(path)
    result = import_pupils(db, path)
    assert result.encoding is None and result.added == 2
    assert names(db) == EXPECTED[:2]


def test_xlsx_bad_row_numbers_are_excel_rows(db, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append([1001, "Joëlle", "van den", "Broek", date(2012, 5, 1), "1A", "Cuijk"])
    sheet.append([])
    sheet.append([1002, "Berkay", None, "Öztürk", "31-11-2012", "1A", "Cuijk"])
    path = tmp_path / "export.xlsx"
    workbook.save(path)
    with pytest.raises(InputError) as info:
        import_pupils(db, path)
    assert info.value.problems == ["rij 4, kolom geboortedatum: onmogelijke datum '31-11-2012'"]


def test_reimport_updates_adds_counts_and_lists_absent(db, tmp_path):
    import_pupils(db, write(tmp_path, ROWS))
    changed = [list(r) for r in ROWS[1:]]
    changed[0][5] = "2A"  # Berkay moved up a class
    changed.append(["1007", "Lina", "al", "Hussein", "12-12-2012", "1A", "Cuijk"])
    result = import_pupils(db, write(tmp_path, changed, name="tweede.csv"))
    assert (result.added, result.updated, result.unchanged) == (1, 1, 3)
    assert result.absent_numbers == ["1001"]
    assert "1 toegevoegd, 1 bijgewerkt (klas 1), 3 ongewijzigd" in result.summary()
    assert store.get_pupil(db, "1002").class_name == "2A"
    assert store.get_pupil(db, "1001").left_on is None  # never deleted or changed unasked
    audit = db.execute(
        "SELECT action, record_id, old_value, new_value FROM audit_log"
        " WHERE record_kind = 'pupil' AND action = 'update'"
    ).fetchall()
    assert audit == [("update", "1002", '{"class_name": "1A"}', '{"class_name": "2A"}')]
    # the GUI marks absentees as left after confirmation
    assert store.mark_pupils_left(db, result.absent_numbers, date(2026, 7, 31)) == 1
    assert store.get_pupil(db, "1001").left_on == date(2026, 7, 31)


def test_each_imported_pupil_has_the_audit_entry_the_art15_file_reads(db, tmp_path):
    import_pupils(db, write(tmp_path, ROWS))
    created = db.execute(
        "SELECT record_id, old_value, new_value FROM audit_log"
        " WHERE record_kind = 'pupil' AND action = 'create' ORDER BY id"
    ).fetchall()
    assert [number for number, _, _ in created] == [row[0] for row in ROWS]
    for number, old, new in created:
        assert old is None
        assert json.loads(new) == store.get_pupil(db, number).as_dict()
    changed = [list(r) for r in ROWS]
    changed[1][5] = "2A"  # Berkay moved up a class
    import_pupils(db, write(tmp_path, changed, name="tweede.csv"))
    out = tmp_path / "inzage.pdf"
    build_pupil_file(db, out, pupil="1002", on=TODAY)
    text = " ".join("\n".join(page_texts(out)).split())
    assert "Ingeschreven leerling ingeschreven in het register" in text
    assert "Klas: 1A → 2A" in text
    assert "Joëlle" not in text


def test_absent_numbers_only_for_locations_in_the_file(db, tmp_path):
    import_pupils(db, write(tmp_path, ROWS))
    cuijk_only = [r for r in ROWS if r[6] == "Cuijk"][:1]
    result = import_pupils(db, write(tmp_path, cuijk_only, name="cuijk.csv"))
    assert result.locations == ["Cuijk"]
    assert result.absent_numbers == ["1002"]


def test_dry_run_writes_nothing(db, tmp_path):
    before = dump(db)
    result = import_pupils(db, write(tmp_path, ROWS), dry_run=True)
    assert result.added == 5 and result.dry_run
    assert dump(db) == before


def test_a_pupil_who_returns_is_no_longer_marked_as_left(db, tmp_path):
    import_pupils(db, write(tmp_path, ROWS))
    store.mark_pupils_left(db, ["1003"])
    result = import_pupils(db, write(tmp_path, ROWS))
    assert result.updated == 1
    assert store.get_pupil(db, "1003").left_on is None


TOMORROW = (TODAY + timedelta(days=1)).strftime("%d-%m-%Y")

BAD_ROWS = [
    (
        "missing column",
        ["leerlingnummer", "roepnaam", "geboortedatum", "klas", "locatie"],
        [["1001", "Joëlle", "01-05-2012", "1A", "Cuijk"]],
        [
            "rij 1, kolom achternaam: kolom ontbreekt (verwacht een kolom achternaam of geslachtsnaam)"
        ],
    ),
    (
        "impossible date",
        HEADER,
        [["1001", "Joëlle", "van den", "Broek", "30-02-2012", "1A", "Cuijk"]],
        ["rij 2, kolom geboortedatum: onmogelijke datum '30-02-2012'"],
    ),
    (
        "unknown date format",
        HEADER,
        [["1001", "Joëlle", "van den", "Broek", "2012.05.01", "1A", "Cuijk"]],
        [
            "rij 2, kolom geboortedatum: onbekende datumnotatie '2012.05.01' (gebruik "
            "dd-mm-jjjj, d-m-jjjj, dd/mm/jjjj of jjjj-mm-dd)"
        ],
    ),
    (
        "birth date in the future",
        HEADER,
        [["1001", "Joëlle", "van den", "Broek", TOMORROW, "1A", "Cuijk"]],
        [f"rij 2, kolom geboortedatum: geboortedatum {TOMORROW} ligt in de toekomst"],
    ),
    (
        "duplicate number",
        HEADER,
        [ROWS[0], ROWS[1], ["1001", "Anna", "de", "Boer", "01-01-2012", "1B", "Cuijk"]],
        ["rij 4, kolom leerlingnummer: leerlingnummer 1001 staat ook in rij 2"],
    ),
    (
        "empty required cells",
        HEADER,
        [["", "Joëlle", "van den", "", "01-05-2012", "", "Cuijk"]],
        [
            "rij 2, kolom leerlingnummer: leerlingnummer ontbreekt",
            "rij 2, kolom achternaam: achternaam ontbreekt",
            "rij 2, kolom klas: klas ontbreekt",
        ],
    ),
    (
        "unknown location",
        HEADER,
        [["1001", "Joëlle", "van den", "Broek", "01-05-2012", "1A", "Boxmeer"]],
        ["rij 2, kolom locatie: onbekende locatie 'Boxmeer' (bekend: Cuijk, Grave, Mill)"],
    ),
    (
        "unquoted delimiter in a name",
        HEADER,
        [["1001", "Joëlle", "van den", "Broek;jr", "01-05-2012", "1A", "Cuijk"]],
        None,
    ),
]


@pytest.mark.parametrize(
    ("header", "rows", "problems"), [c[1:] for c in BAD_ROWS], ids=[c[0] for c in BAD_ROWS]
)
def test_bad_rows_abort_everything(db, tmp_path, header, rows, problems):
    import_pupils(db, write(tmp_path, [ROWS[4]], name="eerst.csv"))
    before = dump(db)
    good_first = [ROWS[2], *rows] if header == HEADER else rows
    if header == HEADER:  # a good row before the bad one(s): shifts their row numbers by one
        problems = [
            p.replace("rij 2", "rij 3").replace("rij 4", "rij 5") for p in problems or []
        ] or None
    with pytest.raises(InputError) as info:
        import_pupils(db, write(tmp_path, good_first, header=header))
    assert "er is niets veranderd" in info.value.message
    if problems is not None:
        assert info.value.problems == problems
    else:
        assert info.value.problems and "meer waarden" in info.value.problems[0]
    assert dump(db) == before


def test_every_problem_is_listed(db, tmp_path):
    rows = [
        ["1001", "Joëlle", "van den", "Broek", "31-04-2012", "1A", "Cuijk"],
        ["1002", "Berkay", "", "Öztürk", "2012-11-30", "1A", "Boxmeer"],
        ["1001", "Zofia", "", "Łęcka", "3-2-2011", "2B", "Grave"],
    ]
    with pytest.raises(InputError) as info:
        import_pupils(db, write(tmp_path, rows))
    assert [p.split(":")[0] for p in info.value.problems] == [
        "rij 2, kolom geboortedatum",
        "rij 3, kolom locatie",
        "rij 4, kolom leerlingnummer",
    ]
    assert db.execute("SELECT count(*) FROM pupils").fetchone()[0] == 0


def test_blank_lines_keep_row_numbers(db, tmp_path):
    path = tmp_path / "gaten.csv"
    path.write_text(
        ";".join(HEADER) + "\n\n" + ";".join(ROWS[0]) + "\n\n1002;B;;Ö;99-99-2012;1A;Cuijk\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        import_pupils(db, path)
    assert info.value.problems == ["rij 5, kolom geboortedatum: onmogelijke datum '99-99-2012'"]


def test_empty_file_and_old_excel(db, tmp_path):
    empty = tmp_path / "leeg.csv"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="leeg"):
        import_pupils(db, empty)
    old = tmp_path / "oud.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(InputError, match=".xlsx"):
        import_pupils(db, old)


def test_columns_are_checked_before_the_location_is_asked(db, tmp_path):
    """A file without klas and without locatie: the missing column comes first (the GUI opens
    the mapping step), the location question only once every other column is there."""
    header = ["leerlingnummer", "roepnaam", "achternaam", "geboortedatum"]
    path = write(tmp_path, [["7001", "Meryem", "Boujdaini", "01-02-2012"]], header=header)
    with pytest.raises(InputError) as info:
        import_pupils(db, path, dry_run=True)
    assert info.value.codes == {MISSING_COLUMNS}
    assert info.value.problems == [
        "rij 1, kolom klas: kolom ontbreekt (verwacht een kolom klas of stamklas of stamgroep)"
    ]


def test_somtoday_and_magister_column_names(db, tmp_path):
    somtoday = ["Leerlingnummer", "Roepnaam", "Voorvoegsel", "Achternaam", "Geboortedatum"]
    path = write(
        tmp_path,
        [["7002", "Joëlle", "van den", "Broek", "01-02-2012", "2B", "Grave"]],
        header=[*somtoday, "Stamgroep", "Vestiging"],
    )
    assert import_pupils(db, path).added == 1
    magister = ["Stamnr", "Roepnaam", "Tussenv", "Achternaam", "Geb.datum", "Klas", "Locatie"]
    path = write(
        tmp_path,
        [["7003", "Berkay", "", "Öztürk", "03-04-2011", "3A", "Mill"]],
        header=magister,
        name="magister.csv",
    )
    assert import_pupils(db, path).added == 1
    assert store.get_pupil(db, "7002").class_name == "2B"
    assert store.get_pupil(db, "7003").birth_date.isoformat() == "2011-04-03"


def test_a_windows_1252_file_does_not_overwrite_the_letters_it_cannot_hold(db, tmp_path):
    """The administration's export saved as Windows-1252 cannot hold "Ł", "ę", "Ş" or "ı": its
    "Lecka" or "??cka" is the register's "Łęcka" with letters lost, so the register's name is
    kept and the summary warns; the real changes (a class, a new surname) are taken and named."""
    import_pupils(db, write(tmp_path, ROWS))
    later = [
        ["1001", "Joëlle", "van den", "Broek", "01-05-2012", "2A", "Cuijk"],  # a new class
        ["1002", "Berkay", "", "Öztürk", "2012-11-30", "1A", "Cuijk"],  # cp1252 holds these
        ["1003", "Zofia", "", "Lecka", "3-2-2011", "2B", "Grave"],  # letters lost
        ["1004", "Meryem", "", "Boujdaini", "15/08/2010", "3H", "Mill"],
        ["1005", "?ükrü", "", "Y?lmaz", "29-02-2008", "6V", "Mill"],  # lost as "?", new class
    ]
    result = import_pupils(db, write(tmp_path, later, encoding="cp1252"))
    assert result.encoding == "Windows-1252"
    assert sorted(name for _n, name, *_rest in names(db)) == sorted(e[1] for e in EXPECTED)
    assert (result.added, result.updated, result.unchanged) == (0, 2, 3)
    assert result.changed == {"klas": 2}
    assert result.names_kept == ["Zofia Łęcka", "Şükrü Yılmaz"]
    summary = result.summary()
    assert "2 bijgewerkt (klas 2)" in summary
    assert (
        "Let op: in dit bestand (Windows-1252) ontbreken letters als ę, ł en ş; 2 namen "
        "zijn daarom niet overgenomen en blijven zoals in het register (Zofia Łęcka, Şükrü "
        "Yılmaz)."
    ) in summary

    # A surname that really changed is taken, also from such a file.
    renamed = [["1003", "Zofia", "", "Jansen", "3-2-2011", "2B", "Grave"]]
    result = import_pupils(db, write(tmp_path, renamed, encoding="cp1252"))
    assert result.names_kept == [] and result.changed == {"achternaam": 1}
    assert store.get_pupil(db, "1003").name == "Zofia Jansen"


def test_a_utf8_file_that_holds_accents_changes_a_name_as_it_says(db, tmp_path):
    import_pupils(db, write(tmp_path, ROWS))
    rows = [ROWS[0], ["1003", "Zofia", "", "Lecka", "3-2-2011", "2B", "Grave"]]
    result = import_pupils(db, write(tmp_path, rows))
    assert result.names_kept == [] and result.changed == {"achternaam": 1}
    assert store.get_pupil(db, "1003").name == "Zofia Lecka"


def test_a_file_without_a_single_accent_does_not_strip_them_from_the_register(db, tmp_path):
    """An export that dropped every accent is plain ASCII and reads as UTF-8: "Lecka" there is
    still "Łęcka" with its letters lost."""
    import_pupils(db, write(tmp_path, ROWS))
    rows = [
        ["1003", "Zofia", "", "Lecka", "3-2-2011", "2B", "Grave"],
        ["1004", "Meryem", "", "Boujdaini", "15/08/2010", "3H", "Mill"],
    ]
    result = import_pupils(db, write(tmp_path, rows))
    assert result.encoding == "UTF-8" and result.names_kept == ["Zofia Łęcka"]
    assert "Let op: in dit bestand (zonder accenten) ontbreken letters" in result.summary()
    assert store.get_pupil(db, "1003").name == "Zofia Łęcka"
