"""sqlite-utils, imported without numpy and pandas, and speaking SQLCipher.

sqlite-utils imports numpy and pandas when they are installed, only to map their number types
in `table.insert()`, which this program never uses (every write is SQL). numpy is installed
for the paper forms (issue 16), and importing it cost every start of the window 60–100 ms
of CPU before the first paint (issue 18). This module is the first to import sqlite-utils
(`store.connection` imports it); later `from sqlite_utils import ...` elsewhere get the same
module. numpy itself imports normally afterwards (the OMR code).

sqlite-utils uses `pysqlite3` instead of the standard library's `sqlite3` when it can import
it (its documented way to run on another SQLite build). It is shown `sqlcipher3` under that
name while it imports, so the errors it catches inside (`sqlite3.OperationalError` around a
savepoint, `drop(ignore=True)`) are those of the connections this program gives it
(`merlet_desk.sqlite_driver`).
"""

from __future__ import annotations

import sys

from merlet_desk import sqlite_driver

if "sqlite_utils" in sys.modules:  # pragma: no cover - only when imported in the wrong order
    raise ImportError("sqlite_utils was imported before merlet_desk.store.sqlite_utils_import")

_HIDDEN = [name for name in ("numpy", "pandas") if name not in sys.modules]
_SHOWN = {"pysqlite3": sys.modules["sqlcipher3"], "pysqlite3.dbapi2": sqlite_driver.dbapi2}
for _name in _HIDDEN:
    sys.modules[_name] = None  # type: ignore[assignment]  # "import numpy" fails for now
sys.modules.update(_SHOWN)
try:
    from sqlite_utils import Database
finally:
    for _name in _HIDDEN:
        if sys.modules.get(_name, 0) is None:
            del sys.modules[_name]
    for _name, _module in _SHOWN.items():
        if sys.modules.get(_name) is _module:
            del sys.modules[_name]

__all__ = ["Database"]
