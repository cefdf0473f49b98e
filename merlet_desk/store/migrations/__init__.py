"""Numbered schema migrations; the schema version lives in the file (`PRAGMA user_version`),
or on a PostgreSQL server in the register's meta table: `store.engine.schema.migrate_server`
runs the same list through the same modules there (`migrate` below is the file's).

Each migration is a module `mNNNN_<what>.py` with `NUMBER`, `DESCRIPTION` and
`apply(conn)`; one that must do something else for a file being created (rather than an
existing file brought up to date) also has `apply_to_new_file(conn)`. They are listed here
explicitly (not discovered) so that a frozen bundle holds them all: a new one goes into `_load`
and raises `LATEST_VERSION`. A migration runs inside one transaction together with the version
bump, so a failed migration leaves the file exactly as it was and stays pending.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING

from merlet_desk import sqlite_driver
from merlet_desk.store.migrations import m0007_application_id

# The last migration's number: opening a file that is at it needs no migration module, so the
# list below loads only when something must run or be compared (about 8 ms of start-up, with
# the domain rules the migrations seed). `_load` checks it against the list.
LATEST_VERSION: int = 13
# From this version on every file carries `PRAGMA application_id` (store.identity); an older
# file without it is recognised by its schema. Follows the migration if it is renumbered.
MARKED_SINCE: int = m0007_application_id.NUMBER

if TYPE_CHECKING:
    MIGRATIONS: tuple[ModuleType, ...]


def _load() -> tuple[ModuleType, ...]:
    from merlet_desk.store.migrations import (
        m0001_core,
        m0002_policy,
        m0003_consent,
        m0004_cases,
        m0005_safety,
        m0006_publications,
        m0008_paper_forms,
        m0009_publication_files,
        m0010_face_links,
        m0011_portal_imports,
        m0012_paper_identity,
        m0013_pupils_informed,
    )

    listed = (
        m0001_core,
        m0002_policy,
        m0003_consent,
        m0004_cases,
        m0005_safety,
        m0006_publications,
        m0007_application_id,
        m0008_paper_forms,
        m0009_publication_files,
        m0010_face_links,
        m0011_portal_imports,
        m0012_paper_identity,
        m0013_pupils_informed,
    )
    for index, module in enumerate(listed, start=1):
        if module.NUMBER != index:
            raise RuntimeError(
                f"migration {module.__name__} has number {module.NUMBER}, not {index}"
            )
    if len(listed) != LATEST_VERSION:
        raise RuntimeError(f"LATEST_VERSION is {LATEST_VERSION}, the last migration {len(listed)}")
    return listed


def _migrations() -> tuple[ModuleType, ...]:
    """`MIGRATIONS`, loaded on first use; read from the module, where a test may replace it."""
    if "MIGRATIONS" not in globals():
        globals()["MIGRATIONS"] = _load()
    listed: tuple[ModuleType, ...] = globals()["MIGRATIONS"]
    return listed


def __getattr__(name: str) -> object:
    if name == "MIGRATIONS":
        return _migrations()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def schema_version(conn: sqlite_driver.Connection) -> int:
    """The schema version recorded in the file (0 for a new, empty file)."""
    from merlet_desk.store.engine.dialect import schema_version as recorded_version

    return recorded_version(conn)


def pending(conn: sqlite_driver.Connection) -> list[ModuleType]:
    """Migrations not yet applied to this file, in order."""
    version = schema_version(conn)
    if version >= LATEST_VERSION:  # the usual open: the list need not load
        return []
    return list(_migrations()[version:])


def migrate(conn: sqlite_driver.Connection) -> list[int]:
    """Apply every pending migration, each in its own transaction. Returns their numbers."""
    applied = []
    new_file = schema_version(conn) == 0
    for module in pending(conn):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Stamped with the first change to a new file, so a half-made file is ours too.
            conn.execute(f"PRAGMA application_id = {int(m0007_application_id.APPLICATION_ID)}")
            if new_file and hasattr(module, "apply_to_new_file"):
                module.apply_to_new_file(conn)
            else:
                module.apply(conn)
            conn.execute(f"PRAGMA user_version = {int(module.NUMBER)}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        applied.append(module.NUMBER)
    return applied
