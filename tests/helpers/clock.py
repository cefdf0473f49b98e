"""The test clock: the moment the program's clock stands at in every test, and birth dates
relative to it.

`SESSION_NOW` is the real time at the start of the run, or `MERLET_TEST_NOW` when set
(`scripts/test-dates.sh` runs the date-sensitive tests at the dates where date logic breaks).
Tests build their dates from `TODAY`, never from the real calendar, so a run that crosses
midnight, or runs on 1 August, sees one day throughout.
"""

from __future__ import annotations

import os
from datetime import date, datetime

from merlet_desk import clock


def _session_moment() -> datetime:
    value = os.environ.get("MERLET_TEST_NOW", "").strip()
    if value:
        return datetime.fromisoformat(value)
    os.environ.pop(clock.ENV_VAR, None)
    return clock.now().replace(microsecond=0)


SESSION_NOW: datetime = _session_moment()
TODAY: date = SESSION_NOW.date()


def fix_clock(monkeypatch, moment: date | datetime) -> None:  # noqa: ANN001
    """For a scenario told on one fixed day: stop the program's clock there, for this test and
    the CLI children it starts (conftest's `now` fixture lets it run again afterwards)."""
    clock.fix(moment)
    monkeypatch.setenv(clock.ENV_VAR, clock.now().isoformat())


def born_aged(years: int, days_since_birthday: int = 30) -> date:
    """A birth date that makes a pupil `years` old on TODAY, with the last birthday
    `days_since_birthday` days ago: fixture pupils keep their age whatever day the suite runs."""
    from datetime import timedelta

    birthday = TODAY - timedelta(days=days_since_birthday)
    try:
        return birthday.replace(year=birthday.year - years)
    except ValueError:  # 29 February in a year that has none
        return birthday.replace(year=birthday.year - years, day=28)


def settled_today(monkeypatch, days: int = 7) -> date:  # noqa: ANN001
    """For a scenario told over the `days` days before today within one school year: TODAY,
    or, when TODAY lies in the first days of a school year (1 August in the date runs), the day
    `days` after that year's start, with the program's clock fixed there. Decisions of
    "yesterday" would otherwise belong to last school year and have expired."""
    from datetime import timedelta

    from merlet_desk.domain.consent import school_year

    start, _ = school_year(TODAY)
    if (TODAY - start).days >= days:
        return TODAY
    moment = start + timedelta(days=days)
    fix_clock(monkeypatch, datetime.combine(moment, SESSION_NOW.time()))
    return moment
