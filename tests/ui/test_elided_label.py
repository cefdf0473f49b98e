"""`ElidedLabel`: a text that fits is shown whole, a longer one with "…" in the middle, also
when it was set while the label was hidden (it is elided when shown, not at setText)."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from merlet_desk.ui.common.widgets import ElidedLabel

LONG = "/home/Zofia Łęcka/Documenten/<Merlet> & co/" + "map/" * 40 + "register.sqlite"


def shown_in(qtbot, text: str, *, set_while_hidden: bool) -> tuple[QWidget, ElidedLabel]:
    holder = QWidget()
    qtbot.addWidget(holder)
    label = ElidedLabel()
    QVBoxLayout(holder).addWidget(label)
    holder.resize(300, 60)
    if set_while_hidden:
        label.setText(text)
    holder.show()
    qtbot.waitExposed(holder)
    if not set_while_hidden:
        label.setText(text)
    return holder, label


def test_a_text_that_fits_is_shown_whole(qtbot):
    _holder, label = shown_in(qtbot, "Database: Joëlle.sqlite", set_while_hidden=True)
    assert label.text() == "Database: Joëlle.sqlite"
    assert label.toolTip() == "Database: Joëlle.sqlite"


def test_a_long_text_is_elided_in_the_middle_whether_set_before_or_after_showing(qtbot):
    for hidden in (True, False):
        _holder, label = shown_in(qtbot, LONG, set_while_hidden=hidden)
        text = label.text()
        assert "…" in text, hidden
        assert text.startswith("/home/Zofia") and text.endswith("register.sqlite"), hidden
        assert label.fontMetrics().horizontalAdvance(text) <= label.width(), hidden
        assert label.full_text() == LONG
