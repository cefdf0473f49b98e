"""Herinneringen: what needs attention in the consent register.

Three lists from `store.consent.reminders`: decisions that expire at the end of this school
year, pupils who turned 16 since their parent's consent, and pupils with no record for a
purpose. Each list can hold thousands of rows, so each is a table model with a sort/filter proxy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from merlet_desk import clock
from merlet_desk.domain import consent as rules
from merlet_desk.domain.dates import format_date
from merlet_desk.domain.text import fold
from merlet_desk.store import consent as store
from merlet_desk.store.consent import Pupil, Purpose
from merlet_desk.ui.common.consent_states import tr_consent
from merlet_desk.ui.common.word_filter import WordFilter
from merlet_desk.ui.consent.model import SORT_ROLE, SourceSortingProxy, natural_key, sort_rows

PAYLOAD_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class ReminderRow:
    pupil: Pupil
    purpose: Purpose
    detail: str
    detail_key: str
    search: str
    sort_keys: tuple[str, ...] = ()


class ReminderModel(QAbstractTableModel):
    """Rows of (pupil, purpose, detail) with number, name, class, location, purpose, detail."""

    HEADERS = ("Nr.", "Naam", "Klas", "Locatie", "Doel", "")
    sorts_itself = True

    def __init__(self, detail_header: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.detail_header = detail_header
        self._rows: list[ReminderRow] = []
        self._sort_column = 2
        self._sort_order = Qt.SortOrder.AscendingOrder

    def load(self, rows: Sequence[ReminderRow]) -> None:
        self.beginResetModel()
        self._rows = sorted(rows, key=lambda r: r.sort_keys[self._sort_column])
        if self._sort_order == Qt.SortOrder.DescendingOrder:
            self._rows.reverse()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python (see consent_model.sort_rows)."""
        if not (0 <= column < len(self.HEADERS)):
            return
        self._sort_column, self._sort_order = column, order
        self._rows = sort_rows(
            self,
            self._rows,
            lambda r: r.sort_keys[column],
            order == Qt.SortOrder.DescendingOrder,
        )

    def row_at(self, row: int) -> ReminderRow:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        if 0 <= section < len(self.HEADERS):
            return tr_consent(self.HEADERS[section] or self.detail_header)
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == PAYLOAD_ROLE:
            return row
        values = (
            row.pupil.number,
            row.pupil.name,
            row.pupil.class_name,
            row.pupil.location,
            row.purpose.label,
            row.detail,
        )
        if not (0 <= column < len(values)):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return values[column]
        if role == SORT_ROLE:
            return row.sort_keys[column]
        return None


class ReminderProxy(WordFilter, SourceSortingProxy):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._words: list[str] = []


class ReminderList(QWidget):
    """One reminder list: an explanation, a search field and the table."""

    def __init__(self, explanation: str, detail_header: str, parent: QWidget | None = None) -> None:
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
        self.search.textChanged.connect(self.proxy.set_search)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((80, 220, 60, 80, 260)):
            self.table.setColumnWidth(column, width)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)

    def row_at_proxy(self, index: QModelIndex) -> ReminderRow | None:
        value = index.data(PAYLOAD_ROLE) if index.isValid() else None
        return value if isinstance(value, ReminderRow) else None


def _purpose_of(value: Any, purposes: dict[str, Purpose]) -> Purpose:
    if isinstance(value, Purpose):
        return value
    return purposes.get(str(value)) or Purpose(0, str(value), str(value), False, 0)


def _row(pupil: Pupil, purpose: Purpose, detail: str, detail_key: str) -> ReminderRow:
    name_key = f"{fold(pupil.last_name)}\x01{fold(pupil.first_name)}\x01{fold(pupil.prefix)}"
    class_key = natural_key(pupil.class_name)
    purpose_key = f"{purpose.position:04d}"
    search = f"{pupil.number} {fold(pupil.name)} {fold(pupil.class_name)} {fold(purpose.label)}"
    keys = (
        pupil.number.rjust(12, "0"),
        f"{name_key}\x02{purpose_key}",
        f"{class_key}\x02{name_key}\x02{purpose_key}",
        f"{fold(pupil.location)}\x02{class_key}\x02{name_key}\x02{purpose_key}",
        f"{purpose_key}\x02{class_key}\x02{name_key}",
        f"{detail_key}\x02{class_key}\x02{name_key}\x02{purpose_key}",
    )
    return ReminderRow(pupil, purpose, detail, detail_key, search, keys)


class RemindersView(QWidget):
    """The Herinneringen tab. `open_history(pupil, purpose)` is called on a double-click."""

    def __init__(
        self,
        db: Database,
        open_history: Callable[[Pupil, Purpose], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.on = clock.today()
        self.open_history = open_history
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size:11pt; color:#1f3a5f;")
        self.refresh_button = QPushButton(self.tr("Vernieuwen"))
        self.refresh_button.clicked.connect(self.reload)
        self.expiring = ReminderList(
            self.tr(
                "Deze besluiten gelden tot het einde van dit schooljaar. Vraag voor volgend "
                "schooljaar opnieuw toestemming (alleen als toestemming per schooljaar geldt)."
            ),
            "Geldig tot en met",
        )
        self.turned_16 = ReminderList(
            self.tr(
                "Deze leerlingen zijn 16 geworden sinds hun ouder toestemming gaf. De toestemming "
                "blijft gelden, maar vertel de leerling dat hij of zij die kan intrekken of zelf "
                "kan beslissen."
            ),
            "Toestemming van de ouder",
        )
        self.no_record = ReminderList(
            self.tr(
                "Voor deze leerlingen en doelen is niets vastgelegd. Geen besluit betekent: "
                "geen toestemming. Vraag het na."
            ),
            "",
        )
        self.expired = ReminderList(
            self.tr(
                "Het besluit van deze leerlingen is uit een vorig schooljaar en geldt niet "
                "meer: dat telt als geen toestemming. Vraag opnieuw."
            ),
            "",
        )
        self.tabs = QTabWidget()
        self.tabs.addTab(self.expiring, "")
        self.tabs.addTab(self.turned_16, "")
        self.tabs.addTab(self.no_record, "")
        self.tabs.addTab(self.expired, "")
        for reminder_list in (self.expiring, self.turned_16, self.no_record, self.expired):
            reminder_list.table.doubleClicked.connect(
                lambda index, rl=reminder_list: self._open(rl, index)
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
        data = store.reminders(self.db, self.on)
        purposes = {p.code: p for p in store.list_purposes(self.db, include_retired=True)}
        expiring = []
        for pupil, purpose, valid_until in data.expiring:
            expiring.append(
                _row(
                    pupil,
                    _purpose_of(purpose, purposes),
                    format_date(valid_until),
                    valid_until.isoformat(),
                )
            )
        turned = []
        for pupil, purpose, decision in data.turned_16:
            detail = ""
            key = ""
            if isinstance(decision, rules.Decision):
                giver = tr_consent(rules.GIVER_LABELS.get(decision.given_by, decision.given_by))
                name = f" {decision.giver_name}" if decision.giver_name else ""
                detail = f"{giver}{name}, {format_date(decision.received_on)}"
                key = decision.received_on.isoformat()
            turned.append(_row(pupil, _purpose_of(purpose, purposes), detail, key))
        missing = [_row(p, _purpose_of(c, purposes), "", "") for p, c in data.no_record]
        expired = []
        for pupil, purpose in getattr(data, "expired", []):
            expired.append(_row(pupil, _purpose_of(purpose, purposes), "", ""))
        self.expiring.model.load(expiring)
        self.turned_16.model.load(turned)
        self.no_record.model.load(missing)
        self.expired.model.load(expired)
        self.tabs.setTabText(
            0, self.tr("Verloopt dit schooljaar (%1)").replace("%1", str(len(expiring)))
        )
        self.tabs.setTabText(1, self.tr("16 geworden (%1)").replace("%1", str(len(turned))))
        self.tabs.setTabText(2, self.tr("Niets vastgelegd (%1)").replace("%1", str(len(missing))))
        self.tabs.setTabText(
            3, self.tr("Verlopen — opnieuw vragen (%1)").replace("%1", str(len(expired)))
        )
        self.summary.setText(
            self.tr(
                "Stand op %1. Dubbelklik op een regel voor de geschiedenis en om een besluit vast te leggen."
            ).replace("%1", format_date(self.on))
        )

    def _open(self, reminder_list: ReminderList, index: QModelIndex) -> None:
        row = reminder_list.row_at_proxy(index)
        if row is not None and self.open_history is not None:
            self.open_history(row.pupil, row.purpose)
