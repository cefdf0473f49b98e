"""The Rapporten section. (Built by ui.sections; filled in by that issue.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from merlet_desk.ui.empty_section import EmptySection

if TYPE_CHECKING:
    from merlet_desk.ui.main_window import MainWindow


def build(window: MainWindow) -> QWidget:
    return EmptySection(
        QCoreApplication.translate("sections", "Rapporten"),
        QCoreApplication.translate("sections", "Dit onderdeel (rapporten) is nog in aanbouw."),
    )
