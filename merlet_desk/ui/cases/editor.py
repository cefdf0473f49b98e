"""The case editor: one form in the order an officer learns about an incident.

What happened (dates, summary, category, description) → where (location) → who (people) →
which platform → which policy agreements → what was done (measures, parents, police, press,
care, status). The timeline and the evidence sit beside the form. Validation messages appear
right below the field they concern, in the same words the store uses.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from merlet_desk import clock
from merlet_desk.domain.cases import (
    STATUS_CLOSED,
    STATUS_LABELS,
    STATUSES,
    Case,
)
from merlet_desk.domain.dates import format_date
from merlet_desk.domain.text import count_text
from merlet_desk.errors import InputError
from merlet_desk.letterhead import location_names
from merlet_desk.store import cases as store
from merlet_desk.store.policy_store import current_policy
from merlet_desk.store.pupils import Pupil, find_pupil, list_pupils
from merlet_desk.store.sqlite_utils_import import Database
from merlet_desk.ui.cases.agreements import AgreementPicker
from merlet_desk.ui.cases.evidence import EvidencePanel
from merlet_desk.ui.cases.people import PeopleEditor
from merlet_desk.ui.cases.timeline import TimelinePanel
from merlet_desk.ui.cases.widgets import (
    FieldWithError,
    fill_combo,
    select_code,
)
from merlet_desk.ui.common import dialogs
from merlet_desk.ui.common.flow_layout import FlowLayout
from merlet_desk.ui.common.widgets import READ_ONLY_FIELDS
from merlet_desk.ui.common.widgets import TypedDateField as DateField

GROUP_STYLE = "QGroupBox { font-weight:600; color:#1f3a5f; } QGroupBox * { font-weight:normal; }"


class CaseEditor(QWidget):
    """Edits one case (or a new one). Signals tell the section what happened."""

    saved = Signal(str)  # reference
    deleted = Signal(str)
    closeRequested = Signal()
    exportRequested = Signal(str)

    def __init__(
        self,
        db: Database,
        read_only: bool,
        open_agreement: Callable[[int], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.read_only = read_only
        self.open_agreement = open_agreement
        self.case: Case | None = None
        self.dirty = False
        self.fields: dict[str, FieldWithError] = {}
        self._loading = False

        self._build_header()
        form = self._build_form()
        self.timeline = TimelinePanel(db, read_only)
        self.evidence = EvidencePanel(db, read_only)
        self.timeline.entryAdded.connect(lambda: self.saved.emit(self.reference() or ""))
        self.timeline.stepAdded.connect(self._step_added)

        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.timeline)
        side.addWidget(self.evidence)
        side.setSizes([330, 370])
        scroll = QScrollArea()
        scroll.setWidget(form)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(scroll)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([650, 470])

        layout = QVBoxLayout(self)
        layout.addLayout(self.header)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)

        QShortcut(QKeySequence.StandardKey.Save, self).activated.connect(self.save)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self).activated.connect(self.request_close)
        self._apply_read_only()
        self.load_new()

    # -- building -----------------------------------------------------------------------------

    def _build_header(self) -> None:
        self.title = QLabel()
        self.title.setStyleSheet("font-size:16pt; font-weight:600; color:#1f3a5f;")
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.subtitle.setTextFormat(Qt.TextFormat.PlainText)
        self.subtitle.setStyleSheet("color:#5a6b80;")
        self.back_button = QPushButton(self.tr("&Terug naar de lijst"))
        self.back_button.setToolTip(self.tr("Terug naar de lijst (Esc)"))
        self.back_button.clicked.connect(self.request_close)
        self.save_button = QPushButton(self.tr("&Opslaan"))
        self.save_button.setDefault(True)
        self.save_button.setToolTip(self.tr("Opslaan (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        self.delete_button = QPushButton(self.tr("Incident ver&wijderen…"))
        self.delete_button.clicked.connect(self.delete)
        self.export_button = QPushButton(self.tr("Exporteren als PD&F"))
        self.export_button.clicked.connect(
            lambda: self.exportRequested.emit(self.reference() or "")
        )
        self.export_button.hide()  # shown by the section when the single-case report exists
        # The status sits in the header, changed without scrolling to section 6.
        self.status = QComboBox()
        fill_combo(self.status, [(code, self.tr(STATUS_LABELS[code])) for code in STATUSES])
        self.closed_on = DateField()
        status_row = QWidget()
        status_layout = QHBoxLayout(status_row)
        status_layout.setContentsMargins(0, 0, 12, 0)
        status_label = QLabel(self.tr("St&atus"))
        status_label.setBuddy(self.status)
        closed_label = QLabel(self.tr("gesloten op"))
        closed_label.setBuddy(self.closed_on)
        status_layout.addWidget(status_label)
        status_layout.addWidget(self._field("status", self.status))
        status_layout.addWidget(closed_label)
        status_layout.addWidget(self._field("closed_on", self.closed_on))
        self.header = QVBoxLayout()
        self.header.setSpacing(4)
        self.header.addWidget(self.title)
        self.header.addWidget(self.subtitle)
        actions = FlowLayout()
        actions.addWidget(status_row)
        for button in (self.save_button, self.back_button, self.export_button, self.delete_button):
            actions.addWidget(button)
        self.header.addLayout(actions)
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.hide()

    def _field(self, name: str, widget: QWidget) -> FieldWithError:
        holder = FieldWithError(widget)
        self.fields[name] = holder
        return holder

    def _group(self, title: str) -> tuple[QGroupBox, QFormLayout]:
        group = QGroupBox(title)
        group.setStyleSheet(GROUP_STYLE)
        form = QFormLayout(group)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        return group, form

    def _build_form(self) -> QWidget:
        """The six groups in the order an officer learns about an incident."""
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self._build_what_happened())
        layout.addWidget(self._build_where())
        layout.addWidget(self._build_who())
        layout.addWidget(self._build_platform())
        layout.addWidget(self._build_agreements())
        layout.addWidget(self._build_what_was_done())
        layout.addStretch(1)
        self._connect_changes()
        return page

    def _build_what_happened(self) -> QGroupBox:
        """What happened: dates, summary, category, description."""
        group, form = self._group(self.tr("1. Wat is er gebeurd?"))
        self.incident_date = DateField()
        self.report_date = DateField()
        self.summary = QLineEdit()
        self.summary.setPlaceholderText(self.tr("In één zin, zonder namen"))
        self.category = QComboBox()
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        self.description.setPlaceholderText(
            self.tr("Wat is er gebeurd, en hoe is het gemeld? Zo min mogelijk persoonsgegevens.")
        )
        self.description.setMinimumHeight(70)
        self.description.setMaximumHeight(100)
        form.addRow(self.tr("Datum &incident"), self._field("incident_date", self.incident_date))
        form.addRow(self.tr("Datum melding"), self._field("report_date", self.report_date))
        form.addRow(self.tr("&Samenvatting"), self._field("summary", self.summary))
        form.addRow(self.tr("&Categorie"), self._field("category", self.category))
        form.addRow(self.tr("B&eschrijving"), self._field("description", self.description))
        return group

    def _build_where(self) -> QGroupBox:
        """Where: the location."""
        group, form = self._group(self.tr("2. Waar?"))
        self.location = QComboBox()
        fill_combo(self.location, [(n, n) for n in location_names()], empty_label="")
        form.addRow(self.tr("&Locatie"), self._field("location", self.location))
        return group

    def _build_who(self) -> QGroupBox:
        """Who: the people involved (pupils by number, others by role)."""
        group, form = self._group(self.tr("3. Wie zijn erbij betrokken?"))
        self.people = PeopleEditor(self._lookup_pupil, self._pupil_choices)
        self.people.add_button.setText(self.tr("&Nieuwe betrokkene"))
        self.people.remove_button.setText(self.tr("Betro&kkene weghalen"))
        form.addRow(self._field("people", self.people))
        return group

    def _build_platform(self) -> QGroupBox:
        """Which platform."""
        group, form = self._group(self.tr("4. Via welk platform?"))
        self.platform = QComboBox()
        form.addRow(self.tr("Platform"), self._field("platform", self.platform))
        return group

    def _build_agreements(self) -> QGroupBox:
        """Which agreements of the policy."""
        group, form = self._group(self.tr("5. Welke afspraken uit het beleid gaan erover?"))
        self.agreements = AgreementPicker(self._agreement_texts(), self.open_agreement)
        self.agreements.changed.connect(self._mark_dirty)
        form.addRow(self._field("agreements", self.agreements))
        return group

    def _build_what_was_done(self) -> QGroupBox:
        """What was done: measures, parents, police, press, care."""
        group, form = self._group(self.tr("6. Wat is er gedaan?"))
        self.measures = QPlainTextEdit()
        self.measures.setTabChangesFocus(True)
        self.measures.setPlaceholderText(self.tr("Eén maatregel of sanctie per regel"))
        self.measures.setMinimumHeight(60)
        self.measures.setMaximumHeight(100)
        self.parents_informed = QCheckBox(self.tr("O&uders geïnformeerd, op"))
        self.parents_informed_on = DateField()
        self.police_informed = QCheckBox(self.tr("Politie geïnformeerd, op"))
        self.police_informed_on = DateField()
        self.press_contact = QLineEdit()
        self.press_contact.setPlaceholderText(self.tr("Geen, of: wie, wanneer, wat is gezegd"))
        self.victim_care = QPlainTextEdit()
        self.victim_care.setTabChangesFocus(True)
        self.victim_care.setMinimumHeight(50)
        self.victim_care.setMaximumHeight(80)
        form.addRow(self.tr("Maat&regelen en sancties"), self._field("measures", self.measures))
        form.addRow(
            self._inline(
                self.parents_informed, self._field("parents_informed_on", self.parents_informed_on)
            )
        )
        form.addRow(
            self._inline(
                self.police_informed, self._field("police_informed_on", self.police_informed_on)
            )
        )
        form.addRow(self.tr("Perscontact"), self._field("press_contact", self.press_contact))
        form.addRow(
            self.tr("&Zorg voor het slachtoffer"), self._field("victim_care", self.victim_care)
        )
        return group

    def _connect_changes(self) -> None:
        """Every field marks the case changed; a status or a tick sets its date."""
        for widget in (self.summary, self.press_contact):
            widget.textChanged.connect(self._mark_dirty)
        for text_box in (self.description, self.measures, self.victim_care):
            text_box.textChanged.connect(self._mark_dirty)
        for widget in (
            self.incident_date,
            self.report_date,
            self.parents_informed_on,
            self.police_informed_on,
            self.closed_on,
        ):
            widget.dateChanged.connect(self._mark_dirty)
        for combo in (self.category, self.location, self.platform):
            combo.currentIndexChanged.connect(self._mark_dirty)
        self.status.currentIndexChanged.connect(self._status_changed)
        self.parents_informed.toggled.connect(
            lambda on: self._informed_toggled(on, self.parents_informed_on)
        )
        self.police_informed.toggled.connect(
            lambda on: self._informed_toggled(on, self.police_informed_on)
        )
        self.people.changed.connect(self._mark_dirty)

    @staticmethod
    def _inline(box: QCheckBox, field: QWidget) -> QWidget:
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(box)
        row.addWidget(field)
        row.addStretch(1)
        return holder

    def _agreement_texts(self) -> dict[int, str]:
        try:
            policy = current_policy(self.db)
        except LookupError:  # a database without a policy: no tooltips, the links still work
            return {}
        return {
            s.number: s.body.strip().split("\n")[0][:300]
            for s in policy.agreements
            if s.number is not None
        }

    def _lookup_pupil(self, number: str) -> str | None:
        pupil = find_pupil(self.db, number)
        return f"{pupil.name} ({pupil.class_name})" if pupil else None

    def _pupil_choices(self) -> list[Pupil]:
        """The pupil register, for the type-ahead of the pupil number."""
        return list_pupils(self.db)

    def _reload_lists(self, case: Case | None) -> None:
        keep = {case.category, case.platform} if case else set()
        for combo, entries in (
            (self.category, store.list_categories(self.db)),
            (self.platform, store.list_platforms(self.db)),
        ):
            combo.blockSignals(True)
            fill_combo(
                combo,
                [(e.code, e.label) for e in entries if not e.retired or e.code in keep],
                empty_label="",
            )
            combo.blockSignals(False)

    # -- state --------------------------------------------------------------------------------

    def reference(self) -> str | None:
        return self.case.reference if self.case else None

    def _apply_read_only(self) -> None:
        ro = self.read_only
        for button in (self.save_button, self.delete_button):
            button.setVisible(not ro)
        for widget in (
            self.incident_date,
            self.report_date,
            self.summary,
            self.press_contact,
            self.parents_informed_on,
            self.police_informed_on,
            self.closed_on,
        ):
            widget.setReadOnly(ro)
        for text_box in (self.description, self.measures, self.victim_care):
            text_box.setReadOnly(ro)
        self.setStyleSheet(READ_ONLY_FIELDS if ro else "")
        for choice in (
            self.category,
            self.location,
            self.platform,
            self.status,
            self.parents_informed,
            self.police_informed,
        ):
            choice.setEnabled(not ro)
        self.people.set_read_only(ro)
        self.agreements.set_read_only(ro)

    def load_new(self) -> None:
        self._show(None)

    def load_case(self, reference: str) -> None:
        self._show(store.get_case(self.db, reference))

    def _show(self, case: Case | None) -> None:
        self._loading = True
        self.case = case
        self._reload_lists(case)
        shown = case or Case(report_date=clock.today())
        self.incident_date.set_date(shown.incident_date)
        self.report_date.set_date(shown.report_date)
        self.summary.setText(shown.summary)
        select_code(self.category, shown.category)
        self.description.setPlainText(shown.description)
        select_code(self.location, shown.location)
        self.people.set_people(shown.people)
        self.people.set_read_only(self.read_only)
        select_code(self.platform, shown.platform)
        self.agreements.set_checked(shown.agreements)
        self.measures.setPlainText(shown.measures)
        self.parents_informed.setChecked(shown.parents_informed)
        self.parents_informed_on.set_date(shown.parents_informed_on)
        self.police_informed.setChecked(shown.police_informed)
        self.police_informed_on.set_date(shown.police_informed_on)
        self.press_contact.setText(shown.press_contact)
        self.victim_care.setPlainText(shown.victim_care)
        select_code(self.status, shown.status)
        self.closed_on.set_date(shown.closed_on)
        self._enable_dates()
        self.show_problems({})
        self.message.hide()
        if case is None:
            self.title.setText(self.tr("Nieuw incident"))
            self.subtitle.setText(self.tr("Het kenmerk wordt toegekend bij het opslaan."))
        else:
            self.title.setText(self.tr("Incident %1").replace("%1", case.reference or ""))
            self.subtitle.setText(
                self.tr("Aangemaakt %1 door %2 · laatst gewijzigd %3 door %4")
                .replace("%1", _stamp(case.created_at))
                .replace("%2", case.created_by or "")
                .replace("%3", _stamp(case.updated_at))
                .replace("%4", case.updated_by or "")
            )
        self.delete_button.setEnabled(case is not None)
        self.export_button.setEnabled(case is not None)
        self.timeline.set_case(case.id if case else None)
        self.evidence.set_case(case.id if case else None)
        self.dirty = False
        self._loading = False
        self.incident_date.setFocus()

    def _mark_dirty(self) -> None:
        if not self._loading:
            self.dirty = True

    def _enable_dates(self) -> None:
        editable = not self.read_only
        self.parents_informed_on.setEnabled(editable and self.parents_informed.isChecked())
        self.police_informed_on.setEnabled(editable and self.police_informed.isChecked())
        self.closed_on.setEnabled(editable and self.status.currentData() == STATUS_CLOSED)

    def _informed_toggled(self, on: bool, field: DateField) -> None:
        if not self._loading:
            if on and not field.text().strip():
                field.set_date(clock.today())
            elif not on:
                field.set_date(None)
            self._mark_dirty()
        self._enable_dates()

    def _step_added(self, kind: str, when: date) -> None:
        """A step "Ouders geïnformeerd" ("Politie …") ticks that field with the step's date
        when it was not ticked yet, so field and timeline agree (saved with the case)."""
        boxes = {
            "parents_informed": (self.parents_informed, self.parents_informed_on),
            "police_informed": (self.police_informed, self.police_informed_on),
        }
        if kind in boxes and not self.read_only:
            box, field = boxes[kind]
            if not box.isChecked():
                box.setChecked(True)
                field.set_date(when)

    def _status_changed(self) -> None:
        if not self._loading:
            closed = self.status.currentData() == STATUS_CLOSED
            if closed and not self.closed_on.text().strip():
                self.closed_on.set_date(clock.today())
            elif not closed:
                self.closed_on.set_date(None)
            self._mark_dirty()
        self._enable_dates()

    # -- reading the form ---------------------------------------------------------------------

    def collect(self) -> tuple[Case, dict[str, str]]:
        """The case as the form shows it, plus problems the form itself can see (bad dates)."""
        problems: dict[str, str] = {}

        def read(name: str, field: DateField) -> date | None:
            try:
                return field.value()
            except ValueError as exc:
                problems[name] = str(exc)
                return None

        base = self.case or Case()
        case = Case(
            id=base.id,
            reference=base.reference,
            created_at=base.created_at,
            created_by=base.created_by,
            incident_date=read("incident_date", self.incident_date),
            report_date=read("report_date", self.report_date),
            location=self.location.currentData() or "",
            category=self.category.currentData() or "",
            platform=self.platform.currentData() or "",
            summary=self.summary.text(),
            description=self.description.toPlainText(),
            people=self.people.people(),
            agreements=self.agreements.checked(),
            measures=self.measures.toPlainText(),
            parents_informed=self.parents_informed.isChecked(),
            parents_informed_on=read("parents_informed_on", self.parents_informed_on),
            police_informed=self.police_informed.isChecked(),
            police_informed_on=read("police_informed_on", self.police_informed_on),
            press_contact=self.press_contact.text(),
            victim_care=self.victim_care.toPlainText(),
            status=self.status.currentData() or "",
            closed_on=read("closed_on", self.closed_on),
        )
        return case, problems

    def show_problems(self, problems: dict[str, str]) -> None:
        for name, holder in self.fields.items():
            holder.set_error(problems.get(name, ""))

    def problem_text(self, name: str) -> str:
        """The message shown next to field `name` (empty when none)."""
        holder = self.fields[name]
        return holder.error.text() if holder.error.isVisibleTo(self) else ""

    def _say(self, text: str, ok: bool) -> None:
        colour = "#1e8449" if ok else "#b00020"
        self.message.setStyleSheet(f"color:{colour}; font-weight:600;")
        self.message.setText(text)
        self.message.show()

    # -- actions ------------------------------------------------------------------------------

    def save(self) -> bool:
        """Validate and save; on problems show each next to its field and save nothing."""
        if self.read_only:
            return False
        case, problems = self.collect()
        problems = store.case_problems(self.db, case) | problems
        self.show_problems(problems)
        if problems:
            self._say(
                count_text(
                    len(problems),
                    self.tr("Niet opgeslagen: 1 veld vraagt aandacht."),
                    self.tr("Niet opgeslagen: %1 velden vragen aandacht."),
                ),
                False,
            )
            first = next(name for name in self.fields if name in problems)
            self.fields[first].setFocus()
            return False
        try:
            saved = (
                store.update_case(self.db, case)
                if case.reference
                else store.create_case(self.db, case)
            )
        except InputError as exc:
            dialogs.show_error(self, self.tr("Incident niet opgeslagen"), str(exc))
            return False
        self._show(store.get_case(self.db, saved.reference or ""))
        self._say(self.tr("Opgeslagen als %1.").replace("%1", saved.reference or ""), True)
        self.saved.emit(saved.reference or "")
        return True

    def delete(self) -> bool:
        if self.read_only or self.case is None or not self.case.reference:
            return False
        reference = self.case.reference
        if not dialogs.ask_yes_no(
            self,
            self.tr("Incident verwijderen"),
            self.tr(
                "Incident %1 met alle betrokkenen, tijdlijn en bewijsstukken definitief "
                "verwijderen? Het kenmerk wordt niet opnieuw gebruikt."
            ).replace("%1", reference),
        ):
            return False
        store.delete_case(self.db, reference)
        self.case = None
        self.dirty = False
        self.deleted.emit(reference)
        return True

    def request_close(self) -> bool:
        if self.dirty and not self.read_only:
            if not dialogs.ask_yes_no(
                self,
                self.tr("Niet opgeslagen"),
                self.tr("De wijzigingen in dit incident zijn nog niet opgeslagen. Toch terug?"),
            ):
                return False
        self.dirty = False
        self.closeRequested.emit()
        return True


def _stamp(value: str | None) -> str:
    """`2026-11-24T10:15:00` as `24-11-2026 10:15`."""
    if not value:
        return ""
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return value
    return f"{format_date(day)} {value[11:16]}".strip()
