"""Fuzzing both importers (pupils, consent decisions) with random bytes and random CSV shapes.

For every input: either the import succeeds, or it raises `InputError` and the database is
exactly as before (all or nothing). Never another exception, never a partial import. Each test
checks that it really tried at least half of `EXAMPLES` inputs (hypothesis could otherwise
give up quietly) and prints how many (`pytest -s`), for the report.
"""

from __future__ import annotations

import codecs
import hashlib
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from merlet_desk.errors import InputError
from merlet_desk.imports.consents import import_consents
from merlet_desk.imports.pupils import import_pupils
from merlet_desk.store import open_database
from merlet_desk.store.pupils import save_pupil

EXAMPLES = 500
TRIED: Counter[str] = Counter()
IMPORTED: Counter[str] = Counter()  # inputs that were valid and imported


def _decode_lets_unicode_errors_through() -> bool:
    """Known bug found by this fuzzing (reported to the lead): `imports.tabular.decode` raises
    UnicodeDecodeError, not InputError, for a UTF-8 BOM followed by invalid UTF-8 and for a
    UTF-16 BOM followed by an odd number of bytes. While it is there, such inputs are left out
    of the random-bytes fuzzing (so the rest is still explored) and pinned by a strict xfail
    below; once fixed, the xfail turns into a failure and this guard switches itself off."""
    from merlet_desk.imports.tabular import decode

    try:
        decode(codecs.BOM_UTF8 + b"\x80")
        decode(codecs.BOM_UTF16_BE + b"\x00\x00\x00")
    except InputError:
        return False
    except UnicodeDecodeError:
        return True
    return False


KNOWN_DECODE_BUG = _decode_lets_unicode_errors_through()


def hits_known_decode_bug(data: bytes) -> bool:
    if not KNOWN_DECODE_BUG or data.startswith(b"PK\x03\x04"):
        return False
    try:
        if data.startswith(codecs.BOM_UTF8):
            data[3:].decode("utf-8")
        elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            data.decode("utf-16")
    except UnicodeDecodeError:
        return True
    return False


JUNK_COLUMNS = ["", "opmerking", "Leerlingnummer ", "DATUM", "<b>Jan</b> & Zn", "doel;x", 'a"b']
PLAUSIBLE_CELLS = [
    "1001",
    "1002",
    "1003",
    "9999",
    "",
    " ",
    "Joëlle",
    "van den",
    "Broek",
    "Berkay",
    "Öztürk",
    "Zofia",
    "Łęcka",
    "Meryem",
    "Boujdaini",
    "Şükrü",
    "Yılmaz",
    "<b>Jan</b> & Zn",
    "01-03-2012",
    "2012-03-01",
    "31-02-2012",
    "1-1-2010",
    "29/02/2011",
    "2030-01-01",
    "12-05-2009 10:15",
    "3 havo",
    "1A",
    "Cuijk",
    "Grave",
    "Mill",
    "Boxmeer",
    "cuijk",
    "website",
    "social_media",
    "Jaarboek",
    "onbekend",
    "ja",
    "nee",
    "ingetrokken",
    "Ja",
    "ouder",
    "voogd",
    "leerling",
    "papier",
    "e-mail",
    "portaal",
    "anders",
    "=1+1",
    "\u00a0",
    "x" * 300,
    '"',
    '""',
    "\n",
    "a\r\nb",
    "\ufeff",
]

cells = st.one_of(st.sampled_from(PLAUSIBLE_CELLS), st.text(max_size=12))


VALID_PUPIL = {
    "leerlingnummer": st.integers(2000, 2999).map(str),
    "roepnaam": st.sampled_from(["Joëlle", "Berkay", "Zofia", "Meryem", "Şükrü", "<b>Jan</b>"]),
    "tussenvoegsel": st.sampled_from(["", "van den", "de"]),
    "achternaam": st.sampled_from(["Broek", "Öztürk", "Łęcka", "Boujdaini", "Yılmaz", "& Zn"]),
    "geboortedatum": st.dates(min_value=date(2006, 1, 1), max_value=date(2014, 12, 31)).map(
        lambda d: d.strftime("%d-%m-%Y")
    ),
    "klas": st.sampled_from(["1A", "2B", "3 havo", "6V2"]),
    "locatie": st.sampled_from(["Cuijk", "Grave", "Mill", "cuijk"]),
}
VALID_CONSENT = {
    "leerlingnummer": st.just("1001"),  # born 2012: a parent decides
    "doel": st.sampled_from(["website", "social_media", "Jaarboek", "press"]),
    "besluit": st.sampled_from(["ja", "nee", "ingetrokken"]),
    "gegeven_door": st.sampled_from(["ouder", "voogd"]),
    "naam_gever": st.sampled_from(["Anke van den Broek", "<b>Jan</b> & Zn"]),
    "datum": st.dates(min_value=date(2020, 1, 1), max_value=date(2025, 12, 31)).map(
        lambda d: d.strftime("%d-%m-%Y")
    ),
    "wijze": st.sampled_from(["papier", "e-mail", "portaal", "anders", ""]),
}


@st.composite
def csv_files(draw, valid: dict) -> bytes:
    """A CSV whose header and rows range from valid to mangled: right or wrong columns, good
    values with random cells swapped for junk, ragged rows, any delimiter and encoding."""
    columns = list(valid)
    if draw(st.integers(0, 3)):  # mostly the real columns, in any order, maybe one extra
        header = draw(st.permutations(columns))
        if draw(st.booleans()):
            header = [*header, draw(st.sampled_from(JUNK_COLUMNS))]
    else:
        header = draw(st.lists(st.sampled_from(columns + JUNK_COLUMNS), max_size=len(columns) + 2))
    mangle = draw(st.sampled_from([0.0, 0.0, 0.05, 0.3]))  # how often a cell is junk
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        row = [draw(valid[name]) if name in valid else "" for name in header]
        row = [draw(cells) if draw(st.floats(0, 1)) < mangle else value for value in row]
        if draw(st.integers(0, 9)) == 0:  # a ragged row
            row = row[: draw(st.integers(0, len(row)))] or [*row, draw(cells)]
        rows.append(row)
    delimiter = draw(st.sampled_from([";", ",", "\t", "|"]))
    quote_all = draw(st.booleans())

    def line(values: list[str]) -> str:
        needs_quotes = quote_all or any(
            ch in v for v in values for ch in (delimiter, '"', "\n", "\r")
        )
        if needs_quotes:
            return delimiter.join('"' + v.replace('"', '""') + '"' for v in values)
        return delimiter.join(values)

    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join([line(header), *(line(r) for r in rows)])
    if draw(st.booleans()):
        text += newline
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]))
    return text.encode(encoding, errors="replace")


random_bytes = st.one_of(
    st.binary(max_size=600),
    st.builds(lambda b: codecs.BOM_UTF8 + b, st.binary(max_size=300)),
    st.builds(lambda b: codecs.BOM_UTF16_LE + b, st.binary(max_size=300)),
    st.builds(lambda b: b"PK\x03\x04" + b, st.binary(max_size=300)),
    st.builds(lambda b: b"leerlingnummer;doel;besluit\n" + b, st.binary(max_size=300)),
)


@pytest.fixture(scope="module")
def fuzz_db():
    folder = Path(tempfile.mkdtemp(prefix="merlet-fuzz-"))
    db = open_database(folder / "fuzz.sqlite")
    save_pupil(db, "1001", "Joëlle", "van den", "Broek", "2012-03-01", "1A", "Cuijk")
    save_pupil(db, "1002", "Berkay", "", "Öztürk", "2008-05-05", "5H1", "Grave")
    save_pupil(db, "1003", "Zofia", "", "Łęcka", "2010-01-01", "3 havo", "Mill")
    yield db, folder
    db.close()


def snapshot(db) -> tuple:
    digest = hashlib.sha256()
    for table in ("pupils", "decisions", "audit_log", "settings"):
        for row in db.execute(f"SELECT * FROM {table} ORDER BY rowid"):
            digest.update(repr(row).encode())
    return digest.hexdigest(), db.conn.in_transaction


def counts(db) -> tuple[int, int]:
    return (
        db.execute("SELECT count(*) FROM pupils").fetchone()[0],
        db.execute("SELECT count(*) FROM decisions").fetchone()[0],
    )


def run_import(kind: str, db, folder: Path, data: bytes, suffix: str) -> None:
    TRIED[kind] += 1
    path = folder / f"invoer{suffix}"
    path.write_bytes(data)
    before, (pupils, decisions) = snapshot(db), counts(db)
    pupil_import = kind.startswith("pupils")
    importer = import_pupils if pupil_import else import_consents
    try:
        result = importer(db, path)
    except InputError as exc:
        assert str(exc)  # a message for the user
        assert snapshot(db) == before, "an import that failed changed the database"
        return
    assert not db.conn.in_transaction
    IMPORTED[kind] += 1
    after_pupils, after_decisions = counts(db)
    if pupil_import:  # everything in the file, or (on error, above) nothing
        assert after_pupils - pupils == result.added and after_decisions == decisions
    else:
        assert after_decisions - decisions == result.added and after_pupils == pupils


SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(data=random_bytes, suffix=st.sampled_from([".csv", ".txt", ".xlsx", ".xls"]))
def pupils_random_bytes(fuzz_db, data, suffix):
    assume(not hits_known_decode_bug(data))
    run_import("pupils: random bytes", *fuzz_db, data, suffix)


@SETTINGS
@given(data=csv_files(VALID_PUPIL))
def pupils_random_csv(fuzz_db, data):
    run_import("pupils: random CSV", *fuzz_db, data, ".csv")


@SETTINGS
@given(data=random_bytes, suffix=st.sampled_from([".csv", ".txt", ".xlsx", ".xls"]))
def consents_random_bytes(fuzz_db, data, suffix):
    assume(not hits_known_decode_bug(data))
    run_import("consents: random bytes", *fuzz_db, data, suffix)


@SETTINGS
@given(data=csv_files(VALID_CONSENT))
def consents_random_csv(fuzz_db, data):
    run_import("consents: random CSV", *fuzz_db, data, ".csv")


@pytest.mark.parametrize(
    ("kind", "fuzz"),
    [
        ("pupils: random bytes", pupils_random_bytes),
        ("pupils: random CSV", pupils_random_csv),
        ("consents: random bytes", consents_random_bytes),
        ("consents: random CSV", consents_random_csv),
    ],
)
def test_import_of_random_input_is_all_or_nothing(fuzz_db, kind, fuzz):
    tried, imported = TRIED[kind], IMPORTED[kind]
    fuzz(fuzz_db=fuzz_db)
    tried, imported = TRIED[kind] - tried, IMPORTED[kind] - imported
    print(f"\nfuzz inputs tried, {kind}: {tried}; imported: {imported}")
    assert tried >= EXAMPLES // 2


@pytest.mark.xfail(
    KNOWN_DECODE_BUG,
    strict=True,
    reason="imports.tabular.decode: UnicodeDecodeError instead of InputError (see above)",
)
@pytest.mark.parametrize("data", [codecs.BOM_UTF8 + b"\x80", b"\xfe\xff\x00\x00\x00"])
def test_bom_with_undecodable_bytes_is_an_input_error(fuzz_db, data):
    db, folder = fuzz_db
    for importer in (import_pupils, import_consents):
        path = folder / "bom.csv"
        path.write_bytes(data)
        with pytest.raises(InputError):
            importer(db, path)
