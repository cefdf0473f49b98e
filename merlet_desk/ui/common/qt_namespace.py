"""PySide6's `Qt` namespace, built when a name of it is first used instead of when imported.

PySide6 makes the Python enums of a class the first time the class is looked up, and the `Qt`
namespace holds about 90 of them (`AlignmentFlag`, `ItemDataRole`, `SortOrder`, ...): 12–20 ms
of CPU on Python 3.11, however few of them a module uses. `from PySide6.QtCore import Qt` at the
top of a module pays that at import. A section that the window reopens on (Toestemmingen)
imports its modules between the first paint and "ready"; with this stand-in they import without
it, and the namespace is built when the section first uses a name of it, which is when the
register's rows arrive (`tests/test_startup_imports.py` holds that).

    from merlet_desk.ui.common.qt_namespace import Qt

    label.setAlignment(Qt.AlignmentFlag.AlignCenter)  # the real Qt.AlignmentFlag

Code that runs while such a section is built and first painted names what it needs by property
name instead (`label.setProperty("alignment", "AlignCenter")`, as Qt Designer's files do), and
the roles that a model's module needs when it is imported are the numbers below. Qt itself
builds the namespace as soon as it hands Python one of its enums: a table's header asking
`headerData(section, orientation, role)`, a layout's `expandingDirections()` in Python, a
view's `sortByColumn`; such a section sets its table's model when the rows arrive.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from PySide6.QtCore import Qt as Qt
else:

    class _Namespace:
        """Stands for `PySide6.QtCore.Qt`: each name is looked up there once, then kept."""

        def __getattr__(self, name: str) -> Any:
            from PySide6 import QtCore

            value = getattr(QtCore.Qt, name)
            setattr(self, name, value)
            return value

    Qt = _Namespace()


# Qt.ItemDataRole's values as numbers (Qt's ABI; tests/ui/test_qt_namespace.py compares them
# with PySide6's): a model's role constants and the defaults of `data()` and `headerData()` are
# evaluated when their module is imported.
DISPLAY_ROLE: Final = 0
USER_ROLE: Final = 0x0100
