"""The start screen: what needs attention today, each with a button to exactly the list counted.

Publications to take down come first (a withdrawal must be acted on), then the consent
reminders and the active cases. Each card counts what the officer acts on (publications, not
publication × pupil pairs; pupils, not pupil × purpose rows) and says which number matters now;
its button opens the list it counted, already filtered to it, so the number on the card is the
number the list shows. A count of zero is said in a sentence.

On a new database "Zo begint u" shows the first three steps, with a button for each, until
they are done, and the offer to encrypt the database (`ui/common/encryption.py`). What is
counted lives in `store.attention`; the counts are read when the screen is shown, on worker
threads with read-only connections of their own (`ui/common/tasks.py`), so start-up does not
wait for them and the window answers input meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from merlet_desk import clock, sqlite_driver
from merlet_desk.domain.dates import format_date
from merlet_desk.domain.text import count_text, number_text
from merlet_desk.errors import InputError
from merlet_desk.store import StoreError
from merlet_desk.store.attention import (
    EXPIRED,
    EXPIRING,
    EXPIRY_WARNING_DAYS,
    NO_RECORD,
    TURNED_16,
    Attention,
    CaseCounts,
    ConsentCounts,
    SetupSteps,
    TakedownCounts,
    Urgent,
    read_consent_counts,
    read_urgent,
)
from merlet_desk.store.server_url import ServerUrl
from merlet_desk.ui.common.after_paint import after_paint
from merlet_desk.ui.common.flow_layout import WrapLayout
from merlet_desk.ui.context import NothingUnsaved, SectionContext

if TYPE_CHECKING:
    from merlet_desk.store.sqlite_utils_import import Database
    from merlet_desk.ui.common.tasks import Task

CARD_STYLE = """
QFrame#card, QFrame#guide { background: #ffffff; border: 1px solid #c9d3df; border-radius: 6px; }
QFrame#card[attention="true"] { border: 2px solid #b3261e; }
QFrame#guide { border: 2px solid #f2a900; }
QLabel#count { font-size: 26pt; font-weight: bold; color: #1f3a5f; }
QFrame#card[attention="true"] QLabel#count { color: #b3261e; }
QLabel#cardTitle, QLabel#guideTitle { font-size: 12pt; font-weight: bold; }
QLabel#caption { font-weight: 600; }
QLabel#later { color: #4d5966; }
QLabel#stepMark { font-size: 12pt; font-weight: bold; color: #1f3a5f; }
QLabel#stepMark[done="true"] { color: #2e7d32; }
QLabel#stepText[done="true"] { color: #5a6b80; }
"""


def _wrapped(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    # By name, not Qt.TextFormat: no Qt namespace (12 ms) before Start is painted.
    label.setProperty("textFormat", "PlainText")
    if name:
        label.setObjectName(name)
    return label


def _restyle(widget: QWidget, name: str, value: bool) -> None:
    widget.setProperty(name, "true" if value else "false")
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class _Card(QFrame):
    """A titled box: a big number with what it counts, what to do now, what comes later, and
    the buttons that open the lists. With nothing to count, a sentence instead of a 0."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        self.title = QLabel(title)
        self.title.setObjectName("cardTitle")
        self.count = QLabel("…")
        self.count.setObjectName("count")
        self.caption = _wrapped(name="caption")
        self.text = _wrapped()
        self.later = _wrapped(name="later")
        self.button = QPushButton()
        self.second_button = QPushButton()
        for button in (self.button, self.second_button):
            button.hide()  # until the counts arrive and say where to go
        self._actions: dict[QPushButton, Callable[[], object]] = {}
        for button in (self.button, self.second_button):
            button.clicked.connect(lambda _checked=False, b=button: self._actions[b]())
        buttons = WrapLayout()
        buttons.addWidget(self.button)
        buttons.addWidget(self.second_button)
        layout.addWidget(self.title)
        layout.addWidget(self.count)
        layout.addWidget(self.caption)
        layout.addWidget(self.text)
        layout.addWidget(self.later)
        layout.addStretch(1)
        layout.addLayout(buttons)

    def show_values(
        self,
        count: int | None,
        caption: str,
        text: str = "",
        later: str = "",
        attention: bool = False,
    ) -> None:
        """`count` None: nothing to count, `caption` says so in a sentence."""
        self.count.setVisible(count is not None)
        self.count.setText(number_text(count) if count is not None else "")
        self.caption.setText(caption)
        self.text.setText(text)
        self.text.setVisible(bool(text))
        self.later.setText(later)
        self.later.setVisible(bool(later))
        _restyle(self, "attention", attention)

    def set_button(self, text: str, action: Callable[[], object], *, second: bool = False) -> None:
        button = self.second_button if second else self.button
        button.setText(text)
        self._actions[button] = action
        button.show()

    def hide_second_button(self) -> None:
        self.second_button.hide()


class _Step(QWidget):
    """One step of "Zo begint u": a number (✓ once done), what to do, and its buttons."""

    def __init__(self, number: int, text: str) -> None:
        super().__init__()
        self.number = number
        self.mark = QLabel(f"{number}.")
        self.mark.setObjectName("stepMark")
        self.mark.setFixedWidth(28)
        self.mark.setProperty("alignment", "AlignTop|AlignHCenter")  # as the text format
        self.text = _wrapped(text, "stepText")
        self.buttons: list[QPushButton] = []
        self._buttons = WrapLayout()
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.text)
        right.addLayout(self._buttons)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 4, 0, 4)
        row.addWidget(self.mark)
        row.addLayout(right, 1)

    def add_button(self, text: str, action: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(lambda _checked=False: action())
        self._buttons.addWidget(button)
        self.buttons.append(button)
        return button

    def set_done(self, done: bool, ready: bool = True) -> None:
        """Done: a ✓ and the buttons stay for doing it again. Not ready: an earlier step first."""
        self.mark.setText("✓" if done else f"{self.number}.")
        _restyle(self.mark, "done", done)
        _restyle(self.text, "done", done)
        for button in self.buttons:
            button.setEnabled(ready)


class StartSection(QWidget, NothingUnsaved):
    """The first screen: the first steps on a new database, then the counts of what is open,
    refreshed whenever it is shown."""

    def __init__(self, context: SectionContext, today: date | None = None) -> None:
        super().__init__()
        self._count_tasks: list[Task[Any]] = []  # the counts running for this screen
        self.context = context
        self._today = today
        self.read_only = context.read_only
        self.setStyleSheet(CARD_STYLE)

        page = QWidget()
        page.setObjectName("startPage")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.check_button = QPushButton(self.tr("&Mag deze foto online?…"))
        self.check_button.setToolTip(
            self.tr("Controleer voor een foto of video wie in beeld mag en wie niet (Ctrl+M)")
        )
        self.check_button.setStyleSheet(
            "QPushButton { background:#f2a900; color:#1a1a1a; font-weight:600; padding:4px 10px; }"
        )
        self.check_button.clicked.connect(lambda: self.context.open_check())
        top = WrapLayout()
        top.addWidget(self.heading)
        top.addWidget(self.check_button)
        layout.addLayout(top)
        layout.addWidget(_wrapped(self.tr("Wat vandaag aandacht vraagt.")))

        self.guide = self._build_guide()
        layout.addWidget(self.guide)

        grid = QGridLayout()
        grid.setSpacing(16)
        self.takedown_card = _Card(self.tr("Te verwijderen"))
        self.consent_card = _Card(self.tr("Toestemmingen"))
        self.cases_card = _Card(self.tr("Incidenten"))
        for column, card in enumerate((self.takedown_card, self.consent_card, self.cases_card)):
            grid.addWidget(card, 0, column)
            grid.setColumnStretch(column, 1)
        layout.addLayout(grid)
        layout.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidget(page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.scroll_area = scroll

    def _build_guide(self) -> QFrame:
        guide = QFrame()
        guide.setObjectName("guide")
        title = QLabel(self.tr("Zo begint u"))
        title.setObjectName("guideTitle")
        self.pupils_step = _Step(
            1,
            self.tr(
                "Importeer de leerlingen uit de leerlingadministratie (Magister of SOMtoday): "
                "een export als CSV of .xlsx met leerlingnummer, naam, geboortedatum, klas en "
                "locatie."
            ),
        )
        self.pupils_step.add_button(self.tr("Leerlingen &importeren…"), self.import_pupils)
        self.consents_step = _Step(
            2,
            self.tr(
                "Leg de toestemmingen vast: van de teruggekomen papieren formulieren, of met een "
                "import uit het ouderportaal."
            ),
        )
        self.consents_step.add_button(self.tr("&Formulieren invoeren…"), self.enter_forms)
        self.consents_step.add_button(self.tr("Toestemmingen im&porteren…"), self.import_consents)
        self.settings_step = _Step(
            3,
            self.tr(
                "Controleer de instellingen van de school: geldt een toestemming per schooljaar "
                "of tot ze wordt ingetrokken, en telt vanaf 16 jaar alleen de leerling zelf?"
            ),
        )
        self.settings_step.add_button(self.tr("Instellingen &controleren…"), self.check_settings)
        self.encrypt_step = _Step(
            4,
            self.tr(
                "Versleutel de database (aanbevolen): wie de laptop, een kopie of de back-ups "
                "vindt, kan dan niets lezen. U krijgt het blad Herstelsleutel om op te slaan of "
                "af te drukken."
            ),
        )
        self.encrypt_step.add_button(self.tr("Database &versleutelen…"), self.encrypt_database)
        # Encryption is a file's: a register on a server lives on IT's disk.
        self.encrypt_step.setVisible(not isinstance(self.context.db_path, ServerUrl))
        layout = QVBoxLayout(guide)
        layout.addWidget(title)
        for step in (self.pupils_step, self.consents_step, self.settings_step, self.encrypt_step):
            layout.addWidget(step)
        guide.hide()
        return guide

    @property
    def today(self) -> date:
        return self._today or clock.today()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        self.heading.setText(self.tr("Vandaag, %1").replace("%1", format_date(self.today)))
        after_paint(self, self.count_in_background)  # the screen is painted first

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt API)
        """Leaving Start stops the counts still running; showing it again counts afresh.
        At 20,000 pupils they read the whole register for seconds, and a section opened
        meanwhile (the register, on the GUI thread) waited for them."""
        super().hideEvent(event)
        running, self._count_tasks = self._count_tasks, []
        for task in running:
            self.context.tasks.cancel(task)

    def count_in_background(self) -> None:
        """Read the counts on worker threads, the quick ones and the consent
        reminders apart, so the takedowns and cases appear first; each card fills when its
        numbers arrive, and the window answers input meanwhile.

        Reading and showing are apart: `read_urgent` and `read_consent_counts` in
        store/attention return plain data, `show_urgent` and `show_consent_counts` only show
        it (in the GUI thread)."""
        if not self.isVisible():
            return
        today = self.today
        self.heading.setText(self.tr("Vandaag, %1").replace("%1", format_date(today)))
        try:  # on the GUI thread: a server that went away is said on the card, not raised
            stamp = self.context.takedown_stamp(today)
        except StoreError as exc:
            self._failed(exc)
            return

        def urgent_with_list(db: Database) -> tuple[Urgent, list[Any] | None]:
            from merlet_desk.store.takedowns import kept_open_takedowns

            return read_urgent(db, today), kept_open_takedowns(db, today)

        def show(result: tuple[Urgent, list[Any] | None]) -> None:
            urgent, takedowns = result
            if takedowns is not None:  # the list the card counted: Publicaties shows it
                self.context.keep_takedowns(stamp, takedowns)
            self.show_urgent(urgent)

        tasks = self.context.tasks
        self._count_tasks = [
            tasks.read(
                urgent_with_list, context=self, on_result=show, on_error=self._failed, name="start"
            ),
            tasks.read(
                lambda db: read_consent_counts(db, today),
                context=self,
                on_result=self.show_consent_counts,
                on_error=self._failed,
                name="start-consent",
            ),
        ]

    def _failed(self, exc: BaseException) -> None:
        """A database that went away (closed, damaged, locked by another program) leaves a
        message on the screen instead of an error dialog."""
        if not isinstance(exc, sqlite_driver.Error | InputError | StoreError):
            raise exc
        self.heading.setText(
            self.tr("De tellingen konden niet gelezen worden: %1").replace("%1", str(exc))
        )

    def refresh_from_elsewhere(self) -> None:
        """Another seat changed the register: the counts again."""
        self.refresh()

    def refresh(self) -> Attention:
        """Read all counts again, here and now, and show them."""
        db, today = self.context.db, self.today
        return Attention(
            self.show_urgent(read_urgent(db, today)),
            self.show_consent_counts(read_consent_counts(db, today)),
        )

    # -- the first steps ----------------------------------------------------------------------

    def show_setup(self, steps: SetupSteps) -> SetupSteps:
        self.guide.setVisible(not steps.done and not self.read_only)
        self.pupils_step.set_done(steps.pupils)
        self.consents_step.set_done(steps.consents, ready=steps.pupils)
        self.settings_step.set_done(steps.settings)
        self.encrypt_step.set_done(self._encrypted())
        for button in self.consents_step.buttons:
            button.setToolTip("" if steps.pupils else self.tr("Importeer eerst de leerlingen."))
        return steps

    # -- the cards ----------------------------------------------------------------------------

    def _show_heading(self) -> None:
        """ "Vandaag, 24-11-2026", and for a seat of some locations what it counts
        ("Grave: 412 leerlingen")."""
        text = self.tr("Vandaag, %1").replace("%1", format_date(self.today))
        scope = getattr(self, "_scope_line", "")
        self.heading.setText(f"{text} · {scope}" if scope else text)

    def show_urgent(self, urgent: Urgent) -> Urgent:
        self._show_heading()
        self.show_setup(urgent.setup)
        # A seat on a server that may not see publications or cases has no such card.
        self.takedown_card.setVisible(urgent.takedowns is not None)
        self.cases_card.setVisible(urgent.cases is not None)
        if urgent.takedowns is not None:
            self._show_takedowns(urgent.takedowns)
            self.context.set_takedown_count(urgent.takedowns.publications)
        if urgent.cases is not None:
            self._show_cases(urgent.cases)
        return urgent

    def _show_takedowns(self, counts: TakedownCounts) -> None:
        card = self.takedown_card
        card.set_button(self.tr("Naar &Te verwijderen"), self.open_takedowns)
        if not counts.publications:
            card.show_values(None, self.tr("Er hoeft niets verwijderd te worden."))
            return
        card.show_values(
            counts.publications,
            count_text(
                counts.publications,
                self.tr("publicatie, met %2"),
                self.tr("publicaties, met samen %2"),
            ).replace(
                "%2",
                count_text(
                    counts.pupils,
                    self.tr("1 leerling die er niet (meer) op mag"),
                    self.tr("%1 leerlingen die er niet (meer) op mogen"),
                ),
            ),
            self.tr(
                "De communicatiemedewerker haalt ze weg, maakt de leerling onherkenbaar of legt "
                "vast waarom een publicatie blijft staan (na een intrekking, een weigering, het "
                "einde van het schooljaar of een 16e verjaardag)."
            )
            if self.read_only
            else self.tr(
                "Haal ze weg, maak de leerling onherkenbaar, of leg vast waarom een publicatie "
                "blijft staan (na een intrekking, een weigering, het einde van het schooljaar of "
                "een 16e verjaardag)."
            ),
            attention=True,
        )

    def _show_cases(self, cases: CaseCounts) -> None:
        card = self.cases_card
        card.set_button(self.tr("Naar de lopende inci&denten"), self.open_cases)
        first = cases.first
        if first is None:
            card.show_values(None, self.tr("Er zijn geen lopende incidenten."))
            card.hide_second_button()
            return
        from merlet_desk.domain.cases import QUIET_DAYS

        card.show_values(
            cases.active,
            count_text(cases.active, self.tr("lopend incident"), self.tr("lopende incidenten"))
            + " "
            + self.tr("(%1 open, %2 in behandeling)")
            .replace("%1", number_text(cases.open))
            .replace("%2", number_text(cases.in_progress)),
            self.tr("Eerst: %1 (%2), de laatste stap was op %3.")
            .replace("%1", first.reference)
            .replace("%2", first.category_label)
            .replace("%3", format_date(first.last_step)),
            count_text(
                cases.quiet,
                self.tr("1 lopend incident heeft %2 dagen of langer geen nieuwe stap."),
                self.tr("%1 lopende incidenten hebben %2 dagen of langer geen nieuwe stap."),
            ).replace("%2", str(QUIET_DAYS))
            if cases.quiet
            else self.tr("Elk lopend incident had in de laatste %2 dagen een nieuwe stap.").replace(
                "%2", str(QUIET_DAYS)
            ),
        )
        card.set_button(
            self.tr("&Open %1").replace("%1", first.reference),
            lambda: self.open_case(first.reference),
            second=True,
        )

    def show_consent_counts(self, counts: ConsentCounts) -> ConsentCounts:
        card, today = self.consent_card, self.today
        if counts.scope:  # a seat that sees its own locations only: the counts say so
            self._scope_line = (
                self.tr("%1: %2")
                .replace("%1", ", ".join(counts.scope))
                .replace(
                    "%2",
                    count_text(counts.pupils, self.tr("1 leerling"), self.tr("%1 leerlingen")),
                )
            )
            self._show_heading()
        first = counts.first(today)
        lines = [
            self._reminder_line(key, counts) for key in (TURNED_16, EXPIRING, NO_RECORD, EXPIRED)
        ]
        later = "\n".join(
            "• " + line
            for key, line in zip((TURNED_16, EXPIRING, NO_RECORD, EXPIRED), lines, strict=True)
            if line and key != first
        )
        if first is None:
            card.show_values(
                None,
                self.tr("Voor alle leerlingen is voor elk doel een geldig besluit vastgelegd.")
                if counts.count(NO_RECORD).pupils == 0 and counts.pupils
                else self.tr("Er zijn nog geen leerlingen in het register."),
                "",
                later,
            )
            if counts.pupils or self.read_only:
                card.set_button(
                    self.tr("Naar de h&erinneringen"), lambda: self.open_reminders(None)
                )
            else:
                card.set_button(self.tr("Naar het &register"), self.open_register)
            return counts
        number = counts.count(first).pupils
        captions = {
            TURNED_16: (
                self.tr("leerling is 16 geworden sinds de ouder toestemming gaf"),
                self.tr("leerlingen zijn 16 geworden sinds de ouder toestemming gaf"),
                self.tr(
                    "Nu doen: vertel hen dat ze hun toestemming kunnen intrekken of zelf kunnen "
                    "beslissen."
                ),
                self.tr("Naar 16 ge&worden"),
            ),
            EXPIRING: (
                self.tr("leerling: de toestemming verloopt op %2"),
                self.tr("leerlingen: de toestemming verloopt op %2"),
                self.tr("Nu doen: vraag toestemming voor het volgende schooljaar."),
                self.tr("Naar &Verloopt dit schooljaar"),
            ),
            NO_RECORD: (
                self.tr("leerling heeft voor een of meer doelen niets vastgelegd"),
                self.tr("leerlingen hebben voor een of meer doelen niets vastgelegd"),
                self.tr("Geen besluit betekent geen toestemming: vraag het na."),
                self.tr("Naar Niets &vastgelegd"),
            ),
            EXPIRED: (
                self.tr("leerling heeft een besluit uit een vorig schooljaar"),
                self.tr("leerlingen hebben een besluit uit een vorig schooljaar"),
                self.tr("Dat besluit geldt niet meer: vraag opnieuw."),
                self.tr("Naar Ver&lopen"),
            ),
        }
        one, many, now, button = captions[first]
        if self.read_only:  # a location manager reads who does what, not an order
            now = {
                TURNED_16: self.tr(
                    "De communicatiemedewerker vertelt hen dat ze hun toestemming kunnen "
                    "intrekken of zelf kunnen beslissen."
                ),
                EXPIRING: self.tr(
                    "De communicatiemedewerker vraagt toestemming voor het volgende schooljaar."
                ),
                NO_RECORD: self.tr(
                    "Geen besluit betekent geen toestemming; de communicatiemedewerker vraagt "
                    "het na."
                ),
                EXPIRED: self.tr(
                    "Dat besluit geldt niet meer; de communicatiemedewerker vraagt opnieuw."
                ),
            }[first]
        end = format_date(counts.year_end) if counts.year_end else ""
        card.show_values(
            number,
            (one if number == 1 else many).replace("%2", end),
            now,
            (self.tr("Daarna:") + "\n" + later) if later else "",
        )
        card.set_button(button, lambda: self.open_reminders(first))
        return counts

    def _reminder_line(self, key: str, counts: ConsentCounts) -> str:
        """One line per non-empty reminder list, in pupils."""
        pupils = counts.count(key).pupils
        if not pupils:
            return ""
        if key == TURNED_16:
            if self.read_only:
                return count_text(
                    pupils,
                    self.tr("1 leerling is 16 geworden."),
                    self.tr("%1 leerlingen zijn 16 geworden."),
                )
            return count_text(
                pupils,
                self.tr("1 leerling is 16 geworden: informeer hem of haar."),
                self.tr("%1 leerlingen zijn 16 geworden: informeer hen."),
            )
        if key == EXPIRING:
            assert counts.year_end is not None
            due = counts.year_end - timedelta(days=EXPIRY_WARNING_DAYS)
            return (
                (
                    count_text(
                        pupils,
                        self.tr("Van 1 leerling verloopt de toestemming op %2"),
                        self.tr("Van %1 leerlingen verloopt de toestemming op %2"),
                    )
                    + (
                        self.tr(".")
                        if self.read_only
                        else self.tr("; vanaf %3 opnieuw vragen.")
                        if due > self.today
                        else self.tr(": vraag nu opnieuw.")
                    )
                )
                .replace("%2", format_date(counts.year_end))
                .replace("%3", format_date(due))
            )
        if key == NO_RECORD:
            return count_text(
                pupils,
                self.tr("1 leerling heeft voor een of meer doelen niets vastgelegd."),
                self.tr("%1 leerlingen hebben voor een of meer doelen niets vastgelegd."),
            )
        if self.read_only:
            return count_text(
                pupils,
                self.tr("1 leerling heeft een verlopen besluit."),
                self.tr("%1 leerlingen hebben een verlopen besluit."),
            )
        return count_text(
            pupils,
            self.tr("1 leerling heeft een verlopen besluit: opnieuw vragen."),
            self.tr("%1 leerlingen hebben een verlopen besluit: opnieuw vragen."),
        )

    # -- buttons ------------------------------------------------------------------------------

    def open_register(self) -> None:
        self.context.consent().show_register()

    def open_takedowns(self) -> None:
        self.context.publications().show_takedowns()

    def open_reminders(self, key: str | None) -> None:
        self.context.consent().show_reminders(key)

    def open_cases(self) -> None:
        self.context.cases().show_active_cases()

    def open_case(self, reference: str) -> None:
        self.context.cases().open_case(reference)

    def import_pupils(self) -> None:
        self.context.consent().import_pupils()

    def enter_forms(self) -> None:
        self.context.consent().open_form_entry()

    def import_consents(self) -> None:
        self.context.consent().import_consents()

    def check_settings(self) -> None:
        self.context.consent().edit_settings()

    def _encrypted(self) -> bool:
        from merlet_desk.ui.common.encryption import is_encrypted

        return is_encrypted(self.context.db)

    def encrypt_database(self) -> None:
        self.context.encrypt()


def build(context: SectionContext) -> QWidget:
    return StartSection(context)
