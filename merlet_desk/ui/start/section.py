"""The start screen: what needs attention today, with a button to each place that handles it.

Publications to take down come first (a withdrawal must be acted on), then the consent
reminders and the open cases. The counts are read when the screen is shown, not when the
window is built, so start-up does not wait for them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
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
from sqlite_utils import Database

from merlet_desk import clock
from merlet_desk.domain.dates import format_date
from merlet_desk.errors import InputError

if TYPE_CHECKING:
    from merlet_desk.ui.main_window import MainWindow

EXPIRY_WARNING_DAYS = 42

CARD_STYLE = """
QFrame#card { background: #ffffff; border: 1px solid #c9d3df; border-radius: 6px; }
QFrame#card[attention="true"] { border: 2px solid #b3261e; }
QLabel#count { font-size: 26pt; font-weight: bold; color: #1f3a5f; }
QFrame#card[attention="true"] QLabel#count { color: #b3261e; }
QLabel#cardTitle { font-size: 12pt; font-weight: bold; }
"""


@dataclass(frozen=True)
class Urgent:
    """The quick counts: open takedowns and cases."""

    takedowns: int
    open_cases: int
    cases_in_progress: int


@dataclass(frozen=True)
class ConsentCounts:
    """The consent reminders: every pupil × purpose, so the slower part (0.25 s at 2,000
    pupils with ten years of history)."""

    expiring: int
    turned_16: int
    no_record: int
    year_end: date | None

    def needs_action(self, today: date) -> int:
        """Pupils to inform now, plus the consents that end within six weeks (asking again
        earlier in the year is not yet due)."""
        soon = self.year_end is not None and (self.year_end - today).days <= EXPIRY_WARNING_DAYS
        return self.turned_16 + (self.expiring if soon else 0)


@dataclass(frozen=True)
class Attention:
    """Everything on the start screen."""

    urgent: Urgent
    consent: ConsentCounts


def read_urgent(db: Database, today: date) -> Urgent:
    from merlet_desk.domain.cases import STATUS_IN_PROGRESS, STATUS_OPEN
    from merlet_desk.store.cases import count_by_status
    from merlet_desk.store.publications import open_takedown_count

    cases = count_by_status(db)
    return Urgent(
        takedowns=open_takedown_count(db, today),
        open_cases=cases.get(STATUS_OPEN, 0),
        cases_in_progress=cases.get(STATUS_IN_PROGRESS, 0),
    )


def read_consent_counts(db: Database, today: date) -> ConsentCounts:
    from merlet_desk.store.consent import consent_settings, reminders, school_year

    due = reminders(db, today)
    settings = consent_settings(db)
    year_end = school_year(today, settings)[1] if settings.validity == "school_year" else None
    return ConsentCounts(
        expiring=len(due.expiring),
        turned_16=len(due.turned_16),
        no_record=len(due.no_record) + len(due.expired),
        year_end=year_end,
    )


def read_attention(db: Database, today: date) -> Attention:
    """Everything the start screen counts, from the same store functions the CLI uses."""
    return Attention(read_urgent(db, today), read_consent_counts(db, today))


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
        QTimer.singleShot(0, self, self._refresh_quietly)  # paint the window first, then count

    def _refresh_quietly(self) -> None:
        """Refresh from the event loop in two steps, the quick counts first, so the window
        answers input in between. A database that went away (closed, damaged, locked by another
        program) leaves a message on the screen instead of an error dialog."""
        if self.isVisible() and self._quietly(self.show_urgent):
            QTimer.singleShot(0, self, lambda: self._quietly(self.show_consent_counts))

    def _quietly(self, step: Callable[[], object]) -> bool:
        if not self.isVisible():
            return False
        try:
            step()
        except (sqlite3.Error, InputError) as exc:
            self.heading.setText(
                self.tr("De tellingen konden niet gelezen worden: %1").replace("%1", str(exc))
            )
            return False
        return True

    def refresh(self) -> Attention:
        """Read all counts again and show them."""
        return Attention(self.show_urgent(), self.show_consent_counts())

    def show_urgent(self) -> Urgent:
        self.heading.setText(self.tr("Vandaag, %1").replace("%1", format_date(self.today)))
        urgent = read_urgent(self.window_.db, self.today)
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

    def show_consent_counts(self) -> ConsentCounts:
        counts = read_consent_counts(self.window_.db, self.today)
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
