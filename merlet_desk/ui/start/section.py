"""The start screen: what needs attention today, with a button to each place that handles it.

Publications to take down come first (a withdrawal must be acted on), then the consent
reminders and the open cases. What is counted lives in `store.attention`; the counts are read
on worker threads with their own read-only connections each time the screen is shown, and
appear when they arrive, so the window paints and answers input first (issue 18).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from merlet_desk import clock
from merlet_desk.domain.dates import format_date
from merlet_desk.errors import InputError
from merlet_desk.store.attention import (
    Attention,
    ConsentCounts,
    Urgent,
    read_consent_counts,
    read_urgent,
)
from merlet_desk.store.errors import StoreError

if TYPE_CHECKING:
    from merlet_desk.ui.main_window import MainWindow

CARD_STYLE = """
QFrame#card { background: #ffffff; border: 1px solid #c9d3df; border-radius: 6px; }
QFrame#card[attention="true"] { border: 2px solid #b3261e; }
QLabel#count { font-size: 26pt; font-weight: bold; color: #1f3a5f; }
QFrame#card[attention="true"] QLabel#count { color: #b3261e; }
QLabel#cardTitle { font-size: 12pt; font-weight: bold; }
"""


class _Card(QFrame):
    """A titled box with a big number, an explanation and one button."""

    def __init__(self, title: str, button: str, action: Callable[[], None]) -> None:
        super().__init__()
        self.setObjectName("card")
        self.setMinimumHeight(230)  # wrapped text under-reports its height in a grid
        layout = QVBoxLayout(self)
        self.title = QLabel(title)
        self.title.setObjectName("cardTitle")
        self.count = QLabel("…")
        self.count.setObjectName("count")
        self.caption = QLabel()
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.button = QPushButton(button)
        self.button.clicked.connect(action)
        layout.addWidget(self.title)
        layout.addWidget(self.count)
        layout.addWidget(self.caption)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)

    def show_values(self, count: int, caption: str, text: str, attention: bool) -> None:
        self.count.setText(f"{count:,}".replace(",", "."))
        self.caption.setText(caption)
        self.text.setText(text)
        self.setProperty("attention", "true" if attention else "false")
        self.style().unpolish(self)
        self.style().polish(self)


class StartSection(QWidget):
    """The first screen: counts of what is open, refreshed whenever it is shown."""

    def __init__(self, window: MainWindow, today: date | None = None) -> None:
        super().__init__()
        self.window_ = window
        self._today = today
        self.setStyleSheet(CARD_STYLE)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        layout.addWidget(self.heading)
        intro = QLabel(self.tr("Wat vandaag aandacht vraagt."))
        layout.addWidget(intro)

        grid = QGridLayout()
        grid.setSpacing(16)
        self.takedown_card = _Card(
            self.tr("Publicaties te verwijderen"),
            self.tr("Naar de lijst"),
            self.open_takedowns,
        )
        self.consent_card = _Card(
            self.tr("Toestemmingen"), self.tr("Naar de herinneringen"), self.open_reminders
        )
        self.cases_card = _Card(self.tr("Incidenten"), self.tr("Naar het logboek"), self.open_cases)
        grid.addWidget(self.takedown_card, 0, 0)
        grid.addWidget(self.consent_card, 0, 1)
        grid.addWidget(self.cases_card, 0, 2)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        layout.addLayout(grid)
        layout.addStretch(1)

    @property
    def today(self) -> date:
        return self._today or clock.today()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        QTimer.singleShot(0, self, self.count_in_background)  # paint the window first

    def count_in_background(self) -> None:
        """Read the counts on worker threads (the quick ones and the consent reminders
        apart, so the takedowns appear first); each card fills when its numbers arrive."""
        if not self.isVisible():
            return
        today = self.today
        self.heading.setText(self.tr("Vandaag, %1").replace("%1", format_date(today)))
        self.window_.start_reader(
            lambda db: read_urgent(db, today), self.show_urgent, self._failed, name="start"
        )
        self.window_.start_reader(
            lambda db: read_consent_counts(db, today),
            self.show_consent_counts,
            self._failed,
            name="start-consent",
        )

    def _failed(self, exc: BaseException) -> None:
        """A database that went away (closed, damaged, locked by another program) leaves a
        message on the screen instead of an error dialog."""
        if not isinstance(exc, sqlite3.Error | InputError | StoreError):
            raise exc
        self.heading.setText(
            self.tr("De tellingen konden niet gelezen worden: %1").replace("%1", str(exc))
        )

    def refresh(self) -> Attention:
        """Read all counts again, here and now, and show them."""
        db = self.window_.db
        return Attention(
            self.show_urgent(read_urgent(db, self.today)),
            self.show_consent_counts(read_consent_counts(db, self.today)),
        )

    def show_urgent(self, urgent: Urgent) -> Urgent:
        self.heading.setText(self.tr("Vandaag, %1").replace("%1", format_date(self.today)))
        self.takedown_card.show_values(
            urgent.takedowns,
            self.tr("open (publicatie en leerling)"),
            self.tr(
                "Publicaties waarop een leerling staat die er niet (meer) op mag: na een "
                "intrekking, een weigering, het einde van het schooljaar of een 16e verjaardag."
            )
            if urgent.takedowns
            else self.tr("Er hoeft niets verwijderd te worden."),
            urgent.takedowns > 0,
        )
        self.cases_card.show_values(
            urgent.open_cases + urgent.cases_in_progress,
            self.tr("lopende incidenten"),
            self.tr("%1 open, %2 in behandeling.")
            .replace("%1", str(urgent.open_cases))
            .replace("%2", str(urgent.cases_in_progress)),
            False,
        )
        self.window_.set_takedown_count(urgent.takedowns)
        return urgent

    def show_consent_counts(self, counts: ConsentCounts) -> ConsentCounts:
        lines = []
        if counts.year_end is not None:
            lines.append(
                self._count(
                    counts.expiring,
                    self.tr("1 toestemming verloopt op %2."),
                    self.tr("%1 toestemmingen verlopen op %2."),
                ).replace("%2", format_date(counts.year_end))
            )
        lines.append(
            self._count(
                counts.turned_16,
                self.tr("1 leerling is 16 geworden: informeer hem of haar."),
                self.tr("%1 leerlingen zijn 16 geworden: informeer hen."),
            )
        )
        lines.append(
            self._count(
                counts.no_record,
                self.tr("1 keer geen geldige toestemming vastgelegd."),
                self.tr("%1 keer geen geldige toestemming vastgelegd."),
            )
        )
        self.consent_card.show_values(
            counts.needs_action(self.today),
            self.tr("vragen nu om actie"),
            "\n".join(lines),
            False,
        )
        return counts

    @staticmethod
    def _count(count: int, one: str, many: str) -> str:
        """Dutch singular or plural (the English translation can use its own forms)."""
        return one if count == 1 else many.replace("%1", f"{count:,}".replace(",", "."))

    # -- buttons ------------------------------------------------------------------------------

    def open_takedowns(self) -> None:
        self.window_.show_section("publicaties").show_takedowns()

    def open_reminders(self) -> None:
        self.window_.show_section("toestemmingen").show_reminders()

    def open_cases(self) -> None:
        self.window_.show_section("incidenten")


def build(window: MainWindow) -> QWidget:
    return StartSection(window)
