"""Herinneringen: what needs attention in the consent register, one row per pupil.

Four lists from `store.attention.reminder_lists` (the same the start screen counts): pupils
who turned 16 since their parent's consent, consents that expire at the end of this school
year, pupils with nothing recorded for a purpose, and decisions from an earlier school year.
The officer acts on a pupil (tells them, sends one form for all purposes), so each row is a
pupil with the purposes concerned, and the count in the tab title is pupils. Each
list can hold thousands of rows: a table model with a sort/filter proxy.

Under "16 geworden" the officer records that one or several pupils were told (on a date, today
by default): they leave the list and Start's count. "Ook geïnformeerde leerlingen tonen" brings
them back, with the date, to undo a mistaken mark (a new entry; `store.informed`).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from merlet_desk import clock
from merlet_desk.domain import consent as rules
from merlet_desk.domain.dates import format_date
from merlet_desk.domain.text import count_text, fold, number_text
from merlet_desk.errors import InputError
from merlet_desk.store import pupils as store
from merlet_desk.store import purposes as purpose_store
from merlet_desk.store.attention import (
    EXPIRED,
    EXPIRING,
    NO_RECORD,
    TURNED_16,
    TURNED_16_INFORMED,
    reminder_lists,
)
from merlet_desk.store.pupils import Pupil
from merlet_desk.store.purposes import Purpose
from merlet_desk.store.sqlite_utils_import import Database
from merlet_desk.ui.common import dialogs
from merlet_desk.ui.common.columns import ColumnFit
from merlet_desk.ui.common.consent_states import tr_consent
from merlet_desk.ui.common.flow_layout import FlowLayout
from merlet_desk.ui.common.rows import ROW_ROLE, SORT_ROLE, Column, RowModel
from merlet_desk.ui.common.sorting import SourceSortingProxy
from merlet_desk.ui.common.widgets import DateField, link_label
from merlet_desk.ui.common.word_filter import WordFilter
from merlet_desk.ui.consent.model import natural_key

PAYLOAD_ROLE = ROW_ROLE
COL_PURPOSES, COL_DETAIL = 4, 5


@dataclass(frozen=True)
class ReminderRow:
    """One pupil in a reminder list, with the purposes concerned (in register order)."""

    pupil: Pupil
    purposes: tuple[Purpose, ...]
    detail: str
    detail_key: str
    search: str
    sort_keys: tuple[str, ...] = ()
    informed_on: date | None = None  # "16 geworden": the day the pupil was told

    @property
    def purpose(self) -> Purpose:
        """The first purpose concerned (a double-click opens its history)."""
        return self.purposes[0]

    @property
    def purposes_text(self) -> str:
        return ", ".join(p.label for p in self.purposes)


def _value(column: int) -> Callable[[ReminderRow], str]:
    """The text of a reminder row's column: number, name, class, location, purposes, detail."""
    texts: tuple[Callable[[ReminderRow], str], ...] = (
        lambda row: row.pupil.number,
        lambda row: row.pupil.name,
        lambda row: row.pupil.class_name,
        lambda row: row.pupil.location,
        lambda row: row.purposes_text,
        lambda row: row.detail,
    )
    return texts[column]


def _sort_key(column: int) -> Callable[[ReminderRow], str]:
    return lambda row: row.sort_keys[column]


class ReminderModel(RowModel[ReminderRow]):
    """Rows of pupils: number, name, class, location, purposes and a detail column."""

    HEADERS = ("Nr.", "Naam", "Klas", "Locatie", "Doelen", "")

    def __init__(self, detail_header: str, parent: Any = None) -> None:
        self.detail_header = detail_header
        columns = [
            Column(
                tr_consent(header or detail_header),
                _value(i),
                sort_key=_sort_key(i),
                tooltip=_value(i),
            )
            for i, header in enumerate(self.HEADERS)
        ]
        super().__init__(columns, parent, sort_column=2)

    def load(self, rows: Sequence[ReminderRow]) -> None:
        self.set_rows(rows)


class ReminderProxy(WordFilter, SourceSortingProxy):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._words: list[str] = []


class ReminderList(QWidget):
    """One reminder list: an explanation, a search field, the table and, for the chosen
    pupil, a link per purpose to its history. With nobody in it, one line says so."""

    def __init__(
        self,
        explanation: str,
        detail_header: str,
        empty_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = ReminderModel(detail_header, self)
        self.proxy = ReminderProxy(self)
        self.proxy.setSourceModel(self.model)
        text = QLabel(explanation)
        text.setWordWrap(True)
        text.setStyleSheet("color:#3c4650;")
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Zoek op naam, nummer, klas of doel…"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Zoek in de herinneringen"))
        self.search.textChanged.connect(self.proxy.set_search)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setColumnHidden(COL_DETAIL, not detail_header)
        self.column_fit = ColumnFit(
            self.table,
            stretch=COL_PURPOSES,
            widths={0: 70, 1: 210, 2: 55, 3: 70, COL_DETAIL: 240 if detail_header else 0},
            narrow={1: 180, COL_DETAIL: 200 if detail_header else 0},
            min_stretch=200,
        )
        self._nobody = empty_text
        self.empty = QLabel(empty_text)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color:#2e6b34; font-size:12pt;")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.links = link_label()
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.search)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.links)
        self.actions_layout = layout  # a list with actions adds its row here

    def load(self, rows: Sequence[ReminderRow], empty_text: str = "") -> None:
        """Show `rows`; with none, `empty_text` (or the list's own "nobody" sentence)."""
        self.model.load(rows)
        self.empty.setText(empty_text or self._nobody)
        self.stack.setCurrentWidget(self.table if rows else self.empty)
        self.search.setEnabled(bool(rows))
        self.links.clear()

    @property
    def pupils(self) -> int:
        return self.model.rowCount()

    def row_at_proxy(self, index: QModelIndex) -> ReminderRow | None:
        value = index.data(PAYLOAD_ROLE) if index.isValid() else None
        return value if isinstance(value, ReminderRow) else None

    def shown_rows(self) -> list[ReminderRow]:
        """The rows as the list shows them (sorted and filtered)."""
        rows = (self.row_at_proxy(self.proxy.index(r, 0)) for r in range(self.proxy.rowCount()))
        return [row for row in rows if row is not None]


def _purpose_of(value: Any, purposes: dict[str, Purpose]) -> Purpose:
    if isinstance(value, Purpose):
        return value
    return purposes.get(str(value)) or Purpose(0, str(value), str(value), False, 0)


def _row(pupil: Pupil, purposes: tuple[Purpose, ...], detail: str, detail_key: str) -> ReminderRow:
    name_key = f"{fold(pupil.last_name)}\x01{fold(pupil.first_name)}\x01{fold(pupil.prefix)}"
    class_key = natural_key(pupil.class_name)
    purpose_key = "".join(f"{p.position:04d}" for p in purposes)
    labels = " ".join(fold(p.label) for p in purposes)
    search = f"{pupil.number} {fold(pupil.name)} {fold(pupil.class_name)} {labels}"
    keys = (
        pupil.number.rjust(12, "0"),
        name_key,
        f"{class_key}\x02{name_key}",
        f"{fold(pupil.location)}\x02{class_key}\x02{name_key}",
        f"{purpose_key}\x02{class_key}\x02{name_key}",
        f"{detail_key}\x02{class_key}\x02{name_key}",
    )
    return ReminderRow(pupil, purposes, detail, detail_key, search, keys)


def per_pupil(
    entries: Sequence[tuple], purposes: dict[str, Purpose], detail: Callable[[tuple], tuple]
) -> list[ReminderRow]:
    """Group (pupil, purpose, ...) entries into one row per pupil; `detail(entry)` gives the
    (text, sort key) of the pupil's first entry."""
    grouped: dict[str, list[tuple]] = {}
    for entry in entries:
        grouped.setdefault(entry[0].number, []).append(entry)
    rows = []
    for group in grouped.values():
        chosen = sorted((_purpose_of(e[1], purposes) for e in group), key=lambda p: p.position)
        text, key = detail(group[0])
        rows.append(_row(group[0][0], tuple(chosen), text, key))
    return rows


class RemindersView(QWidget):
    """The Herinneringen tab. `open_history(pupil, purpose)` opens a pupil's history for a
    purpose (a double-click, or a purpose link under the list). `informedChanged` carries the
    numbers of the pupils whose mark "informed" was recorded or undone (their statuses show
    it)."""

    informedChanged = Signal(list)

    def __init__(
        self,
        db: Database,
        open_history: Callable[[Pupil, Purpose], object] | None = None,
        parent: QWidget | None = None,
        *,
        read_only: bool = False,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.read_only = read_only
        self.on = clock.today()
        self._informed_rows: list[ReminderRow] = []
        self.open_history = open_history
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size:11pt; color:#1f3a5f;")
        self.refresh_button = QPushButton(self.tr("&Vernieuwen"))
        self.refresh_button.clicked.connect(self.reload)
        self.turned_16 = ReminderList(
            self.tr(
                "Deze leerlingen zijn 16 geworden sinds hun ouder toestemming gaf. De toestemming "
                "blijft gelden, maar vertel de leerling dat hij of zij die kan intrekken of zelf "
                "kan beslissen."
            ),
            "Toestemming van de ouder",
            self.tr("Er is niemand 16 geworden sinds de ouder toestemming gaf."),
        )
        self.expiring = ReminderList(
            self.tr(
                "Van deze leerlingen gelden de besluiten tot het einde van dit schooljaar. Vraag "
                "voor volgend schooljaar opnieuw toestemming (alleen als toestemming per "
                "schooljaar geldt)."
            ),
            "Geldig tot en met",
            self.tr("Er verloopt dit schooljaar geen toestemming."),
        )
        self.no_record = ReminderList(
            self.tr(
                "Voor deze leerlingen is voor een of meer doelen niets vastgelegd. Geen besluit "
                "betekent: geen toestemming. Vraag het na, bijvoorbeeld met een papieren "
                "formulier."
            ),
            "",
            self.tr("Voor elke leerling is voor elk doel iets vastgelegd."),
        )
        self.expired = ReminderList(
            self.tr(
                "Het besluit van deze leerlingen is uit een vorig schooljaar en geldt niet "
                "meer: dat telt als geen toestemming. Vraag opnieuw."
            ),
            "",
            self.tr(
                "Er is geen besluit uit een vorig schooljaar meer dat opnieuw gevraagd moet worden."
            ),
        )
        self._build_informed_row()
        self.lists: dict[str, ReminderList] = {
            TURNED_16: self.turned_16,
            EXPIRING: self.expiring,
            NO_RECORD: self.no_record,
            EXPIRED: self.expired,
        }
        self.tabs = QTabWidget()
        for reminder_list in self.lists.values():
            self.tabs.addTab(reminder_list, "")
            reminder_list.table.doubleClicked.connect(
                lambda index, rl=reminder_list: self._open(rl, index)
            )
            reminder_list.table.selectionModel().currentRowChanged.connect(
                lambda current, _previous, rl=reminder_list: self._show_links(rl, current)
            )
            reminder_list.links.linkActivated.connect(
                lambda href, rl=reminder_list: self._open_link(rl, href)
            )
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.reload()

    def reload(self) -> None:
        self.on = clock.today()
        lists = reminder_lists(self.db, self.on)
        purposes = {p.code: p for p in purpose_store.list_purposes(self.db, include_retired=True)}

        def expiry(entry: tuple) -> tuple[str, str]:
            return format_date(entry[2]), entry[2].isoformat()

        def parent_consent(entry: tuple) -> tuple[str, str]:
            decision = entry[2]
            if not isinstance(decision, rules.Decision):
                return "", ""
            giver = tr_consent(rules.GIVER_LABELS.get(decision.given_by, decision.given_by))
            name = f" {decision.giver_name}" if decision.giver_name else ""
            return f"{giver}{name}, {format_date(decision.received_on)}", (
                decision.received_on.isoformat()
            )

        def nothing(_entry: tuple) -> tuple[str, str]:
            return "", ""

        def informed_detail(entry: tuple) -> tuple[str, str]:
            text = self.tr("geïnformeerd op %1").replace("%1", format_date(entry[3]))
            return text, f"~{entry[3].isoformat()}"  # sorted after the pupils still to tell

        details = {
            TURNED_16: parent_consent,
            EXPIRING: expiry,
            NO_RECORD: nothing,
            EXPIRED: nothing,
        }
        titles = {
            TURNED_16: self.tr("16 geworden (%1)"),
            EXPIRING: self.tr("Verloopt dit schooljaar (%1)"),
            NO_RECORD: self.tr("Niets vastgelegd (%1)"),
            EXPIRED: self.tr("Verlopen — opnieuw vragen (%1)"),
        }
        no_pupils = (
            ""
            if store.list_pupils(self.db)
            else self.tr(
                "Er staan nog geen leerlingen in het register: importeer ze eerst (Register › "
                "Leerlingen importeren)."
            )
        )
        told = {entry[0].number: entry[3] for entry in lists[TURNED_16_INFORMED]}
        self._informed_rows = [
            replace(row, informed_on=told[row.pupil.number])
            for row in per_pupil(lists[TURNED_16_INFORMED], purposes, informed_detail)
        ]
        for key, reminder_list in self.lists.items():
            rows = per_pupil(lists[key], purposes, details[key])
            # The count is of who still needs telling, also while the told ones are shown.
            self.tabs.setTabText(
                self.tabs.indexOf(reminder_list), titles[key].replace("%1", number_text(len(rows)))
            )
            if key == TURNED_16 and self.show_informed.isChecked():
                rows += self._informed_rows
            reminder_list.load(rows, no_pupils)
        self._follow_choice()
        self.summary.setText(
            self.tr(
                "Stand op %1, per leerling. Dubbelklik op een leerling, of kies een doel onder "
                "de lijst, voor de geschiedenis en om een besluit vast te leggen."
            ).replace("%1", format_date(self.on))
        )

    def _build_informed_row(self) -> None:
        """Under "16 geworden": record that the chosen pupils were told, show the ones told,
        undo a mistaken mark. A reader sees the list only."""
        table = self.turned_16.table
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.show_informed = QCheckBox(self.tr("Ook geïnformeerde leerlingen &tonen"))
        self.show_informed.toggled.connect(lambda _on: self.reload())
        self.informed_date = DateField()
        self.informed_date.setAccessibleName(self.tr("Geïnformeerd op"))
        self.mark_button = QPushButton(self.tr("Mar&keer als geïnformeerd"))
        self.mark_button.clicked.connect(self.mark_chosen)
        self.undo_button = QPushButton(self.tr("Markering ongedaan &maken"))
        self.undo_button.clicked.connect(self.undo_chosen)
        date_label = QLabel(self.tr("Geïnformeerd op:"))
        date_label.setBuddy(self.informed_date)
        row = QWidget()
        flow = FlowLayout(row)
        flow.setContentsMargins(0, 0, 0, 0)
        for widget in (self.show_informed, date_label, self.informed_date, self.mark_button):
            flow.addWidget(widget)
        flow.addWidget(self.undo_button)
        self.informed_row = row
        for widget in (date_label, self.informed_date, self.mark_button, self.undo_button):
            widget.setVisible(not self.read_only)
        self.turned_16.actions_layout.addWidget(row)
        table.selectionModel().selectionChanged.connect(lambda *_: self._follow_choice())
        self._follow_choice()

    def chosen_rows(self) -> list[ReminderRow]:
        """The rows chosen in "16 geworden" (several with Ctrl or Shift)."""
        reminder_list = self.turned_16
        indexes = reminder_list.table.selectionModel().selectedRows()
        rows = (reminder_list.row_at_proxy(index) for index in indexes)
        return [row for row in rows if row is not None]

    def _follow_choice(self) -> None:
        rows = self.chosen_rows()
        self.mark_button.setEnabled(any(row.informed_on is None for row in rows))
        self.undo_button.setEnabled(any(row.informed_on is not None for row in rows))

    def mark_chosen(self) -> bool:
        """Record that the chosen pupils (not yet told) were told on the date filled in."""
        from merlet_desk.store.informed import mark_informed

        numbers = [row.pupil.number for row in self.chosen_rows() if row.informed_on is None]
        return self._record(
            lambda: mark_informed(self.db, numbers, self.informed_date.value()),
            numbers,
            count_text(
                len(numbers),
                self.tr("1 leerling als geïnformeerd vastgelegd."),
                self.tr("%1 leerlingen als geïnformeerd vastgelegd."),
            ),
        )

    def undo_chosen(self) -> bool:
        """Undo the mark of the chosen pupils who were marked (a new entry in their history)."""
        from merlet_desk.store.informed import undo_informed

        rows = [row for row in self.chosen_rows() if row.informed_on is not None]
        names = ", ".join(row.pupil.name for row in rows)
        question = self.tr(
            "De markering 'geïnformeerd' van %1 ongedaan maken? De leerling komt terug op de "
            "lijst; de markering blijft in de geschiedenis staan."
        ).replace("%1", names)
        if not rows or not dialogs.ask_yes_no(self, self.tr("Markering ongedaan maken"), question):
            return False
        numbers = [row.pupil.number for row in rows]
        return self._record(
            lambda: undo_informed(self.db, numbers),
            numbers,
            count_text(
                len(rows),
                self.tr("Markering van 1 leerling ongedaan gemaakt."),
                self.tr("Markering van %1 leerlingen ongedaan gemaakt."),
            ),
        )

    def _record(self, write: Callable[[], object], numbers: list[str], done: str) -> bool:
        if self.read_only:
            return False
        try:
            write()
        except InputError as exc:
            dialogs.show_error(self, self.tr("Niet vastgelegd"), str(exc))
            return False
        self.informedChanged.emit(numbers)
        self.reload()
        self.summary.setText(done + " " + self.summary.text())
        return True

    def show_list(self, key: str) -> ReminderList:
        """Bring list `key` (store.attention's TURNED_16, EXPIRING, ...) to the front."""
        reminder_list = self.lists[key]
        reminder_list.search.clear()  # whole, as the start screen counted it
        self.tabs.setCurrentWidget(reminder_list)
        return reminder_list

    def current_list(self) -> ReminderList:
        widget = self.tabs.currentWidget()
        assert isinstance(widget, ReminderList)
        return widget

    def _open(self, reminder_list: ReminderList, index: QModelIndex) -> None:
        row = reminder_list.row_at_proxy(index)
        if row is not None and self.open_history is not None:
            self.open_history(row.pupil, row.purpose)

    def _show_links(self, reminder_list: ReminderList, current: QModelIndex) -> None:
        row = reminder_list.row_at_proxy(current)
        if row is None:
            reminder_list.links.clear()
            return
        links = ", ".join(
            f'<a href="{html.escape(p.code)}">{html.escape(p.label)}</a>' for p in row.purposes
        )
        reminder_list.links.setText(
            html.escape(
                count_text(
                    len(row.purposes),
                    self.tr("Geschiedenis van %2 voor dit doel:"),
                    self.tr("Geschiedenis van %2 per doel:"),
                ).replace("%2", row.pupil.name)
            )
            + " "
            + links
        )

    def _open_link(self, reminder_list: ReminderList, code: str) -> None:
        row = reminder_list.row_at_proxy(reminder_list.table.currentIndex())
        if row is None or self.open_history is None:
            return
        purpose = next((p for p in row.purposes if p.code == code), None)
        if purpose is not None:
            self.open_history(row.pupil, purpose)
