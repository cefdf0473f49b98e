"""SQLite storage through sqlite-utils: connection, migrations, queries, audit log. No Qt here."""

from merlet_desk.store.connection import database_path, open_database
from merlet_desk.store.errors import StoreError

__all__ = ["StoreError", "database_path", "open_database"]
