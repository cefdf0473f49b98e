"""The review of a scanned stack: the second page of "Gescande formulieren verwerken"
(`scans.ScanImportDialog` reads the stack on a worker and hands the pages over).

Every page with what became of it (zeker, nakijken, niet herkend, dubbel, vastgelegd) and a
filter on that; beside the list the chosen page's scan and what was read per purpose, an
uncertain mark highlighted. Keys on the marks table and the page list: J, N or L set the
chosen purpose to ja, nee or leeg (a person's correction), H switches the signature, Enter
records the form. "Alle zekere formulieren vastleggen" records every certain, signed form at
once; nothing else is recorded without a person pressing Enter (or "Vastleggen") on it. A page
whose scan date cannot be the day it came in waits until the officer gives the date ("Andere
datum van ontvangst"). A page whose code could not be read gets a pupil picker: the officer
names the pupil, and the page is read with that pupil's latest printed form.

Recording happens in the GUI thread on the window's connection (one form at a time, quick),
after a backup made before the first form of a stack.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from merlet_desk import clock
from merlet_desk.domain import paper_form as layout
from merlet_desk.domain.text import count_text, number_text
from merlet_desk.errors import InputError
from merlet_desk.imports import scans
from merlet_desk.store import paper_forms as forms_store
from merlet_desk.store.errors import StoreError
from merlet_desk.store.pupils import Pupil
from merlet_desk.ui.common import dialogs
from merlet_desk.ui.common.widgets import DateField, cell_text

PAGE_ROLE = Qt.ItemDataRole.UserRole
UNSURE_FILL = QColor("#ffd591")
CORRECTED_FILL = QColor("#d6e4ff")
KEYS = {Qt.Key.Key_J: layout.JA, Qt.Key.Key_N: layout.NEE, Qt.Key.Key_L: layout.LEEG}

# What a page is, for the list and the filter.
CERTAIN, REVIEW, UNRECOGNISED, DONE, OTHER = "certain", "review", "unrecognised", "done", "other"
PROBLEM_STYLE, DONE_STYLE = "color:#b71c1c; font-weight:600;", "color:#2e7d32; font-weight:600;"


def _sentence(text: str) -> str:
    """A reason as a sentence of its own: a capital first, a full stop last."""
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def page_kind(page: scans.ScannedPage) -> str:
    if page.scan_id is not None:
        return DONE
    if page.form is None:
        return UNRECOGNISED
    if page.status != forms_store.FORM_OK:
        return OTHER
    return CERTAIN if page.certain else REVIEW


class ScaledImage(QLabel):
    """An image shown at the width it is given (the review crop must show the boxes, which sit
    at the right edge of the form, on a 1024-pixel screen too)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._source = QPixmap()
        self._shown_width = 0
        self.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumSize(1, 1)

    def set_image(self, pixmap: QPixmap) -> None:
        self._source = pixmap
        self._shown_width = 0
        self._fit()

    def clear_image(self, text: str = "") -> None:
        self._source = QPixmap()
        self.clear()
        self.setText(text)

    def source(self) -> QPixmap:
        return self._source

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if self._source.isNull():
            return
        width = max(50, self.width() - 4)
        if width == self._shown_width:
            return
        self._shown_width = width
        self.setPixmap(
            self._source.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
        )


class ReviewKeys(QObject):
    """J/N/L, H and Enter on the marks table and the page list, for `ScanReview`."""

    def __init__(self, review: ScanReview) -> None:
        super().__init__(review)
        self.review = review

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        key = Qt.Key(event.key())
        if key in KEYS:
            return self.review.set_mark(KEYS[key])
        if key == Qt.Key.Key_H:
            return self.review.toggle_signature()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.review.accept_page()
            return True
        return False


class ScanReview(QWidget):
    """The pages of a stack read, the chosen one and what was read on it; records what a
    person accepts. Emits `recorded(pupil_number)` per recorded form."""

    recorded = Signal(str)

    def __init__(
        self, db: Any, pupils: Sequence[Pupil] = (), parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.pages: list[scans.ScannedPage] = []
        self.backed_up = False  # before the first form of this stack is recorded
        self.backup: Path | None = None  # that backup (None for a database in memory)
        top = self._build_top()
        left = self._build_page_list()
        image_scroll = self._build_image()
        details = self._build_details(pupils)
        middle = QHBoxLayout()
        middle.addLayout(left, 2)
        middle.addWidget(image_scroll, 4)
        middle.addLayout(details, 3)
        review_layout = QVBoxLayout(self)
        review_layout.addLayout(top)
        review_layout.addLayout(middle, 1)

        self.keys = ReviewKeys(self)
        self.marks.installEventFilter(self.keys)
        self.page_list.installEventFilter(self.keys)

    def show_pages(self, pages: list[scans.ScannedPage], *, stopped: bool = False) -> None:
        """A stack read (`stopped`: the officer stopped the reading; these are the pages read
        until then)."""
        self.pages = pages
        self.backed_up = False  # a new stack: backed up again before its first form is recorded
        scans.set_received(pages, self._received())
        self._fill_list()
        if stopped:
            self.summary.setText(self.summary.text() + self.tr(" (gestopt)"))

    # -- building: the top, the list, the scan, the details -----------------------------------

    def _build_top(self) -> QHBoxLayout:
        """The summary, the date of receipt and "record every certain form"."""
        self.summary = QLabel()
        self.summary.setStyleSheet("font-weight:600;")
        self.summary.setWordWrap(True)
        self.summary.setMinimumWidth(200)
        self.other_date = QCheckBox(self.tr("Andere datum van ontvangst:"))
        self.other_date.setToolTip(
            self.tr(
                "Standaard krijgen de besluiten de datum waarop de scan is gemaakt, als een "
                "formulier op die dag ontvangen kan zijn (niet vóór het afdrukken en niet na "
                "vandaag); anders wacht de pagina op de datum die u hier geeft."
            )
        )
        today = clock.today()
        self.received = DateField(today)
        self.received.setEnabled(False)
        self.other_date.toggled.connect(self.received.setEnabled)
        self.other_date.toggled.connect(self._received_changed)
        self.received.dateChanged.connect(self._received_changed)
        self.record_all_button = QPushButton(self.tr("Alle zekere formulieren vastleggen"))
        self.record_all_button.setAutoDefault(False)
        self.record_all_button.setStyleSheet("QPushButton { font-weight:600; padding:4px 10px; }")
        self.record_all_button.clicked.connect(self.record_all_certain)
        self.filter = QComboBox()
        self.filter.setAccessibleName(self.tr("Toon"))
        for label, kind in (
            (self.tr("alle pagina's"), ""),
            (self.tr("nakijken"), REVIEW),
            (self.tr("niet herkend"), UNRECOGNISED),
            (self.tr("zeker, nog niet vastgelegd"), CERTAIN),
            (self.tr("dubbel, vertrokken, andere leerling of database"), OTHER),
            (self.tr("vastgelegd"), DONE),
        ):
            self.filter.addItem(label, kind)
        self.filter.currentIndexChanged.connect(self._fill_list)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.other_date)
        top.addWidget(self.received)
        top.addWidget(self.record_all_button)

        return top

    def _build_page_list(self) -> QVBoxLayout:
        """The pages read, filtered by what they need."""
        self.page_list = QListWidget()
        self.page_list.setAccessibleName(self.tr("Gescande pagina's"))
        self.page_list.setMinimumWidth(190)
        self.page_list.currentItemChanged.connect(self._on_page)
        left = QVBoxLayout()
        filter_row = QHBoxLayout()
        filter_row.addWidget(QLabel(self.tr("Toon:")))
        filter_row.addWidget(self.filter, 1)
        left.addLayout(filter_row)
        left.addWidget(self.page_list, 1)

        return left

    def _build_image(self) -> QScrollArea:
        """The scan itself, scaled to the width."""
        self.image = ScaledImage()
        self.image.setAccessibleName(self.tr("Scan"))
        image_scroll = QScrollArea()
        image_scroll.setWidget(self.image)
        image_scroll.setWidgetResizable(True)
        image_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        image_scroll.setMinimumWidth(320)

        return image_scroll

    def _build_details(self, pupils: Sequence[Pupil]) -> QVBoxLayout:
        """The page shown: its pupil, its state, the marks read, its signature, Vastleggen;
        a page whose code cannot be read is linked to a pupil here."""
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-size:12pt; font-weight:600; color:#1f3a5f;")
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.marks = QTableWidget(0, 3)
        self.marks.setHorizontalHeaderLabels(
            [self.tr("Doel"), self.tr("Gelezen"), self.tr("Zekerheid")]
        )
        self.marks.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.marks.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.marks.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.marks.verticalHeader().hide()
        self.marks.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.marks.setWordWrap(True)
        self.marks.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.marks.setAccessibleName(self.tr("Gelezen kruisjes"))
        self.signature = QLabel()
        self.keys_hint = QLabel(
            self.tr(
                "Toetsen: ↑/↓ kies een doel · J ja · N nee · L leeg · H handtekening aan/uit · "
                "Enter: formulier vastleggen"
            )
        )
        self.keys_hint.setWordWrap(True)
        self.keys_hint.setStyleSheet("color:#5a6b80;")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(PROBLEM_STYLE)
        self.accept_button = QPushButton(self.tr("Vastleggen (Enter)"))
        self.accept_button.setAutoDefault(False)
        self.accept_button.clicked.connect(self.accept_page)
        from merlet_desk.ui.common.widgets import PupilPicker

        self.picker = PupilPicker(pupils)
        self.picker.setAccessibleName(self.tr("Leerling bij deze pagina"))
        self.link_button = QPushButton(self.tr("Koppelen aan deze leerling"))
        self.link_button.setAutoDefault(False)
        self.link_button.clicked.connect(self.link_pupil)
        self.picker.picked.connect(lambda _pupil: self.link_pupil())
        self.link_box = QWidget()
        link_layout = QVBoxLayout(self.link_box)
        link_layout.setContentsMargins(0, 0, 0, 0)
        link_label = QLabel(
            self.tr(
                "De code op deze pagina is niet te lezen. Kies de leerling van dit formulier; "
                "de pagina wordt dan gelezen met het laatst afgedrukte formulier van die "
                "leerling en moet nagekeken worden."
            )
        )
        link_label.setWordWrap(True)
        link_layout.addWidget(link_label)
        link_layout.addWidget(self.picker)
        link_layout.addWidget(self.link_button)

        details = QVBoxLayout()
        details.addWidget(self.heading)
        details.addWidget(self.state)
        details.addWidget(self.link_box)
        details.addWidget(self.marks, 1)
        details.addWidget(self.signature)
        details.addWidget(self.keys_hint)
        details.addWidget(self.error)
        details.addWidget(self.accept_button)
        return details

    def waiting_pages(self) -> list[scans.ScannedPage]:
        """Pages read that a person can still record: certain, to review, or not recognised."""
        return [p for p in self.pages if page_kind(p) in (CERTAIN, REVIEW, UNRECOGNISED)]

    # -- the list -----------------------------------------------------------------------------

    def _update_summary(self) -> None:
        kinds = [page_kind(page) for page in self.pages]
        self.summary.setText(
            count_text(
                len(self.pages),
                self.tr("1 pagina: %2 zeker, %3 nakijken, %4 niet herkend, %5 vastgelegd"),
                self.tr("%1 pagina's: %2 zeker, %3 nakijken, %4 niet herkend, %5 vastgelegd"),
            )
            .replace("%2", number_text(kinds.count(CERTAIN)))
            .replace("%3", number_text(kinds.count(REVIEW)))
            .replace("%4", number_text(kinds.count(UNRECOGNISED)))
            .replace("%5", number_text(kinds.count(DONE)))
        )
        self.record_all_button.setEnabled(CERTAIN in kinds)

    def _label(self, page: scans.ScannedPage) -> str:
        kind = page_kind(page)
        text = {
            CERTAIN: self.tr("zeker"),
            REVIEW: self.tr("nakijken"),
            UNRECOGNISED: self.tr("niet herkend"),
            DONE: self.tr("vastgelegd"),
            OTHER: scans.STATUS_LABELS.get(page.status, page.status),
        }[kind]
        who = (
            f"{page.form.label}  {page.form.pupil.name} ({page.form.pupil.class_name})"
            if page.form
            else page.source
        )
        return f"{page.number}. {who} — {text}"

    def _fill_list(self) -> None:
        wanted = self.filter.currentData()
        current = self.current_page()
        self.page_list.blockSignals(True)
        self.page_list.clear()
        select = None
        for page in self.pages:
            if wanted and page_kind(page) != wanted:
                continue
            item = QListWidgetItem(self._label(page))
            item.setData(PAGE_ROLE, page.number)
            kind = page_kind(page)
            if kind in (REVIEW, UNRECOGNISED):
                item.setBackground(UNSURE_FILL)
            elif kind == DONE:
                item.setForeground(QColor("#2e7d32"))
            elif kind == OTHER:
                item.setForeground(QColor("#6d6d6d"))
            self.page_list.addItem(item)
            if current is not None and page.number == current.number:
                select = item
        self.page_list.blockSignals(False)
        self._update_summary()
        if select is None and self.page_list.count():
            select = self.page_list.item(0)
        if select is not None:
            self.page_list.setCurrentItem(select)
        else:
            self._show(None)

    def current_page(self) -> scans.ScannedPage | None:
        item = self.page_list.currentItem()
        if item is None:
            return None
        return self.pages[int(item.data(PAGE_ROLE)) - 1]

    def _on_page(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        self._show(self.pages[int(item.data(PAGE_ROLE)) - 1] if item is not None else None)

    # -- one page -----------------------------------------------------------------------------

    def _show(self, page: scans.ScannedPage | None) -> None:
        self.error.clear()
        self.error.setStyleSheet(PROBLEM_STYLE)
        if page is None:
            self.heading.clear()
            self.state.clear()
            self.image.clear_image()
            self.marks.setRowCount(0)
            self.link_box.hide()
            self.accept_button.setEnabled(False)
            return
        pixmap = QPixmap()
        data = page.crop_jpeg or (page.proof.data if page.proof else None)
        if data and pixmap.loadFromData(data):
            self.image.set_image(pixmap)
        else:
            self.image.clear_image(self.tr("(geen afbeelding)"))
        if page.form is not None:
            pupil = page.form.pupil
            self.heading.setText(
                f"{pupil.name} — {pupil.number}, klas {pupil.class_name}\n"
                + self.tr("Formulier %1, %2")
                .replace("%1", page.form.label)
                .replace("%2", page.source)
            )
        else:
            self.heading.setText(page.source)
        self.state.setText(self._state_text(page))
        self.link_box.setVisible(page.form is None and page.can_be_named)
        self._fill_marks(page)
        if page.outcomes:
            # The first row a person must look at: undecided, or read without certainty.
            marks = page.reading.marks
            unsure = [
                i
                for i, outcome in enumerate(page.outcomes)
                if outcome not in (layout.JA, layout.NEE, layout.LEEG)
                or (i < len(marks) and not marks[i].certain)
            ]
            self.marks.setCurrentCell(unsure[0] if unsure else 0, 0)
        self.accept_button.setEnabled(page_kind(page) in (CERTAIN, REVIEW))

    def _state_text(self, page: scans.ScannedPage) -> str:
        kind = page_kind(page)
        if kind == DONE:
            return self.tr("Vastgelegd.")
        if kind == UNRECOGNISED:
            return self.tr("Niet herkend: %1").replace("%1", page.message or "")
        if kind == OTHER:
            return page.message
        if kind == CERTAIN:
            return self.tr("Alles zeker en ondertekend: kan zo vastgelegd worden.")
        unsure = any(not mark.certain for mark in page.reading.marks)
        parts = [
            self.tr("Nakijken: de oranje regels zijn niet zeker gelezen.")
            if unsure
            else self.tr("Nakijken.")
        ]
        if page.message:
            parts.append(_sentence(page.message))
        if page.date_problem:
            parts.append(
                _sentence(
                    self.tr("%1; vink 'Andere datum van ontvangst' aan en kies de datum").replace(
                        "%1", page.date_problem
                    )
                )
            )
        return " ".join(parts)

    def _fill_marks(self, page: scans.ScannedPage) -> None:
        rows = page.form.purposes if page.form else ()
        self.marks.setRowCount(len(rows))
        for index, row in enumerate(rows):
            mark = page.reading.marks[index] if index < len(page.reading.marks) else None
            outcome = page.outcomes[index] if index < len(page.outcomes) else layout.TWIJFEL
            read = mark.outcome if mark else None
            corrected = read is not None and outcome != read
            unsure = outcome not in (layout.JA, layout.NEE, layout.LEEG) or (
                mark is not None and not mark.certain and not corrected
            )
            cells = [
                row.label,
                # The sign stays visible when the row is selected (the fill does not).
                ("⚠ " if unsure else "")
                + layout.OUTCOME_LABELS.get(outcome, outcome)
                + (self.tr(" (gecorrigeerd)") if corrected else ""),
                f"{mark.confidence:.0%}" if mark else "",
            ]
            for column, value in enumerate(cells):
                cell = QTableWidgetItem(value)
                if unsure:
                    cell.setBackground(UNSURE_FILL)
                elif corrected:
                    cell.setBackground(CORRECTED_FILL)
                self.marks.setItem(index, column, cell)
        self.marks.resizeColumnToContents(1)
        self.marks.resizeColumnToContents(2)
        ink = self.tr("ja") if page.signed else self.tr("nee")
        if not page.reading.signature_certain and page.signed == page.reading.signed:
            ink += self.tr(" (twijfel)")
        self.signature.setText(self.tr("Handtekening: %1").replace("%1", ink))
        self.signature.setStyleSheet(
            "" if page.signed and page.reading.signature_certain else "background:#ffd591;"
        )

    def marks_shown(self) -> list[tuple[str, str]]:
        """(purpose label, what is shown) per row, for tests."""
        return [
            (cell_text(self.marks, r, 0), cell_text(self.marks, r, 1))
            for r in range(self.marks.rowCount())
        ]

    def set_mark(self, outcome: str) -> bool:
        """A person's correction of the chosen purpose row; moves to the next row."""
        page = self.current_page()
        row = self.marks.currentRow()
        if page is None or page.form is None or page.scan_id is not None or row < 0:
            return False
        page.outcomes[row] = outcome
        page.corrected = True
        self._fill_marks(page)
        self.marks.setCurrentCell(min(row + 1, self.marks.rowCount() - 1), 0)
        self.state.setText(self._state_text(page))
        return True

    def toggle_signature(self) -> bool:
        page = self.current_page()
        if page is None or page.form is None or page.scan_id is not None:
            return False
        page.signed = not page.signed
        page.corrected = True
        row = self.marks.currentRow()
        self._fill_marks(page)
        self.marks.setCurrentCell(row, 0)
        return True

    def _received(self) -> date | None:
        if not self.other_date.isChecked():
            return None
        value = self.received.date()
        return date(value.year(), value.month(), value.day())

    def _received_changed(self, *_args: object) -> None:
        """Another date of receipt (or the scans' own again): which pages can be recorded."""
        scans.set_received(self.pages, self._received())
        if self.pages:
            self._fill_list()

    def accept_page(self) -> bool:
        """Record the chosen page as it now stands; a refusal is shown, nothing written."""
        page = self.current_page()
        if page is None or page.scan_id is not None:
            return False
        if not self._backup_first():
            return False
        try:
            scans.record_page(self.db, page, self._received())
        except (InputError, StoreError) as exc:
            if page.status == forms_store.FORM_DUPLICATE:  # recorded meanwhile elsewhere
                self._fill_list()
            self.error.setText(str(exc))
            return False
        assert page.form is not None
        self.recorded.emit(page.form.pupil.number)
        self._after_recording()
        return True

    def record_all_certain(self) -> int:
        """Record every certain, signed page; returns how many."""
        if not any(page.certain for page in self.pages) or not self._backup_first():
            return 0
        done, _ = scans.record_certain(self.db, self.pages, self._received())
        for page in self.pages:
            if page.scan_id is not None and page.form is not None:
                self.recorded.emit(page.form.pupil.number)
        refused = [page for page in self.pages if page.error and page.scan_id is None]
        self._after_recording()
        if refused:
            dialogs.show_problems(
                self,
                self.window().windowTitle(),
                count_text(
                    done,
                    self.tr("1 formulier vastgelegd; %2 niet:"),
                    self.tr("%1 formulieren vastgelegd; %2 niet:"),
                ).replace("%2", number_text(len(refused))),
                [f"{self.tr('Pagina')} {p.number}: {p.error}" for p in refused],
            )
        return done

    def _backup_first(self) -> bool:
        """A backup before the first form of a stack is recorded, as the command line makes
        one before --confirm-certain: a stack recorded wrongly (another class's forms, the
        wrong date of receipt) can be undone whole. When it cannot be made, nothing is
        recorded and the dialog says why."""
        if self.backed_up:
            return True
        from merlet_desk.store.backup import backup_before

        try:
            self.backup = backup_before(self.db, "voor-import")
        except StoreError as exc:
            self.error.setText(
                self.tr("Er is niets vastgelegd: eerst moet er een back-up zijn. %1").replace(
                    "%1", str(exc)
                )
            )
            return False
        self.backed_up = True
        return True

    def _after_recording(self) -> None:
        """Refresh the list and go on to the next page that waits (after this one, else the
        first before it); when none waits, say that all is recorded."""
        current = self.current_page()
        self._fill_list()
        waiting = self.waiting_pages()
        after = [p for p in waiting if current is None or p.number > current.number]
        following = after or waiting
        if following:
            for i in range(self.page_list.count()):
                if self.page_list.item(i).data(PAGE_ROLE) == following[0].number:
                    self.page_list.setCurrentRow(i)
                    break
        elif self.pages:
            self.error.setStyleSheet(DONE_STYLE)
            self.error.setText(
                self.tr("Alle pagina's zijn vastgelegd. U kunt dit venster sluiten.")
            )
        self.marks.setFocus()

    def link_pupil(self) -> bool:
        """Name the pupil of an unrecognised page; it is then read with their latest form."""
        page = self.current_page()
        pupil = self.picker.resolve()
        if page is None or pupil is None:
            self.error.setText(self.tr("Kies eerst een leerling."))
            return False
        try:
            scans.name_form(self.db, page, pupil.number)
        except InputError as exc:
            self.error.setText(str(exc))
            return False
        self._fill_list()
        return True
