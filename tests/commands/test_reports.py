"""`merlet-desk report ...` from the command line: files written, exit codes, no partial files."""

from __future__ import annotations

import pytest

from merlet_desk.cli import main
from tests.helpers import assert_letterhead_on_every_page, page_texts
from tests.helpers import fill_report_school as fill_school


@pytest.fixture
def school_db(db, db_target):
    fill_school(db)
    return db_target


@pytest.fixture
def out_dir(tmp_path):
    folder = tmp_path / "rapporten"
    folder.mkdir()
    return folder


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["policy"], "Afspraak 14"),
        (["consent", "--location", "Cuijk"], "Şükrü Yılmaz"),
        (["consent", "--location", "cuijk", "--class", "4B"], "<b>Jan</b> & Zn"),
        (["consent"], "Per locatie: leerlingen en wie in beeld mag"),
        (["consent", "--location", "Alle"], "Berkay Öztürk"),
        (["cases", "--from", "2026-01-01", "--to", "2026-12-31"], "Incidenten alle locaties"),
        (["cases", "--location", "alle", "--from", "2026-01-01", "--to", "2026-12-31"], "Totaal"),
        (["check", "--purpose", "website", "--class", "2A", "--on", "25-11-2026"], "İlayda Gök"),
        (["check", "--purpose", "website", "--pupils", "1003,1004"], "Zofia Łęcka"),
        (["pupil", "--pupil", "2001"], "Berkay Öztürk"),
    ],
)
def test_report_writes_pdf(capsys, school_db, out_dir, args, expected):
    out = out_dir / "rapport.pdf"
    code, stdout, stderr = run(capsys, "report", *args, "--db", school_db, "-o", out)
    assert (code, stderr) == (0, "")
    assert f"Rapport gemaakt: {out}" in stdout
    texts = page_texts(out)
    assert_letterhead_on_every_page(texts)
    assert expected in " ".join("\n".join(texts).split())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["consent", "--location", "Zwolle"],
            "Onbekende locatie 'Zwolle'; kies uit: Cuijk, Grave, Mill of alle.",
        ),
        (
            ["consent", "--location", "Grave", "--class", "2A"],
            "Onbekende klas '2A' op locatie Grave",
        ),
        (["check", "--purpose", "website", "--class", "7X"], "Onbekende klas '7X'"),
        (["check", "--purpose", "drone", "--class", "2A"], "Onbekend doel 'drone'"),
        (["check", "--purpose", "website", "--pupils", "1001,4242"], "Onbekende leerling 4242"),
        (["check", "--purpose", "website", "--class", "2A", "--on", "31-31-2026"], "--on"),
        (["pupil", "--pupil", "4242"], "Onbekende leerling 4242"),
        (["case", "--ref", "2026-9999"], "2026-9999"),
        (
            ["cases", "--location", "Zwolle", "--from", "2026-01-01", "--to", "2026-12-31"],
            "Onbekende locatie 'Zwolle'",
        ),
        (["cases", "--location", "Mill", "--from", "2026-12-01", "--to", "1-1-2026"], "--from"),
        (["cases", "--location", "Mill", "--from", "gisteren", "--to", "2026-12-31"], "--from"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(capsys, school_db, out_dir, args, message):
    out = out_dir / "rapport.pdf"
    code, stdout, stderr = run(capsys, "report", *args, "--db", school_db, "-o", out)
    assert code == 2
    assert message in stderr
    assert stderr.count("\n") == 1 and "Traceback" not in stderr
    assert list(out_dir.iterdir()) == []


def test_case_reports(capsys, db, db_target, out_dir):
    from merlet_desk.store import cases as store
    from tests.helpers import REPORT_CASE_DAY, report_case

    case = store.create_case(db, report_case(), today=REPORT_CASE_DAY)
    out = out_dir / "zaak.pdf"
    code, _, stderr = run(
        capsys, "report", "case", "--ref", case.reference, "--db", db_target, "-o", out
    )
    assert (code, stderr) == (0, "")
    assert "Berkay Öztürk" in " ".join("\n".join(page_texts(out)).split())
    out = out_dir / "overzicht.pdf"
    code, _, stderr = run(
        capsys,
        "report",
        "cases",
        "--location",
        "Cuijk",
        "--from",
        "01-11-2026",
        "--to",
        "2026-11-30",
        "--db",
        db_target,
        "-o",
        out,
    )
    assert (code, stderr) == (0, "")
    texts = page_texts(out)
    assert_letterhead_on_every_page(texts)
    assert case.reference in "\n".join(texts)


def test_missing_database_is_not_created(capsys, tmp_path, out_dir):
    missing = tmp_path / "bestaat-niet.sqlite"
    code, _, stderr = run(capsys, "report", "policy", "--db", missing, "-o", out_dir / "x.pdf")
    assert code == 2 and "bestaat niet" in stderr
    assert not missing.exists()
    assert list(out_dir.iterdir()) == []


def test_check_needs_class_or_pupils(capsys, school_db, out_dir):
    with pytest.raises(SystemExit) as exit_info:
        main(
            [
                "report",
                "check",
                "--purpose",
                "website",
                "--db",
                str(school_db),
                "-o",
                str(out_dir / "x.pdf"),
            ]
        )
    assert exit_info.value.code == 2


def test_output_folder_must_exist(capsys, school_db, tmp_path):
    out = tmp_path / "bestaat-niet" / "x.pdf"
    code, _, stderr = run(capsys, "report", "policy", "--db", school_db, "-o", out)
    assert code == 2 and "bestaat niet" in stderr
    assert not out.parent.exists()
