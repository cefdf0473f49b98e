"""Cyclic garbage is collected where it cannot free a widget Qt is working on.

The suite crashed now and then in pytest-qt's teardown (`QBoxLayout::setGeometry` reading
freed memory): a test's section, parentless and kept alive only by a reference cycle, was
freed by an automatic collection that ran inside `FlowLayout.setGeometry` (Python code that
allocates) while Qt was laying that very section out. The child process below builds that
situation on purpose: without the collector of `merlet_desk.ui.common.garbage` it crashes,
with it the section is laid out and then collected from the event loop.
"""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import threading

from merlet_desk.ui.common import garbage, tasks

CHILD = r"""
import gc, os, sys
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QVBoxLayout, QWidget
from merlet_desk.ui.common import garbage
from merlet_desk.ui.common.flow_layout import FlowLayout

app = QApplication([])
if os.environ.get("WITH_COLLECTOR") == "1":
    garbage.install()
gc.collect()
gc.set_threshold(10**9)  # nothing collected while the section is built: it stays young

laid_out = []
original = FlowLayout.setGeometry


def set_geometry(self, rect):
    original(self, rect)
    laid_out.append([[] for _ in range(50)])  # allocating, as Python layout code does


FlowLayout.setGeometry = set_geometry


class Section(QWidget):
    def __init__(self):
        super().__init__()
        outer = QVBoxLayout(self)
        top = FlowLayout()
        for text in ("Nieuw…", "Verwijderen", "Joëlle van den Broek & <Zn>"):
            top.addWidget(QPushButton(text))
        outer.addLayout(top)
        self.note = QLabel("Berkay Öztürk")
        outer.addWidget(self.note)
        self.me = self  # only the cyclic collector can free it


section = Section()
destroyed = []
section.destroyed.connect(lambda: destroyed.append(True))
section.resize(420, 200)
section.show()
app.processEvents()
section.note.setText("Zofia Łęcka, Meryem Boujdaini " * 4)  # a layout pass is now pending
del section
gc.set_threshold(1, 1, 1)  # the next allocation would collect the section
app.processEvents()  # the layout pass: FlowLayout.setGeometry allocates
print("laid out", len(laid_out), flush=True)
if os.environ.get("WITH_COLLECTOR") == "1":
    from PySide6.QtCore import QDeadlineTimer

    deadline = QDeadlineTimer(5000)
    while not destroyed and not deadline.hasExpired():
        app.processEvents()
    print("collected afterwards" if destroyed else "never collected", flush=True)
"""


def run_child(with_collector: bool) -> subprocess.CompletedProcess[str]:
    env = {"QT_QPA_PLATFORM": "offscreen", "WITH_COLLECTOR": "1" if with_collector else "0"}
    return subprocess.run(
        [sys.executable, "-c", CHILD],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_collection_cannot_free_a_section_while_qt_lays_it_out():
    crashed = run_child(with_collector=False)
    # The situation is real: Python's own collector frees the section mid-layout.
    assert crashed.returncode == -signal.SIGSEGV, crashed.stdout + crashed.stderr
    kept = run_child(with_collector=True)
    assert kept.returncode == 0, kept.stdout + kept.stderr
    lines = kept.stdout.splitlines()
    assert lines[0].startswith("laid out ") and int(lines[0].split()[-1]) >= 1
    assert lines[1] == "collected afterwards"


class Marker:
    """Garbage in a cycle that notes in which thread it was collected."""

    def __init__(self, seen: list[str]) -> None:
        self.seen = seen
        self.me = self

    def __del__(self) -> None:
        self.seen.append(threading.current_thread().name)


def test_workers_never_collect_and_the_event_loop_does(qtbot):
    seen: list[str] = []

    def work(progress, cancelled):
        Marker(seen)  # garbage made in the worker...
        return [[] for _ in range(20_000)]  # ...and plenty of allocation there

    task = tasks.submit(work, context=None, on_result=None, name="garbage-test")
    assert task.wait(10)
    assert not gc.isenabled() and garbage.installed()
    assert seen == []  # not collected in the worker
    qtbot.waitUntil(lambda: seen != [], timeout=5000)  # the collector's timer
    assert seen == ["MainThread"]
