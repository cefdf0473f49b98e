"""Does the screen fit: widgets shown smaller than their text needs, sticking out, or drawn
over each other."""

from __future__ import annotations


def cut_widgets(root) -> list[str]:
    """Every label, button, field or tab bar under `root` that is shown smaller than it needs,
    or that sticks out of the window, as "Class 'text': why" lines; empty when all fits.

    Read as a user would see the screen: a widget's size hint is the room its text needs, so a
    label narrower than its hint shows "Toestemmin", a wrapping label lower than its
    height-for-width loses a line, a button narrower than its hint shows "ormulieren invoeren".
    Widgets inside item views and scroll areas (they scroll) and labels that elide on purpose
    (`elides` property) are left out."""
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractScrollArea,
        QComboBox,
        QLabel,
        QLineEdit,
        QTabBar,
        QWidget,
    )

    window = root.window()
    bounds = QRect(QPoint(0, 0), window.size())
    problems = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible() or widget.property("elides"):
            continue
        parent, scrolled = widget.parentWidget(), False
        while parent is not None and parent is not window:
            if isinstance(parent, QAbstractItemView | QAbstractScrollArea):
                scrolled = True
                break
            parent = parent.parentWidget()
        if scrolled:
            continue
        name = type(widget).__name__
        text = getattr(widget, "text", lambda: "")
        label = f"{name} {text()!r}" if callable(text) else name
        size, hint = widget.size(), widget.sizeHint()
        why = ""
        if isinstance(widget, QLabel):
            if widget.wordWrap() and widget.text():
                need = widget.heightForWidth(size.width())
                if size.height() < need:
                    why = f"height {size.height()} < {need} for its lines"
                elif size.width() < widget.minimumSizeHint().width():
                    why = f"width {size.width()} < {widget.minimumSizeHint().width()}"
            elif widget.text() and size.width() < hint.width():
                why = f"width {size.width()} < {hint.width()}"
        elif isinstance(widget, QAbstractButton | QTabBar):
            if size.width() < hint.width():
                why = f"width {size.width()} < {hint.width()}"
        elif isinstance(widget, QComboBox | QLineEdit):
            least = widget.minimumSizeHint()
            if size.width() < least.width():
                why = f"width {size.width()} < {least.width()}"
        if not why and isinstance(widget, QLabel | QAbstractButton | QComboBox | QLineEdit):
            place = QRect(widget.mapTo(window, QPoint(0, 0)), size)
            if size.width() > 0 and not bounds.contains(place):
                why = f"outside the window: {place.getRect()} in {bounds.getRect()}"
        if not why and isinstance(widget, QLabel | QAbstractButton | QComboBox | QLineEdit):
            why = _overlap(widget)
        if why:
            problems.append(f"{label}: {why}")
    return problems


def _overlap(widget) -> str:
    """A visible sibling in the same layout drawn over `widget` (a squeezed column of parts)."""
    from PySide6.QtWidgets import QWidget

    parent = widget.parentWidget()
    if parent is None or parent.layout() is None:
        return ""
    place = widget.geometry()
    for sibling in parent.findChildren(QWidget, options=Qt_direct()):
        if sibling is widget or not sibling.isVisible() or sibling.isWindow():
            continue
        if parent.layout().indexOf(sibling) < 0:
            continue
        shared = place.intersected(sibling.geometry())
        if shared.width() > 2 and shared.height() > 2:
            text = getattr(sibling, "text", None)
            shown = repr(text()) if callable(text) else ""
            return f"overlaps {type(sibling).__name__} {shown}".rstrip()
    return ""


def Qt_direct():  # noqa: N802
    from PySide6.QtCore import Qt

    return Qt.FindChildOption.FindDirectChildrenOnly
