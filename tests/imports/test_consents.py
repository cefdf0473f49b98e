"""Importing consent decisions: formats, every kind of bad row, all-or-nothing, no doubles."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from openpyxl import Workbook

from merlet_desk.domain import consent as rules
from merlet_desk.errors import InputError
from merlet_desk.imports import import_consents
from merlet_desk.store import decisions as decision_store
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store import purposes as purpose_store
from merlet_desk.store import statuses as store
from tests.helpers import TODAY, born_aged, write_table
from tests.helpers import dump_tables as dump

HEADER = ["leerlingnummer", "doel", "besluit", "gegeven_door", "naam_gever", "datum", "wijze"]
GOOD = [
    ["1001", "website", "ja", "ouder", "Anna van den Broek", "01-09-2025", "papier"],
    ["1001", "Jaarboek", "nee", "voogd", "Noël Broek", "1-9-2025", "e-mail"],
    ["1002", "social_media", "ja", "ouder", "Emre Öztürk", "02/09/2025", "ouderportaal"],
    ["1005", "press", "ja", "leerling", "", "2025-09-03", ""],
    ["1005", "website", "ingetrokken", "ouder", "Ahmet Yılmaz", "2025-10-01", "anders"],
]


@pytest.fixture
def school(db):
    pupil_store.save_pupil(
        db, "1001", "Joëlle", "van den", "Broek", born_aged(14, 200), "1A", "Cuijk"
    )
    pupil_store.save_pupil(db, "1002", "Berkay", "", "Öztürk", born_aged(13, 360), "1A", "Cuijk")
    pupil_store.save_pupil(db, "1005", "Şükrü", "", "Yılmaz", date(2008, 2, 29), "5V", "Mill")
    return db


def write(tmp_path, rows, *, header=HEADER, name="toestemming.csv", **options):
    """A consent file (LF line ends, unlike the pupil files' CRLF)."""
    return write_table(tmp_path, rows, header=header, name=name, newline="\n", **options)


def decisions(db):
    return [
        (d.pupil_number, d.purpose, d.decision, d.given_by, d.giver_name, d.received_on, d.method)
        for number in ("1001", "1002", "1005")
        for d in decision_store.decisions_for(db, number)
    ]


EXPECTED = [
    ("1001", "website", "granted", "parent", "Anna van den Broek", date(2025, 9, 1), "paper"),
    ("1001", "yearbook", "refused", "guardian", "Noël Broek", date(2025, 9, 1), "email"),
    ("1002", "social_media", "granted", "parent", "Emre Öztürk", date(2025, 9, 2), "portal"),
    ("1005", "press", "granted", "pupil", "Şükrü Yılmaz", date(2025, 9, 3), "paper"),
    ("1005", "website", "withdrawn", "parent", "Ahmet Yılmaz", date(2025, 10, 1), "other"),
]


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
@pytest.mark.parametrize(
    ("encoding", "bom"), [("utf-8", False), ("utf-8", True), ("cp1252", False)]
)
def test_each_delimiter_and_encoding(school, tmp_path, delimiter, encoding, bom):
    rows = GOOD if encoding == "utf-8" else [r for r in GOOD if r[0] == "1001"]
    result = import_consents(
        school, write(tmp_path, rows, delimiter=delimiter, encoding=encoding, bom=bom)
    )
    assert result.delimiter == delimiter
    assert (
        result.encoding
        == {"utf-8": "UTF-8 (BOM)" if bom else "UTF-8", "cp1252": "Windows-1252"}[encoding]
    )
    assert result.added == len(rows)
    expected = EXPECTED if encoding == "utf-8" else EXPECTED[:2]
    assert decisions(school) == expected


def test_cp1252_names_survive(school, tmp_path):
    rows = [["1001", "website", "ja", "ouder", "Zoë Müller-Çelik", "01-09-2025", ""]]
    import_consents(school, write(tmp_path, rows, encoding="cp1252"))
    assert decision_store.decisions_for(school, "1001")[0].giver_name == "Zoë Müller-Çelik"


def test_xlsx(school, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Leerlingnummer", "Doel", "Besluit", "Gegeven door", "Naam gever", "Datum"])
    sheet.append(
        [1001, "Website van de school", "Ja", "Ouder", "Anna van den Broek", date(2025, 9, 1)]
    )
    path = tmp_path / "toestemming.xlsx"
    workbook.save(path)
    assert import_consents(school, path).added == 1
    assert decisions(school) == [EXPECTED[0]]


def test_audited_and_reimport_adds_nothing(school, tmp_path):
    path = write(tmp_path, GOOD)
    import_consents(school, path)
    entries = school.execute(
        "SELECT count(*) FROM audit_log WHERE record_kind = 'decision' AND action = 'create'"
    ).fetchone()[0]
    assert entries == 5
    first = school.execute(
        "SELECT record_id, new_value FROM audit_log WHERE record_kind = 'decision' ORDER BY id"
    ).fetchone()
    assert first[0] == str(decision_store.decisions_for(school, "1001", "website")[0].id)
    assert json.loads(first[1]) == {
        "pupil": "1001",
        "purpose": "website",
        "decision": "granted",
        "given_by": "parent",
        "giver_name": "Anna van den Broek",
        "received_on": "2025-09-01",
        "method": "paper",
    }
    again = import_consents(school, path)
    assert (again.added, again.already_present) == (0, 5)
    assert "5 stonden er al in" in again.summary()
    assert len(decisions(school)) == 5


def test_the_summary_says_one_decision_in_the_singular(school, tmp_path):
    """Not "1 besluiten toegevoegd" (issue 23, part 7)."""
    from merlet_desk.imports.consents import ConsentImportResult

    one = ConsentImportResult("toestemming.csv", granted=1, unchanged=1).summary()
    assert one.startswith("toestemming.csv: 1 besluit toegevoegd (1 toestemming, ")
    assert "1 stond er al in (overgeslagen)" in one and "besluiten" not in one
    many = ConsentImportResult("toestemming.csv", refused=1000).summary()
    assert many.startswith("toestemming.csv: 1.000 besluiten toegevoegd")


def test_statuses_follow_the_imported_decisions(school, tmp_path):
    import_consents(school, write(tmp_path, GOOD))
    on = date(2025, 10, 2)
    assert store.status_of(school, "1001", "website", on).state == rules.ALLOWED
    assert store.status_of(school, "1001", "yearbook", on).state == rules.REFUSED
    assert store.status_of(school, "1005", "website", on).state == rules.WITHDRAWN
    assert store.status_of(school, "1005", "press", on).state == rules.ALLOWED


FUTURE = (TODAY + timedelta(days=3)).strftime("%d-%m-%Y")

BAD = [
    (
        "missing column",
        [h for h in HEADER if h != "gegeven_door"],
        [["1001", "website", "ja", "Anna", "01-09-2025", ""]],
        ["rij 1, kolom gegeven_door: kolom ontbreekt (verwacht een kolom gegeven_door)"],
    ),
    (
        "unknown pupil",
        HEADER,
        [["4242", "website", "ja", "ouder", "Anna", "01-09-2025", ""]],
        ["rij 3, kolom leerlingnummer: onbekende leerling 4242"],
    ),
    (
        "unknown purpose",
        HEADER,
        [["1001", "billboards", "ja", "ouder", "Anna", "01-09-2025", ""]],
        ["rij 3, kolom doel: onbekend doel 'billboards'"],
    ),
    (
        "impossible date",
        HEADER,
        [["1001", "website", "ja", "ouder", "Anna", "29-02-2025", ""]],
        ["rij 3, kolom datum: onmogelijke datum '29-02-2025'"],
    ),
    (
        "date in the future",
        HEADER,
        [["1001", "website", "ja", "ouder", "Anna", FUTURE, ""]],
        [f"rij 3, kolom datum: de datum {FUTURE} ligt in de toekomst"],
    ),
    (
        "grant from a pupil under 16",
        HEADER,
        [["1001", "website", "ja", "leerling", "", "01-09-2025", ""]],
        [
            "rij 3, kolom gegeven_door: de leerling was op die datum jonger dan 16: "
            "toestemming moet dan van een ouder of voogd komen."
        ],
    ),
    (
        "grant from a parent for a pupil of 16 on the birthday itself",
        HEADER,
        [["1005", "website", "ja", "ouder", "Ahmet Yılmaz", "29-02-2024", ""]],
        [
            "rij 3, kolom gegeven_door: de leerling was op die datum 16 of ouder: alleen de "
            "leerling zelf kan dan toestemming geven."
        ],
    ),
    (
        "grant from a guardian for a pupil over 16",
        HEADER,
        [["1005", "website", "ja", "voogd", "Ahmet Yılmaz", "01-09-2025", ""]],
        [
            "rij 3, kolom gegeven_door: de leerling was op die datum 16 of ouder: alleen de "
            "leerling zelf kan dan toestemming geven."
        ],
    ),
    (
        "unknown decision, giver and method",
        HEADER,
        [["1001", "website", "misschien", "oma", "Riet", "01-09-2025", "duif"]],
        [
            "rij 3, kolom besluit: onbekend besluit 'misschien' (ja, nee of ingetrokken)",
            "rij 3, kolom gegeven_door: onbekende gever 'oma' (ouder, voogd of leerling)",
            "rij 3, kolom wijze: onbekende wijze 'duif' (papier, e-mail, portaal, anders)",
        ],
    ),
    (
        "parent without a name",
        HEADER,
        [["1001", "website", "nee", "ouder", "", "01-09-2025", ""]],
        ["rij 3, kolom naam_gever: naam van de ouder of voogd ontbreekt"],
    ),
]


@pytest.mark.parametrize(
    ("header", "rows", "problems"), [b[1:] for b in BAD], ids=[b[0] for b in BAD]
)
def test_bad_rows_abort_and_change_nothing(school, tmp_path, header, rows, problems):
    import_consents(school, write(tmp_path, [GOOD[2]], name="eerder.csv"))
    before = dump(school)
    if header == HEADER:
        rows = [GOOD[0], *rows]  # a good row first: the bad one is row 3
    with pytest.raises(InputError) as info:
        import_consents(school, write(tmp_path, rows, header=header))
    assert info.value.problems == problems
    assert dump(school) == before


def test_parent_grant_the_day_before_the_16th_birthday_is_accepted(school, tmp_path):
    rows = [["1005", "website", "ja", "ouder", "Ahmet Yılmaz", "28-02-2024", ""]]
    assert import_consents(school, write(tmp_path, rows)).added == 1


def test_refusal_from_anyone_is_accepted(school, tmp_path):
    rows = [
        ["1001", "website", "nee", "leerling", "", "01-09-2025", ""],
        ["1005", "website", "ingetrokken", "ouder", "Ahmet Yılmaz", "01-09-2025", ""],
    ]
    assert import_consents(school, write(tmp_path, rows)).added == 2


def test_retired_purpose_is_refused(school, tmp_path):
    purpose_store.retire_purpose(school, "press")
    rows = [["1001", "press", "nee", "ouder", "Anna", "01-09-2025", ""]]
    with pytest.raises(InputError) as info:
        import_consents(school, write(tmp_path, rows))
    assert info.value.problems == [
        "rij 2, kolom doel: het doel 'Pers en externe media' is vervallen"
    ]
