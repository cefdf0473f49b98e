"""A Merlet Desk register on a PostgreSQL server: recognising, creating and migrating it.

A server database is one of three things, found out before anything is written:

- **empty**: no tables, views, sequences or functions of its own (extensions such as
  `unaccent`, installed by IT, do not count). Only `server init`, `server copy` and
  `restore` fill one (`open_server_register(..., empty=True)` + `create_register`);
  any other open refuses it and says how to fill it.
- **a register**: the one-row table ``merlet_desk_meta`` holds the program's mark
  (`store.identity.APPLICATION_ID`) and the schema version: the server's equivalent of the
  file header's `application_id` and `user_version`.
- **anything else** (another program's tables, a meta row with another mark) is refused
  untouched, as a foreign SQLite file is; so is a register of a newer schema.

Migrations run from the same numbered list as on SQLite (`store.migrations`), each in its own
transaction (a savepoint inside `server copy`'s single transaction), behind the writer lock
(`engine.server`), re-reading the version once the lock is held: two seats that start a new
version at the same moment migrate once.
"""

from __future__ import annotations

from typing import Any

import psycopg

from merlet_desk.store import migrations
from merlet_desk.store.engine import server
from merlet_desk.store.engine.dialect import (
    META_TABLE,
    NOTIFY_CHANNEL,
    application_id,
    schema_version,
    set_schema_version,
)
from merlet_desk.store.errors import (
    MissingDatabaseError,
    SchemaOutdatedError,
    SchemaTooNewError,
    StoreError,
)
from merlet_desk.store.identity import APPLICATION_ID, ForeignDatabaseError
from merlet_desk.store.server_url import ServerUrl
from merlet_desk.store.sqlite_utils_import import Database

# Created with the first migration of a new register.
BOOTSTRAP = f"""
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TABLE {META_TABLE} (
    only_row        boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    application_id  bigint NOT NULL,
    schema_version  integer NOT NULL
);
INSERT INTO {META_TABLE} (application_id, schema_version) VALUES ({int(APPLICATION_ID)}, 0);
"""

# Every write tells the other seats' windows which table changed (`engine.notices`), with
# the writing transaction's id (as the rows' `xmin` holds it). One notice per table per
# transaction: PostgreSQL folds identical notices of one transaction into one, so a bulk
# import sends one, not one per row.
CHANGE_NOTICES = f"""
CREATE OR REPLACE FUNCTION merlet_desk_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(
        '{NOTIFY_CHANNEL}',
        TG_TABLE_NAME || ' ' || (txid_current() % 4294967296)::text
    );
    RETURN NULL;
END $$;
"""
NOTICE_TRIGGER = (
    "DROP TRIGGER IF EXISTS merlet_desk_notify ON {table};"
    " CREATE TRIGGER merlet_desk_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE"
    " ON {table} FOR EACH STATEMENT EXECUTE FUNCTION merlet_desk_notify();"
)


class ServerNotEmptyError(StoreError):
    """`server init`, `server copy` or `restore` was pointed at a database that holds
    something already; nothing was written."""


def foreign_message(target: ServerUrl | str) -> str:
    return (
        f"{target} is geen Merlet Desk-register (de database bevat tabellen van een ander "
        "programma). Er is niets in geschreven."
    )


def empty_message(target: ServerUrl | str) -> str:
    return (
        f"De database {target} is leeg; dat is nog geen Merlet Desk-register. Maak er een met: "
        f'merlet-desk server init --db "{target}", of zet een bestaand register over met: '
        f'merlet-desk server copy BESTAND.sqlite --db "{target}"'
    )


def is_empty(conn: Any) -> bool:
    """No table, view, sequence or function of the database's own (extensions aside)."""
    own = conn.execute(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')"
        " AND n.nspname NOT LIKE 'pg\\_%'"
        " AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')"
        " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')"
    ).fetchone()[0]
    functions = conn.execute(
        "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
        " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')"
        " AND n.nspname NOT LIKE 'pg\\_%'"
        " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')"
    ).fetchone()[0]
    return int(own) + int(functions) == 0


def register_state(conn: Any) -> tuple[bool, int]:
    """(empty, schema version) of the server database; `ForeignDatabaseError` for anything
    that is neither empty nor a Merlet Desk register."""
    mark, version = _meta_row(conn)
    if mark is None:
        if is_empty(conn):
            return True, 0
        raise ForeignDatabaseError(foreign_message(conn.target))
    if mark != APPLICATION_ID:
        raise ForeignDatabaseError(foreign_message(conn.target))
    return False, version


def _meta_row(conn: server.ServerConnection) -> tuple[int | None, int]:
    """(mark, schema version) from the meta row, (None, 0) without one. Outside a
    transaction in one statement that may fail, as every open of a register asks this and
    each statement on a new connection costs a round trip and a cold catalogue; inside one
    (where a failed statement would spoil the transaction) by asking for the table first."""
    if conn.in_transaction:
        return application_id(conn), schema_version(conn)
    with conn.translated_errors():
        try:
            row = conn.pg.execute(
                f"SELECT application_id, schema_version FROM {META_TABLE}"
            ).fetchone()
        except psycopg.errors.UndefinedTable:
            return None, 0
    return (int(row[0]), int(row[1])) if row else (None, 0)


def migrate_server(conn: Any) -> list[int]:
    """Apply every pending migration to the server's register (see the module docstring);
    on an empty database, first the meta table. Returns the numbers applied."""
    applied: list[int] = []
    new_register = schema_version(conn) == 0
    for module in migrations.MIGRATIONS:
        with conn.transaction(write=True):
            version = schema_version(conn)
            if version >= module.NUMBER:
                continue
            if version == 0:
                conn.execute_script(BOOTSTRAP)
            if new_register and hasattr(module, "apply_to_new_file"):
                module.apply_to_new_file(conn)
            else:
                module.apply(conn)
            set_schema_version(conn, module.NUMBER)
            conn.refresh_identity_tables()
        applied.append(module.NUMBER)
    if applied:
        from merlet_desk.store.engine.access import can_manage_roles, install_access

        with conn.transaction(write=True):
            install_change_notices(conn)
            # An owner without CREATEROLE gets a register of its own alone; the roles come
            # with the first `server add-user` by an owner that has it.
            if can_manage_roles(conn):
                install_access(conn)
    return applied


def install_change_notices(conn: Any) -> None:
    """(Re)create the notice trigger on every table of the register (after a migration,
    which may have added one)."""
    conn.execute_script(CHANGE_NOTICES)
    from merlet_desk.store.engine.dialect import table_names

    for table in table_names(conn):
        conn.execute_script(NOTICE_TRIGGER.format(table=table))


def create_register(db: Database) -> list[int]:
    """Make the schema of a new register in the empty server database `db` (opened with
    ``empty_server=True``), inside the caller's transaction if there is one."""
    if not isinstance(db, server.ServerDatabase):
        raise TypeError("create_register fills a database on a server")
    return migrate_server(db.server)


def _connect(target: ServerUrl, *, read_only: bool, password: str | None) -> server.ServerDatabase:
    from merlet_desk.store.engine import passwords
    from merlet_desk.store.engine.errors import LoginRefusedError, PasswordNeededError

    try:
        return server.connect(target, read_only=read_only, password=password)
    except PasswordNeededError as asked:
        kept = passwords.stored(target) if password is None else None
        if kept is None:
            raise
        try:
            return server.connect(target, read_only=read_only, password=kept)
        except LoginRefusedError:
            passwords.forget(target)
            raise PasswordNeededError(
                f"{asked} Het bewaarde wachtwoord wordt niet meer aanvaard.", target
            ) from None


def open_server_register(
    target: ServerUrl,
    *,
    read_only: bool = False,
    password: str | None = None,
    empty: bool = False,
) -> server.ServerDatabase:
    """Connect to `target` and check it as `store.open_database` checks a file.

    `empty`: the database must be empty (for `server init`, `server copy`, `restore`), and is
    returned as it is, to be filled by `create_register` in the caller's transaction. Else it
    must be a register; one with pending migrations is migrated unless `read_only`.

    Without `password`, libpq's own places are tried first, then the key store
    (`engine.passwords`); a kept password that the server refuses is forgotten and the
    server's question is passed on (`PasswordNeededError`), so the window asks again."""
    db = _connect(target, read_only=read_only, password=password)
    try:
        conn = db.server
        is_new, version = register_state(conn)
        if empty:
            if not is_new:
                raise ServerNotEmptyError(
                    f"De database {target} is niet leeg (er staat al een register of iets "
                    "anders in); Merlet Desk vult alleen een lege database. Er is niets "
                    "veranderd."
                )
            return db
        if is_new:
            raise MissingDatabaseError(empty_message(target))
        if version > migrations.LATEST_VERSION:
            raise SchemaTooNewError(
                f"{target} is gemaakt met een nieuwere versie van Merlet Desk (schemaversie "
                f"{version}, deze versie kent tot {migrations.LATEST_VERSION}). Werk Merlet "
                "Desk bij."
            )
        if version < migrations.LATEST_VERSION:
            if read_only:
                raise SchemaOutdatedError(
                    f"{target} moet eerst bijgewerkt worden naar schemaversie "
                    f"{migrations.LATEST_VERSION}; open het eenmaal zonder alleen-lezen."
                )
            migrate_server(conn)
    except BaseException:
        db.close()
        raise
    return db
