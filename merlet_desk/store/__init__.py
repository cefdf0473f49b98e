"""SQLite storage through sqlite-utils: connection, migrations, queries, audit log. No Qt here.

Importing the package is cheap: sqlite-utils (60–70 ms with its own imports) loads when a
module that needs it is first imported, `open_database` among them (PEP 562 below). The
window imports `store.errors` and `store.location` before its first paint and the rest after
it (issue 18). Every module imports sqlite-utils through `store.sqlite_utils_import`, which
keeps numpy out of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from merlet_desk.store.errors import StoreError

if TYPE_CHECKING:
    from merlet_desk.store.connection import database_path, open_database

__all__ = ["StoreError", "database_path", "open_database"]
_FROM_CONNECTION = frozenset({"database_path", "open_database"})


def __getattr__(name: str) -> Any:
    if name in _FROM_CONNECTION:
        from merlet_desk.store import connection

        return getattr(connection, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
