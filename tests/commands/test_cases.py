"""`merlet-desk cases`: filters, JSON output and exit codes."""

from __future__ import annotations

import json
from datetime import date

import pytest

from merlet_desk.cli import main
from merlet_desk.domain.cases import Case, CasePerson
from merlet_desk.store import cases as store


@pytest.fixture
def filled_path(db, db_path):
    specs = [
        ("Cuijk", "open", date(2026, 1, 10), "whatsapp"),
        ("Grave", "closed", date(2025, 6, 1), "youtube"),
        ("Mill", "in_progress", date(2026, 3, 5), "tiktok"),
        ("Cuijk", "closed", date(2026, 3, 20), "instagram"),
    ]
    for location, status, when, platform in specs:
        store.create_case(
            db,
            Case(
                incident_date=when,
                report_date=when,
                location=location,
                category="belittling_video",
                platform=platform,
                summary="Video van <b>Jan</b> & Zn",
                people=[CasePerson("pupil", "Zofia Łęcka")],
                agreements=[3, 9],
                status=status,
                closed_on=when if status == "closed" else None,
                measures="Gesprek" if status == "closed" else "",
            ),
            today=date(2026, 11, 24),
        )
    return db_path


def run_json(capsys, *args):
    code = main(["cases", *args, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out) if code == 0 else out


def test_lists_every_case_as_json(filled_path, capsys):
    code, rows = run_json(capsys, "--db", str(filled_path))
    assert code == 0
    assert [r["reference"] for r in rows] == ["2026-0003", "2026-0002", "2026-0001", "2025-0001"]
    first = rows[0]
    assert first == {
        "reference": "2026-0003",
        "incident_date": "2026-03-20",
        "report_date": "2026-03-20",
        "location": "Cuijk",
        "category": "belittling_video",
        "category_label": "Kleineren via video",
        "platform": "instagram",
        "platform_label": "Instagram",
        "status": "closed",
        "closed_on": "2026-03-20",
        "agreements": [3, 9],
    }


def test_filters_alone_and_combined(filled_path, capsys):
    def refs(*args):
        code, rows = run_json(capsys, "--db", str(filled_path), *args)
        assert code == 0
        return sorted(r["reference"] for r in rows)

    assert refs("--location", "Cuijk") == ["2026-0001", "2026-0003"]
    assert refs("--location", "mill") == ["2026-0002"]
    assert refs("--status", "closed") == ["2025-0001", "2026-0003"]
    assert refs("--from", "2026-03-01") == ["2026-0002", "2026-0003"]
    assert refs("--to", "31-12-2025") == ["2025-0001"]
    assert refs("--location", "Cuijk", "--status", "closed", "--from", "2026-01-01") == [
        "2026-0003"
    ]
    assert refs("--location", "Grave", "--status", "open") == []


def test_text_output_names_the_columns(filled_path, capsys):
    assert main(["cases", "--db", str(filled_path), "--status", "open"]) == 0
    out = capsys.readouterr().out
    assert "Kenmerk" in out and "Afspraken" in out
    assert "2026-0001  10-01-2026  10-01-2026  Cuijk" in out
    assert out.strip().endswith("1 incident")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--location", "Nijmegen"], "Onbekende locatie 'Nijmegen'; kies uit Cuijk, Grave, Mill."),
        (
            ["--status", "gesloten"],
            "Onbekende status 'gesloten'; kies uit open, in_progress, closed.",
        ),
        (["--from", "31-02-2026"], "--from: onmogelijke datum '31-02-2026'"),
        (["--to", "gisteren"], "--to: onbekende datumnotatie 'gisteren'"),
        (
            ["--from", "2026-05-01", "--to", "2026-04-01"],
            "--from (01-05-2026) ligt na --to (01-04-2026).",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line(filled_path, capsys, args, message):
    assert main(["cases", "--db", str(filled_path), *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err
    assert len(captured.err.strip().splitlines()) == 1


def test_missing_database_exits_2(tmp_path, capsys):
    assert main(["cases", "--db", str(tmp_path / "nergens.sqlite")]) == 2
    assert "bestaat niet" in capsys.readouterr().err
    assert not (tmp_path / "nergens.sqlite").exists()
