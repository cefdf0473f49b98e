"""People's names as a person writes them, and as a Dutch register sorts them.

Dutch surnames carry a prefix (tussenvoegsel: "van den", "de", "van der") that is written before
the last name but ignored when sorting: Joëlle van den Broek sorts under B.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from functools import lru_cache

from merlet_desk.domain.text import fold


def _clean(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").split())


@lru_cache(maxsize=32768)  # a school board's pupils; the lists ask for each name many times
def full_name(first: str, prefix: str | None, last: str) -> str:
    """First name, prefix, last name: "Joëlle van den Broek"."""
    return " ".join(part for part in (_clean(first), _clean(prefix), _clean(last)) if part)


def _fold(text: str | None) -> str:
    """The search fold of the cleaned name: Öztürk sorts with Oz, Łęcka with Le."""
    return fold(_clean(text))


@lru_cache(maxsize=32768)
def sort_key(first: str, prefix: str | None, last: str) -> tuple[str, str, str, str, str]:
    """Sort by last name without its prefix, then first name, then prefix (folded as every
    search box folds, `domain.text.fold`); the exact spelling breaks ties."""
    return (_fold(last), _fold(first), _fold(prefix), _clean(last), _clean(first))


# -- pupil numbers and birth dates ---------------------------------------------------------

PUPIL_NUMBER_DIGITS = 12
PUPIL_NUMBER_RULE = (
    f"een leerlingnummer is 1 tot {PUPIL_NUMBER_DIGITS} cijfers; voorloopnullen tellen niet "
    "mee (00123 is leerling 123, want Excel laat ze weg)"
)
PUPIL_AGE_MIN, PUPIL_AGE_MAX = 8, 30  # years on the day of entry: a plausible pupil


def canonical_pupil_number(text: str) -> str | None:
    """The number as stored: digits without leading zeros ("00123" -> "123"); None when `text`
    is not a pupil number (letters, signs, spaces, a decimal point, too many digits)."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()):  # ASCII digits only ("" is not)
        return None
    canonical = text.lstrip("0") or "0"
    if len(canonical) > PUPIL_NUMBER_DIGITS:
        return None
    return canonical


def pupil_number_problem(text: str) -> str | None:
    """Why `text` is not a pupil number (stating the rule), or None."""
    if canonical_pupil_number(text) is not None:
        return None
    return f"'{text[:40]}' is geen leerlingnummer ({PUPIL_NUMBER_RULE})"


def _shown_date(day: date) -> str:
    return day.strftime("%d-%m-%Y") if day.year >= 1000 else day.isoformat()


def birth_date_problem(birth: date, today: date) -> str | None:
    """Why `birth` is not a plausible birth date for a pupil on `today`, or None."""
    if birth > today:
        return f"geboortedatum {_shown_date(birth)} ligt in de toekomst"
    age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    if not PUPIL_AGE_MIN <= age <= PUPIL_AGE_MAX:
        return (
            f"geboortedatum {_shown_date(birth)} is niet aannemelijk voor een leerling (die is vandaag "
            f"{age} jaar; verwacht {PUPIL_AGE_MIN} tot {PUPIL_AGE_MAX} jaar)"
        )
    return None
