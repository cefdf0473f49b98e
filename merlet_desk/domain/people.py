"""People's names as a person writes them, and as a Dutch register sorts them.

Dutch surnames carry a prefix (tussenvoegsel: "van den", "de", "van der") that is written before
the last name but ignored when sorting: Joëlle van den Broek sorts under B.
"""

from __future__ import annotations

import unicodedata


def _clean(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def full_name(first: str, prefix: str | None, last: str) -> str:
    """First name, prefix, last name: "Joëlle van den Broek"."""
    return " ".join(part for part in (_clean(first), _clean(prefix), _clean(last)) if part)


def _fold(text: str) -> str:
    """Case- and accent-insensitive form for sorting (Öztürk sorts with Oz, Łęcka with Le)."""
    text = _clean(text).replace("ı", "i").replace("ł", "l").replace("Ł", "L")
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def sort_key(first: str, prefix: str | None, last: str) -> tuple:
    """Sort by last name without its prefix, then first name, then prefix."""
    return (_fold(last), _fold(first), _fold(prefix or ""), _clean(last), _clean(first))
