"""What the consent dialogs share: the error and success styles, Opslaan/Annuleren,
combo boxes filled from the rules' labels, a pupil's heading line and a timestamp as shown."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
)

from merlet_desk.domain import consent as rules
from merlet_desk.store.pupils import Pupil
from merlet_desk.ui.common.consent_states import tr_consent

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


def show_dialog(dialog: QDialog) -> QDialog:
    """Window-modal without blocking (`open()`), deleted when closed: tests drive it directly."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
