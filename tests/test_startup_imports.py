"""What the window's start imports before the first paint (issue 18): none of the heavy
libraries, which load where they are first used, and no CLI subcommand."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("numpy", "cv2", "pandas", "reportlab", "openpyxl", "pypdfium2", "zxing")

PROBE = f"""
import json, sys
from merlet_desk.cli import _gui_arguments
import merlet_desk.ui.launch, merlet_desk.ui.main_window, merlet_desk.ui.start.section
import merlet_desk.store.connection
args = _gui_arguments(["--db", "x.sqlite", "--quit-after-show"])
print(json.dumps({{
    "heavy": sorted(m for m in {HEAVY!r} if m in sys.modules),
    "commands": sorted(m for m in sys.modules if m.startswith("merlet_desk.commands")),
    "gui": args is not None and args.command is None,
}}))
"""


def test_the_gui_path_loads_no_heavy_library_and_no_subcommand():
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    ).stdout
    seen = json.loads(out)
    assert seen == {"heavy": [], "commands": [], "gui": True}


def test_numpy_still_imports_after_the_store():
    """sqlite-utils is imported with numpy hidden (store/sqlite_utils_import.py); numpy itself
    must import normally afterwards, for the paper forms."""
    probe = "import merlet_desk.store, numpy; print(numpy.zeros(3).sum())"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "0.0"
