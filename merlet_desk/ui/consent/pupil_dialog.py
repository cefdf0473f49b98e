"""Adding or editing a pupil: number, name, birth date, class and location (a new class or
location is confirmed first, a known one keeps its spelling)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from merlet_desk import clock
from merlet_desk.errors import InputError
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store.pupils import Pupil
from merlet_desk.store.sqlite_utils_import import Database
from merlet_desk.ui.common import dialogs
from merlet_desk.ui.common.widgets import DateField, TypedDateField
from merlet_desk.ui.consent.dialog_parts import ERROR_STYLE, save_cancel_buttons

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
        # Nothing filled in that could be saved unseen: no made-up birth date.
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
