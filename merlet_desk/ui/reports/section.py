"""Rapporten: choose a report and its parameters, then preview, export as PDF or print.

Every report here is the same builder the command line uses (`merlet-desk report ...`); this
section only collects the parameters and hands a build callable to `ui.common.export`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from merlet_desk import clock
from merlet_desk.domain.text import number_text
from merlet_desk.errors import InputError
from merlet_desk.letterhead import location_names
from merlet_desk.ui.common import dialogs, export
from merlet_desk.ui.common.purposes import fill_purpose_combo
from merlet_desk.ui.common.widgets import DateField, PupilPicker, pupil_choice_text
from merlet_desk.ui.context import NothingUnsaved, SectionContext

if TYPE_CHECKING:
    from merlet_desk.store.pupils import Pupil

KEY_ROLE = Qt.ItemDataRole.UserRole
ALL_CLASSES = ""


@dataclass(frozen=True)
class ReportJob:
    """What the buttons need: a title, a file name and the build callable."""

    title: str
    suggested_name: str
    build: Callable[[Any, Path], Any]  # (db, path): reads its own connection (export)
    # For "Voorbeeld" when the document itself may not be made just to look at it (paper
    # forms are recorded when made): a build that only shows it.
    preview: Callable[[Any, Path], Any] | None = None


def _school_year_start(today: date) -> date:
    start = date(today.year, 8, 1)
    return start if today >= start else date(today.year - 1, 8, 1)


class ReportsSection(QWidget, NothingUnsaved):
    """The list of reports on the left, the chosen report's parameters on the right."""

    def __init__(
        self,
        db: Any,
        parent: QWidget | None = None,
        today: date | None = None,
        *,
        db_path: Path | None = None,
        read_only: bool = True,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.db_path = db_path
        self.today = today or clock.today()
        self.forms: dict[str, tuple[QWidget, Callable[[], ReportJob]]] = {}

        self.report_list = QListWidget()
        self.report_list.setAccessibleName(self.tr("Rapporten"))
        self.report_list.setFixedWidth(260)
        self.report_list.setWordWrap(True)
        self.report_list.setStyleSheet("QListWidget::item { padding: 8px 6px; }")
        self.stack = QStackedWidget()
        self.stack.setMaximumWidth(560)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setStyleSheet("color:#4d4d4d;")

        self._add("consent", self.tr("Toestemmingen per locatie"), self._consent_form())
        self._add("check", self.tr("Publicatiecheck"), self._check_form())
        self._add("pupil", self.tr("Inzage leerling (AVG art. 15)"), self._pupil_form())
        self._add("case", self.tr("Eén incident"), self._case_form())
        self._add("cases", self.tr("Overzicht incidenten"), self._cases_form())
        self._add("takedowns", self.tr("Te verwijderen publicaties"), self._takedowns_form())
        self._add("policy", self.tr("Beleid (hand-out)"), self._policy_form())
        if db_path is not None and not read_only:
            # Printing forms records them: not in read-only mode.
            self._add("forms", self.tr("Toestemmingsformulieren (papier)"), self._forms_form())
        self.report_list.currentRowChanged.connect(self._on_row)

        self.preview_button = QPushButton(self.tr("&Voorbeeld"))
        self.export_button = QPushButton(self.tr("&Exporteren als PDF…"))
        self.print_button = QPushButton(self.tr("&Afdrukken…"))
        self.preview_button.clicked.connect(self.preview)
        self.export_button.clicked.connect(self.export)
        self.print_button.clicked.connect(self.print_)
        self.export_button.setDefault(True)

        title = QLabel(self.tr("Rapporten op briefpapier"))
        title.setStyleSheet("font-size:15pt; font-weight:bold; color:#1f3a5f;")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.export_button)

        right = QVBoxLayout()
        right.addWidget(title)
        right.addWidget(self.description)
        right.addSpacing(8)
        right.addWidget(self.stack)
        right.addStretch(1)
        right.addLayout(buttons)

        layout = QHBoxLayout(self)
        layout.addWidget(self.report_list)
        layout.addLayout(right, 1)
        self.report_list.setCurrentRow(0)

    # -- building forms -----------------------------------------------------------------------

    def _add(
        self, key: str, label: str, form: tuple[QWidget, str, Callable[[], ReportJob]]
    ) -> None:
        widget, description, job = form
        item = QListWidgetItem(label)
        item.setData(KEY_ROLE, key)
        item.setData(Qt.ItemDataRole.ToolTipRole, description)
        self.report_list.addItem(item)
        self.stack.addWidget(widget)
        self.forms[key] = (widget, job)

    def _on_row(self, row: int) -> None:
        self.stack.setCurrentIndex(row)
        item = self.report_list.item(row)
        self.description.setText(item.data(Qt.ItemDataRole.ToolTipRole) if item else "")

    def _location_combo(self) -> QComboBox:
        """The locations, and "Alle locaties" (data None: one report, grouped per location)."""
        combo = QComboBox()
        for name in location_names():
            combo.addItem(name, name)
        combo.addItem(self.tr("Alle locaties"), None)
        return combo

    def _consent_form(self) -> tuple[QWidget, str, Callable[[], ReportJob]]:
        widget = QWidget()
        form = QFormLayout(widget)
        self.consent_location = self._location_combo()
        self.consent_class = QComboBox()
        self.consent_on = DateField(self.today)
        form.addRow(self.tr("Locatie"), self.consent_location)
        form.addRow(self.tr("Klas"), self.consent_class)
        form.addRow(self.tr("Stand op"), self.consent_on)
        self.consent_location.currentTextChanged.connect(self._fill_consent_classes)
        self._fill_consent_classes()
        return (
            widget,
            self.tr(
                "Leerlingen × doelen met de symbolen van het register, per klas op een eigen "
                "pagina zodat mentoren hun klas kunnen krijgen; voor alle locaties eerst de "
                "aantallen per locatie."
            ),
            self._consent_job,
        )

    def _fill_consent_classes(self) -> None:
        self.consent_class.clear()
        self.consent_class.addItem(self.tr("Alle klassen"), ALL_CLASSES)
        for name in self._classes(self.consent_location.currentData()):
            self.consent_class.addItem(name, name)

    def _classes(self, location: str | None = None) -> list[str]:
        from merlet_desk.store import pupils as store

        return store.list_classes(self.db, location)

    def _consent_job(self) -> ReportJob:
        from merlet_desk.reports.consent_overview import build_consent_overview

        location = self.consent_location.currentData()
        class_name = self.consent_class.currentData() or None
        on = self.consent_on.value()
        suffix = f"-{class_name}" if class_name else ""
        return ReportJob(
            self.tr("Toestemmingen %1").replace("%1", self.consent_location.currentText()),
            f"toestemmingen-{location or 'alle-locaties'}{suffix}-{on.isoformat()}.pdf".lower(),
            lambda db, path: build_consent_overview(
                db, path, location=location, class_name=class_name, on=on
            ),
        )

    def _check_form(self) -> tuple[QWidget, str, Callable[[], ReportJob]]:
        from merlet_desk.store import purposes as store

        widget = QWidget()
        form = QFormLayout(widget)
        self.check_purpose = QComboBox()
        fill_purpose_combo(self.check_purpose, store.list_purposes(self.db))
        self.check_by_class = QRadioButton(self.tr("Een klas"))
        self.check_by_pupils = QRadioButton(self.tr("Leerlingen"))
        group = QButtonGroup(widget)
        group.addButton(self.check_by_class)
        group.addButton(self.check_by_pupils)
        self.check_by_class.setChecked(True)
        self.check_class = QComboBox()
        for name in self._classes():
            self.check_class.addItem(name)
        # By name, as a request comes in ("ozturk" finds Öztürk), or by number.
        self.check_picker = PupilPicker()
        self.check_picker.setPlaceholderText(self.tr("Typ naam of nummer en kies (Enter)…"))
        self.check_picker.picked.connect(self._add_check_pupil)
        self.check_chosen = QListWidget()
        self.check_chosen.setAccessibleName(self.tr("Gekozen leerlingen"))
        self.check_chosen.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.check_chosen.setMaximumHeight(110)
        self.check_remove = QPushButton(self.tr("Verwijder gekozen"))
        self.check_remove.clicked.connect(self._remove_check_pupils)
        pupils = QWidget()
        pupils_layout = QVBoxLayout(pupils)
        pupils_layout.setContentsMargins(0, 0, 0, 0)
        pupils_layout.addWidget(self.check_picker)
        pupils_layout.addWidget(self.check_chosen)
        pupils_layout.addWidget(self.check_remove, 0, Qt.AlignmentFlag.AlignLeft)
        pupils.setEnabled(False)
        self.check_by_pupils.toggled.connect(pupils.setEnabled)
        self.check_by_class.toggled.connect(self.check_class.setEnabled)
        self.check_on = DateField(self.today)
        form.addRow(self.tr("Doel"), self.check_purpose)
        form.addRow(self.check_by_class, self.check_class)
        form.addRow(self.check_by_pupils, pupils)
        form.addRow(self.tr("Datum van publicatie"), self.check_on)
        return (
            widget,
            self.tr(
                "Wie mag er voor dit doel in beeld en wie niet (met de reden), met een regel "
                "voor de handtekening."
            ),
            self._check_job,
        )

    def _add_check_pupil(self, pupil: Pupil) -> None:
        if pupil.number not in self.check_numbers():
            item = QListWidgetItem(pupil_choice_text(pupil))
            item.setData(KEY_ROLE, pupil.number)
            self.check_chosen.addItem(item)
        self.check_picker.clear()

    def _remove_check_pupils(self) -> None:
        for item in self.check_chosen.selectedItems():
            self.check_chosen.takeItem(self.check_chosen.row(item))

    def check_numbers(self) -> list[str]:
        """The pupil numbers chosen for the publication check, in the order chosen."""
        return [self.check_chosen.item(i).data(KEY_ROLE) for i in range(self.check_chosen.count())]

    def _check_job(self) -> ReportJob:
        from merlet_desk.reports.publication_check import build_publication_check

        purpose = self.check_purpose.currentData()
        if purpose is None:
            raise InputError(self.tr("Er zijn geen doelen in het register."))
        on = self.check_on.value()
        class_name: str | None = None
        numbers: list[str] | None = None
        if self.check_by_class.isChecked():
            class_name = self.check_class.currentText() or None
            if not class_name:
                raise InputError(self.tr("Kies een klas."))
        else:
            if self.check_picker.text().strip():  # typed, not yet chosen: choose it now
                self._add_check_pupil(self._typed_pupil(self.check_picker))
            numbers = self.check_numbers()
            if not numbers:
                raise InputError(
                    self.tr("Kies minstens één leerling: typ een naam of nummer en kies (Enter).")
                )
        return ReportJob(
            self.tr("Publicatiecheck"),
            f"publicatiecheck-{purpose}-{on.isoformat()}.pdf",
            lambda db, path: build_publication_check(
                db, path, purpose=purpose, class_name=class_name, pupils=numbers, on=on
            ),
        )

    def _typed_pupil(self, picker: PupilPicker) -> Pupil:
        """The one pupil the picker's text names (a choice from its list, a number, or a name
        only one pupil has); InputError that says why not otherwise."""
        from merlet_desk.store import pupils as store

        text = picker.text().strip()
        if not text:
            raise InputError(self.tr("Kies een leerling: typ een naam of nummer en kies (Enter)."))
        pupil = picker.resolve() or store.find_pupil(self.db, text)
        if pupil is not None:
            return pupil
        found = picker.matches(text)
        if found:
            raise InputError(
                self.tr("‘%1’ past bij %2 leerlingen; kies er één uit de lijst.")
                .replace("%1", text)
                .replace("%2", number_text(len(found)))
            )
        raise InputError(self.tr("Onbekende leerling %1").replace("%1", text))

    def _pupil_form(self) -> tuple[QWidget, str, Callable[[], ReportJob]]:
        widget = QWidget()
        form = QFormLayout(widget)
        # A request comes in by name: type-ahead on name or number, also pupils who left.
        self.pupil_picker = PupilPicker(keeps_choice=True)
        self.pupil_picker.setPlaceholderText(self.tr("Typ naam of leerlingnummer…"))
        self.pupil_name = QLabel()
        self.pupil_name.setWordWrap(True)
        self.pupil_picker.textChanged.connect(self._show_pupil_name)
        form.addRow(self.tr("Leerling"), self.pupil_picker)
        form.addRow("", self.pupil_name)
        return (
            widget,
            self.tr(
                "Alles wat het register over één leerling bewaart, met de volledige "
                "geschiedenis van elk besluit — voor een inzageverzoek. Niets over andere "
                "leerlingen."
            ),
            self._pupil_job,
        )

    def _show_pupil_name(self, text: str) -> None:
        """The pupil the report will be about, or why there is none yet."""
        try:
            pupil = self._typed_pupil(self.pupil_picker) if text.strip() else None
        except InputError as exc:
            self.pupil_name.setText(str(exc))
            return
        self.pupil_name.setText(
            f"{pupil.name} ({pupil.class_name}, {pupil.location})" if pupil else ""
        )

    def _pupil_job(self) -> ReportJob:
        from merlet_desk.reports.pupil_file import build_pupil_file

        number = self._typed_pupil(self.pupil_picker).number
        return ReportJob(
            self.tr("Inzage leerling %1").replace("%1", number),
            f"inzage-{number}.pdf",
            lambda db, path: build_pupil_file(db, path, pupil=number),
        )

    def _fill_pupils(self) -> None:
        """The type-ahead lists, read when the section is shown (pupils come and go)."""
        from merlet_desk.store import pupils as store

        self.pupil_picker.set_pupils(store.list_pupils(self.db, include_left=True))
        self.check_picker.set_pupils(store.list_pupils(self.db))

    def _forms_form(self) -> tuple[QWidget, str, Callable[[], ReportJob]]:
        from merlet_desk.ui.common.paper_forms import FormsChoice

        assert self.db_path is not None
        self.forms_choice = FormsChoice(self.db, self.db_path)
        return (
            self.forms_choice,
            self.tr(
                "Persoonlijke toestemmingsformulieren voor de jaarlijkse ronde: één A4 per "
                "leerling, om in te vullen, te ondertekenen en gescand terug te lezen "
                "(Toestemmingen › Formulieren invoeren › Gescande formulieren verwerken). "
                "Pas bij Exporteren of Afdrukken worden de formulieren vastgelegd; het "
                "voorbeeld legt niets vast."
            ),
            lambda: ReportJob(*self.forms_choice.job(), preview=self.forms_choice.preview_job()[2]),
        )

    def _case_form(self) -> tuple[QWidget, str, Callable[[], ReportJob]]:
        widget = QWidget()
        form = QFormLayout(widget)
        self.case_reference = QLineEdit()
        self.case_reference.setPlaceholderText(self.tr("kenmerk, bijv. 2026-0007"))
        form.addRow(self.tr("Kenmerk"), self.case_reference)
        return (
            widget,
            self.tr(
                "Eén incident met alle velden, de tijdlijn, de betrokken afspraken met hun "
                "tekst en miniaturen van beeldmateriaal."
            ),
            self._case_job,
        )

    def _case_job(self) -> ReportJob:
        from merlet_desk.reports.case import build_case_report
        from merlet_desk.store import cases as store

        db, reference = self.db, self.case_reference.text().strip()
        if not reference:
            raise InputError(self.tr("Vul een kenmerk in."))
        store.get_case(db, reference)
        return ReportJob(
            self.tr("Incident %1").replace("%1", reference),
            f"incident-{reference}.pdf",
            lambda db, path: build_case_report(db, path, reference=reference),
        )

    def _cases_form(self) -> tuple[QWidget, str, Callable[[], ReportJob]]:
        widget = QWidget()
        form = QFormLayout(widget)
        self.cases_location = self._location_combo()
        self.cases_from = DateField(_school_year_start(self.today))
        self.cases_to = DateField(self.today)
        form.addRow(self.tr("Locatie"), self.cases_location)
        form.addRow(self.tr("Van"), self.cases_from)
        form.addRow(self.tr("Tot en met"), self.cases_to)
        return (
            widget,
            self.tr(
                "Aantallen per categorie en per maand (tabel en staafdiagram), daarna de lijst "
                "van incidenten van de locatie in de periode; voor alle locaties eerst de "
                "aantallen per locatie."
            ),
            self._cases_job,
        )

    def _cases_job(self) -> ReportJob:
        from merlet_desk.reports.case_overview import build_case_overview

        location = self.cases_location.currentData()
        date_from, date_to = self.cases_from.value(), self.cases_to.value()
        if date_from > date_to:
            raise InputError(self.tr("De periode eindigt voordat ze begint."))
        where = location or "alle-locaties"
        return ReportJob(
            self.tr("Incidenten %1").replace("%1", self.cases_location.currentText()),
            f"incidenten-{where}-{date_from.isoformat()}-{date_to.isoformat()}.pdf".lower(),
            lambda db, path: build_case_overview(
                db, path, location=location, date_from=date_from, date_to=date_to
            ),
        )

    def _takedowns_form(self) -> tuple[QWidget, str, Callable[[], ReportJob]]:
        widget = QWidget()
        form = QFormLayout(widget)
        self.takedowns_on = DateField(self.today)
        form.addRow(self.tr("Stand op"), self.takedowns_on)
        return (
            widget,
            self.tr(
                "Publicaties waarop een leerling staat die er niet (meer) op mag, met de reden "
                "en sinds wanneer: om weg te halen of vast te leggen waarom ze blijven staan."
            ),
            self._takedowns_job,
        )

    def _takedowns_job(self) -> ReportJob:
        from merlet_desk.reports.takedowns import build_takedowns_report

        on = self.takedowns_on.value()
        return ReportJob(
            self.tr("Te verwijderen publicaties"),
            f"te-verwijderen-{on.isoformat()}.pdf",
            lambda db, path: build_takedowns_report(db, path, on=on),
        )

    def _policy_form(self) -> tuple[QWidget, str, Callable[[], ReportJob]]:
        widget = QWidget()
        QVBoxLayout(widget).addWidget(QLabel(self.tr("Geen keuzes nodig.")))
        return (
            widget,
            self.tr("Het beleid sociale media als hand-out voor medewerkers."),
            self._policy_job,
        )

    def _policy_job(self) -> ReportJob:
        from merlet_desk.reports.policy import build_policy_report

        return ReportJob(
            self.tr("Beleid sociale media"),
            "beleid-sociale-media.pdf",
            lambda db, path: build_policy_report(db, path),
        )

    # -- actions ------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        self._fill_pupils()

    def focus_search(self) -> None:
        """Ctrl+F: the list of reports (type the first letters of one to go there)."""
        self.report_list.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def current_key(self) -> str:
        return self.report_list.currentItem().data(KEY_ROLE)

    def select(self, key: str) -> QWidget:
        """Show the form of report `key` ("consent", "check", "pupil", "case", "cases",
        "takedowns", "policy")."""
        keys = list(self.forms)
        self.report_list.setCurrentRow(keys.index(key))
        return self.forms[key][0]

    def current_job(self) -> ReportJob | None:
        """The chosen report with its parameters; None (after telling the user) if invalid."""
        try:
            return self.forms[self.current_key()][1]()
        except InputError as exc:
            dialogs.show_error(self, self.tr("Rapport niet gemaakt"), str(exc))
            return None

    def preview(self) -> Any:
        job = self.current_job()
        if job is None:
            return None
        build = job.preview or job.build
        dialog = export.preview_report(self, job.title, job.suggested_name, build, self.db)
        if dialog is not None and job.preview is not None:
            dialog.make_instead(
                self.export,
                self.print_,
                self.tr("voorbeeld: nog niets vastgelegd; Opslaan of Afdrukken legt vast"),
            )
        return dialog

    def export(self) -> Path | None:
        job = self.current_job()
        if job is None:
            return None
        return export.export_report(self, job.title, job.suggested_name, job.build, self.db)

    def print_(self) -> bool:
        job = self.current_job()
        if job is None:
            return False
        return export.print_report(self, job.title, job.build, self.db)


def build(context: SectionContext) -> QWidget:
    """The Rapporten section. Reports only read, so it works the same in read-only mode; the
    paper forms, which are recorded when printed, are left out there."""
    return ReportsSection(context.db, db_path=context.db_path, read_only=context.read_only)
