"""Where the program finds its own files (data/, resources/), from source and when frozen."""

from __future__ import annotations

import sys
from pathlib import Path


def app_root() -> Path:
    """The folder that holds `data/` and `resources/`.

    From a source checkout (or an editable install) that is the repository root; in a
    PyInstaller bundle it is the bundle's data folder (`sys._MEIPASS`).
    """
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parent.parent


def data_path(*parts: str) -> Path:
    """A file under `data/` (policy text, letterhead, default purposes)."""
    return app_root().joinpath("data", *parts)


def resource_path(*parts: str) -> Path:
    """A file under `resources/` (icons, fonts, translations)."""
    return app_root().joinpath("resources", *parts)
