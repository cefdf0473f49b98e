"""What the subcommands share: one reading of a date option, and no command borrowing
another's private helpers."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from merlet_desk.cli import main
from merlet_desk.commands.common import parse_date_option
from merlet_desk.errors import InputError

COMMANDS = Path(__file__).resolve().parents[2] / "merlet_desk" / "commands"

# Every date option of the command line, with the rest of a run that reaches its parsing.
DATE_OPTIONS = [
    ("--on", ["check", "--purpose", "website", "--class", "1A"]),
    ("--received", ["import-consents", "consents.csv"]),
    ("--received", ["import-scans", "scan.pdf"]),
    ("--date", ["takedowns"]),
    ("--from", ["cases"]),
    ("--to", ["cases"]),
    ("--on", ["report", "consent", "--location", "Cuijk", "-o", "out.pdf"]),
    ("--on", ["report", "check", "--purpose", "website", "--class", "1A", "-o", "out.pdf"]),
    ("--on", ["report", "takedowns", "-o", "out.pdf"]),
    ("--from", ["report", "cases", "--location", "Mill", "--to", "2026-12-31", "-o", "out.pdf"]),
    ("--to", ["report", "cases", "--location", "Mill", "--from", "2026-01-01", "-o", "out.pdf"]),
]


@pytest.mark.parametrize("text", ["24-11-2026", "4-11-2026", "24/11/2026", "2026-11-24"])
def test_a_date_option_takes_the_forms_of_an_imported_file(text):
    expected = date(2026, 11, 4) if text.startswith("4-") else date(2026, 11, 24)
    assert parse_date_option(text, "--on") == expected
    assert parse_date_option(None, "--on") is None


def test_a_date_the_register_cannot_compute_with_is_refused_unless_unbounded():
    with pytest.raises(InputError, match="--on: 31-12-9999 ligt buiten de datums"):
        parse_date_option("31-12-9999", "--on")
    assert parse_date_option("31-12-9999", "--to", bounded=False) == date(9999, 12, 31)


@pytest.mark.parametrize(("option", "argv"), DATE_OPTIONS)
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31-02-2026", "onmogelijke datum '31-02-2026'"),
        ("morgen", "onbekende datumnotatie 'morgen'"),
    ],
)
def test_every_date_option_says_the_same_of_a_bad_date(
    db, db_path, tmp_path, monkeypatch, capsys, option, argv, text, message
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "consents.csv").write_text("leerlingnummer,doel,besluit\n", encoding="utf-8")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    code = main([*argv, "--db", str(db_path), option, text])
    assert code == 2
    assert f"{option}: {message}" in capsys.readouterr().err


def test_no_command_imports_a_private_name_of_another():
    found = []
    for path in sorted(COMMANDS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "merlet_desk.commands."
            ):
                found += [
                    f"{path.name}:{node.lineno}: {node.module}.{alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_")
                ]
    assert found == []
