"""What needs attention today: the counts of the Start screen, without Qt.

Read on a worker thread with its own read-only connection (`ui/common/worker.py`), so the window
paints and answers input first (issue 18). What is counted is decided here; the screen only
shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

EXPIRY_WARNING_DAYS = 42


@dataclass(frozen=True)
class Urgent:
    """The quick counts: open takedowns and cases."""

    takedowns: int
    open_cases: int
    cases_in_progress: int


@dataclass(frozen=True)
class ConsentCounts:
    """The consent reminders: every pupil × purpose, so the slower part (0.25 s at 2,000
    pupils with ten years of history)."""

    expiring: int
    turned_16: int
    no_record: int
    year_end: date | None

    def needs_action(self, today: date) -> int:
        """Pupils to inform now, plus the consents that end within six weeks (asking again
        earlier in the year is not yet due)."""
        soon = self.year_end is not None and (self.year_end - today).days <= EXPIRY_WARNING_DAYS
        return self.turned_16 + (self.expiring if soon else 0)


@dataclass(frozen=True)
class Attention:
    """Everything on the start screen."""

    urgent: Urgent
    consent: ConsentCounts


def read_urgent(db: Database, today: date) -> Urgent:
    from merlet_desk.domain.cases import STATUS_IN_PROGRESS, STATUS_OPEN
    from merlet_desk.store.cases import count_by_status
    from merlet_desk.store.publications import open_takedown_count

    cases = count_by_status(db)
    return Urgent(
        takedowns=open_takedown_count(db, today),
        open_cases=cases.get(STATUS_OPEN, 0),
        cases_in_progress=cases.get(STATUS_IN_PROGRESS, 0),
    )


def read_consent_counts(db: Database, today: date) -> ConsentCounts:
    from merlet_desk.store.consent import consent_settings, reminders, school_year

    due = reminders(db, today)
    settings = consent_settings(db)
    year_end = school_year(today, settings)[1] if settings.validity == "school_year" else None
    return ConsentCounts(
        expiring=len(due.expiring),
        turned_16=len(due.turned_16),
        no_record=len(due.no_record) + len(due.expired),
        year_end=year_end,
    )


def read_attention(db: Database, today: date) -> Attention:
    """Everything the start screen counts, from the same store functions the CLI uses."""
    return Attention(read_urgent(db, today), read_consent_counts(db, today))
