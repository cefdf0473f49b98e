"""Numbered schema migrations; the schema version lives in the file (`PRAGMA user_version`),
or on a PostgreSQL server in the register's meta table: `store.engine.schema.migrate_server`
runs the same list through the same modules there (`migrate` below is the file's).

Each migration is a module `mNNNN_<what>.py` with `NUMBER`, `DESCRIPTION` and
`apply(conn)`; one that must do something else for a file being created (rather than an
existing file brought up to date) also has `apply_to_new_file(conn)`. They are listed here
explicitly (not discovered) so that a frozen bundle holds them all. A migration runs inside one transaction together with the version bump, so a failed
migration leaves the file exactly as it was and stays pending.
"""

from __future__ import annotations

from types import ModuleType

from merlet_desk import sqlite_driver
from merlet_desk.store.migrations import (
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

MIGRATIONS: tuple[ModuleType, ...] = (
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

for _index, _module in enumerate(MIGRATIONS, start=1):
    if _module.NUMBER != _index:
        raise RuntimeError(
            f"migration {_module.__name__} has number {_module.NUMBER}, not {_index}"
        )

LATEST_VERSION: int = len(MIGRATIONS)
# From this version on every file carries `PRAGMA application_id` (store.identity); an older
# file without it is recognised by its schema. Follows the migration if it is renumbered.
MARKED_SINCE: int = m0007_application_id.NUMBER


def schema_version(conn: sqlite_driver.Connection) -> int:
    """The schema version recorded in the file (0 for a new, empty file)."""
    from merlet_desk.store.engine.dialect import schema_version as recorded_version

    return recorded_version(conn)


def pending(conn: sqlite_driver.Connection) -> list[ModuleType]:
    """Migrations not yet applied to this file, in order."""
    return list(MIGRATIONS[schema_version(conn) :])


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
