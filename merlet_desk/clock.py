"""The program's one clock: every "today" and "now" comes from here.

No other module calls `date.today()`, `datetime.now()` or `QDate.currentDate()`
(tests/test_clock.py reads the source to hold that). Consent validity, age 16, the school-year
edge and retention all turn on the date, so tests must be able to fix it, and a run that crosses
midnight must not see two different days.

The clock can be fixed in two ways, both meant for tests and training sessions, never for
normal use:
- in the process, with `fix(moment)` (and `release()`), or the `fixed(moment)` context manager;
- for a whole process tree, with the environment variable `MERLET_DESK_NOW` set to an ISO
  date or date-time (`2027-08-01` or `2027-08-01T09:30:00`), so that a CLI started by a test
  sees the same day as the test itself.

A fixed clock stands still: `now()` returns the same moment until it is changed.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from datetime import date, datetime

ENV_VAR = "MERLET_DESK_NOW"

_fixed: datetime | None = None


def _from_environment() -> datetime | None:
    value = os.environ.get(ENV_VAR, "").strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=None)
    except ValueError as exc:
        raise ValueError(
            f"{ENV_VAR}={value!r} is geen datum of tijdstip (verwacht 2027-08-01 of "
            "2027-08-01T09:30:00)"
        ) from exc


def now() -> datetime:
    """The current local date and time (naive, as the register stores it)."""
    if _fixed is not None:
        return _fixed
    from_env = _from_environment()
    if from_env is not None:
        return from_env
    return datetime.now()


def today() -> date:
    """The current local date."""
    return now().date()


def fix(moment: datetime | date) -> None:
    """Stop the clock at `moment` (a date means its first second) until `release()`."""
    global _fixed
    if isinstance(moment, datetime):
        _fixed = moment.replace(tzinfo=None)
    else:
        _fixed = datetime(moment.year, moment.month, moment.day)


def release() -> None:
    """Let the clock run again (it still honours `MERLET_DESK_NOW`)."""
    global _fixed
    _fixed = None


def is_fixed() -> bool:
    """Whether the clock stands still (in this process or through the environment)."""
    return _fixed is not None or bool(os.environ.get(ENV_VAR, "").strip())


@contextlib.contextmanager
def fixed(moment: datetime | date) -> Iterator[datetime]:
    """Within the block the clock stands at `moment`; afterwards it is as it was."""
    global _fixed
    before = _fixed
    fix(moment)
    try:
        yield now()
    finally:
        _fixed = before
