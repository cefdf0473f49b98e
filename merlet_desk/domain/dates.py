"""How dates are written for people: 24-11-2026, as Dutch users write them."""

from __future__ import annotations

from datetime import date


def format_date(value: date | None) -> str:
    """Dates as users write them: 24-11-2026."""
    return value.strftime("%d-%m-%Y") if value else ""
