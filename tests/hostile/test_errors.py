"""No traceback ever reaches a user: each of these gives its own Dutch line, exit 2, and
nothing changed (issue 13). The full-disk and read-only cases run for real in a private mount
namespace (a tiny tmpfs, a read-only bind mount)."""

from __future__ import annotations

import shutil
import sys

import pytest

from merlet_desk.cli import main
from merlet_desk.store import open_database
from merlet_desk.store.settings import set_setting
from tests.helpers.processes import (
    HEADER,
    digest,
    listing,
    needs_unshare,
    one_line_error,
    read_only,
    run_cli,
    tiny_disk,
)


@pytest.fixture(scope="module")
def school(tmp_path_factory):
    folder = tmp_path_factory.mktemp("school")
    path = folder / "merlet.sqlite"
    assert main(["init", "--db", str(path), "--demo", "--pupils", "30"]) == 0
    db = open_database(path)
    db.execute(
        "INSERT INTO pupils (number, first_name, prefix, last_name, birth_date, class_name,"
        " location) VALUES ('77777', ?, '', 'Lang', '2012-01-01', '1A', 'Cuijk')",
        ["Joëlle " * 1430],  # 10,010 characters, as an old import or a script could leave it
    )
    db.close()
    return path


def copy_of(school, tmp_path):
    path = tmp_path / "merlet.sqlite"
    shutil.copy(school, path)
    return path


def test_a_csv_cell_over_the_csv_limit(school, tmp_path, capsys):
    path = copy_of(school, tmp_path)
    big = tmp_path / "groot.csv"
    big.write_text(HEADER + "9001;" + "A" * 131_073 + ";;Broek;01-05-2012;1A;Cuijk\n")
    before = digest(path)
    assert main(["import-pupils", str(big), "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert "rij 2: een cel is langer dan 131.072 tekens" in err and "Traceback" not in err
    assert digest(path) == before


def test_a_report_with_a_name_of_ten_thousand_characters(school, tmp_path, capsys):
    path = copy_of(school, tmp_path)
    out = tmp_path / "inzage.pdf"
    assert main(["report", "pupil", "--pupil", "77777", "--db", str(path), "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")  # the long row continues on the next page
    capsys.readouterr()


def test_a_layout_that_cannot_fit_is_one_line_not_a_traceback(tmp_path, capsys, monkeypatch):
    """Should any flowable still be taller than a page, the user gets one line, no file."""
    from reportlab.platypus import Spacer

    from merlet_desk.errors import OutputError
    from merlet_desk.reports.letterhead import build_pdf

    out = tmp_path / "te-groot.pdf"
    with pytest.raises(OutputError, match="te groot voor één pagina"):
        build_pdf(out, "Rapport", [Spacer(10, 5000)])
    assert listing(tmp_path) == []


@pytest.mark.parametrize(
    "args",
    [
        ["report", "consent", "--location", "Cuijk", "--on", "9999-12-31", "-o", "{out}"],
        ["report", "consent", "--location", "Cuijk", "--on", "0001-01-01", "-o", "{out}"],
        ["report", "check", "--purpose", "website", "--class", "1A", "--on", "31-12-9999"],
        ["report", "takedowns", "--on", "9999-12-31", "-o", "{out}"],
        ["check", "--purpose", "website", "--class", "1A", "--on", "9999-12-31"],
        ["takedowns", "--date", "9999-12-31"],
    ],
)
def test_dates_far_outside_the_register(school, tmp_path, args, capsys):
    path = copy_of(school, tmp_path)
    out = tmp_path / "rapport.pdf"
    argv = [a.replace("{out}", str(out)) for a in args]
    if argv[:2] == ["report", "check"]:
        argv += ["-o", str(out)]
    assert main([*argv, "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert "ligt buiten de datums waarmee het register rekent" in err
    assert not out.exists()


@needs_unshare
def test_backup_into_a_read_only_folder(school, tmp_path):
    path = copy_of(school, tmp_path)
    target = tmp_path / "archief"
    target.mkdir()
    result = run_cli("backup", "--db", path, "-o", target / "kopie.sqlite", setup=read_only(target))
    assert result.returncode == 2
    assert "alleen-lezen" in one_line_error(result)
    assert listing(target) == []


@needs_unshare
def test_a_full_disk_during_a_report(school, tmp_path):
    path = copy_of(school, tmp_path)
    full = tmp_path / "vol"
    full.mkdir()
    result = run_cli(
        "report",
        "consent",
        "--location",
        "Cuijk",
        "--db",
        path,
        "-o",
        full / "toestemmingen.pdf",
        setup=tiny_disk(full, "24k"),
    )
    assert result.returncode == 2
    error = one_line_error(result)
    assert "de schijf is vol" in error and "Er is niets geschreven" in error
    assert listing(full) == []  # the tmpfs is gone again, and nothing reached the real folder


@needs_unshare
def test_a_full_disk_during_an_import(school, tmp_path):
    """The database on a disk with room for it and little more; backups elsewhere."""
    disk = tmp_path / "schijf"
    disk.mkdir()
    path = disk / "merlet.sqlite"
    shutil.copy(school, path)
    db = open_database(path)
    set_setting(db, "safety.backup_dir", str(tmp_path / "back-ups"))
    db.close()
    size = path.stat().st_size
    rows = "".join(
        f"{100000 + i};Joëlle{i};van den;Broek;01-05-2012;1A;Cuijk\n" for i in range(20000)
    )
    many = tmp_path / "veel.csv"
    many.write_text(HEADER + rows, encoding="utf-8")
    staged = tmp_path / "kopie.sqlite"
    shutil.copy(path, staged)
    # the tmpfs hides the real folder: copy the database onto it, import, then look inside
    setup = f"{tiny_disk(disk, str(size + 200_000))} && cp '{staged}' '{path}'"
    # As the next writer opens it: SQLite finishes the rollback from its journal.
    count = (
        f"'{sys.executable}' -c \"from tests.helpers.sqlite import connect; c = connect('{path}');"
        " print('pupils', c.execute('SELECT count(*) FROM pupils').fetchone()[0],"
        " c.execute('PRAGMA integrity_check').fetchone()[0])\""
    )
    result = run_cli("import-pupils", many, "--db", path, setup=setup, after=count)
    assert result.returncode == 2, result.stdout
    error = one_line_error(result)
    assert "de schijf is vol" in error and "niets veranderd" in error
    assert result.stdout.strip().splitlines()[-1] == "pupils 31 ok"  # as before the import
