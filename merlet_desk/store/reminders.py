"""What needs asking on a date, for the pupils at school and the active purposes: consents that
end with the school year, parents' grants for pupils who turned 16, nothing recorded, and
decisions from an earlier school year. Derived from the statuses, which carry the day a pupil
who turned 16 was told (`store.informed`). No Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from merlet_desk.domain import consent as rules
from merlet_desk.domain.consent import Decision
from merlet_desk.store.consent_settings import consent_settings, school_year
from merlet_desk.store.pupils import Pupil
from merlet_desk.store.purposes import Purpose, list_purposes
from merlet_desk.store.sqlite_utils_import import Database
from merlet_desk.store.statuses import register_statuses


class ExpiringReminder(NamedTuple):
    pupil: Pupil
    purpose: Purpose
    valid_until: date


class Turned16Reminder(NamedTuple):
    pupil: Pupil
    purpose: Purpose
    decision: Decision
    informed_on: date | None = None  # the day the pupil was told (then off the list)


class NoRecordReminder(NamedTuple):
    pupil: Pupil
    purpose: Purpose


@dataclass
class Reminders:
    """What needs attention on a date (pupils at school, active purposes)."""

    on: date
    expiring: list[ExpiringReminder] = field(default_factory=list)
    turned_16: list[Turned16Reminder] = field(default_factory=list)
    turned_16_informed: list[Turned16Reminder] = field(default_factory=list)
    no_record: list[NoRecordReminder] = field(default_factory=list)
    expired: list[NoRecordReminder] = field(default_factory=list)  # "ask again"


def reminders(db: Database, on: date) -> Reminders:
    """What needs attention on `on`, for pupils at school and active purposes.

    `expiring`: consents that end with this school year (validity per school year only);
    `turned_16`: a parent's consent for a pupil who has since turned 16 (flagged or ask_pupil)
    and who was not told yet; `turned_16_informed`: the same, for pupils whose mark stands
    (such a consent is always from before the 16th birthday, so before the pupil was told);
    `no_record`: nothing recorded; `expired`: a decision from an earlier school year.
    """
    settings = consent_settings(db)
    purposes = {p.code: p for p in list_purposes(db)}
    year_end = school_year(on, settings)[1] if settings.validity == rules.SCHOOL_YEAR else None
    result = Reminders(on=on)
    for pupil, statuses in register_statuses(db, on):
        for code, status in statuses.items():
            purpose = purposes[code]
            # A pupil told has plain consent, or still ask_pupil; the status says the day.
            if status.informed_on is not None:
                assert status.decision is not None
                result.turned_16_informed.append(
                    Turned16Reminder(pupil, purpose, status.decision, status.informed_on)
                )
            elif status.state in (rules.ALLOWED_TURNED_16, rules.ASK_PUPIL):
                assert status.decision is not None
                result.turned_16.append(Turned16Reminder(pupil, purpose, status.decision))
            if status.allowed and year_end is not None and status.valid_until == year_end:
                result.expiring.append(ExpiringReminder(pupil, purpose, year_end))
            elif status.state == rules.NO_RECORD:
                result.no_record.append(NoRecordReminder(pupil, purpose))
            elif status.state == rules.EXPIRED:
                result.expired.append(NoRecordReminder(pupil, purpose))
    return result
