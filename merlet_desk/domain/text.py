"""Small text helpers shared by the rules, the store, the demo and the GUI."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


def slug(text: str, separator: str = "-") -> str:
    """ASCII letters and digits joined by `separator`: "Privé & school" -> "prive-school"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", separator, plain).strip(separator)


# Letters NFKD does not split into base letter + accent.
_FOLD = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe"})


@lru_cache(maxsize=16384)
def fold(text: str) -> str:
    """Lower case without accents, for search: "Öztürk" and "Łęcka" match "ozturk", "lecka".

    Cached: names and classes repeat, and the register folds every pupil's name on load."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.translate(_FOLD)


MAX_TEXT_LENGTH = 100  # a name, class or location; the longest real Dutch names are ~60
# Bidirectional overrides and isolates turn "Jan" into text that reads differently on screen.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def text_problem(text: str, max_length: int = MAX_TEXT_LENGTH) -> str | None:
    """Why `text` cannot be a name or label (a control character, far too long), or None."""
    # isprintable() is False for every control (Cc) and format (Cf, the bidi controls)
    # character: text that passes it needs no look per character (a pupil import asks
    # 10,000 times).
    for ch in () if text.isprintable() else text:
        if unicodedata.category(ch) == "Cc" or ch in _BIDI_CONTROLS:
            return f"bevat een stuurteken (U+{ord(ch):04X}); dat hoort niet in een naam"
    if len(text) > max_length:
        return f"is {len(text)} tekens lang; hooguit {max_length} tekens"
    return None


def number_text(value: int) -> str:
    """A count as Dutch readers write it, the one format of screens and reports: 2.000."""
    return f"{value:,}".replace(",", ".")


def count_text(count: int, one: str, many: str) -> str:
    """A counted phrase in correct Dutch singular or plural, with the number formatted:
    `count_text(1, "1 leerling", "%1 leerlingen")` is "1 leerling", 2000 gives "2.000
    leerlingen" and 0 "0 leerlingen". `%1` in either form is replaced by the number.

    The screens pass both forms through Qt's `tr` first (a translation may need other forms);
    the reports pass Dutch text. Never "leerling(en)" or "publicatie(s)"."""
    return (one if count == 1 else many).replace("%1", number_text(count))


@lru_cache(maxsize=16384)
def name_key(text: str) -> str:
    """What a column header or a purpose's name is compared by: folded (`fold`) with only its
    letters and digits kept, so "Social media", "social_media" and "SOCIAL-MEDIA" are one
    name, and "Nieuwsbrief/ouderapp" is "Nieuwsbrief / ouderapp"."""
    return "".join(ch for ch in fold(unicodedata.normalize("NFC", str(text))) if ch.isalnum())
