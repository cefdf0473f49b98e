"""A pupil's history for one purpose, with the form that records a new decision
(`DecisionForm`, also used by the paper-form entry).

Shown with `open()` (window-modal, not blocking), so tests drive it directly.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TypedDict

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from merlet_desk import clock
from merlet_desk.domain import consent as rules
from merlet_desk.domain.dates import format_date
from merlet_desk.errors import InputError
from merlet_desk.store import consent_imports as import_store
from merlet_desk.store import decisions as decision_store
from merlet_desk.store import statuses as store
from merlet_desk.store.pupils import Pupil
from merlet_desk.store.purposes import Purpose
from merlet_desk.store.sqlite_utils_import import Database
from merlet_desk.ui.common import dialogs
from merlet_desk.ui.common.consent_states import status_chip, status_label, tr_consent
from merlet_desk.ui.common.purposes import purpose_text
from merlet_desk.ui.common.screen import fit_to_screen
from merlet_desk.ui.common.widgets import DateField, cell_text
from merlet_desk.ui.consent.dialog_parts import (
    ERROR_STYLE,
    OK_STYLE,
    fill_combo,
    format_timestamp,
    pupil_heading,
    select_data,
)


class DecisionValues(TypedDict):
    """What the decision form holds: codes as the store takes them."""

    decision: str
    given_by: str
    giver_name: str
    received_on: date
    method: str


def _code(combo: QComboBox) -> str:
    """The code a combo box's chosen item holds ("" for none)."""
    data = combo.currentData()
    return data if isinstance(data, str) else ""


class DecisionForm(QGroupBox):
    """Fields for one new decision: decision, given by, giver's name, date received, method."""

    def __init__(self, pupil: Pupil, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Nieuw besluit vastleggen"))
        self.pupil = pupil
        # No decision chosen beforehand: "Toestemming" saved unseen for a pupil who refused is
        # the worst mistake this form can make.
        self.decision = QComboBox()
        self.decision.setPlaceholderText(self.tr("kies: toestemming, geweigerd of ingetrokken"))
        fill_combo(self.decision, rules.DECISION_LABELS, rules.DECISIONS)
        self.decision.setCurrentIndex(-1)
        self.given_by = QComboBox()
        fill_combo(self.given_by, rules.GIVER_LABELS, rules.GIVERS)
        self.giver_name = QLineEdit()
        self.giver_name.setPlaceholderText(self.tr("bijv. A. de Vries"))
        self.received_on = DateField(clock.today())
        self.received_on.dateChanged.connect(self._follow_age)
        self.method = QComboBox()
        fill_combo(self.method, rules.METHOD_LABELS, rules.METHODS)
        self._giver_touched = False
        self.given_by.activated.connect(self._touch_giver)
        layout = QFormLayout(self)
        layout.addRow(self.tr("Besluit:"), self.decision)
        layout.addRow(self.tr("Gegeven door:"), self.given_by)
        layout.addRow(self.tr("Naam van de gever:"), self.giver_name)
        layout.addRow(self.tr("Datum ontvangen:"), self.received_on)
        layout.addRow(self.tr("Hoe ontvangen:"), self.method)
        self._follow_age()

    def _touch_giver(self) -> None:
        self._giver_touched = True

    def _follow_age(self) -> None:
        if not self._giver_touched:
            select_data(
                self.given_by, rules.default_giver(self.pupil.birth_date, self.received_on.value())
            )

    def values(self) -> DecisionValues:
        return {
            "decision": _code(self.decision),
            "given_by": _code(self.given_by),
            "giver_name": self.giver_name.text().strip(),
            "received_on": self.received_on.value(),
            "method": _code(self.method),
        }


class DecisionDialog(QDialog):
    """A pupil's full history for one purpose (oldest first) and, unless read-only, a form to
    record a new decision. Emits `recorded(pupil_number)` after a decision was saved."""

    recorded = Signal(str)
    takedownsRequested = Signal()  # "Naar Te verwijderen" after a withdrawal
    HISTORY_HEADERS = (
        "Ontvangen",
        "Besluit",
        "Gegeven door",
        "Naam gever",
        "Hoe",
        "Vastgelegd door",
        "Vastgelegd op",
    )

    def __init__(
        self,
        db: Database,
        pupil: Pupil,
        purpose: Purpose,
        on: date | None = None,
        read_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.pupil, self.purpose = db, pupil, purpose
        self.on = on or clock.today()
        self.read_only = read_only
        self.setWindowTitle(
            self.tr("Toestemming: %1 — %2").replace("%1", pupil.name).replace("%2", purpose.label)
        )

        heading = QLabel(pupil_heading(pupil, self.on))
        heading.setStyleSheet("font-size:14pt; font-weight:600; color:#1f3a5f;")
        purpose_label = QLabel(self.tr("Doel: %1").replace("%1", purpose_text(purpose)))
        purpose_label.setWordWrap(True)
        purpose_label.setStyleSheet("font-size:11pt;")
        self.status_row = QHBoxLayout()
        self.status_chip: QLabel | None = None
        self.status_text = QLabel()
        self.status_text.setWordWrap(True)
        self.status_row.addWidget(self.status_text, 1)

        self.history = QTableWidget(0, len(self.HISTORY_HEADERS))
        self.history.setHorizontalHeaderLabels([self.tr(h) for h in self.HISTORY_HEADERS])
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.verticalHeader().hide()
        self.history.setWordWrap(False)
        self.history.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.setMinimumHeight(150)
        self.history.itemSelectionChanged.connect(self._on_history_row)
        self.history.cellDoubleClicked.connect(lambda _row, _col: self.show_scan())
        self.scan_ids: dict[int, int] = {}  # history row -> the scan it came from
        self.scan_button = QPushButton(self.tr("Scan van het formulier bekijken"))
        self.scan_button.setAutoDefault(False)
        self.scan_button.setToolTip(
            self.tr("Het gescande, ondertekende formulier waarmee dit besluit is vastgelegd")
        )
        self.scan_button.clicked.connect(self.show_scan)
        self.empty_history = QLabel(self.tr("Nog niets vastgelegd voor dit doel."))
        self.empty_history.setStyleSheet("color:#5a6b80;")

        self.form = DecisionForm(pupil)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.hide()
        self.save_button = QPushButton(self.tr("Besluit vastleggen"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        form_side = QVBoxLayout()
        form_side.addWidget(self.error)
        form_side.addStretch(1)
        form_side.addWidget(self.save_button)
        form_row = QHBoxLayout()
        form_row.addWidget(self.form, 2)
        form_row.addLayout(form_side, 1)
        self.form_area = QWidget()
        self.form_area.setLayout(form_row)
        self.form_area.setVisible(not read_only)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Sluiten"))
        self.buttons.rejected.connect(self.reject)
        self.export_button = QPushButton(self.tr("Leerlingdossier als PDF…"))
        self.export_button.setToolTip(
            self.tr("Alles wat over deze leerling is vastgelegd (AVG art. 15), op briefpapier")
        )
        self.export_button.setAutoDefault(False)
        self.export_button.clicked.connect(self.export_pupil_file)
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        from merlet_desk.ui.consent.takedown_notice import takedowns_button

        self.takedowns_button = takedowns_button()
        self.takedowns_button.clicked.connect(self._go_to_takedowns)
        self.buttons.addButton(self.takedowns_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.takedowns_button.hide()  # the box shows what it is given

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(purpose_label)
        layout.addLayout(self.status_row)
        history_title = QLabel(self.tr("Geschiedenis (oudste eerst)"))
        history_title.setStyleSheet("font-weight:600; margin-top:8px;")
        layout.addWidget(history_title)
        layout.addWidget(self.history, 1)
        scan_row = QHBoxLayout()
        scan_row.addStretch(1)
        scan_row.addWidget(self.scan_button)
        layout.addLayout(scan_row)
        layout.addWidget(self.empty_history)
        # Told that they turned 16 (store.informed): about every purpose, so shown here too.
        self.informed_history = QLabel()
        self.informed_history.setWordWrap(True)
        self.informed_history.setTextFormat(Qt.TextFormat.PlainText)
        self.informed_history.setStyleSheet("color:#3c4650;")
        layout.addWidget(self.informed_history)
        layout.addWidget(self.form_area)
        layout.addWidget(self.buttons)
        self.refresh()
        fit_to_screen(self, 900, 640)

    def _show_informed(self) -> None:
        """The marks "geïnformeerd (16 geworden)" of the pupil, undone ones too."""
        from merlet_desk.store.informed import informed_marks

        lines = [
            self.tr("%1 (vastgelegd door %2, %3)")
            .replace("%1", mark.text)
            .replace("%2", mark.recorded_by)
            .replace("%3", format_timestamp(mark.recorded_at))
            for mark in informed_marks(self.db, self.pupil.number)
        ]
        self.informed_history.setText("\n".join(lines))
        self.informed_history.setVisible(bool(lines))

    def decisions(self) -> list[rules.Decision]:
        return decision_store.decisions_for(self.db, self.pupil.number, self.purpose.code)

    def current_status(self) -> rules.Status:
        code = self.purpose.code
        return store.pupil_statuses(self.db, self.pupil, self.on, [code])[code]

    def refresh(self) -> None:
        from merlet_desk.store import paper_forms

        decisions = self.decisions()
        sources = paper_forms.scan_ids_by_decision(self.db, [d.id for d in decisions if d.id])
        imported = import_store.imported_decision_ids(self.db, [d.id for d in decisions if d.id])
        self.scan_ids = {}
        self.history.setRowCount(len(decisions))
        for row, decision in enumerate(decisions):
            how = tr_consent(rules.METHOD_LABELS.get(decision.method, decision.method))
            if decision.id in imported:
                how = (
                    self.tr("via het ouderportaal (import)")
                    if decision.method == "portal"
                    else self.tr("%1 (import)").replace("%1", how)
                )
            scan_id = sources.get(decision.id) if decision.id is not None else None
            if scan_id is not None:
                self.scan_ids[row] = scan_id
                how += self.tr(" (scan bewaard)")
            values = (
                format_date(decision.received_on),
                tr_consent(rules.DECISION_LABELS.get(decision.decision, decision.decision)),
                tr_consent(rules.GIVER_LABELS.get(decision.given_by, decision.given_by)),
                decision.giver_name,
                how,
                decision.recorded_by,
                format_timestamp(decision.recorded_at),
            )
            for column, value in enumerate(values):
                self.history.setItem(row, column, QTableWidgetItem(value))
        self.history.setVisible(bool(decisions))
        self.empty_history.setVisible(not decisions)
        self._show_informed()
        self.scan_button.setVisible(bool(self.scan_ids))
        self._on_history_row()
        status = self.current_status()
        if self.status_chip is not None:
            self.status_row.removeWidget(self.status_chip)
            self.status_chip.deleteLater()
        self.status_chip = status_chip(status.state)
        self.status_row.insertWidget(0, self.status_chip)
        text = (
            self.tr("Nu (%1): %2")
            .replace("%1", format_date(self.on))
            .replace("%2", status_label(status))
        )
        if status.allowed and status.valid_until is not None:
            text += self.tr(" — geldig tot en met %1").replace(
                "%1", format_date(status.valid_until)
            )
        self.status_text.setText(text)
        self.current_state = status.state

    def _on_history_row(self) -> None:
        self.scan_button.setEnabled(self.selected_scan() is not None)

    def selected_scan(self) -> int | None:
        """The scan behind the chosen history row (the latest scan when none is chosen)."""
        row = self.history.currentRow()
        if row in self.scan_ids:
            return self.scan_ids[row]
        if row < 0 and self.scan_ids:
            return self.scan_ids[max(self.scan_ids)]
        return None

    def show_scan(self) -> bool:
        """Show the scanned form behind the chosen decision (the proof)."""
        from merlet_desk.store import paper_forms

        scan_id = self.selected_scan()
        if scan_id is None:
            return False
        image = paper_forms.scan_image(self.db, scan_id)
        dialogs.show_image(
            self,
            self.tr("Gescand formulier — %1").replace("%1", self.pupil.name),
            image.data,
        )
        return True

    def export_pupil_file(self) -> Path | None:
        """The pupil's file (every decision for every purpose) as a letterhead PDF."""
        from merlet_desk.reports.pupil_file import build_pupil_file
        from merlet_desk.ui.common import export

        db, number, on = self.db, self.pupil.number, self.on
        return export.export_report(
            self,
            self.tr("Leerlingdossier"),
            f"leerlingdossier-{number}.pdf",
            lambda db, path: build_pupil_file(db, path, pupil=number, on=on),
            db,
        )

    def history_rows(self) -> list[list[str]]:
        """The history as shown (for tests and copy)."""
        return [
            [cell_text(self.history, r, c) for c in range(self.history.columnCount())]
            for r in range(self.history.rowCount())
        ]

    def _go_to_takedowns(self) -> None:
        self.takedownsRequested.emit()
        self.accept()

    def show_error(self, message: str) -> None:
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setText(message)
        self.error.show()

    def save(self) -> bool:
        """Record the decision in the form. On bad input show why (nothing is saved)."""
        if self.read_only:
            return False
        values = self.form.values()
        if not values["decision"]:
            self.show_error(self.tr("Kies het besluit: toestemming, geweigerd of ingetrokken."))
            return False
        try:
            with self.db.atomic():
                decision_store.record_decision(
                    self.db,
                    self.pupil.number,
                    self.purpose.code,
                    values["decision"],
                    values["given_by"],
                    values["giver_name"],
                    values["received_on"],
                    method=values["method"],
                )
        except InputError as exc:
            self.show_error(str(exc))
            return False
        from merlet_desk.ui.consent.takedown_notice import takedown_notice

        notice = takedown_notice(self.db, self.pupil.number, self.pupil.name)
        self.error.setStyleSheet(ERROR_STYLE if notice else OK_STYLE)
        self.error.setText(" ".join([self.tr("Vastgelegd."), notice]).strip())
        self.error.show()
        self.takedowns_button.setVisible(bool(notice))
        self.form.giver_name.clear()
        self.form.decision.setCurrentIndex(-1)  # the next decision is chosen again
        self.refresh()
        self.recorded.emit(self.pupil.number)
        return True
