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
