"""Where an installed Merlet Desk finds its database: --db > MERLET_DESK_DB > merlet-desk.ini
next to the executable > the user's data folder; and read-only mode from the ini or env."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from merlet_desk.cli import main
from merlet_desk.errors import InputError
from merlet_desk.store import location


def write_ini(folder: Path, body: str, encoding: str = "utf-8") -> Path:
    ini = folder / "merlet-desk.ini"
    ini.write_text(body, encoding=encoding)
    return ini


def test_from_source_there_is_no_ini_and_the_user_folder_is_used(monkeypatch):
    monkeypatch.delattr(sys, "frozen", raising=False)
    monkeypatch.delenv(location.ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", "/home/joelle/.local/share")
    assert location.ini_path() is None
    assert location.database_path_and_source(None) == (
        Path("/home/joelle/.local/share/Merlet Desk/merlet-desk.sqlite"),
        "gebruikersmap",
    )


def test_frozen_ini_lives_next_to_the_executable(install_dir):
    assert location.ini_path() == install_dir.resolve() / "merlet-desk.ini"


def test_ini_database_beats_the_user_folder(install_dir, tmp_path):
    shared = tmp_path / "S-schijf" / "Communicatie" / "merlet-desk.sqlite"
    ini = write_ini(install_dir, f"[merlet-desk]\ndatabase = {shared}\n")
    assert location.database_path_and_source(None) == (shared, str(ini.resolve()))
    assert location.resolve_database_path(None) == shared
    assert location.default_database_path() == shared


def test_env_beats_ini_and_db_beats_env(install_dir, tmp_path, monkeypatch):
    write_ini(install_dir, f"[merlet-desk]\ndatabase = {tmp_path / 'ini.sqlite'}\n")
    monkeypatch.setenv(location.ENV_VAR, str(tmp_path / "env.sqlite"))
    assert location.database_path_and_source(None) == (tmp_path / "env.sqlite", "MERLET_DESK_DB")
    assert location.resolve_database_path(tmp_path / "cli.sqlite") == tmp_path / "cli.sqlite"
    assert location.database_path_and_source(str(tmp_path / "cli.sqlite"))[1] == "--db"


def test_blank_env_and_blank_ini_value_fall_through(install_dir, monkeypatch):
    write_ini(install_dir, "[merlet-desk]\ndatabase =\nread_only = 0\n")
    monkeypatch.setenv(location.ENV_VAR, "  ")
    path, source = location.database_path_and_source(None)
    assert source == "gebruikersmap"
    assert path == location.user_default_path()


def test_relative_ini_path_is_relative_to_the_ini_folder(install_dir):
    write_ini(install_dir, "[merlet-desk]\ndatabase = gegevens/merlet-desk.sqlite\n")
    assert location.resolve_database_path(None) == (
        install_dir.resolve() / "gegevens" / "merlet-desk.sqlite"
    )


def test_ini_written_by_inno_setup_with_bom_and_non_ascii_path(install_dir, tmp_path):
    target = tmp_path / "Zofia Łęcka" / "Şükrü's map" / "merlet-desk.sqlite"
    write_ini(install_dir, f"[merlet-desk]\r\ndatabase={target}\r\n", encoding="utf-8-sig")
    assert location.resolve_database_path(None) == target


def test_ini_in_utf16_from_notepad(install_dir, tmp_path):
    target = tmp_path / "Joëlle" / "merlet-desk.sqlite"
    write_ini(install_dir, f"[merlet-desk]\ndatabase = {target}\n", encoding="utf-16")
    assert location.resolve_database_path(None) == target


def test_ini_without_our_section_is_ignored(install_dir):
    write_ini(install_dir, "[iets-anders]\ndatabase = X:/elders.sqlite\n")
    assert location.database_path_and_source(None)[1] == "gebruikersmap"


def test_broken_ini_is_an_error_not_a_silent_private_database(install_dir):
    write_ini(install_dir, "database = zonder sectie\n")
    with pytest.raises(InputError, match="merlet-desk.ini is niet te lezen"):
        location.resolve_database_path(None)


def test_cli_init_uses_the_ini_database(install_dir, tmp_path, capsys):
    target = tmp_path / "gedeeld" / "merlet-desk.sqlite"
    target.parent.mkdir()
    write_ini(install_dir, f"[merlet-desk]\ndatabase = {target}\n")
    assert main(["init"]) == 0
    assert target.exists()
    assert str(target) in capsys.readouterr().out


def test_cli_reports_a_broken_ini_in_one_line(install_dir, capsys):
    write_ini(install_dir, "[merlet-desk\ndatabase = x\n")
    assert main(["init"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("merlet-desk: ") and "merlet-desk.ini" in err
    assert "Traceback" not in err


# --- read-only -----------------------------------------------------------------------------


def test_read_only_is_off_without_ini_or_env(install_dir):
    assert location.read_only_default() is False


@pytest.mark.parametrize("value", ["1", "true", "yes", "Ja", "on"])
def test_read_only_from_ini(install_dir, value):
    write_ini(install_dir, f"[merlet-desk]\nread_only = {value}\n")
    assert location.read_only_default() is True


@pytest.mark.parametrize("value", ["0", "false", "nee", ""])
def test_read_only_off_in_ini(install_dir, value):
    write_ini(install_dir, f"[merlet-desk]\nread_only = {value}\n")
    assert location.read_only_default() is False


def test_read_only_from_env(install_dir, monkeypatch):
    monkeypatch.setenv(location.READ_ONLY_ENV_VAR, "1")
    assert location.read_only_default() is True


def test_env_cannot_switch_off_a_read_only_ini(install_dir, monkeypatch):
    write_ini(install_dir, "[merlet-desk]\nread_only = 1\n")
    monkeypatch.setenv(location.READ_ONLY_ENV_VAR, "0")
    assert location.read_only_default() is True


def test_unreadable_read_only_value_means_read_only(install_dir, capsys):
    write_ini(install_dir, "[merlet-desk]\nread_only = misschien\n")
    assert location.read_only_default() is True
    assert "alleen-lezen aangenomen" in capsys.readouterr().err
