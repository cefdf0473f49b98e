"""How a consent state looks on screen: its colours, symbol, label and reason, and the small
tile that shows it. Shared by the register, the publication check and the publish dialog."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QWidget

from merlet_desk.domain import consent as rules

# Fill and text colour per state. The symbol carries the meaning; the colours differ in
# lightness as well as hue, so a greyscale print still separates "yes" from "no".
STATE_COLOURS: dict[str, tuple[str, str]] = {
    rules.ALLOWED: ("#b7e1b9", "#0f3d14"),
    rules.ALLOWED_TURNED_16: ("#fff3a6", "#4d3b00"),
    rules.REFUSED: ("#c62828", "#ffffff"),
    rules.WITHDRAWN: ("#6a1b9a", "#ffffff"),
    rules.EXPIRED: ("#f5b971", "#4a2600"),
    rules.NO_RECORD: ("#e6e8eb", "#3c4650"),
    rules.ASK_PUPIL: ("#8ec5f2", "#0b2e4f"),
}


def tr_consent(text: str) -> str:
    """Translate a Dutch source label from the domain (STATE_LABELS, REASON_LABELS, ...)."""
    return QCoreApplication.translate("consent", text)


def state_label(state: str) -> str:
    return tr_consent(rules.STATE_LABELS.get(state, state))


def status_label(status: rules.Status) -> str:
    """The label of a status in the window's language (`Status.label_in`)."""
    return status.label_in(tr_consent)


def state_symbol(state: str) -> str:
    """The state's symbol, the same on screen as on paper (domain.consent.STATE_SYMBOLS)."""
    return rules.STATE_SYMBOLS.get(state, "?")


def reason_text(status: rules.Status) -> str:
    return tr_consent(rules.REASON_LABELS.get(status.reason or "", status.reason or ""))


def status_chip(state: str, parent: QWidget | None = None) -> QLabel:
    """A small tile with the symbol in the state's colours (as in the grid)."""
    fill, ink = STATE_COLOURS.get(state, STATE_COLOURS[rules.NO_RECORD])
    chip = QLabel(state_symbol(state), parent)
    chip.setProperty("alignment", "AlignCenter")  # by name: see ui/common/qt_namespace.py
    chip.setFixedSize(34, 22)
    chip.setStyleSheet(
        f"background:{fill}; color:{ink}; font-weight:bold; border:1px solid #8a96a3;"
    )
    chip.setAccessibleName(state_label(state))
    return chip
