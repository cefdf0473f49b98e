"""Values as callers hand them to the store and as rows hold them: text with its spaces
squeezed, a date given as a date or as ISO text, an optional date column, and the problems
found in an input as one InputError."""

from __future__ import annotations

from datetime import date

from merlet_desk.errors import InputError


def clean_text(text: str | None) -> str:
    """The text with runs of spaces, tabs and newlines made one space, and none at the ends."""
    return " ".join((text or "").split())


def input_date(value: date | str, what: str = "datum") -> date:
    """A date, or its ISO text; InputError naming `what` when it is neither."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise InputError(f"Onmogelijke {what}: '{value}' (verwacht JJJJ-MM-DD).") from exc


def optional_date(value: str | None) -> date | None:
    """A date column that may be empty."""
    return date.fromisoformat(value) if value else None


def raise_problems(problems: list[str]) -> None:
    """InputError with the first problem as its message and all of them listed, if any."""
    if problems:
        raise InputError(problems[0], problems if len(problems) > 1 else [])
