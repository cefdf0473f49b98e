"""The program's version, read from pyproject.toml: the one place it is written.

    python packaging/version.py          # 0.1.0       (PEP 440, as in pyproject.toml)
    python packaging/version.py --deb    # 0.1.0~rc1   (Debian spelling of a pre-release)
    python packaging/version.py --windows  # 0.1.0.0   (four numbers for Windows file info)

Used by the PyInstaller spec (bundled as package metadata, so `--version` and About show it),
by packaging/build-deb.sh (the .deb's Version and file name) and by the Windows workflow.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def project_version() -> str:
    """`[project] version` from pyproject.toml."""
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["version"]


def debian_version(version: str) -> str:
    """PEP 440 to Debian ordering: pre-releases sort before the release with `~`."""
    version = re.sub(r"\.?(a|b|rc|dev)(\d+)", r"~\1\2", version)
    return re.sub(r"\.?post(\d+)", r"+post\1", version)


def windows_version(version: str) -> str:
    """Four numbers (major.minor.patch.0) for the installer's VersionInfoVersion."""
    release = re.match(r"\d+(?:\.\d+)*", version)
    numbers = [int(n) for n in release.group().split(".")[:3]] if release else []
    return ".".join(str(n) for n in [*numbers, 0, 0, 0][:4])


if __name__ == "__main__":
    v = project_version()
    flag = sys.argv[1] if len(sys.argv) > 1 else ""
    print({"--deb": debian_version, "--windows": windows_version}.get(flag, str)(v))
