"""`after_paint` (ui/common/after_paint.py): a call waits for the repaint that is due, and
is dropped with the widget it belongs to."""

from __future__ import annotations

from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QLabel

from merlet_desk.ui.common.after_paint import after_paint


class _Label(QLabel):
    def __init__(self, text: str, seen: list[str]) -> None:
        super().__init__(text)
        self.seen = seen

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        self.seen.append("paint")
        super().paintEvent(event)


def test_the_call_comes_after_the_paint_that_was_due(qtbot):
    """As at start-up: a window already on screen changes what it shows (the section is
    built), then the call is posted; the changed window is painted before it runs."""
    seen: list[str] = []
    label = _Label("Berkay Öztürk", seen)
    qtbot.addWidget(label)
    label.show()
    qtbot.waitUntil(lambda: "paint" in seen)
    seen.clear()
    label.setText("Zofia Łęcka <b> & Joëlle van den Broek")
    after_paint(label, lambda: seen.append("call"))
    qtbot.waitUntil(lambda: "call" in seen)
    assert seen[:2] == ["paint", "call"]


def test_the_call_is_dropped_with_its_widget(qtbot):
    seen: list[str] = []
    label = _Label("Meryem Boujdaini", seen)
    after_paint(label, lambda: seen.append("call"))
    label.deleteLater()
    marker = QLabel()
    qtbot.addWidget(marker)
    after_paint(marker, lambda: seen.append("later"))
    qtbot.waitUntil(lambda: "later" in seen)
    assert "call" not in seen
