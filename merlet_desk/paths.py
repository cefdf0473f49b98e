"""Where the program finds its own files (data/, resources/), in each of the three installs.

- From a source checkout or an editable install (`make install`) they are the repository's
  top-level `data/` and `resources/`, next to the package.
- From a wheel (`pip install .`, pipx) they are inside the package, `merlet_desk/data/` and
  `merlet_desk/resources/` (setup.py maps them there).
- From the PyInstaller bundle they are at the bundle's data folder (`sys._MEIPASS`).
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def find_root(package_dir: Path, frozen_root: str | None) -> Path:
    """The folder holding `data/` and `resources/` for a package at `package_dir`."""
    if frozen_root:
        return Path(frozen_root)
    if (package_dir / "data").is_dir():
        return package_dir
    return package_dir.parent


@cache
def app_root() -> Path:
    """The folder that holds `data/` and `resources/` for this install."""
    return find_root(PACKAGE_DIR, getattr(sys, "_MEIPASS", None))


def data_path(*parts: str) -> Path:
    """A file under `data/` (policy text, letterhead, default purposes)."""
    return app_root().joinpath("data", *parts)


def resource_path(*parts: str) -> Path:
    """A file under `resources/` (icons, fonts, translations)."""
    return app_root().joinpath("resources", *parts)
