"""The first window fits the screen it opens on: without saved settings it is sized from the
screen's room for windows (maximised on a laptop), so at 1024×700 and 1366×768 with a 40 px
taskbar no part of it, its status bar or "Zo begint u" lies outside the screen or under the
taskbar. The window is opened by `run_gui` in a child process, in a real X session with a
window manager (tests/helpers/screen.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from merlet_desk.store import open_database
from tests.helpers.screen import needs_x_session, x_session

ROOT = Path(__file__).resolve().parents[2]

# run_gui as `merlet-desk --db FILE` runs it; once the window manager has placed the window
# (and after any resize it asked for), what lies where is printed and the window closed.
PROBE = """
import argparse, json, sys
from PySide6.QtCore import QPoint, QRect, QTimer
from PySide6.QtWidgets import QApplication
from merlet_desk.ui import launch
from tests.helpers.fit import cut_widgets

original = launch.check_after_show

def global_rect(widget):
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())

def report(window):
    area = window.screen().availableGeometry()
    start = window.section("start")
    outside = [
        f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r}"
        for w in [window.statusBar(), window.menuBar(), *start.findChildren(QWidget)]
        if w.isVisible() and not area.contains(global_rect(w))
    ]
    print(json.dumps({
        "area": area.getRect(),
        "frame": window.frameGeometry().getRect(),
        "maximised": window.isMaximized(),
        "outside": outside,
        "cut": cut_widgets(window),
    }))
    window.close()

def check_after_show(window, opened, interactive):
    original(window, opened, interactive)
    QTimer.singleShot(1500, window, lambda: report(window))

from PySide6.QtWidgets import QWidget
launch.check_after_show = check_after_show
sys.exit(launch.run_gui(argparse.Namespace(db=sys.argv[1], read_only=False,
                                           quit_after_show=False)))
"""


def open_first_window(tmp_path, width: int, height: int) -> dict:
    path = tmp_path / "merlet-desk.sqlite"
    open_database(path).close()
    with x_session(tmp_path, width, height, taskbar=40) as display:
        env = {
            **os.environ,
            "DISPLAY": display,
            "QT_QPA_PLATFORM": "xcb",
            "XDG_CONFIG_HOME": str(tmp_path / "config"),  # no saved window geometry
            "PYTHONPATH": str(ROOT),
        }
        done = subprocess.run(
            [sys.executable, "-c", PROBE, str(path)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@needs_x_session
@pytest.mark.parametrize("size", [(1024, 700), (1366, 768)], ids=["1024x700", "1366x768"])
def test_the_first_window_lies_within_the_screen_above_the_taskbar(tmp_path, size):
    width, height = size
    seen = open_first_window(tmp_path, width, height)
    x, y, area_width, area_height = seen["area"]
    assert (x, y, area_width, area_height) == (0, 0, width, height - 40)
    assert seen["outside"] == []
    left, top, frame_width, frame_height = seen["frame"]
    assert left >= 0 and top >= 0
    assert left + frame_width <= area_width and top + frame_height <= area_height
    assert seen["cut"] == []
    assert seen["maximised"]


@needs_x_session
def test_on_a_large_screen_the_first_window_has_room_around_it(tmp_path):
    seen = open_first_window(tmp_path, 1920, 1080)
    left, top, frame_width, frame_height = seen["frame"]
    assert not seen["maximised"]
    assert 1180 <= frame_width < 1920 and 760 <= frame_height < 1040
    assert left > 0 and top > 0 and left + frame_width < 1920 and top + frame_height < 1040
    assert seen["outside"] == [] and seen["cut"] == []
