"""`FlowLayout` keeps its rows per width until Qt invalidates it: what it shows still follows
a button whose text grows, a widget hidden or shown, and a narrower window."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from merlet_desk.ui.common.flow_layout import FlowLayout


def laid_out(qtbot, width: int) -> tuple[QWidget, list[QPushButton]]:
    holder = QWidget()
    qtbot.addWidget(holder)
    outer = QVBoxLayout(holder)
    outer.setContentsMargins(0, 0, 0, 0)
    flow = FlowLayout()
    buttons = [QPushButton(text) for text in ("Joëlle", "Berkay", "Zofia")]
    for button in buttons:
        flow.addWidget(button)
    outer.addLayout(flow)
    outer.addStretch(1)
    holder.resize(width, 300)
    holder.show()
    qtbot.waitExposed(holder)
    return holder, buttons


def rows(buttons: list[QPushButton]) -> list[list[str]]:
    """The texts of the buttons shown, row by row (buttons of a row share their top)."""
    by_top: dict[int, list[str]] = {}
    for button in sorted((b for b in buttons if b.isVisible()), key=lambda b: (b.y(), b.x())):
        by_top.setdefault(button.y(), []).append(button.text())
    return list(by_top.values())


def settle(qtbot, holder: QWidget) -> None:
    qtbot.wait(1)  # the layout request Qt posted
    holder.layout().activate()


def test_a_grown_button_moves_to_the_next_row_and_a_hidden_one_gives_its_place(qtbot):
    holder, buttons = laid_out(qtbot, 600)
    assert rows(buttons) == [["Joëlle", "Berkay", "Zofia"]]

    buttons[1].setText("Berkay Öztürk & <Meryem Boujdaini> " * 3)
    settle(qtbot, holder)
    assert rows(buttons) == [["Joëlle"], [buttons[1].text()], ["Zofia"]]

    buttons[1].hide()
    settle(qtbot, holder)
    assert rows(buttons) == [["Joëlle", "Zofia"]]


def test_a_narrower_window_wraps_and_a_wider_one_unwraps(qtbot):
    holder, buttons = laid_out(qtbot, 600)
    narrow = max(b.sizeHint().width() for b in buttons) + 10
    holder.resize(narrow, 300)
    settle(qtbot, holder)
    assert rows(buttons) == [["Joëlle"], ["Berkay"], ["Zofia"]]
    assert buttons[2].geometry().bottom() < holder.height()

    holder.resize(600, 300)
    settle(qtbot, holder)
    assert rows(buttons) == [["Joëlle", "Berkay", "Zofia"]]
