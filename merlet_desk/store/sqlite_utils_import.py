"""sqlite-utils, imported without numpy and pandas.

sqlite-utils imports numpy and pandas when they are installed, only to map their number types
in `table.insert()`, which this program never uses (every write is SQL). numpy is installed
for the paper forms (issue 16), and importing it cost every start of the window 60–100 ms
of CPU before the first paint (issue 18). This module is the first to import sqlite-utils
(`store.connection` imports it); later `from sqlite_utils import ...` elsewhere get the same
module. numpy itself imports normally afterwards (the OMR code).
"""

from __future__ import annotations

import sys

_HIDDEN = [name for name in ("numpy", "pandas") if name not in sys.modules]
for _name in _HIDDEN:
    sys.modules[_name] = None  # type: ignore[assignment]  # "import numpy" fails for now
try:
    from sqlite_utils import Database
finally:
    for _name in _HIDDEN:
        if sys.modules.get(_name, 0) is None:
            del sys.modules[_name]

__all__ = ["Database"]
