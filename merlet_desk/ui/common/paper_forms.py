"""Print personal consent forms ("Formulieren afdrukken"), shared by Toestemmingen and Rapporten.

`FormsChoice` collects who gets a form (the pupils shown in the register, one chosen pupil, a
class or a location) and which purposes (all active ones by default, at most eight), and
gives the build callable `ui.common.export` runs in its worker thread. That callable opens its
own database connection: it records the forms and writes the PDF in one transaction
(`store.paper_forms.issue_forms` + `reports.consent_forms`), exactly as `merlet-desk report
forms` does, so a failed PDF records no forms.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from merlet_desk import clock
from merlet_desk.domain import paper_form as layout
from merlet_desk.domain.text import count_text
from merlet_desk.errors import InputError
from merlet_desk.letterhead import location_names
from merlet_desk.store.pupils import Pupil

CODE_ROLE = Qt.ItemDataRole.UserRole


def _who_and_what(
    db: Any,
    numbers: Sequence[str] | None,
    class_name: str | None,
    location: str | None,
    codes: Sequence[str] | None,
) -> tuple[list[Pupil], list[Any]]:
    """The pupils who get a form and the purposes on it; InputError when there are none."""
    from merlet_desk.store import paper_forms
    from merlet_desk.store import pupils as store

    if numbers:
        pupils = store.resolve_pupils(db, list(numbers))
    else:
        pupils = store.list_pupils(db, location=location, class_name=class_name)
    if not pupils:
        raise InputError("Er zijn geen leerlingen om een formulier voor te maken.")
    return pupils, paper_forms.form_purposes(db, list(codes) if codes else None)


def preview_forms(
    db: Any,
    target: Path,
    *,
    numbers: Sequence[str] | None = None,
    class_name: str | None = None,
    location: str | None = None,
    codes: Sequence[str] | None = None,
) -> int:
    """The forms' pages marked VOORBEELD, to look at: nothing is recorded (the read-only
    connection the export hands a builder will do); returns the number of forms."""
    from merlet_desk.reports.consent_forms import build_consent_forms
    from merlet_desk.store import paper_forms

    pupils, purposes = _who_and_what(db, numbers, class_name, location, codes)
    forms = paper_forms.draft_forms(pupils, purposes, clock.today())
    build_consent_forms(db, target, forms, preview=True)
    return len(forms)


def print_forms(
    db_path: Path,
    target: Path,
    *,
    numbers: Sequence[str] | None = None,
    class_name: str | None = None,
    location: str | None = None,
    codes: Sequence[str] | None = None,
) -> int:
    """Record one form per pupil and write their pages to `target` (own connection); returns
    the number of forms."""
    from merlet_desk.reports.consent_forms import build_consent_forms
    from merlet_desk.store import open_database, paper_forms

    db = open_database(db_path, create=False)
    try:
        pupils, purposes = _who_and_what(db, numbers, class_name, location, codes)
        with db.atomic():
            forms = paper_forms.issue_forms(db, pupils, purposes, clock.today())
            build_consent_forms(db, target, forms)
        return len(forms)
    finally:
        db.close()


class FormsChoice(QWidget):
    """Who gets a form, and which purposes are on it."""

    def __init__(
        self,
        db: Any,
        db_path: Path,
        *,
        shown: Sequence[Pupil] = (),
        shown_label: str = "",
        chosen: Pupil | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        from merlet_desk.store import pupils as store
        from merlet_desk.store import purposes as purpose_store

        self.db_path = db_path
        self.shown = list(shown)
        self.chosen = chosen
        self.group = QButtonGroup(self)
        self.by_shown = QRadioButton(
            count_text(
                len(self.shown),
                self.tr("De leerling in het register%2"),
                self.tr("De %1 leerlingen in het register%2"),
            ).replace("%2", f" ({shown_label})" if shown_label else "")
        )
        self.by_chosen = QRadioButton(
            self.tr("Alleen %1").replace("%1", chosen.name if chosen else "")
        )
        self.by_class = QRadioButton(self.tr("Een klas"))
        self.by_location = QRadioButton(self.tr("Een locatie"))
        self.class_combo = QComboBox()
        for name in store.list_classes(db):
            self.class_combo.addItem(name)
        self.location_combo = QComboBox()
        for name in location_names():
            self.location_combo.addItem(name)
        for button in (self.by_shown, self.by_chosen, self.by_class, self.by_location):
            self.group.addButton(button)
        self.by_shown.setVisible(bool(self.shown))
        self.by_chosen.setVisible(chosen is not None)
        (self.by_shown if self.shown else self.by_chosen if chosen else self.by_class).setChecked(
            True
        )
        self.by_class.toggled.connect(self.class_combo.setEnabled)
        self.by_location.toggled.connect(self.location_combo.setEnabled)
        self.class_combo.setEnabled(self.by_class.isChecked())
        self.location_combo.setEnabled(self.by_location.isChecked())

        self.purposes = QListWidget()
        self.purposes.setAccessibleName(self.tr("Doelen op het formulier"))
        for purpose in purpose_store.list_purposes(db):
            item = QListWidgetItem(purpose.label)
            item.setData(CODE_ROLE, purpose.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.purposes.addItem(item)
        self.purposes.setMaximumHeight(170)
        note = QLabel(
            self.tr(
                "Eén A4 per leerling op briefpapier, met QR-code en hoekmarkeringen zodat de "
                "ingevulde stapel gescand kan worden. Elk formulier krijgt een eigen nummer en "
                "wordt in de database vastgelegd; onder de 16 tekent een ouder of voogd, "
                "vanaf 16 de leerling zelf. Druk af op ware grootte (100 %)."
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color:#4d4d4d;")

        form = QFormLayout(self)
        form.addRow(note)
        form.addRow(self.by_shown)
        form.addRow(self.by_chosen)
        form.addRow(self.by_class, self.class_combo)
        form.addRow(self.by_location, self.location_combo)
        # A label without a field (Qt takes a null field; the stubs do not say so).
        purposes_label = self.tr("Doelen (hooguit %1)").replace("%1", str(layout.MAX_PURPOSES))
        form.addRow(purposes_label, None)  # type: ignore[call-overload]
        form.addRow(self.purposes)

    def codes(self) -> list[str]:
        return [
            self.purposes.item(i).data(CODE_ROLE)
            for i in range(self.purposes.count())
            if self.purposes.item(i).checkState() == Qt.CheckState.Checked
        ]

    def job(self) -> tuple[str, str, Callable[[Any, Path], int]]:
        """(title, suggested file name, build); InputError for a choice that cannot work.
        The build records the forms it writes."""
        title, name, choice = self._choice()
        db_path = self.db_path
        # Writes which forms were printed through a connection of its own (db_path); the
        # read-only connection the export hands a builder is not needed.
        return title, name, lambda _db, path: print_forms(db_path, path, **choice)

    def preview_job(self) -> tuple[str, str, Callable[[Any, Path], int]]:
        """As `job`, but the build only shows the forms (VOORBEELD) and records nothing."""
        title, name, choice = self._choice()
        return title, name, lambda db, path: preview_forms(db, path, **choice)

    def _choice(self) -> tuple[str, str, dict[str, Any]]:
        """(title, suggested file name, who and which purposes as `print_forms` takes them)."""
        codes = self.codes()
        if not codes:
            raise InputError(self.tr("Kies minstens één doel."))
        if len(codes) > layout.MAX_PURPOSES:
            raise InputError(
                self.tr("Een formulier heeft plaats voor %1 doelen; kies er minder.").replace(
                    "%1", str(layout.MAX_PURPOSES)
                )
            )
        numbers: list[str] | None = None
        class_name = location = None
        if self.by_shown.isChecked():
            numbers = [p.number for p in self.shown]
            name = "register"
        elif self.by_chosen.isChecked() and self.chosen is not None:
            numbers = [self.chosen.number]
            name = self.chosen.number
        elif self.by_class.isChecked():
            class_name = self.class_combo.currentText()
            if not class_name:
                raise InputError(self.tr("Kies een klas."))
            name = f"klas-{class_name}"
        else:
            location = self.location_combo.currentText()
            name = location
        return (
            self.tr("Toestemmingsformulieren"),
            f"toestemmingsformulieren-{name}-{clock.today().isoformat()}.pdf".lower(),
            {"numbers": numbers, "class_name": class_name, "location": location, "codes": codes},
        )


class PrintFormsDialog(QDialog):
    """ "Formulieren afdrukken": FormsChoice, then save as PDF or print."""

    def __init__(
        self,
        db: Any,
        db_path: Path,
        *,
        shown: Sequence[Pupil] = (),
        shown_label: str = "",
        chosen: Pupil | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Toestemmingsformulieren afdrukken"))
        self.setMinimumWidth(520)
        self.choice = FormsChoice(
            db, db_path, shown=shown, shown_label=shown_label, chosen=chosen, parent=self
        )
        self.result_path: Path | None = None
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuleren"))
        self.save_button = QPushButton(self.tr("Opslaan als PDF…"))
        self.print_button = QPushButton(self.tr("Afdrukken…"))
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.print_button.clicked.connect(self.print_)
        buttons.rejected.connect(self.reject)
        layout_ = QVBoxLayout(self)
        layout_.addWidget(self.choice)
        layout_.addWidget(buttons)

    def _job(self) -> tuple[str, str, Callable[[Any, Path], int]] | None:
        from merlet_desk.ui.common import dialogs

        try:
            return self.choice.job()
        except InputError as exc:
            dialogs.show_error(self, self.windowTitle(), str(exc))
            return None

    def save(self) -> Path | None:
        from merlet_desk.ui.common import export

        job = self._job()
        if job is None:
            return None
        self.result_path = export.export_report(self, *job)
        if self.result_path is not None:
            self.accept()
        return self.result_path

    def print_(self) -> bool:
        from merlet_desk.ui.common import export

        job = self._job()
        if job is None:
            return False
        title, _, build = job
        done = export.print_report(self, title, build)
        if done:
            self.accept()
        return done
