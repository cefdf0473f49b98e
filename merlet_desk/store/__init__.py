"""SQLite storage through sqlite-utils: connection, migrations, queries, audit log. No Qt here.

Importing the package is cheap: sqlite-utils (60–70 ms with its own imports) loads when a
module that needs it is first imported, `open_database` among them (PEP 562 below). The
window imports `store.errors` and `store.location` before its first paint and the rest after
it. Every module imports sqlite-utils through `store.sqlite_utils_import`, which
keeps numpy out of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from merlet_desk.store.errors import StoreError

if TYPE_CHECKING:
    from merlet_desk.store.connection import database_path
    from merlet_desk.store.database import open_database

__all__ = ["StoreError", "database_path", "open_database"]


def __getattr__(name: str) -> Any:
    if name == "open_database":
        from merlet_desk.store import database

        return database.open_database
    if name == "database_path":
        from merlet_desk.store import connection

        return connection.database_path
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
