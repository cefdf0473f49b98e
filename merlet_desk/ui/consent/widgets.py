"""The register's legend: what each symbol and colour means. (The date field and the pupil
picker, which other sections use too, are in ui/common/widgets.py.)"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from merlet_desk.domain import consent as rules
from merlet_desk.ui.common.consent_states import state_label, state_symbol, status_chip
from merlet_desk.ui.common.flow_layout import WrapLayout


class Legend(QFrame):
    """What each symbol and colour in the register means (always on screen); the entries wrap
    onto more rows on a narrow window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("consentLegend")
        self.setStyleSheet("#consentLegend { background:#f6f8fa; border:1px solid #d5dbe1; }")
        # A WrapLayout (see its docstring): the register above takes the spare height.
        layout = WrapLayout(self, spacing=14, row_spacing=4)
        layout.setContentsMargins(8, 6, 8, 6)
        title = QLabel(self.tr("Betekenis:"))
        title.setStyleSheet("font-weight:600; color:#1f3a5f;")
        layout.addWidget(title)
        self.labels: dict[str, QLabel] = {}
        for state in rules.STATES:
            cell = QWidget()
            cell_layout = QHBoxLayout(cell)
            cell_layout.setContentsMargins(0, 0, 0, 0)
            cell_layout.setSpacing(6)
            cell_layout.addWidget(status_chip(state))
            text = QLabel(state_label(state))
            self.labels[state] = text
            cell_layout.addWidget(text)
            layout.addWidget(cell)

    def text(self) -> str:
        return "\n".join(f"{state_symbol(s)} {label.text()}" for s, label in self.labels.items())
