"""What needs attention today: the counts of the Start screen, without Qt.

Each count is of what the officer acts on, and matches the list that the card's button opens: publications to take down (with the pupils in them as the second figure), pupils
(not pupil × purpose rows) in each consent reminder list, and the active cases with the one to
do first. What is counted is decided here; the Start section only shows it, and the lists it
opens read the same store functions. The functions take a `Database` and return plain data, so
the Start screen runs them on a worker thread (`ui/common/tasks.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from merlet_desk.store.sqlite_utils_import import Database

if TYPE_CHECKING:
    from merlet_desk.store.takedowns import Takedown

EXPIRY_WARNING_DAYS = 42

# The consent reminder lists (the tabs of Toestemmingen › Herinneringen), most urgent first.
TURNED_16, EXPIRING, NO_RECORD, EXPIRED = "turned_16", "expiring", "no_record", "expired"
REMINDER_LISTS = (TURNED_16, EXPIRING, NO_RECORD, EXPIRED)
# Pupils who turned 16 and were told: no reminder, shown on request to undo a mistaken mark.
TURNED_16_INFORMED = "turned_16_informed"


@dataclass(frozen=True)
class TakedownCounts:
    """Publications that must come down, and the pupils (distinct) who cause it."""

    publications: int
    pupils: int


@dataclass(frozen=True)
class FirstCase:
    """The active case to look at first: the one whose last step is oldest."""

    reference: str
    last_step: date
    incident_date: date
    category_label: str
    summary: str


@dataclass(frozen=True)
class CaseCounts:
    """Active cases (open or in progress), how many had no step for `QUIET_DAYS`, and the
    first to pick up."""

    open: int
    in_progress: int
    quiet: int
    first: FirstCase | None

    @property
    def active(self) -> int:
        return self.open + self.in_progress


@dataclass(frozen=True)
class SetupSteps:
    """The first steps on a new database ("Zo begint u"): each True once done."""

    pupils: bool
    consents: bool
    settings: bool

    @property
    def done(self) -> bool:
        return self.pupils and self.consents and self.settings


@dataclass(frozen=True)
class Urgent:
    """The quick counts: the first steps, takedowns and cases. On a server, None for what
    the seat may not see (`engine.access`: a reader has no cases, an incidents seat no
    publications)."""

    setup: SetupSteps
    takedowns: TakedownCounts | None
    cases: CaseCounts | None


@dataclass(frozen=True)
class ReminderCount:
    """One reminder list: the pupils in it and the pupil × purpose entries they have."""

    pupils: int
    entries: int


@dataclass(frozen=True)
class ConsentCounts:
    """The consent reminders: every pupil × purpose is read, so the slower part (0.25 s at
    2,000 pupils with ten years of history). `lists` holds a `ReminderCount` per list."""

    lists: dict[str, ReminderCount]
    year_end: date | None
    pupils: int = 0  # pupils at school: with none, the card says the register is empty
    scope: tuple[str, ...] = ()  # a seat's locations on a server: the counts are theirs only

    def count(self, key: str) -> ReminderCount:
        return self.lists.get(key, ReminderCount(0, 0))

    def expiry_due(self, today: date) -> bool:
        """Asking again for next school year is due in its last six weeks, not earlier."""
        return self.year_end is not None and (self.year_end - today).days <= EXPIRY_WARNING_DAYS

    def first(self, today: date) -> str | None:
        """The list that matters now: pupils who turned 16 (tell them today), consents that
        end within six weeks, then the pupils with no valid consent. None when all are empty
        (consents that end later in the year need nothing yet)."""
        if self.count(TURNED_16).pupils:
            return TURNED_16
        if self.count(EXPIRING).pupils and self.expiry_due(today):
            return EXPIRING
        for key in (NO_RECORD, EXPIRED):
            if self.count(key).pupils:
                return key
        return None


@dataclass(frozen=True)
class Attention:
    """Everything on the start screen."""

    urgent: Urgent
    consent: ConsentCounts


def count_takedowns(takedowns: Sequence[Takedown]) -> TakedownCounts:
    """The publications among these open takedowns (publication × pupil), and their pupils:
    what Start counts and the takedown report heads with."""
    return TakedownCounts(
        publications=len({t.publication_id for t in takedowns}),
        pupils=len({t.pupil.number for t in takedowns}),
    )


def read_takedowns(db: Database, today: date) -> TakedownCounts:
    from merlet_desk.store.takedowns import open_takedowns

    return count_takedowns(open_takedowns(db, today))


def read_cases(db: Database, today: date) -> CaseCounts:
    """The active cases, read with the same filter the case list uses for "Lopend"."""
    from merlet_desk.domain.cases import QUIET_DAYS, STATUS_ACTIVE, STATUS_OPEN
    from merlet_desk.store.cases import CaseFilter, list_cases

    rows = list_cases(db, CaseFilter(status=STATUS_ACTIVE))
    quiet_before = today - timedelta(days=QUIET_DAYS)
    first = min(rows, key=lambda r: (r.last_step, r.reference), default=None)
    return CaseCounts(
        open=sum(1 for r in rows if r.status == STATUS_OPEN),
        in_progress=sum(1 for r in rows if r.status != STATUS_OPEN),
        quiet=sum(1 for r in rows if r.last_step <= quiet_before),
        first=FirstCase(
            first.reference,
            first.last_step,
            first.incident_date,
            first.category_label,
            first.summary,
        )
        if first is not None
        else None,
    )


def read_urgent(db: Database, today: date) -> Urgent:
    from merlet_desk.store.engine.access import current_seat

    seat = current_seat(db)
    return Urgent(
        read_setup(db),
        read_takedowns(db, today) if seat is None or seat.sees_consents else None,
        read_cases(db, today) if seat is None or seat.sees_cases else None,
    )


def reminder_lists(db: Database, today: date) -> dict[str, list[Any]]:
    """The reminder lists by key, each of (pupil, purpose, ...) entries, and the pupils who
    turned 16 and were told (`TURNED_16_INFORMED`, not a reminder: not counted)."""
    from merlet_desk.store.reminders import reminders

    due = reminders(db, today)
    return {
        TURNED_16: due.turned_16,
        EXPIRING: due.expiring,
        NO_RECORD: due.no_record,
        EXPIRED: due.expired,
        TURNED_16_INFORMED: due.turned_16_informed,
    }


def read_consent_counts(db: Database, today: date) -> ConsentCounts:
    from merlet_desk.store.consent_settings import consent_settings, school_year
    from merlet_desk.store.pupils import count_pupils

    settings = consent_settings(db)
    year_end = school_year(today, settings)[1] if settings.validity == "school_year" else None
    lists = {
        key: ReminderCount(len({entry[0].number for entry in entries}), len(entries))
        for key, entries in reminder_lists(db, today).items()
        if key in REMINDER_LISTS
    }
    from merlet_desk.store.engine.access import current_seat

    seat = current_seat(db)
    scope = seat.locations if seat is not None and not seat.sees_all_locations else ()
    return ConsentCounts(lists, year_end, count_pupils(db), scope)


def read_attention(db: Database, today: date) -> Attention:
    """Everything the start screen counts, from the same store functions the lists use."""
    return Attention(read_urgent(db, today), read_consent_counts(db, today))


def read_setup(db: Database) -> SetupSteps:
    """Pupils imported, consents recorded, school settings looked at (saved once)."""
    from merlet_desk.store.consent_settings import SETTING_CHECKED
    from merlet_desk.store.settings import get_setting

    def has_rows(table: str) -> bool:
        return bool(db.execute(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchone()[0])

    return SetupSteps(
        pupils=has_rows("pupils"),
        consents=has_rows("decisions"),
        settings=bool(get_setting(db, SETTING_CHECKED, False)),
    )
