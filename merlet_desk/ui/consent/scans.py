"""Gescande formulieren verwerken: read a scanned stack, review it, record it.

The window calls the same core as `merlet-desk import-scans` (`imports.scans`). This dialog
orchestrates; the review is a widget of its own (`scan_review.py`).

1. The files are read in a worker thread with its own read-only connection, with progress
   ("pagina 12 van 300") and a cancel button; the window keeps repainting.
2. The pages read go to the review (`ScanReview`): every page with what became of it, the
   chosen one's scan and marks, corrections by key, recording one form or every certain one.
   A form recorded meanwhile by another window or the command line turns "al verwerkt".
3. Closing with pages that could still be recorded asks first.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from merlet_desk.domain.text import count_text
from merlet_desk.errors import InputError
from merlet_desk.imports import scans
from merlet_desk.store.errors import StoreError
from merlet_desk.store.pupils import Pupil
from merlet_desk.store.server_url import ServerUrl
from merlet_desk.ui.common import dialogs, tasks
from merlet_desk.ui.common.screen import fit_to_screen
from merlet_desk.ui.consent.scan_review import ScanReview

log = logging.getLogger(__name__)


class ScanImportDialog(QDialog):
    """Read a stack of scans, then review it (`ScanReview`). Emits `recorded(pupil_number)`
    per recorded form."""

    recorded = Signal(str)

    def __init__(
        self,
        db: Any,
        db_path: Path | ServerUrl,
        pupils: Sequence[Pupil] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.db_path = db_path if isinstance(db_path, ServerUrl) else Path(db_path)
        self._cancel = threading.Event()  # "stop after this page": the pages read so far stay
        self._task: tasks.Task[list[scans.ScannedPage]] | None = None
        self.setWindowTitle(self.tr("Gescande formulieren verwerken"))
        fit_to_screen(self, 1180, 760)

        reading = self._build_reading()
        self.review = ScanReview(db, pupils)
        self.review.recorded.connect(self.recorded)
        self.stack = QStackedWidget()
        self.stack.addWidget(reading)
        self.stack.addWidget(self.review)
        close = QPushButton(self.tr("Sluiten"))
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        outer = QVBoxLayout(self)
        outer.addWidget(self.stack, 1)
        outer.addLayout(bottom)

        self.cancel_button.hide()
        self.progress.hide()

    def _build_reading(self) -> QWidget:
        """The files to choose, the progress while they are read, and Annuleren."""
        self.progress_label = QLabel(self.tr("Kies de gescande bestanden (pdf, png, jpeg, tiff)."))
        self.progress = QProgressBar()
        self.progress.setFormat(self.tr("pagina %v van %m"))
        self.cancel_button = QPushButton(self.tr("Annuleren"))
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.choose_button = QPushButton(self.tr("Bestanden kiezen…"))
        self.choose_button.setAutoDefault(False)
        self.choose_button.clicked.connect(self.choose_files)
        reading = QWidget()
        reading_layout = QVBoxLayout(reading)
        reading_layout.addStretch(1)
        reading_layout.addWidget(self.progress_label)
        reading_layout.addWidget(self.progress)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.choose_button)
        row.addWidget(self.cancel_button)
        reading_layout.addLayout(row)
        reading_layout.addStretch(2)

        return reading

    # -- reading ------------------------------------------------------------------------------

    def choose_files(self) -> bool:
        paths = dialogs.choose_open_paths(
            self,
            self.tr("Gescande formulieren kiezen"),
            self.tr("Scans (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)"),
            "scans",
        )
        if not paths:
            return False
        return self.start(paths)

    def start(self, paths: Sequence[Path]) -> bool:
        """Check the files, then read them in a worker thread. False for a bad file."""
        try:
            total = scans.total_pages([Path(p) for p in paths])
        except InputError as exc:
            dialogs.show_error(self, self.windowTitle(), str(exc))
            return False
        self._cancel.clear()
        self.progress.setRange(0, total)
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self.choose_button.hide()
        self.progress_label.setText(self.tr("De scans worden gelezen…"))
        db_path, stop = self.db_path, self._cancel

        def work(progress: tasks.Progress, cancelled: tasks.CancelToken) -> list[scans.ScannedPage]:
            from merlet_desk.store import open_database

            db = open_database(db_path, read_only=True)
            try:
                return scans.read_stack(
                    db,
                    [Path(p) for p in paths],
                    progress=lambda done, total: progress((done, total)),
                    cancelled=lambda: stop.is_set() or cancelled(),
                )
            finally:
                db.close()

        self._task = tasks.submit(
            work,
            context=self,
            on_result=self._on_finished,
            on_error=self._on_failed,
            on_progress=self._on_progress,
            name="scan-reader",
        )
        return True

    def cancel(self) -> None:
        self._cancel.set()
        self.progress_label.setText(self.tr("Stoppen na deze pagina…"))

    def wait(self, timeout: float = 60.0) -> None:
        """Wait for the reader (tests, closing)."""
        if self._task is not None:
            self._task.wait(timeout)

    def _on_progress(self, step: tuple[int, int]) -> None:
        done, total = step
        self.progress.setMaximum(total)
        self.progress.setValue(done)

    def _on_failed(self, exc: BaseException) -> None:
        self.cancel_button.hide()
        self.progress.hide()
        self.choose_button.show()
        if not isinstance(exc, InputError):
            log.error("Scans lezen mislukt", exc_info=exc)
        message = str(exc) if isinstance(exc, (InputError, StoreError)) else repr(exc)
        self.progress_label.setText(self.tr("Lezen mislukt: %1").replace("%1", message))

    def _on_finished(self, pages: list[scans.ScannedPage]) -> None:
        self.cancel_button.hide()
        self.stack.setCurrentIndex(1)
        self.review.show_pages(pages, stopped=self._cancel.is_set())

    def _stop_reading(self) -> None:
        """Closing: the pages read are not wanted; wait a bounded time for the reader."""
        self._cancel.set()
        if self._task is not None:
            self._task.cancel()
        self.wait(10)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self._stop_reading()
        super().closeEvent(event)

    def reject(self) -> None:
        """Sluiten, Escape or the window's close button: pages read but not recorded are
        lost with the window, so the officer is told how many wait and may stay."""
        waiting = self.review.waiting_pages()
        if waiting and not dialogs.ask_close_anyway(
            self,
            self.windowTitle(),
            count_text(
                len(waiting),
                self.tr(
                    "1 pagina is nog niet vastgelegd. Sluit u nu, dan moet u die stapel later "
                    "opnieuw inlezen. Toch sluiten?"
                ),
                self.tr(
                    "%1 pagina's zijn nog niet vastgelegd. Sluit u nu, dan moet u die stapel "
                    "later opnieuw inlezen. Toch sluiten?"
                ),
            ),
        ):
            return
        self._stop_reading()
        super().reject()
