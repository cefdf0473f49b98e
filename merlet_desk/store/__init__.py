"""SQLite storage through sqlite-utils: connection, migrations, queries, audit log. No Qt here."""

# First, before anything here imports sqlite-utils: it must come without numpy (see there).
from merlet_desk.store import sqlite_utils_import  # noqa: F401, I001
from merlet_desk.store.connection import database_path, open_database
from merlet_desk.store.errors import StoreError

__all__ = ["StoreError", "database_path", "open_database"]
