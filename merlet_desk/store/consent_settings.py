"""The school's consent settings: how long a decision holds (the school year, or until
withdrawn), when the school year starts, and whether a parent's grant still counts once the
pupil is 16. Stored in the settings table; a change changes how decisions are read, never
the decisions. No Qt here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from merlet_desk.domain import consent as rules
from merlet_desk.domain.consent import ConsentSettings
from merlet_desk.errors import InputError
from merlet_desk.store.settings import get_settings_later, register_default, set_setting
from merlet_desk.store.sqlite_utils_import import Database

# Settings (stored as JSON in the settings table).
SETTING_VALIDITY = "consent.validity"  # "school_year" | "until_withdrawn"
SETTING_SCHOOL_YEAR_START = "consent.school_year_start"  # "MM-DD"
SETTING_PUPIL_ONLY_FROM_16 = "consent.pupil_only_from_16"  # bool
SETTING_CHECKED = "setup.settings_checked"  # bool: the school looked at these settings once
register_default(SETTING_VALIDITY, rules.SCHOOL_YEAR)
register_default(SETTING_SCHOOL_YEAR_START, "08-01")
register_default(SETTING_PUPIL_ONLY_FROM_16, False)


def consent_settings(db: Database) -> ConsentSettings:
    return consent_settings_later(db)()


def consent_settings_later(db: Database) -> Callable[[], ConsentSettings]:
    """`consent_settings`, its query executed now and read when the result is called (for
    `dialect.together`)."""
    stored_later = get_settings_later(
        db, [SETTING_VALIDITY, SETTING_SCHOOL_YEAR_START, SETTING_PUPIL_ONLY_FROM_16]
    )

    def result() -> ConsentSettings:
        stored = stored_later()
        validity = stored[SETTING_VALIDITY]
        if validity not in rules.VALIDITY_MODES:
            validity = rules.SCHOOL_YEAR
        try:
            month, day = (int(part) for part in str(stored[SETTING_SCHOOL_YEAR_START]).split("-"))
            date(2024, month, day)  # a leap year, so 02-29 is accepted
        except ValueError:
            month, day = 8, 1
        return ConsentSettings(
            validity=validity,
            school_year_start=(month, day),
            pupil_only_from_16=bool(stored[SETTING_PUPIL_ONLY_FROM_16]),
        )

    return result


def save_consent_settings(db: Database, settings: ConsentSettings) -> None:
    """Store the consent settings (each changed key audited)."""
    if settings.validity not in rules.VALIDITY_MODES:
        raise InputError(f"Onbekende geldigheid '{settings.validity}'.")
    month, day = settings.school_year_start
    try:
        date(2024, month, day)
    except ValueError as exc:
        raise InputError(f"Onmogelijke startdatum van het schooljaar: {day}-{month}.") from exc
    with db.atomic():
        set_setting(db, SETTING_VALIDITY, settings.validity)
        set_setting(db, SETTING_SCHOOL_YEAR_START, f"{month:02d}-{day:02d}")
        set_setting(db, SETTING_PUPIL_ONLY_FROM_16, bool(settings.pupil_only_from_16))
        set_setting(db, SETTING_CHECKED, True)  # step 3 of "Zo begint u" is done


def school_year(on: date, settings: ConsentSettings | None = None) -> tuple[date, date]:
    """The school year holding `on` (start, end inclusive) under these settings."""
    return rules.school_year(on, settings)
