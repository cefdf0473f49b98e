"""Consents from the parent portal: a wide export (one row per pupil, one column per question)
read as it comes, synchronised with the register, checked whole before anything is written."""

from __future__ import annotations

import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from merlet_desk.domain import consent as rules
from merlet_desk.domain.consent import ConsentSettings
from merlet_desk.errors import InputError
from merlet_desk.imports import import_consents
from merlet_desk.imports.consents import NO_GIVER_NAME, ImportOptions, purpose_target
from merlet_desk.imports.tabular import SEVERAL_SHEETS
from merlet_desk.store import consent_imports as import_store
from merlet_desk.store import consent_settings as settings_store
from merlet_desk.store import decisions as decision_store
from merlet_desk.store import items as item_store
from merlet_desk.store import open_database
from merlet_desk.store import publications as pub
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store import purposes as purpose_store
from merlet_desk.store import statuses as store
from merlet_desk.store import takedowns as takedown_store
from merlet_desk.store.import_mappings import remembered_mapping
from tests.helpers import TODAY, all_agreements, born_aged, write_table
from tests.helpers import dump_tables as dump

CHANGED = TODAY - timedelta(days=3)
DAY = f"{CHANGED:%d-%m-%Y}"
# A SOMtoday-like export with the school's own wording of each question.
HEADER = [
    "Leerlingnummer",
    "Roepnaam",
    "Achternaam",
    "Stamgroep",
    "Toestemming website",
    "Social media",
    "Nieuwsbrief/ouderapp",
    "Foto's in het jaarboek",
    "Laatst gewijzigd",
]
ROWS = [
    ["1001", "Joëlle", "Broek", "1A", "Ja", "Ja", "", "Akkoord", DAY],
    ["1002", "Berkay", "Öztürk", "5V", "J", "Nee", "✓", "Niet akkoord", DAY],
    ["1003", "Zofia", "Łęcka", "1A", "nee", "", "1", "0", DAY],
    ["1004", "Meryem", "Boujdaini", "2C", "Toestemming", "Geen toestemming", "false", "", ""],
]
YEARBOOK = {"Foto's in het jaarboek": purpose_target("yearbook")}


def add_school(db) -> None:
    settings_store.save_consent_settings(db, ConsentSettings(validity=rules.UNTIL_WITHDRAWN))
    for number, first, prefix, last, born, klass in (
        ("1001", "Joëlle", "van den", "Broek", born_aged(13, 200), "1A"),
        ("1002", "Berkay", "", "Öztürk", born_aged(17, 20), "5V"),
        ("1003", "Zofia", "", "Łęcka", born_aged(12, 100), "1A"),
        ("1004", "Meryem", "", "Boujdaini", born_aged(14, 3), "2C"),
    ):
        pupil_store.save_pupil(db, number, first, prefix, last, born, klass, "Cuijk")


@pytest.fixture
def school(db):
    add_school(db)
    return db


def write(tmp_path, rows=ROWS, *, header=HEADER, name="ouderportaal.csv", **options):
    return write_table(tmp_path, rows, header=header, name=name, **options)


def register(db) -> list[tuple]:
    return sorted(
        (d.pupil_number, d.purpose, d.decision, d.given_by, d.giver_name, d.received_on, d.method)
        for number in ("1001", "1002", "1003", "1004")
        for d in decision_store.decisions_for(db, number)
    )


def options(**values) -> ImportOptions:
    return ImportOptions(**{"mapping": dict(YEARBOOK), **values})


def test_wide_export_gives_the_same_register_as_the_long_file(school, tmp_path):
    result = import_consents(school, write(tmp_path), options=options())
    assert (result.shape, result.granted, result.refused, result.withdrawn) == ("wide", 7, 6, 0)
    assert result.not_answered == 3
    long_rows = [
        [number, purpose, "ja" if yes else "nee", giver, name, on, "portaal"]
        for number, purpose, yes, giver, name, on in (
            ("1001", "website", True, "ouder", NO_GIVER_NAME, DAY),
            ("1001", "social_media", True, "ouder", NO_GIVER_NAME, DAY),
            ("1001", "Jaarboek", True, "ouder", NO_GIVER_NAME, DAY),
            ("1002", "website", True, "leerling", "Berkay Öztürk", DAY),
            ("1002", "social_media", False, "leerling", "Berkay Öztürk", DAY),
            ("1002", "newsletter", True, "leerling", "Berkay Öztürk", DAY),
            ("1002", "yearbook", False, "leerling", "Berkay Öztürk", DAY),
            ("1003", "website", False, "ouder", NO_GIVER_NAME, DAY),
            ("1003", "newsletter", True, "ouder", NO_GIVER_NAME, DAY),
            ("1003", "yearbook", False, "ouder", NO_GIVER_NAME, DAY),
            ("1004", "website", True, "ouder", NO_GIVER_NAME, f"{TODAY:%d-%m-%Y}"),
            ("1004", "social_media", False, "ouder", NO_GIVER_NAME, f"{TODAY:%d-%m-%Y}"),
            ("1004", "newsletter", False, "ouder", NO_GIVER_NAME, f"{TODAY:%d-%m-%Y}"),
        )
    ]
    other = open_database(tmp_path / "lang.sqlite")
    try:
        add_school(other)
        long_file = write_table(
            tmp_path,
            long_rows,
            header=["leerlingnummer", "doel", "besluit", "gegeven_door", "naam_gever", "datum"]
            + ["wijze"],
            name="lang.csv",
        )
        assert import_consents(other, long_file).added == 13
        assert register(other) == register(school)
    finally:
        other.close()


def test_mapped_by_alias_the_same_as_by_map(school, tmp_path):
    purpose_store.set_purpose_aliases(school, "yearbook", ["Foto's in het jaarboek", "Jaarboek"])
    by_alias = import_consents(school, write(tmp_path), dry_run=True)
    by_map = import_consents(school, write(tmp_path), dry_run=True, options=options())
    assert by_alias.counts() == by_map.counts()
    assert [c.target for c in by_alias.columns] == [c.target for c in by_map.columns]


def test_reimport_adds_nothing_and_one_changed_answer_is_one_withdrawal(school, tmp_path):
    path = write(tmp_path)
    import_consents(school, path, options=options())
    before = dump(school)["decisions"]
    again = import_consents(school, path, options=options())
    assert (again.added, again.unchanged, again.conflicts) == (0, 13, [])
    assert dump(school)["decisions"] == before
    changed = [list(row) for row in ROWS]
    changed[0][5] = "Nee"  # 1001's parent: no more social media
    changed[0][8] = f"{TODAY:%d-%m-%Y}"
    result = import_consents(
        school, write(tmp_path, changed, name="maandag.csv"), options=options()
    )
    assert (result.granted, result.refused, result.withdrawn, result.unchanged) == (0, 0, 1, 12)
    latest = decision_store.decisions_for(school, "1001", "social_media")[-1]
    assert (latest.decision, latest.given_by, latest.received_on, latest.method) == (
        rules.WITHDRAWN,
        rules.PARENT,
        TODAY,
        "portal",
    )


def test_an_empty_cell_never_withdraws(school, tmp_path):
    import_consents(school, write(tmp_path), options=options())
    emptied = [row[:4] + ["", "", "", ""] + row[8:] for row in ROWS]
    result = import_consents(school, write(tmp_path, emptied, name="leeg.csv"), options=options())
    assert (result.added, result.not_answered) == (0, 16)
    assert store.status_of(school, "1001", "website", TODAY).state == rules.ALLOWED


def test_a_newer_paper_decision_is_a_conflict_and_the_rest_is_imported(school, tmp_path):
    decision_store.record_decision(
        school, "1003", "website", rules.GRANTED, rules.PARENT, "P. Łęcki", TODAY
    )
    result = import_consents(school, write(tmp_path), options=options())
    assert [(c.pupil.number, c.purpose.code, c.answer) for c in result.conflicts] == [
        ("1003", "website", False)
    ]
    assert "rij 4: leerling 1003, Website van de school: het bestand zegt nee" in (
        result.conflicts[0].as_text()
    )
    assert store.status_of(school, "1003", "website", TODAY).state == rules.ALLOWED
    assert result.added == 12


def test_the_date_is_the_rows_laatst_gewijzigd_else_received(school, tmp_path):
    received = TODAY - timedelta(days=10)
    import_consents(school, write(tmp_path), options=options(received=received))
    assert decision_store.decisions_for(school, "1001", "website")[0].received_on == CHANGED
    assert decision_store.decisions_for(school, "1004", "website")[0].received_on == received


def test_the_dry_run_writes_nothing_and_names_the_publications_to_take_down(school, tmp_path):
    for number in ("1001", "1003"):
        decision_store.record_decision(
            school, number, "social_media", rules.GRANTED, rules.PARENT, "Ouder", CHANGED
        )
    item = item_store.create_item(school, "Schoolreis & <Ardennen>", pupil_numbers=["1001", "1003"])
    publication = pub.publish(
        school, item.id, "social_media", CHANGED, "instagram.com/p/1", checklist=all_agreements()
    )
    changed = [list(row) for row in ROWS]
    changed[0][5] = "Nee"
    changed[0][8] = f"{TODAY:%d-%m-%Y}"
    path = write(tmp_path, changed)
    before = dump(school)
    result = import_consents(school, path, dry_run=True, options=options())
    assert dump(school) == before
    assert result.dry_run and result.withdrawn == 1
    assert [(g.publication_id, [p.number for p in g.pupils]) for g in result.takedowns] == [
        (publication.id, ["1001"])
    ]
    assert "Schoolreis & <Ardennen> — Sociale-media-accounts van de school" in "\n".join(
        result.report_lines()
    )
    import_consents(school, path, options=options())
    assert [(t.publication_id, t.pupil.number) for t in takedown_store.open_takedowns(school)] == [
        (publication.id, "1001")
    ]


@pytest.mark.parametrize(
    ("delimiter", "encoding", "bom", "shown"),
    [(";", "cp1252", False, "Windows-1252"), (",", "utf-8", True, "UTF-8 (BOM)")],
)
def test_cp1252_semicolon_and_utf8_bom_comma(school, tmp_path, delimiter, encoding, bom, shown):
    path = write(
        tmp_path,
        # cp1252 has no ✓ and no Ł: the rows a Windows export can hold
        [[c.replace("✓", "Ja") for c in r] for r in ROWS if r[0] != "1003"],
        delimiter=delimiter,
        encoding=encoding,
        bom=bom,
    )
    result = import_consents(school, path, options=options())
    assert (result.encoding, result.delimiter, result.added) == (shown, delimiter, 10)


def test_xlsx_from_a_spreadsheet_program(school, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Toestemmingen"
    sheet.append(HEADER)
    for row in ROWS:
        cells: list[object] = list(row)
        cells[0] = int(row[0])  # numbers as numbers
        cells[8] = CHANGED if row[8] else None  # a real date cell
        cells[6] = {"1": 1, "✓": True, "false": False}.get(row[6], row[6] or None)
        sheet.append(cells)
    workbook.create_sheet("Blad2")  # empty: does not count
    path = tmp_path / "ouderportaal.xlsx"
    workbook.save(path)
    result = import_consents(school, path, options=options())
    assert (result.sheet, result.added) == ("Toestemmingen", 13)
    assert register(school) == register_of_csv(tmp_path)


def register_of_csv(tmp_path):
    other = open_database(tmp_path / "csv.sqlite")
    try:
        add_school(other)
        import_consents(other, write(tmp_path, name="zelfde.csv"), options=options())
        return register(other)
    finally:
        other.close()


def test_the_mapping_is_remembered_for_the_same_headers(school, tmp_path):
    import_consents(school, write(tmp_path), options=options(mapping_name="Magister-export"))
    saved = remembered_mapping(school, "consents", HEADER)
    assert saved is not None and saved.name == "Magister-export"
    next_week = write(tmp_path, ROWS[:2], name="volgende-week.csv")
    result = import_consents(school, next_week, dry_run=True)
    assert result.mapping_name == "Magister-export"
    assert result.unchanged == 7


BAD = [
    (
        "two columns mapped to one purpose",
        [*HEADER, "Website"],
        [[*ROWS[0], "Ja"]],
        {},
        "rij 1: de kolommen 'Toestemming website' en 'Website' horen allebei bij doel "
        "Website van de school; koppel er één (--map) of sla er één over (--ignore)",
    ),
    (
        "the same pupil twice with different values",
        HEADER,
        [ROWS[0], ROWS[1], [*ROWS[0][:4], "Nee", *ROWS[0][5:]]],
        {},
        "rij 4, kolom Leerlingnummer: leerling 1001 staat ook in rij 2, met andere antwoorden",
    ),
    (
        "a pupil column missing",
        HEADER[1:],
        [row[1:] for row in ROWS],
        {},
        "rij 1, kolom leerlingnummer: kolom ontbreekt (verwacht een kolom leerlingnummer of "
        "stamnummer of stamnr)",
    ),
    (
        "an unknown value",
        HEADER,
        [[*ROWS[0][:5], "misschien", *ROWS[0][6:]]],
        {},
        "rij 2, kolom Social media: onbekende waarde 'misschien' (ja, nee, j, n, akkoord, niet "
        "akkoord, toestemming, geen toestemming, ✓, ✗, 1, 0, true, false; leeg = niet "
        "beantwoord)",
    ),
    (
        "a header that is neither a pupil column nor a purpose",
        [*HEADER, "Opmerking"],
        [[*ROWS[0], ""]],
        {},
        "rij 1: onbekende kolommen 'Opmerking': geen leerlinggegevens en geen doel (bekende "
        "doelen: brochure (Schoolgids, brochures en informatiemateriaal), website (Website van "
        "de school), social_media (Sociale-media-accounts van de school), newsletter "
        "(Nieuwsbrief en ouderapp), screens (Beeldschermen in de school), yearbook (Jaarboek), "
        "press (Pers en externe media)); koppel ze aan een doel of sla ze over (--map "
        '"KOLOM=DOEL", --ignore KOLOM)',
    ),
    (
        "a date in the future",
        HEADER,
        [[*ROWS[0][:8], f"{TODAY + timedelta(days=2):%d-%m-%Y}"]],
        {},
        f"rij 2, kolom Laatst gewijzigd: de datum {TODAY + timedelta(days=2):%d-%m-%Y} ligt in "
        "de toekomst",
    ),
]


@pytest.mark.parametrize(
    ("header", "rows", "mapping", "problem"), [b[1:] for b in BAD], ids=[b[0] for b in BAD]
)
def test_bad_input_one_clear_line_and_nothing_changed(
    school, tmp_path, header, rows, mapping, problem
):
    purpose_store.set_purpose_aliases(school, "yearbook", ["Foto's in het jaarboek"])
    before = dump(school)
    with pytest.raises(InputError) as info:
        import_consents(school, write(tmp_path, rows, header=header))
    assert info.value.message == "ouderportaal.csv is niet geïmporteerd; er is niets veranderd."
    assert info.value.problems == [problem]
    assert dump(school) == before


def test_ignore_leaves_a_column_out(school, tmp_path):
    path = write(tmp_path, [[*ROWS[0], "bel mij"]], header=[*HEADER, "Opmerking"])
    result = import_consents(school, path, options=options(ignore=("Opmerking",)))
    assert result.added == 3


def test_a_file_of_another_school_is_refused_with_the_share_unknown(school, tmp_path):
    rows = [[str(5000 + i), "X", "Y", "1A", "Ja", "Ja", "Ja", "Ja", DAY] for i in range(7)]
    before = dump(school)
    with pytest.raises(InputError) as info:
        import_consents(school, write(tmp_path, [*rows, ROWS[0]]), options=options())
    assert info.value.message == (
        "ouderportaal.csv is niet geïmporteerd: 7 van de 8 leerlingnummers (87 %) zijn "
        "onbekend in dit register. Is dit een bestand van een andere school, of zijn de "
        "leerlingen nog niet geïmporteerd? Er is niets veranderd."
    )
    assert dump(school) == before


def test_a_few_unknown_pupils_are_counted_and_skipped(school, tmp_path):
    rows = [*ROWS, ["7777", "Nieuw", "Kind", "1A", "Ja", "", "", "", DAY]]
    result = import_consents(school, write(tmp_path, rows), options=options())
    assert result.unknown_pupils == [(6, "7777")]
    assert result.added == 13


def test_an_xlsx_with_several_sheets_names_them_or_takes_sheet(school, tmp_path):
    workbook = Workbook()
    first = workbook.active
    first.title = "Leerlingen"
    first.append(["Leerlingnummer", "Roepnaam"])
    first.append([1001, "Joëlle"])
    second = workbook.create_sheet("Toestemmingen")
    second.append(HEADER)
    second.append(ROWS[0])
    path = tmp_path / "export.xlsx"
    workbook.save(path)
    with pytest.raises(InputError) as info:
        import_consents(school, path, options=options())
    assert str(info.value) == (
        "export.xlsx heeft gegevens op 2 bladen (Leerlingen, Toestemmingen); kies het blad met "
        "de export (--sheet NAAM). Er is niets veranderd."
    )
    assert info.value.codes == {SEVERAL_SHEETS}
    result = import_consents(school, path, options=options(sheet="toestemmingen"))
    assert (result.sheet, result.added) == ("Toestemmingen", 3)


def test_imported_decisions_are_audited_and_say_where_they_came_from(school, tmp_path):
    import_consents(school, write(tmp_path), options=options())
    ids = [d.id for d in decision_store.decisions_for(school, "1001")]
    assert import_store.imported_decision_ids(school, ids) == set(ids)
    entries = school.execute(
        "SELECT count(*) FROM audit_log WHERE record_kind = 'decision' AND action = 'create'"
    ).fetchone()[0]
    assert entries == 13
    paper = decision_store.record_decision(
        school, "1001", "press", rules.REFUSED, rules.PARENT, "A", TODAY
    )
    assert import_store.imported_decision_ids(school, [paper.id]) == set()


# -- the property: applying an import, then applying it again, changes nothing the second time

_TEMPLATE: list[Path] = []


def _template() -> Path:
    if not _TEMPLATE:
        folder = Path(tempfile.mkdtemp(prefix="merlet-portal-"))
        db = open_database(folder / "template.sqlite")
        add_school(db)
        db.close()
        _TEMPLATE.append(folder / "template.sqlite")
    return _TEMPLATE[0]


NUMBERS = ["1001", "1002", "1003", "1004"]
PURPOSES = ["website", "social_media", "newsletter"]
days_back = st.integers(min_value=0, max_value=400)
histories = st.lists(
    st.tuples(
        st.sampled_from(NUMBERS),
        st.sampled_from(PURPOSES),
        st.sampled_from(rules.DECISIONS),
        days_back,
    ),
    max_size=12,
)
answers = st.sampled_from(["Ja", "Nee", "", "✓", "0", "Niet akkoord"])
files = st.lists(
    st.tuples(st.sampled_from(NUMBERS), st.lists(answers, min_size=3, max_size=3), days_back),
    min_size=1,
    max_size=4,
    unique_by=lambda row: row[0],
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(histories, files, st.sampled_from(rules.VALIDITY_MODES), st.booleans())
def test_reapplying_an_import_changes_nothing(tmp_path, history, rows, validity, dated):
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    shutil.copy(_template(), folder / "db.sqlite")
    db = open_database(folder / "db.sqlite")
    try:
        settings_store.save_consent_settings(db, ConsentSettings(validity=validity))
        for number, purpose, kind, back in history:
            pupil = pupil_store.get_pupil(db, number)
            on = TODAY - timedelta(days=back)
            if on < pupil.birth_date:
                continue
            giver = rules.default_giver(pupil.birth_date, on)
            decision_store.record_decision(db, number, purpose, kind, giver, "Ouder", on)
        header = ["Leerlingnummer", "Website", "Social media", "Nieuwsbrief"]
        body = [[number, *cells] for number, cells, _ in rows]
        if dated:
            header.append("Laatst gewijzigd")
            body = [
                [*row, f"{TODAY - timedelta(days=back):%d-%m-%Y}"]
                for row, (_, _, back) in zip(body, rows, strict=True)
            ]
        path = write_table(folder, body, header=header, name="portaal.csv")
        first = import_consents(db, path)
        after_first = dump(db)
        second = import_consents(db, path)
        assert second.added == 0
        assert [c.as_json() for c in second.conflicts] == [c.as_json() for c in first.conflicts]
        assert dump(db)["decisions"] == after_first["decisions"]
    finally:
        db.close()
