"""The command line as IT uses it: version, init, opening the GUI and its error exits."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

from merlet_desk.cli import main
from merlet_desk.store import migrations
from tests.helpers import sqlite


def run_cli(*args, env_extra=None):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "merlet_desk", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_version(capsys):
    from merlet_desk import __version__

    try:
        main(["--version"])
    except SystemExit as exc:
        assert exc.code == 0
    assert capsys.readouterr().out.strip() == f"merlet-desk {__version__}"


def test_init_creates_a_valid_database(tmp_path, capsys):
    path = tmp_path / "sub" / "nieuw.sqlite"
    assert main(["init", "--db", str(path)]) == 0
    assert "aangemaakt" in capsys.readouterr().out
    conn = sqlite.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST_VERSION
    assert conn.execute("SELECT count(*) FROM policy_versions").fetchone()[0] == 1


def test_init_demo_refuses_an_existing_file(tmp_path, capsys):
    path = tmp_path / "d.sqlite"
    assert main(["init", "--db", str(path)]) == 0
    assert main(["init", "--db", str(path), "--demo"]) == 2
    assert "bestaat al" in capsys.readouterr().err


def test_quit_after_show_exits_zero_and_leaves_a_valid_database(tmp_path):
    path = tmp_path / "x.sqlite"
    # --db names an existing database: a typo never starts an empty register (issue 13) ...
    result = run_cli("--db", str(path), "--quit-after-show")
    assert result.returncode == 2 and f'merlet-desk init --db "{path}"' in result.stderr
    assert not path.exists()
    # ... the first start at the default location (here IT's MERLET_DESK_DB) makes one.
    result = run_cli("--quit-after-show", env_extra={"MERLET_DESK_DB": str(path)})
    assert result.returncode == 0, result.stderr
    conn = sqlite.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST_VERSION


def test_environment_variable_picks_the_database(tmp_path):
    path = tmp_path / "it.sqlite"
    result = run_cli("--quit-after-show", env_extra={"MERLET_DESK_DB": str(path)})
    assert result.returncode == 0, result.stderr
    assert path.exists()


def test_text_file_exits_2_with_one_line_and_is_untouched(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("Afspraak met Berkay Öztürk & ouders <morgen>\n", encoding="utf-8")
    before = hashlib.sha256(notes.read_bytes()).hexdigest()
    result = run_cli("--db", str(notes), "--quit-after-show")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "geen SQLite-bestand" in lines[0]
    assert "Traceback" not in result.stderr
    assert hashlib.sha256(notes.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_unreadable_folder_exits_2(tmp_path):
    result = run_cli("--db", str(tmp_path), "--quit-after-show")
    assert result.returncode == 2
    assert "map" in result.stderr and "Traceback" not in result.stderr
