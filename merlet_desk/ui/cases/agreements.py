"""The agreements of the policy an incident concerns: one check box per agreement (its number
and short title, the whole text in the tooltip) and, below them, a link per ticked agreement
that opens it in the policy."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QCheckBox, QVBoxLayout, QWidget

from merlet_desk.domain.cases import AGREEMENT_MAX, AGREEMENT_MIN
from merlet_desk.domain.policy import agreement_titles
from merlet_desk.ui.cases.widgets import plain_tooltip
from merlet_desk.ui.common.widgets import link_label


def _tr(text: str) -> str:
    """Translated in the editor's context, where these texts were written."""
    return QCoreApplication.translate("CaseEditor", text)


class AgreementPicker(QWidget):
    """`boxes` by agreement number; `links` opens a ticked agreement through `open_agreement`.
    Emits `changed` when a box is ticked or cleared."""

    changed = Signal()

    def __init__(
        self,
        texts: dict[int, str],
        open_agreement: Callable[[int], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._open_agreement = open_agreement
        grid = QVBoxLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(2)
        self.boxes: dict[int, QCheckBox] = {}
        titles = agreement_titles()
        for number in range(AGREEMENT_MIN, AGREEMENT_MAX + 1):
            # The number and the agreement's short title, the whole text in the tooltip.
            box = QCheckBox(f"{number} {titles.get(number, '')}".strip())
            box.setToolTip(plain_tooltip(texts.get(number, "")))
            box.setAccessibleName(_tr("Afspraak %1").replace("%1", str(number)))
            box.toggled.connect(self._toggled)
            self.boxes[number] = box
            grid.addWidget(box)  # one per line: a list to scan
        self.links = link_label()  # Tab to a link, Enter opens it
        self.links.linkActivated.connect(self._link_activated)
        grid.addWidget(self.links)

    def checked(self) -> list[int]:
        return [n for n, box in self.boxes.items() if box.isChecked()]

    def set_checked(self, numbers: Iterable[int]) -> None:
        chosen = set(numbers)
        for number, box in self.boxes.items():
            box.setChecked(number in chosen)
        self._toggled()

    def set_read_only(self, read_only: bool) -> None:
        """Read-only: the boxes stay as they are, the links still open the policy."""
        for box in self.boxes.values():
            box.setEnabled(not read_only)

    def _toggled(self) -> None:
        numbers = self.checked()
        if numbers:
            links = ", ".join(
                f'<a href="{n}">{_tr("afspraak %1").replace("%1", str(n))}</a>' for n in numbers
            )
            self.links.setText(_tr("Lees in het beleid: ") + links)
        else:
            self.links.setText(
                _tr("Vink de afspraken aan; daarna kunt u ze hier openen in het beleid.")
            )
        self.changed.emit()

    def _link_activated(self, href: str) -> None:
        self._open_agreement(int(href))
