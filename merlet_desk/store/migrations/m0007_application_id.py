"""Schema 7: mark the file as a Merlet Desk database (`PRAGMA application_id`).

The mark is a fixed 32-bit number in the file's header (`APPLICATION_ID`, here, where it is
written first; `store.identity` checks it).
Every command checks it before it touches a file, so another program's SQLite file is refused
whatever its `user_version`. A new file gets the mark with its first migration
(`migrations.migrate` stamps it in every migration's transaction); this migration marks the
files that existing users made before the mark existed. Before it runs, `store.identity`
recognises such a file by its schema, exactly as migrations 1-6 made it.
"""

from merlet_desk import sqlite_driver

NUMBER = 7
DESCRIPTION = "application_id: the file says it is a Merlet Desk database"
APPLICATION_ID = 0x4D524C44  # b"MRLD"


def apply(conn: sqlite_driver.Connection) -> None:
    from merlet_desk.store.engine.dialect import stamp_application_id

    stamp_application_id(conn, APPLICATION_ID)
