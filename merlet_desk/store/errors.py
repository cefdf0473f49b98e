"""Errors the store raises; each message is one Dutch line that a user can act on."""

from __future__ import annotations

from merlet_desk.errors import os_error_reason as os_error_reason  # the store's callers use it


class StoreError(Exception):
    """Base class: the database could not be opened or changed. Nothing was written."""


class NotADatabaseError(StoreError):
    """The path exists but is not a SQLite database."""


class SchemaTooNewError(StoreError):
    """The file was written by a newer version of Merlet Desk."""


class DatabaseUnavailableError(StoreError):
    """The path cannot be read or created (permissions, missing folder, locked)."""


class ReadOnlyError(StoreError):
    """A write was attempted on a database opened read-only, or a writing command was started
    in read-only mode (`--read-only`, `MERLET_DESK_READ_ONLY`, the ini file)."""


class MissingDatabaseError(DatabaseUnavailableError):
    """`--db` names a file that does not exist or is empty; only `init` creates a database."""


class NotWritableError(DatabaseUnavailableError):
    """The database or its folder cannot be written (read-only folder or disk, no rights)."""


class SchemaOutdatedError(StoreError):
    """The file needs migrations, and it was opened read-only: nothing was changed."""


class BusyError(DatabaseUnavailableError):
    """Another program or window holds the database's write lock right now."""


class DiskFullError(StoreError):
    """The disk filled up during a write; SQLite rolled the change back."""


class NoPermissionError(StoreError):
    """The register's server refused this login the read or write (its role and locations,
    `store.engine.access`); nothing changed."""


class UnsafeOutputError(StoreError):
    """An output file (report, export, backup copy) would overwrite the register's data."""


class ServerUnavailableError(DatabaseUnavailableError):
    """The register's server cannot be reached, or the connection dropped: nothing changed
    here, and the window offers to connect again (`store.engine.errors`)."""


class KeyFileError(StoreError):
    """A key file (`--key-file`, `MERLET_DESK_KEY_FILE`) is missing, readable by others, or
    does not hold a key of 64 hexadecimal characters."""


class NoKeyStoreError(StoreError):
    """This machine has no usable key store (a headless Linux box without Secret Service)."""


class EncryptionKeyError(DatabaseUnavailableError):
    """The file is encrypted (or is no database at all) and no key at hand opens it."""


class MissingKeyError(EncryptionKeyError):
    """No key for this file: not in this machine's key store, no key file given."""


class WrongKeyError(EncryptionKeyError):
    """The key given (a key file, a recovery key) does not open this file."""
