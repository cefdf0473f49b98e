"""Errors the store raises; each message is one Dutch line that a user can act on."""


class StoreError(Exception):
    """Base class: the database could not be opened or changed. Nothing was written."""


class NotADatabaseError(StoreError):
    """The path exists but is not a SQLite database."""


class SchemaTooNewError(StoreError):
    """The file was written by a newer version of Merlet Desk."""


class DatabaseUnavailableError(StoreError):
    """The path cannot be read or created (permissions, missing folder, locked)."""


class ReadOnlyError(StoreError):
    """A write was attempted on a database opened read-only."""
