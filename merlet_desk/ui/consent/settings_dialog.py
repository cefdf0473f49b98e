"""The consent settings: validity per school year or until withdrawn, the first day of the
school year, and whether from 16 only the pupil's own consent counts."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from merlet_desk.domain import consent as rules
from merlet_desk.errors import InputError
from merlet_desk.store import consent_settings as settings_store
from merlet_desk.store.sqlite_utils_import import Database
from merlet_desk.ui.consent.dialog_parts import ERROR_STYLE, save_cancel_buttons

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
