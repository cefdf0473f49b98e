"""A real X session for tests that need a window manager: Xvfb with a screen of a given size
and openbox keeping a taskbar's strip free (its `margins`), so a window's
`availableGeometry`, maximising and frame are the window manager's, as on a school laptop."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

needs_x_session = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("Xvfb", "openbox", "xprop")),
    reason="needs Xvfb, openbox and xprop (apt-get install xvfb openbox x11-utils) for a real window manager "
    "with a taskbar; the offscreen platform has neither",
)

OPENBOX_RC = """<?xml version="1.0" encoding="UTF-8"?>
<openbox_config xmlns="http://openbox.org/3.4/rc">
  <margins><top>0</top><bottom>{taskbar}</bottom><left>0</left><right>0</right></margins>
</openbox_config>
"""


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def x_session(folder: Path, width: int, height: int, taskbar: int) -> Iterator[str]:
    """The DISPLAY (":N") of an X server of `width`×`height` with a window manager that
    leaves `taskbar` pixels at the bottom free, as a taskbar does; stopped afterwards."""
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        [
            "Xvfb",
            "-displayfd",
            str(write_end),
            "-screen",
            "0",
            f"{width}x{height}x24",
            "-nolisten",
            "tcp",
        ],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as announced:
        display = ":" + announced.readline().strip()
    rc = folder / "openbox-rc.xml"
    rc.write_text(OPENBOX_RC.format(taskbar=taskbar), encoding="utf-8")
    env = {**os.environ, "DISPLAY": display}
    manager = subprocess.Popen(
        ["openbox", "--config-file", str(rc)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:  # the manager has taken the screen
            area = subprocess.run(
                ["xprop", "-root", "_NET_WORKAREA"], env=env, capture_output=True, text=True
            ).stdout
            if f"{height - taskbar}" in area:
                break
            time.sleep(0.1)
        yield display
    finally:
        _stop(manager)
        _stop(server)
