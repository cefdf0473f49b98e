"""The test clock: the moment the program's clock stands at in every test, and birth dates
relative to it.

`SESSION_NOW` is the real time at the start of the run, or `MERLET_TEST_NOW` when set
(`scripts/test-dates.sh` runs the date-sensitive tests at the dates where date logic breaks).
Tests build their dates from `TODAY`, never from the real calendar, so a run that crosses
midnight, or runs on 1 August, sees one day throughout.
"""

from __future__ import annotations

import functools
import os
import re
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


def fix_clock(monkeypatch, moment: date | datetime) -> None:
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


def settled_today(monkeypatch, days: int = 7) -> date:
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


# What makes a test module date-sensitive (`pytest -m dates`, marked by conftest): it uses the
# test clock or builds dates. Helpers whose own source uses these count too (found by
# `date_words`), so a test that builds its school with `add_consent_school` is marked.
DATE_WORDS = frozenset(
    {"TODAY", "SESSION_NOW", "born_aged", "settled_today", "fix_clock", "timedelta", "clock"}
)


def _date_pattern(words: frozenset[str]) -> re.Pattern[str]:
    names = "|".join(sorted(re.escape(word) for word in words))
    # the words; a date or datetime built; a test that asks for the `today` or `now` fixture
    return re.compile(rf"\b({names})\b|\b(date|datetime)\(|\bdef test_\w+\([^)]*\b(today|now)\b")


@functools.cache
def date_words() -> frozenset[str]:
    """DATE_WORDS and the name of every function in tests/helpers that uses one of them (or
    a helper that does)."""
    import importlib
    import inspect
    import pkgutil

    import tests.helpers

    sources = {}
    for info in pkgutil.iter_modules(tests.helpers.__path__):
        module = importlib.import_module(f"tests.helpers.{info.name}")
        for name, value in vars(module).items():
            if inspect.isfunction(value) and value.__module__ == module.__name__:
                sources[name] = inspect.getsource(value)
    words = set(DATE_WORDS)
    while True:
        pattern = _date_pattern(frozenset(words))
        found = {name for name, source in sources.items() if pattern.search(source)} - words
        if not found:
            return frozenset(words)
        words |= found


def date_sensitive(source: str) -> bool:
    """Whether a test module's source uses the clock or dates (see DATE_WORDS)."""
    return bool(_date_pattern(date_words()).search(source))
