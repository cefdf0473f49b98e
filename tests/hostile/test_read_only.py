"""A read-only folder is not a damaged file, and read-only means read-only everywhere (issue 13).

The folder tests run for real: a read-only bind mount in a private mount namespace
(`unshare -m`, root as in CI), and a user without rights (`setpriv` to nobody).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from merlet_desk.cli import main
from merlet_desk.store import location, open_database
from tests.helpers import sqlite
from tests.helpers.processes import (
    HEADER,
    digest,
    listing,
    needs_unshare,
    one_line_error,
    read_only,
    run_cli,
)

READERS = [
    ["check", "--purpose", "website", "--class", "1A"],
    ["cases"],
    ["takedowns"],
    ["report", "policy", "-o", "{out}/beleid.pdf"],
    ["report", "consent", "--location", "Cuijk", "-o", "{out}/toestemmingen.pdf"],
    ["verify"],
]
WRITERS = [
    ["init"],
    ["import-pupils", "{out}/ok.csv"],
    ["import-consents", "{out}/ok.csv"],
    ["purge"],
    ["backup"],
    ["restore"],
]


def command(parts, db_path, out):
    return [part.replace("{out}", str(out)) for part in parts] + ["--db", str(db_path)]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A demo database (cases, consent, publications), closed by the program itself."""
    folder = tmp_path_factory.mktemp("demo")
    path = folder / "merlet.sqlite"
    assert main(["init", "--db", str(path), "--demo", "--pupils", "40"]) == 0
    return path


def place(demo, tmp_path, *, wal_at_rest: bool):
    """The demo database in a folder of its own, in WAL mode (as this version keeps every local
    file) or in rollback-journal mode (as older versions left every file, and as a file on a
    network share is kept)."""
    folder = tmp_path / "gedeeld"
    folder.mkdir()
    path = folder / "merlet.sqlite"
    shutil.copy(demo, path)
    conn = sqlite.connect(path)
    conn.execute(f"PRAGMA journal_mode = {'WAL' if wal_at_rest else 'DELETE'}")
    conn.close()
    out = tmp_path / "uit"
    out.mkdir()
    (out / "ok.csv").write_text(
        HEADER + "9001;Joëlle;van den;Broek;01-05-2012;1A;Cuijk\n", encoding="utf-8"
    )
    assert listing(folder) == ["merlet.sqlite"]
    return folder, path, out


def test_a_local_file_rests_in_wal_mode_with_nothing_beside_it(demo, tmp_path):
    """WAL from `init` on and for good (the mode is never switched per command); when the
    last connection closes nothing is left beside the file, also after a reader."""
    folder, path, out = place(demo, tmp_path, wal_at_rest=True)
    assert path.read_bytes()[18:20] == b"\x02\x02"
    db = open_database(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
    assert main(["takedowns", "--db", str(path)]) in (0, 1)
    assert path.read_bytes()[18:20] == b"\x02\x02"
    assert listing(folder) == ["merlet.sqlite"]


@needs_unshare
@pytest.mark.parametrize("wal_at_rest", [False, True], ids=["rollback", "wal-at-rest"])
def test_a_read_only_folder_opens_for_every_reader(demo, tmp_path, wal_at_rest):
    folder, path, out = place(demo, tmp_path, wal_at_rest=wal_at_rest)
    before = digest(path)
    for parts in READERS:
        result = run_cli(*command(parts, path, out), setup=read_only(folder))
        assert result.returncode in (0, 1), (parts, result.stderr)
        assert "beschadigd" not in (result.stdout + result.stderr).lower(), parts
        assert "Traceback" not in result.stderr
    assert {p.name for p in out.iterdir()} >= {"beleid.pdf", "toestemmingen.pdf"}
    for mode in ([], ["--read-only"]):
        result = run_cli(*mode, "--db", path, "--quit-after-show", setup=read_only(folder))
        assert result.returncode == 0, (mode, result.stderr)
        assert "Traceback" not in result.stderr
    assert digest(path) == before
    assert listing(folder) == ["merlet.sqlite"]


@needs_unshare
def test_writers_in_a_read_only_folder_say_so_and_not_damaged(demo, tmp_path):
    folder, path, out = place(demo, tmp_path, wal_at_rest=False)
    before = digest(path)
    for parts in WRITERS:
        result = run_cli(*command(parts, path, out), setup=read_only(folder))
        assert result.returncode == 2, (parts, result.stdout, result.stderr)
        error = one_line_error(result)
        assert "beschadigd" not in error, parts
        assert "beschreven" in error or "alleen-lezen" in error or "back-up" in error, error
    assert digest(path) == before and listing(folder) == ["merlet.sqlite"]


@pytest.mark.parametrize("how", ["flag", "flag after the command", "environment", "ini"])
def test_read_only_mode_refuses_every_writing_command(demo, tmp_path, monkeypatch, how, capsys):
    folder, path, out = place(demo, tmp_path, wal_at_rest=False)
    before = digest(path)
    prefix, suffix = [], []
    if how == "flag":
        prefix = ["--read-only"]
    elif how == "flag after the command":
        suffix = ["--read-only"]
    elif how == "environment":
        monkeypatch.setenv("MERLET_DESK_READ_ONLY", "1")
    else:
        ini = tmp_path / "merlet-desk.ini"
        ini.write_text("[merlet-desk]\nread_only = 1\n", encoding="utf-8")
        monkeypatch.setattr(location, "ini_path", lambda: ini)
    for parts in [*WRITERS, ["init"]]:
        target = path if parts != ["init"] else folder / "nieuw.sqlite"
        if parts == ["init"] and how == "flag after the command":
            continue  # `init --read-only` is not an option there: nothing to test
        code = main([*prefix, *command(parts, target, out), *suffix])
        assert code == 2, (how, parts)
        err = capsys.readouterr().err
        assert "Alleen-lezen" in err and "niet uitgevoerd" in err, err
    for parts in READERS:  # reading still works, and creates nothing
        assert main([*prefix, *command(parts, path, out), *suffix]) in (0, 1), parts
    assert digest(path) == before
    assert listing(folder) == ["merlet.sqlite"]


@pytest.mark.parametrize("wal_at_rest", [False, True], ids=["rollback", "wal-at-rest"])
def test_the_gui_in_read_only_mode_creates_no_file_beside_the_database(demo, tmp_path, wal_at_rest):
    folder, path, _ = place(demo, tmp_path, wal_at_rest=wal_at_rest)
    before = digest(path)
    result = run_cli("--read-only", "--db", path, "--quit-after-show")
    assert result.returncode == 0, result.stderr
    assert listing(folder) == ["merlet.sqlite"]
    assert digest(path) == before


def test_a_wal_with_changes_but_no_shm_gets_its_own_message(demo, tmp_path, capsys):
    folder, path, out = place(demo, tmp_path, wal_at_rest=True)
    writer = sqlite.connect(path)
    writer.execute("INSERT INTO settings VALUES ('test.wal', '1')")  # committed into the -wal
    writer.commit()
    copy = tmp_path / "kopie"
    copy.mkdir()
    shutil.copy(path, copy / path.name)
    shutil.copy(folder / (path.name + "-wal"), copy / (path.name + "-wal"))
    writer.close()
    files = listing(copy)
    assert main(["--read-only", "cases", "--db", str(copy / path.name)]) == 2
    err = capsys.readouterr().err
    assert "-shm" in err and "beschadigd" not in err
    assert listing(copy) == files


def test_a_half_finished_write_in_read_only_mode_gets_its_own_message(demo, tmp_path, capsys):
    folder, path, out = place(demo, tmp_path, wal_at_rest=False)
    conn = sqlite.connect(path, isolation_level=None)
    conn.execute("PRAGMA cache_size = 1")
    conn.execute("BEGIN")
    conn.execute("CREATE TABLE ballast (x)")
    conn.execute(
        "INSERT INTO ballast SELECT randomblob(4000) FROM (WITH RECURSIVE r(i) AS "
        "(SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 300) SELECT i FROM r)"
    )
    stuck = tmp_path / "vast"
    stuck.mkdir()
    shutil.copy(path, stuck / path.name)  # as a crash leaves it: the file and its hot journal
    shutil.copy(folder / (path.name + "-journal"), stuck / (path.name + "-journal"))
    conn.execute("ROLLBACK")
    conn.close()
    before = digest(stuck / path.name)
    assert main(["--read-only", "cases", "--db", str(stuck / path.name)]) == 2
    err = capsys.readouterr().err
    assert "-journal" in err and "halverwege" in err and "beschadigd" not in err
    assert digest(stuck / path.name) == before


def test_a_lock_held_elsewhere_is_busy_not_damaged(demo, tmp_path, capsys, monkeypatch):
    from merlet_desk.store import connection

    folder, path, out = place(demo, tmp_path, wal_at_rest=False)
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 100)
    holder = sqlite.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        assert main(["import-pupils", str(out / "ok.csv"), "--db", str(path)]) == 2
        err = capsys.readouterr().err
        assert "bezet" in err and "bezig" in err and "beschadigd" not in err
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@pytest.mark.skipif(
    sys.platform != "linux" or os.geteuid() != 0 or shutil.which("setpriv") is None,
    reason="runs the program as user nobody (needs root and setpriv)",
)
def test_permission_denied_is_not_damage(demo):
    base = Path(tempfile.mkdtemp(prefix="merlet-rechten-"))
    try:
        os.chmod(base, 0o755)
        path = base / "merlet.sqlite"
        shutil.copy(demo, path)
        os.chmod(path, 0o600)  # root's; nobody may not read it
        argv = [sys.executable, "-m", "merlet_desk", "cases", "--db", str(path)]
        result = subprocess.run(
            ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *argv],
            capture_output=True,
            text=True,
            env={**os.environ, "HOME": str(base)},
            timeout=120,
        )
        assert result.returncode == 2
        error = one_line_error(result)
        assert "toestemming" in error and "beschadigd" not in error
    finally:
        shutil.rmtree(base)
