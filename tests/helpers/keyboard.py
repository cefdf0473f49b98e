"""Typing as a user does: keys go to the window, and Qt delivers them the way a real session
does (to an open suggestion list first, then to the widget with the focus, then up to the
dialog's default button when nobody takes them). `qtbot.keyClick(widget, ...)` hands a key to
one widget directly and skips exactly the routing that decides whether Enter reaches a
dialog's Opslaan."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

__all__ = ["press_key", "type_text"]


def _window_of(widget: QWidget):
    handle = widget.window().windowHandle()
    assert handle is not None, "the widget's window is not shown"
    return handle


def type_text(widget: QWidget, text: str) -> None:
    """Type `text` into the window of `widget` (whatever has the focus there gets it)."""
    handle = _window_of(widget)
    for char in text:
        QTest.keyClick(handle, char)
    QApplication.processEvents()


def press_key(
    widget: QWidget,
    key: Qt.Key,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    """Press one key (Enter, an arrow) in the window of `widget`."""
    QTest.keyClick(_window_of(widget), key, modifier)
    QApplication.processEvents()
