"""How dates are written for people: 24-11-2026, as Dutch users write them."""

from __future__ import annotations

from datetime import date

# The dates the register computes with (school years, ages, expiry): the CLI's --on/--from/--to
# and every date picker in the window stay within them. Far outside they mean nothing, and
# near year 9999 Python's date arithmetic overflows.
EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2199, 12, 31)


def format_date(value: date | None) -> str:
    """Dates as users write them: 24-11-2026."""
    return value.strftime("%d-%m-%Y") if value else ""
