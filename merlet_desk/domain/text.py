"""Small text helpers shared by the rules, the demo and the GUI."""

from __future__ import annotations

import re
import unicodedata


def slug(text: str, separator: str = "-") -> str:
    """ASCII letters and digits joined by `separator`: "Privé & school" -> "prive-school"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", separator, plain).strip(separator)
