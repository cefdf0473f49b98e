"""sqlite-utils, imported without what its import costs and this program never uses.

This module is the first to import sqlite-utils (`store.connection` imports it); later
`from sqlite_utils import ...` elsewhere get the same module. Its import sits between the
window's first paint and the database open (figure 1b of `make bench`), so three costs of it
are avoided or put off until first use:

- numpy and pandas: sqlite-utils imports them when they are installed, only to map their number
  types in `table.insert()`, which this program never uses (every write is SQL). numpy is
  installed for the paper forms, and cost every start of the window 60–100 ms of CPU. They are
  hidden during the import; numpy itself imports normally afterwards (the OMR code).
- dateutil's parser (with dateutil.tz and zoneinfo), for sqlite-utils' date recipes, which this
  program never calls: loaded on first use (`importlib.util.LazyLoader`), 10–20 ms.
- the regular expression of `sqlite_utils.db` that finds a virtual table's module (used only
  by `Table.virtual_table_using`): compiled case-insensitively over the characters
  U+0080–U+FFFF, 15–25 ms of CPU at import. That module's patterns compile on first use.
- click and pluggy (10–15 ms of CPU): sqlite-utils imports click for its command line's
  progress bars and one annotation of a plugin hook, and pluggy for its plugins, which this
  program never runs (every connection is opened with `execute_plugins=False`). During the
  import, `click`, `sqlite_utils.plugins` and `sqlite_utils.hookspecs` are stand-ins whose
  names (`click.progressbar`, `pm`, `hookimpl`, ...) import the real module when first used.

The means of putting an import off are in `store/deferred_imports.py`.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from merlet_desk import sqlite_driver
from merlet_desk.store.deferred_imports import load_on_first_use, stand_ins

if "sqlite_utils" in sys.modules:  # pragma: no cover - only when imported in the wrong order
    raise ImportError("sqlite_utils was imported before merlet_desk.store.sqlite_utils_import")

_HIDDEN = [name for name in ("numpy", "pandas") if name not in sys.modules]
_SHOWN = {"pysqlite3": sys.modules["sqlcipher3"], "pysqlite3.dbapi2": sqlite_driver.dbapi2}
# Modules sqlite-utils imports whose first attribute use may load them.
LOADED_ON_FIRST_USE = ("dateutil.parser",)
# The module of sqlite-utils whose patterns compile on first use.
PATTERNS_ON_FIRST_USE = "sqlite_utils.db"


class CompiledOnFirstUse:
    """Stands for `re.compile(pattern, flags)` and compiles it on first use (`.match`,
    `.split`, ... : every attribute of the compiled pattern)."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = _compile(*self._args)
        return getattr(self._compiled, name)


_compile = re.compile

# Modules that stand in for themselves during the import of sqlite-utils (see above).
IMPORTED_ON_FIRST_USE = ("click", "sqlite_utils.plugins", "sqlite_utils.hookspecs")


def _compile_or_defer(pattern: Any, flags: int = 0) -> Any:
    """`re.compile`, except for a string pattern of PATTERNS_ON_FIRST_USE itself."""
    caller = sys._getframe(1).f_globals.get("__name__")
    if caller == PATTERNS_ON_FIRST_USE and isinstance(pattern, str):
        return CompiledOnFirstUse(pattern, flags)
    return _compile(pattern, flags)


for _name in _HIDDEN:
    sys.modules[_name] = None  # type: ignore[assignment]  # "import numpy" fails for now
sys.modules.update(_SHOWN)
for _name in LOADED_ON_FIRST_USE:
    load_on_first_use(_name)
re.compile = _compile_or_defer  # for the import below only
try:
    with stand_ins(IMPORTED_ON_FIRST_USE):
        from sqlite_utils import Database
finally:
    re.compile = _compile
    for _name in _HIDDEN:
        if sys.modules.get(_name, 0) is None:
            del sys.modules[_name]
    for _name, _module in _SHOWN.items():
        if sys.modules.get(_name) is _module:
            del sys.modules[_name]

__all__ = ["Database"]
