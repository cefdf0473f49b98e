"""PySide6 without its scan of each module's source (ui/pyside_start.py): the window's
start-up skips it, and every module still gets PySide6's default (no `__feature__`)."""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = """
import inspect, sys
from merlet_desk.ui import pyside_start

print(pyside_start.skip_source_scan())
feature = sys.modules[pyside_start.FEATURE_MODULE]
read = []
real = inspect.getsource
inspect.getsource = lambda obj: read.append(obj.__name__) or real(obj)
import fractions, merlet_desk.domain.text
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel("Zofia Łęcka <b>&</b>")
print(read, feature.pyside_feature_dict.get("fractions"), label.text())
"""


def test_the_start_reads_no_module_source_for_pyside():
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    ).stdout
    assert out.splitlines() == ["True", "[] 0 Zofia Łęcka <b>&</b>"]
