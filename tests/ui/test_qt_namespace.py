"""The stand-in for PySide6's Qt namespace (ui/common/qt_namespace.py): importing it builds
nothing, each name is Qt's own, and the role numbers are Qt's."""

from __future__ import annotations

import json
import subprocess
import sys

from PySide6.QtCore import Qt as RealQt

from merlet_desk.ui.common import qt_namespace


def test_the_role_numbers_are_qts():
    assert qt_namespace.DISPLAY_ROLE == RealQt.ItemDataRole.DisplayRole.value
    assert qt_namespace.USER_ROLE == RealQt.ItemDataRole.UserRole.value


def test_a_name_of_the_stand_in_is_the_real_one():
    assert qt_namespace.Qt.AlignmentFlag is RealQt.AlignmentFlag
    assert qt_namespace.Qt.SortOrder.DescendingOrder is RealQt.SortOrder.DescendingOrder


PROBE = """
import json, sys
import PySide6.QtCore
from merlet_desk.ui.common import qt_namespace, rows, sorting
from merlet_desk.ui.consent import model
built_on_import = "Qt" in vars(PySide6.QtCore)
orientation = qt_namespace.Qt.Orientation.Horizontal
print(json.dumps([built_on_import, "Qt" in vars(PySide6.QtCore), orientation.name]))
"""


def test_importing_the_register_model_builds_no_qt_namespace_and_using_a_name_does():
    """In a fresh process: the register's model and the generic row model import without
    PySide6 building its Qt namespace; the first name used builds it."""
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == [False, True, "Horizontal"]
