"""Every dialog fits a school laptop (issue 15): on a screen whose available area is 1366×728
(1366×768 minus the taskbar) each dialog, with its title bar and frame, lies within the area,
can shrink to it, and shows every label and button whole at that size."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect

from merlet_desk.demo import fill_demo
from merlet_desk.ui.common import screen
from tests.helpers import all_dialogs, cut_widgets, open_window, screenshot

AREA = QRect(0, 0, 1366, 728)


@pytest.fixture
def laptop(monkeypatch):
    monkeypatch.setattr(screen, "available_area", lambda widget=None: QRect(AREA))


@pytest.fixture
def demo(db):
    fill_demo(db, 150)
    return db


def test_every_dialog_fits_1366_by_728(qtbot, laptop, demo, db_path):
    window = open_window(qtbot, demo, db_path, show=False)
    problems = []
    for name, build in all_dialogs(demo, window):
        dialog = build()
        qtbot.addWidget(dialog)
        dialog.open()
        qtbot.waitExposed(dialog)
        outer = dialog.size().grownBy(screen_frame())
        least = dialog.minimumSizeHint().expandedTo(dialog.minimumSize()).grownBy(screen_frame())
        if outer.width() > AREA.width() or outer.height() > AREA.height():
            problems.append(f"{name}: {outer.width()}x{outer.height()} with its frame")
        if least.width() > AREA.width() or least.height() > AREA.height():
            problems.append(f"{name}: cannot shrink below {least.width()}x{least.height()}")
        problems += [f"{name}: {line}" for line in cut_widgets(dialog)]
        screenshot(dialog, db_path.parent / f"dialoog-{name}.png")
        dialog.close()
    assert not problems, "\n".join(problems)


def screen_frame():
    from PySide6.QtCore import QMargins

    return QMargins(0, 0, screen.FRAME_WIDTH, screen.FRAME_HEIGHT)


def test_a_fitted_dialog_that_is_collected_leaves_the_screen_alone(qtbot):
    """Fitting asks which screen the dialog is on. PySide6's `QWidget.screen()` ties the
    screen's wrapper to the widget, and a dialog collected later took the screen's wrapper
    with it: the main window then crashed in Qt on its screen (painting, saving its
    geometry at close)."""
    import gc

    import shiboken6
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QDialog, QMainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    primary = QGuiApplication.primaryScreen()
    for parent in (None, window):
        dialog = QDialog(parent)
        dialog.cycle = dialog  # kept only by a cycle, as a dialog with connected lambdas is
        screen.fit_to_screen(dialog, 800, 600)
        dialog.setParent(None)
        del dialog
        gc.collect()
        assert shiboken6.isValid(primary)
    assert window.saveGeometry()
