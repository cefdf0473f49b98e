"""Dialogs sized to the screen they open on, so their buttons are never off-screen.

A school laptop of 1366×768 with a taskbar leaves about 1366×728 for windows (the screen's
`availableGeometry`). A dialog asks for the size it would like; `fit_to_screen` gives it at
most the available area minus room for the title bar and the frame, and lowers its minimum
size to match. Every dialog of the program calls it once, after its layout is built:

    fit_to_screen(self, 1000, 700)
"""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

# The window manager's title bar and frame around the dialog's own area.
FRAME_WIDTH, FRAME_HEIGHT = 16, 48


def widget_screen(widget: QWidget | None = None) -> QScreen:
    """The screen a widget's window is on: that window's (or, for a dialog not shown yet, its
    parent window's), else the screen under it, else the primary screen.

    Never `QWidget.screen()`: PySide6 ties the QScreen wrapper it returns to the widget, and
    when a dialog that asked was collected the screen's wrapper went with it; the window
    crashed in Qt on the screen afterwards (painting, saving its geometry)."""
    for owner in (widget, widget.parentWidget() if widget is not None else None):
        handle = owner.window().windowHandle() if owner is not None else None
        if handle is not None and handle.screen() is not None:
            return handle.screen()
    if widget is not None:
        under = QGuiApplication.screenAt(widget.window().geometry().center())
        if under is not None:
            return under
    return QGuiApplication.primaryScreen()


def available_area(widget: QWidget | None = None) -> QRect:
    """The part of the widget's screen that windows may use (without the taskbar)."""
    return widget_screen(widget).availableGeometry()


def fit_to_screen(dialog: QWidget, width: int, height: int) -> None:
    """Resize `dialog` to `width`×`height`, or to what the screen has room for; a minimum
    size larger than the room is lowered to it."""
    area = available_area(dialog)
    room_width = max(area.width() - FRAME_WIDTH, 320)
    room_height = max(area.height() - FRAME_HEIGHT, 240)
    dialog.setMinimumSize(
        min(dialog.minimumWidth(), room_width), min(dialog.minimumHeight(), room_height)
    )
    dialog.resize(min(width, room_width), min(height, room_height))


# The main window's size on a first start (no saved geometry), with room around it on a
# large screen; a screen with less room than this plus the frame gets it maximised, so the
# status bar and the window's own buttons are never under a taskbar or off the screen.
WINDOW_WIDTH, WINDOW_HEIGHT = 1180, 760


def first_window_size(area: QRect) -> tuple[int, int, bool]:
    """(width, height, maximised) of the main window on a first start in `area` (the screen's
    room for windows): the usual size where it fits with its frame, otherwise maximised, with
    a size within the area for when the officer un-maximises it."""
    room_width, room_height = area.width() - FRAME_WIDTH, area.height() - FRAME_HEIGHT
    fits = room_width >= WINDOW_WIDTH and room_height >= WINDOW_HEIGHT
    return min(WINDOW_WIDTH, room_width), min(WINDOW_HEIGHT, room_height), not fits
