"""Dialogs of the consent register: a pupil's history for one purpose with a form to record a
new decision, adding/editing a pupil, and managing purposes.

They are shown with `open()` (window-modal, not blocking), so tests drive them directly.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TypedDict

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSpinBox,
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
from merlet_desk.store import consent_settings as settings_store
from merlet_desk.store import decisions as decision_store
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store import purposes as purpose_store
from merlet_desk.store import statuses as store
from merlet_desk.store.pupils import Pupil
from merlet_desk.store.purposes import Purpose
from merlet_desk.store.sqlite_utils_import import Database
from merlet_desk.ui.common import dialogs
from merlet_desk.ui.common.consent_states import state_label, status_chip, tr_consent
from merlet_desk.ui.common.purposes import purpose_text
from merlet_desk.ui.common.screen import fit_to_screen
from merlet_desk.ui.common.widgets import DateField, TypedDateField, cell_text

ERROR_STYLE = "color:#a61b1b; background:#fdecec; border:1px solid #e3a3a3; padding:6px;"
OK_STYLE = "color:#1d5e22; background:#e9f6ea; border:1px solid #9fd0a3; padding:6px;"


def format_timestamp(value: str) -> str:
    """An ISO timestamp as "24-11-2026 14:05" (the text itself when it is not ISO)."""
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return value or ""
    return moment.strftime("%d-%m-%Y %H:%M")


def fill_combo(combo: QComboBox, labels: dict[str, str], keys: tuple[str, ...] = ()) -> None:
    for key in keys or tuple(labels):
        combo.addItem(tr_consent(labels[key]), key)


def select_data(combo: QComboBox, value: str) -> None:
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)


def save_cancel_buttons(dialog: QDialog, save: Callable[[], object]) -> QDialogButtonBox:
    """Opslaan / Annuleren; Opslaan calls `save` (which accepts the dialog when it worked)."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.button(QDialogButtonBox.StandardButton.Save).setText(dialog.tr("Opslaan"))
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(dialog.tr("Annuleren"))
    buttons.accepted.connect(save)
    buttons.rejected.connect(dialog.reject)
    return buttons


def pupil_heading(pupil: Pupil, on: date) -> str:
    age = QCoreApplication.translate("consent", "%1 jaar").replace(
        "%1", str(rules.age_on(pupil.birth_date, on))
    )
    return f"{pupil.name} · {pupil.number} · {pupil.class_name} · {pupil.location} · {age}"


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
        # the worst mistake this form can make (issue 15).
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
        self.scan_ids: dict[int, int] = {}  # history row -> the scan it came from (issue 16)
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
        layout.addWidget(self.form_area)
        layout.addWidget(self.buttons)
        self.refresh()
        fit_to_screen(self, 900, 640)

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
            .replace("%2", state_label(status.state))
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
        self.form.giver_name.clear()
        self.form.decision.setCurrentIndex(-1)  # the next decision is chosen again
        self.refresh()
        self.recorded.emit(self.pupil.number)
        return True


LOCATION_DEFAULTS = ("Cuijk", "Grave", "Mill")


class PupilDialog(QDialog):
    """Add a pupil (number empty) or edit one. Emits `saved(Pupil)`."""

    saved = Signal(object)

    def __init__(
        self,
        db: Database,
        pupil: Pupil | None = None,
        locations: tuple[str, ...] = LOCATION_DEFAULTS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.pupil = pupil
        self.setWindowTitle(
            self.tr("Leerling bewerken") if pupil else self.tr("Leerling toevoegen")
        )
        self.number = QLineEdit(pupil.number if pupil else "")
        self.number.setReadOnly(pupil is not None)
        self.first_name = QLineEdit(pupil.first_name if pupil else "")
        self.prefix = QLineEdit(pupil.prefix if pupil else "")
        self.prefix.setPlaceholderText(self.tr("bijv. van den"))
        self.last_name = QLineEdit(pupil.last_name if pupil else "")
        # Nothing filled in that could be saved unseen: no made-up birth date (issue 15).
        self.birth_date = TypedDateField()
        self.birth_date.set_date(pupil.birth_date if pupil else None)
        # A class or location is chosen from the ones the register knows; one typed anew is
        # added after a confirmation, so "2a " or "Cujik" does not make a new one unnoticed.
        self.known_classes = pupil_store.list_classes(db)
        self.class_name = self._choice(self.known_classes, pupil.class_name if pupil else "")
        class_line = self.class_name.lineEdit()  # an editable combo box has one
        assert class_line is not None
        class_line.setPlaceholderText(self.tr("kies of typ, bijv. 1A"))
        self.location = QComboBox()  # the school's locations only; none chosen for a new pupil
        self.location.addItems(list(locations))
        self.location.setPlaceholderText(self.tr("kies een locatie"))
        self.location.setCurrentIndex(self.location.findText(pupil.location) if pupil else -1)
        self.has_left = QCheckBox(self.tr("Van school af op:"))
        self.left_on = DateField(pupil.left_on if pupil and pupil.left_on else clock.today())
        self.has_left.setChecked(bool(pupil and pupil.left_on))
        self.left_on.setEnabled(self.has_left.isChecked())
        self.has_left.toggled.connect(self.left_on.setEnabled)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()

        form = QFormLayout()
        form.addRow(self.tr("Leerlingnummer:"), self.number)
        form.addRow(self.tr("Roepnaam:"), self.first_name)
        form.addRow(self.tr("Tussenvoegsel:"), self.prefix)
        form.addRow(self.tr("Achternaam:"), self.last_name)
        form.addRow(self.tr("Geboortedatum:"), self.birth_date)
        form.addRow(self.tr("Klas:"), self.class_name)
        form.addRow(self.tr("Locatie:"), self.location)
        form.addRow(self.has_left, self.left_on)
        buttons = save_cancel_buttons(self, self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    @staticmethod
    def _choice(known: list[str], current: str) -> QComboBox:
        """An editable list of the known values, starting at `current` (empty for none)."""
        combo = QComboBox()
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.addItems(known)
        combo.setCurrentIndex(-1)
        combo.setEditText(current)
        return combo

    def _confirm_new(self, value: str, known: list[str], question: str) -> bool:
        """A value the register does not know yet is used only after the officer says so."""
        if value in known:
            return True
        return dialogs.ask_yes_no(self, self.windowTitle(), question.replace("%1", value))

    @staticmethod
    def _known_spelling(value: str, known: list[str]) -> str:
        """ "2a" for the known "2A": the register's spelling."""
        return next((k for k in known if k.casefold() == value.casefold()), value)

    def save(self) -> bool:
        problems = []
        for text, problem in (
            (self.number.text(), self.tr("Vul het leerlingnummer in.")),
            (self.first_name.text(), self.tr("Vul de roepnaam in.")),
            (self.last_name.text(), self.tr("Vul de achternaam in.")),
            (self.class_name.currentText(), self.tr("Kies of typ de klas.")),
            (self.location.currentText(), self.tr("Kies de locatie.")),
        ):
            if not text.strip():
                problems.append(problem)
        birth_date = None
        if not self.birth_date.text().strip():
            problems.append(self.tr("Vul de geboortedatum in."))
        else:
            try:
                birth_date = self.birth_date.value()
            except ValueError as exc:
                problems.append(self.tr("Geboortedatum: %1").replace("%1", str(exc)))
        if problems or birth_date is None:
            self.error.setText("\n".join(problems))
            self.error.show()
            return False
        class_name = self._known_spelling(self.class_name.currentText().strip(), self.known_classes)
        location = self.location.currentText().strip()
        if not self._confirm_new(
            class_name,
            self.known_classes,
            self.tr("Klas %1 staat nog niet in het register. Als nieuwe klas toevoegen?"),
        ):
            return False
        try:
            pupil = pupil_store.save_pupil(
                self.db,
                self.number.text().strip(),
                self.first_name.text().strip(),
                self.prefix.text().strip(),
                self.last_name.text().strip(),
                birth_date,
                class_name,
                location,
                left_on=self.left_on.value() if self.has_left.isChecked() else None,
            )
        except InputError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return False
        self.saved.emit(pupil)
        self.accept()
        return True


class PurposesDialog(QDialog):
    """Rename, add and retire purposes. A retired purpose keeps its history. Emits `changed`."""

    changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(self.tr("Doelen beheren"))
        self.setMinimumWidth(560)
        intro = QLabel(
            self.tr(
                "Waarvoor vraagt de school toestemming? De code blijft altijd gelijk (die "
                "gebruikt de opdrachtregel); de naam ziet iedereen. Een doel dat buiten gebruik "
                "is, houdt zijn geschiedenis."
            )
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.currentRowChanged.connect(self._on_select)
        self.label = QLineEdit()
        self.label.setPlaceholderText(self.tr("Naam van het doel"))
        self.rename_button = QPushButton(self.tr("Naam wijzigen"))
        self.rename_button.clicked.connect(self.rename)
        self.retire_button = QPushButton(self.tr("Buiten gebruik stellen"))
        self.retire_button.clicked.connect(self.toggle_retired)
        # What Magister's or SOMtoday's export calls this purpose: a column with one of these
        # headers is read as this purpose when consents are imported.
        self.aliases = QLineEdit()
        self.aliases.setPlaceholderText(self.tr("bijv. Toestemming website; Schoolwebsite"))
        self.aliases.setAccessibleName(self.tr("Andere namen van het doel"))
        self.aliases_button = QPushButton(self.tr("Andere namen opslaan"))
        self.aliases_button.clicked.connect(self.save_aliases)
        self.new_code = QLineEdit()
        self.new_code.setPlaceholderText(self.tr("code, bijv. open_dag"))
        self.new_label = QLineEdit()
        self.new_label.setPlaceholderText(self.tr("naam, bijv. Open dag"))
        self.add_button = QPushButton(self.tr("Doel toevoegen"))
        self.add_button.clicked.connect(self.add)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()

        edit_row = QHBoxLayout()
        edit_row.addWidget(self.label, 1)
        edit_row.addWidget(self.rename_button)
        edit_row.addWidget(self.retire_button)
        aliases_row = QHBoxLayout()
        aliases_row.addWidget(self.aliases, 1)
        aliases_row.addWidget(self.aliases_button)
        aliases_note = QLabel(
            self.tr(
                "Andere namen: hoe de export van het ouderportaal (Magister, SOMtoday) de vraag "
                "noemt, gescheiden door een puntkomma. Een kolom met zo'n kop wordt bij het "
                "importeren als dit doel gelezen."
            )
        )
        aliases_note.setWordWrap(True)
        aliases_note.setStyleSheet("color:#4d5966;")
        add_row = QHBoxLayout()
        add_row.addWidget(self.new_code)
        add_row.addWidget(self.new_label, 1)
        add_row.addWidget(self.add_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Sluiten"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addLayout(edit_row)
        layout.addWidget(aliases_note)
        layout.addLayout(aliases_row)
        new_title = QLabel(self.tr("Nieuw doel:"))
        new_title.setStyleSheet("font-weight:600;")
        layout.addWidget(new_title)
        layout.addLayout(add_row)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.reload()

    def reload(self, select_code: str | None = None) -> None:
        self.purposes = purpose_store.list_purposes(self.db, include_retired=True)
        self.list.clear()
        for purpose in self.purposes:
            text = f"{purpose.label}  ({purpose.code})"
            if purpose.retired:
                text += self.tr(" — buiten gebruik")
            item = QListWidgetItem(text)
            if purpose.retired:
                item.setForeground(Qt.GlobalColor.gray)
            self.list.addItem(item)
        codes = [p.code for p in self.purposes]
        self.list.setCurrentRow(codes.index(select_code) if select_code in codes else 0)

    def selected(self) -> Purpose | None:
        row = self.list.currentRow()
        return self.purposes[row] if 0 <= row < len(self.purposes) else None

    def _on_select(self, row: int) -> None:
        purpose = self.selected()
        self.label.setText(purpose.label if purpose else "")
        self.aliases.setText("; ".join(purpose.aliases) if purpose else "")
        self.retire_button.setText(
            self.tr("Weer in gebruik nemen")
            if purpose and purpose.retired
            else self.tr("Buiten gebruik stellen")
        )

    def _run(self, action: object, select_code: str | None) -> bool:
        try:
            action()  # type: ignore[operator]
        except InputError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return False
        self.error.hide()
        self.reload(select_code)
        self.changed.emit()
        return True

    def rename(self) -> bool:
        purpose = self.selected()
        if purpose is None:
            return False
        label = self.label.text().strip()
        return self._run(
            lambda: purpose_store.rename_purpose(self.db, purpose.code, label), purpose.code
        )

    def save_aliases(self) -> bool:
        purpose = self.selected()
        if purpose is None:
            return False
        names = [name.strip() for name in self.aliases.text().split(";")]
        return self._run(
            lambda: purpose_store.set_purpose_aliases(self.db, purpose.code, names), purpose.code
        )

    def toggle_retired(self) -> bool:
        purpose = self.selected()
        if purpose is None:
            return False
        return self._run(
            lambda: purpose_store.retire_purpose(
                self.db, purpose.code, retired=not purpose.retired
            ),
            purpose.code,
        )

    def add(self) -> bool:
        code, label = self.new_code.text().strip(), self.new_label.text().strip()
        if self._run(lambda: purpose_store.add_purpose(self.db, code, label), code):
            self.new_code.clear()
            self.new_label.clear()
            return True
        return False


MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


class ConsentSettingsDialog(QDialog):
    """How decisions are read: validity per school year or until withdrawn, the first day of
    the school year, and whether from 16 only the pupil's own consent counts. Changing these
    never changes a decision. Emits `saved` after a change."""

    saved = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(self.tr("Instellingen toestemmingen"))
        self.setMinimumWidth(560)
        current = settings_store.consent_settings(db)
        intro = QLabel(
            self.tr(
                "Deze instellingen bepalen hoe de vastgelegde besluiten gelezen worden. De "
                "besluiten zelf veranderen nooit; u kunt een instelling dus altijd terugzetten."
            )
        )
        intro.setWordWrap(True)
        self.per_school_year = QRadioButton(
            self.tr("Per schooljaar: elk schooljaar opnieuw vragen (aanbevolen)")
        )
        self.until_withdrawn = QRadioButton(self.tr("Tot wederopzegging: geldig tot intrekking"))
        self.per_school_year.setChecked(current.validity == rules.SCHOOL_YEAR)
        self.until_withdrawn.setChecked(current.validity == rules.UNTIL_WITHDRAWN)
        self.start_day = QSpinBox()
        self.start_day.setRange(1, 31)
        self.start_day.setMinimumWidth(self.start_day.sizeHint().width() + 12)
        self.start_month = QComboBox()
        for number, name in enumerate(MONTHS, start=1):
            self.start_month.addItem(self.tr(name), number)
        month, day = current.school_year_start
        self.start_day.setValue(day)
        self.start_month.setCurrentIndex(month - 1)
        self.pupil_only = QCheckBox(self.tr("Vanaf 16 jaar telt alleen de leerling zelf"))
        pupil_only_note = QLabel(
            self.tr(
                "Toestemming van de ouder is dan niet meer genoeg: de leerling moet zelf "
                "toestemming geven. Zonder dit vinkje blijft de toestemming van de ouder gelden "
                "en meldt het register dat de leerling geïnformeerd moet worden."
            )
        )
        pupil_only_note.setWordWrap(True)
        pupil_only_note.setStyleSheet("color:#4d5966; margin-left:24px;")
        self.pupil_only.setChecked(current.pupil_only_from_16)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()

        validity_box = QGroupBox(self.tr("Hoe lang geldt een besluit?"))
        validity_layout = QVBoxLayout(validity_box)
        validity_layout.addWidget(self.per_school_year)
        validity_layout.addWidget(self.until_withdrawn)
        start_row = QHBoxLayout()
        start_row.addWidget(QLabel(self.tr("Het schooljaar begint op")))
        start_row.addWidget(self.start_day)
        start_row.addWidget(self.start_month)
        start_row.addStretch(1)
        validity_layout.addLayout(start_row)
        age_box = QGroupBox(self.tr("Leerlingen van 16 jaar en ouder"))
        age_layout = QVBoxLayout(age_box)
        self.pupil_only.setStyleSheet("QCheckBox { spacing: 8px; }")
        age_layout.addWidget(self.pupil_only)
        age_layout.addWidget(pupil_only_note)
        buttons = save_cancel_buttons(self, self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(validity_box)
        layout.addWidget(age_box)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def settings(self) -> rules.ConsentSettings:
        return rules.ConsentSettings(
            validity=rules.SCHOOL_YEAR
            if self.per_school_year.isChecked()
            else rules.UNTIL_WITHDRAWN,
            school_year_start=(self.start_month.currentIndex() + 1, self.start_day.value()),
            pupil_only_from_16=self.pupil_only.isChecked(),
        )

    def save(self) -> bool:
        try:
            settings_store.save_consent_settings(self.db, self.settings())
        except InputError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return False
        self.saved.emit()
        self.accept()
        return True
