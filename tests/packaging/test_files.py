"""The packaging helpers: one version number spelled for Debian and Windows, the ini file the
Windows installer writes read back by the program, and the .deb dependency finder."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import pytest

from merlet_desk import __version__
from merlet_desk.store import location

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"packaging_{name}", PACKAGING / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


version = load("version")
deb_depends = load("deb_depends")


def test_one_version_number_everywhere():
    assert version.project_version() == __version__
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert len(re.findall(r'^version = "', text, re.MULTILINE)) == 1


@pytest.mark.parametrize(
    ("pep440", "debian"),
    [
        ("0.1.0", "0.1.0"),
        ("1.2.0rc1", "1.2.0~rc1"),
        ("1.2.0.dev3", "1.2.0~dev3"),
        ("2.0.post1", "2.0+post1"),
    ],
)
def test_debian_version_sorts_pre_releases_first(pep440, debian):
    assert version.debian_version(pep440) == debian


@pytest.mark.parametrize(
    ("pep440", "windows"), [("0.1.0", "0.1.0.0"), ("1.2rc1", "1.2.0.0"), ("3.0.1.post2", "3.0.1.0")]
)
def test_windows_version_has_four_numbers(pep440, windows):
    assert version.windows_version(pep440) == windows


def installer_ini(db_path: str, read_only: bool) -> str:
    """The file packaging/windows/merlet-desk.iss writes, rendered from its own Pascal lines."""
    iss = (PACKAGING / "windows" / "merlet-desk.iss").read_text(encoding="utf-8")
    assert "IniName = 'merlet-desk.ini';" in iss
    section = re.search(r"IniSection = '([^']+)';", iss).group(1)
    lines = dict(re.findall(r"Lines\[(\d)\] := (.+?);\n", iss))
    rendered = []
    for index in sorted(lines):
        expr = lines[index]
        if "IniSection" in expr:
            rendered.append(f"[{section}]")
        elif "DbPath" in expr:
            rendered.append(re.match(r"'([^']*)'", expr).group(1) + db_path)
        elif expr.startswith("'read_only"):
            continue  # the two branches of the if; added below
        else:
            rendered.append(re.match(r"'(.*)'$", expr).group(1))
    value = re.search(r"Lines\[4\] := '(read_only = 1)'", iss).group(1)
    rendered.append(value if read_only else value.replace("1", "0"))
    return "\n".join(rendered) + "\n"


def test_the_program_reads_what_the_windows_installer_writes(install_dir, tmp_path):
    folder = install_dir
    db = tmp_path / "Gedeelde schijf" / "Şükrü & Joëlle" / "merlet-desk.sqlite"
    (folder / "merlet-desk.ini").write_text(installer_ini(str(db), True), encoding="utf-8")
    assert location.resolve_database_path(None) == db
    assert location.read_only_default() is True
    (folder / "merlet-desk.ini").write_text(installer_ini("", False), encoding="utf-8")
    assert location.database_path_and_source(None)[1] == "gebruikersmap"
    assert location.read_only_default() is False


def test_installer_is_per_machine_with_silent_parameters():
    iss = (PACKAGING / "windows" / "merlet-desk.iss").read_text(encoding="utf-8")
    assert "PrivilegesRequired=admin" in iss
    assert "DefaultDirName={autopf}\\Merlet Desk" in iss
    assert "FindCmdParam('DBPATH'" in iss and "FindCmdParam('READONLY'" in iss
    assert '{autoprograms}\\Merlet Desk"; Filename: "{app}\\merlet-desk-gui.exe"' in iss


@pytest.mark.skipif(shutil.which("readelf") is None, reason="binutils not installed")
def test_deb_depends_finds_elf_files_and_their_direct_links(tmp_path):
    (tmp_path / "_internal").mkdir()
    program = tmp_path / "_internal" / "ls"
    shutil.copy(shutil.which("ls"), program)
    (tmp_path / "_internal" / "README.txt").write_text("geen ELF", encoding="utf-8")
    assert deb_depends.elf_files(tmp_path) == [program]
    assert "libc.so.6" in deb_depends.needed(program)


def test_dpkg_path_spellings_cover_usr_merge():
    spellings = deb_depends._spellings("/lib/x86_64-linux-gnu/libxcb.so.1")
    assert "/lib/x86_64-linux-gnu/libxcb.so.1" in spellings
    assert "/usr/lib/x86_64-linux-gnu/libxcb.so.1" in spellings
