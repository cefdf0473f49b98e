"""Form entry: typing in a pile of returned paper consent forms, one form after another.

Pick the pupil by number or name, then one keystroke per purpose (J = ja, N = nee,
I = ingetrokken, spatie = overslaan; focus moves on by itself), giver and date once for the
whole form, Enter saves every decision of the form in one transaction and starts the next form.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from merlet_desk import clock
from merlet_desk.domain import consent as rules
from merlet_desk.domain.text import count_text
from merlet_desk.errors import InputError
from merlet_desk.store import decisions as decision_store
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store import purposes as purpose_store
from merlet_desk.store import statuses as store
from merlet_desk.store.pupils import Pupil
from merlet_desk.store.purposes import Purpose
from merlet_desk.store.sqlite_utils_import import Database
from merlet_desk.ui.common.consent_states import status_chip, status_label
from merlet_desk.ui.common.purposes import purpose_text
from merlet_desk.ui.common.screen import fit_to_screen
from merlet_desk.ui.common.widgets import DateField, PupilPicker
from merlet_desk.ui.consent.dialog_parts import (
    ERROR_STYLE,
    OK_STYLE,
    fill_combo,
    pupil_heading,
    select_data,
)

KEYS = {
    Qt.Key.Key_J: rules.GRANTED,
    Qt.Key.Key_N: rules.REFUSED,
    Qt.Key.Key_I: rules.WITHDRAWN,
}
VALUE_TEXT = {
    None: str(QT_TRANSLATE_NOOP("DecisionKeyField", "· overslaan")),
    rules.GRANTED: str(QT_TRANSLATE_NOOP("DecisionKeyField", "J  Ja — toestemming")),
    rules.REFUSED: str(QT_TRANSLATE_NOOP("DecisionKeyField", "N  Nee — geweigerd")),
    rules.WITHDRAWN: str(QT_TRANSLATE_NOOP("DecisionKeyField", "I  Ingetrokken")),
}
VALUE_STYLE = {
    None: "background:#ffffff; color:#5a6b80;",
    rules.GRANTED: "background:#b7e1b9; color:#0f3d14; font-weight:bold;",
    rules.REFUSED: "background:#c62828; color:#ffffff; font-weight:bold;",
    rules.WITHDRAWN: "background:#6a1b9a; color:#ffffff; font-weight:bold;",
}


class DecisionKeyField(QLabel):
    """Takes one keystroke: J, N, I or space; shows the choice and hands focus on."""

    submitted = Signal()
    changed = Signal()

    def __init__(self, purpose: Purpose, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.purpose = purpose
        self.value: str | None = None
        self.next_field: QWidget | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumWidth(210)
        self.setMinimumHeight(26)
        self.setAccessibleName(purpose.label)
        self._focused = False
        self._render()

    def set_value(self, value: str | None) -> None:
        self.value = value
        self._render()
        self.changed.emit()

    def _render(self) -> None:
        self.setText(self.tr(VALUE_TEXT[self.value]))
        border = "2px solid #1f3a5f" if self._focused else "1px solid #b8c2cc"
        self.setStyleSheet(f"{VALUE_STYLE[self.value]} border:{border}; padding:1px 6px;")

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt API)
        self._focused = True
        self._render()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt API)
        self._focused = False
        self._render()
        super().focusOutEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        key = Qt.Key(event.key())
        if key in KEYS or key == Qt.Key.Key_Space:
            self.set_value(KEYS.get(key))
            self._advance()
        elif key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
            self.set_value(None)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submitted.emit()
        else:
            super().keyPressEvent(event)

    def _advance(self) -> None:
        if self.next_field is not None:
            self.next_field.setFocus(Qt.FocusReason.TabFocusReason)


class FormEntryDialog(QDialog):
    """One returned paper form at a time. Emits `saved(pupil_number)` after each form."""

    saved = Signal(str)
    takedownsRequested = Signal()  # "Naar Te verwijderen" after a withdrawal

    def __init__(
        self,
        db: Database,
        pupils: list[Pupil] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.pupil: Pupil | None = None
        self.forms_saved = 0
        self.setWindowTitle(self.tr("Formulieren invoeren"))

        help_text = QLabel(
            self.tr(
                "Per formulier: typ leerlingnummer of naam en druk Enter. Geef dan per doel één "
                "toets: <b>J</b> = ja, <b>N</b> = nee, <b>I</b> = ingetrokken, <b>spatie</b> = "
                "overslaan. <b>Enter</b> slaat het hele formulier op en begint het volgende."
            )
        )
        help_text.setWordWrap(True)
        help_text.setStyleSheet("background:#eef3f8; padding:8px; color:#1f3a5f;")

        self.picker = PupilPicker(pupils if pupils is not None else pupil_store.list_pupils(db))
        self.picker.picked.connect(self.set_pupil)
        self.pupil_label = QLabel(self.tr("Nog geen leerling gekozen."))
        self.pupil_label.setStyleSheet("font-size:12pt; font-weight:600; color:#1f3a5f;")

        self.given_by = QComboBox()
        fill_combo(self.given_by, rules.GIVER_LABELS, rules.GIVERS)
        self.giver_name = QLineEdit()
        self.giver_name.setPlaceholderText(self.tr("naam zoals op het formulier"))
        self.giver_name.returnPressed.connect(self.save)
        self.received_on = DateField(clock.today())
        self.method = QComboBox()
        fill_combo(self.method, rules.METHOD_LABELS, rules.METHODS)
        giver_box = QGroupBox(self.tr("Ondertekend door (voor het hele formulier)"))
        giver_form = QFormLayout(giver_box)
        giver_form.addRow(self.tr("Gegeven door:"), self.given_by)
        giver_form.addRow(self.tr("Naam:"), self.giver_name)
        giver_form.addRow(self.tr("Datum ontvangen:"), self.received_on)
        giver_form.addRow(self.tr("Hoe ontvangen:"), self.method)

        self.purposes = purpose_store.list_purposes(db)
        purposes_box = QGroupBox(self.tr("Besluit per doel"))
        grid = QGridLayout(purposes_box)
        grid.addWidget(QLabel(self.tr("<b>Doel</b>")), 0, 0)
        grid.addWidget(QLabel(self.tr("<b>Nu</b>")), 0, 1, 1, 2)
        grid.addWidget(QLabel(self.tr("<b>Op het formulier</b>")), 0, 3)
        self.fields: list[DecisionKeyField] = []
        self._now_cells: list[tuple[QHBoxLayout, QLabel]] = []
        for row, purpose in enumerate(self.purposes, start=1):
            name = QLabel(purpose.label)
            name.setToolTip(purpose_text(purpose))  # with the examples of the paper form
            grid.addWidget(name, row, 0)
            chip_holder = QHBoxLayout()
            now_text = QLabel("")
            now_text.setStyleSheet("color:#5a6b80;")
            grid.addLayout(chip_holder, row, 1)
            grid.addWidget(now_text, row, 2)
            self._now_cells.append((chip_holder, now_text))
            field = DecisionKeyField(purpose)
            field.submitted.connect(self.save)
            grid.addWidget(field, row, 3)
            self.fields.append(field)
        for field, following in zip(self.fields, [*self.fields[1:], self.giver_name], strict=True):
            field.next_field = following
        grid.setColumnStretch(0, 1)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        self.save_button = QPushButton(self.tr("Opslaan en volgend formulier (Enter)"))
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton(self.tr("Klaar"))
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.finish)
        self.counter = QLabel()
        from merlet_desk.ui.consent.takedown_notice import takedowns_button

        self.takedowns_button = takedowns_button()
        self.takedowns_button.clicked.connect(self._go_to_takedowns)
        buttons = QHBoxLayout()
        buttons.addWidget(self.counter)
        buttons.addStretch(1)
        buttons.addWidget(self.takedowns_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)

        picker_row = QHBoxLayout()
        picker_row.addWidget(QLabel(self.tr("Leerling:")))
        picker_row.addWidget(self.picker, 1)
        separator = QFrame()
        separator.setFrameShape(QFrame.Shape.HLine)
        layout = QVBoxLayout(self)
        layout.addWidget(help_text)
        layout.addLayout(picker_row)
        layout.addWidget(self.pupil_label)
        layout.addWidget(separator)
        layout.addWidget(purposes_box)
        layout.addWidget(giver_box)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self._set_enabled(False)
        self._update_counter()
        fit_to_screen(self, 880, self.sizeHint().height())

    # -- state --------------------------------------------------------------------------------

    def _set_enabled(self, enabled: bool) -> None:
        for field in self.fields:
            field.setEnabled(enabled)
        for widget in (self.given_by, self.giver_name, self.received_on, self.method):
            widget.setEnabled(enabled)
        self.save_button.setEnabled(enabled)

    def _update_counter(self) -> None:
        self.counter.setText(
            count_text(
                self.forms_saved,
                self.tr("1 formulier opgeslagen"),
                self.tr("%1 formulieren opgeslagen"),
            )
        )

    def set_pupil(self, pupil: Pupil) -> None:
        """Start a form for this pupil: show the current statuses, reset the keys."""
        self.pupil = pupil
        self.pupil_label.setText(pupil_heading(pupil, clock.today()))
        today = clock.today()
        codes = [purpose.code for purpose in self.purposes]
        statuses = store.pupil_statuses(self.db, pupil, today, codes)
        for (holder, text), purpose in zip(self._now_cells, self.purposes, strict=True):
            while (item := holder.takeAt(0)) is not None:
                old = item.widget()
                if old is not None:
                    old.deleteLater()
            status = statuses[purpose.code]
            holder.addWidget(status_chip(status.state))
            text.setText(status_label(status))
        for field in self.fields:
            field.set_value(None)
        select_data(self.given_by, rules.default_giver(pupil.birth_date, self.received_on.value()))
        self.giver_name.clear()
        self.message.hide()
        self._set_enabled(True)
        if self.fields:
            self.fields[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def choices(self) -> list[tuple[Purpose, str]]:
        return [(field.purpose, field.value) for field in self.fields if field.value is not None]

    def has_unsaved_form(self) -> bool:
        """A pupil chosen and something of the form filled in, not yet saved."""
        return self.pupil is not None and bool(self.choices())

    def finish(self) -> bool:
        """Klaar: a half-entered form is never dropped without a word; the officer saves it,
        lets it go, or goes back to it. False when the dialog stays open."""
        if self.has_unsaved_form():
            assert self.pupil is not None
            from merlet_desk.ui.common import dialogs

            answer = dialogs.ask_save_changes(
                self,
                self.tr("Formulier niet opgeslagen"),
                self.tr("Het formulier van %1 is nog niet opgeslagen. Wilt u het opslaan?").replace(
                    "%1", self.pupil.name
                ),
            )
            if answer == "cancel" or (answer == "save" and not self.save()):
                return False
        self.accept()
        return True

    def reject(self) -> None:
        """Escape or the window's close button: the same question as Klaar."""
        if self.has_unsaved_form():
            self.finish()
            return
        super().reject()

    def _go_to_takedowns(self) -> None:
        self.takedownsRequested.emit()
        self.accept()

    def _show(self, text: str, ok: bool) -> None:
        self.message.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.message.setText(text)
        self.message.show()

    # -- saving -------------------------------------------------------------------------------

    def save(self) -> bool:
        """Save every decision of this form in one transaction, then start the next form."""
        if self.pupil is None:
            self._show(self.tr("Kies eerst de leerling van dit formulier."), ok=False)
            self.picker.setFocus()
            return False
        choices = self.choices()
        if not choices:
            self._show(self.tr("Er is voor geen enkel doel iets ingevuld (J, N of I)."), ok=False)
            return False
        pupil = self.pupil
        given_by = self.given_by.currentData()
        giver_name = self.giver_name.text().strip()
        received_on = self.received_on.value()
        method = self.method.currentData()
        try:
            with self.db.atomic():
                for purpose, decision in choices:
                    try:
                        decision_store.record_decision(
                            self.db,
                            pupil.number,
                            purpose.code,
                            decision,
                            given_by,
                            giver_name,
                            received_on,
                            method=method,
                        )
                    except InputError as exc:
                        raise InputError(f"{purpose.label}: {exc.message}", exc.problems) from exc
        except InputError as exc:
            self._show(
                self.tr("Niets opgeslagen. %1").replace("%1", str(exc)),
                ok=False,
            )
            return False
        self.forms_saved += 1
        self._update_counter()
        self.saved.emit(pupil.number)
        self.pupil = None
        for field in self.fields:
            field.set_value(None)
        self.giver_name.clear()
        self.picker.clear()
        self._set_enabled(False)
        self.pupil_label.setText(self.tr("Volgend formulier: kies de leerling."))
        from merlet_desk.ui.consent.takedown_notice import takedown_notice

        notice = takedown_notice(self.db, pupil.number, pupil.name)
        saved = count_text(
            len(choices),
            self.tr("Opgeslagen: 1 besluit voor %2."),
            self.tr("Opgeslagen: %1 besluiten voor %2."),
        ).replace("%2", pupil.name)
        self._show(" ".join([saved, notice]).strip(), ok=not notice)
        self.takedowns_button.setVisible(bool(notice))
        self.picker.setFocus(Qt.FocusReason.OtherFocusReason)
        return True
