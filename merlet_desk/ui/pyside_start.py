"""Loading PySide6 for the window, without its scan of every module's source.

PySide6 replaces `builtins.__import__` so that a module may write `from __feature__ import
snake_case`. To know which modules could, it reads the source of every module imported after
PySide6 the first time it is imported (`shibokensupport.feature._mod_uses_pyside`:
`inspect.getsource`, then a search for "PySide6" in it). On the way to a window with its
database open and its section painted that is over 200 modules and 25–40 ms of CPU, a fifth
of what a bare PySide6 window needs to show itself (profile in benchmarks/ANALYSIS.md).

This program uses no `__feature__` anywhere, so every module gets feature set 0 ("uses PySide6,
no features": Qt's own names, as without the scan) and no source is read. If a PySide6 release
renames the function, nothing is patched and the scan simply runs again
(`tests/ui/test_pyside_start.py` notices).
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

FEATURE_MODULE = "shibokensupport.feature"


def _no_feature(_module: ModuleType) -> bool:
    """Every module counts as one that uses PySide6 without features (set 0)."""
    return True


def skip_source_scan() -> bool:
    """Stop PySide6 reading the source of each module imported from now on; False when this
    PySide6 has no such scan (nothing changed). Imports PySide6 (its hook comes with it)."""
    importlib.import_module("PySide6.QtCore")
    feature = sys.modules.get(FEATURE_MODULE)
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    # A private name: PySide6 has no public switch for the scan.
    setattr(feature, "_mod_uses_pyside", _no_feature)  # noqa: B010 (a name mypy cannot see)
    return True
