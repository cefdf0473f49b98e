"""The register's legend: what each symbol and colour means. (The date field and the pupil
picker, which other sections use too, are in ui/common/widgets.py.)"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QWidget,
)

from merlet_desk.domain import consent as rules
from merlet_desk.ui.common.consent_states import state_label, state_symbol, status_chip


class Legend(QFrame):
    """What each symbol and colour in the register means (always on screen)."""

    def __init__(self, parent: QWidget | None = None, columns: int = 4) -> None:
        super().__init__(parent)
        self.setObjectName("consentLegend")
        self.setStyleSheet("#consentLegend { background:#f6f8fa; border:1px solid #d5dbe1; }")
        layout = QGridLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setHorizontalSpacing(6)
        layout.setVerticalSpacing(4)
        title = QLabel(self.tr("Betekenis:"))
        title.setStyleSheet("font-weight:600; color:#1f3a5f;")
        layout.addWidget(title, 0, 0)
        self.labels: dict[str, QLabel] = {}
        for i, state in enumerate(rules.STATES):
            row, col = divmod(i, columns)
            cell = QWidget()
            cell_layout = QHBoxLayout(cell)
            cell_layout.setContentsMargins(0, 0, 12, 0)
            cell_layout.setSpacing(6)
            cell_layout.addWidget(status_chip(state))
            text = QLabel(state_label(state))
            self.labels[state] = text
            cell_layout.addWidget(text)
            cell_layout.addStretch(1)
            layout.addWidget(cell, row, col + 1)
        layout.setColumnStretch(columns + 1, 1)

    def text(self) -> str:
        return "\n".join(f"{state_symbol(s)} {label.text()}" for s, label in self.labels.items())
