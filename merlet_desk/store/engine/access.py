"""Who may do what on a register on a PostgreSQL server: three group roles, a location list
per login, and row-level security, enforced by the server itself.

The program's own checks are not the barrier: a hand-made ``psql`` session with a seat's
password meets the same rules as the window and the CLI.

- **officer** (communications): reads and writes consents, publications, the paper round,
  for every location. No cases.
- **reader** (a location manager): reads its locations' pupils, decisions, scans and
  publications; writes nothing.
- **incidents**: the case log (cases, people, timeline, evidence) of its locations, and the
  pupils of those locations to link them. A login may hold it beside officer.

The group roles are named after the database they were made for (``<database>_officer`` …,
kept in `ACCESS_TABLE`), so two registers on one server never share rights. Each login has a
row in `SEATS_TABLE` with its locations; every location policy reads that row (its own row
only: that table has row-level security too), so no SECURITY DEFINER function is needed
anywhere. The owner of the tables (IT, `server init`) is not a seat: owners bypass row-level
security, and only the owner runs the retention purge, the one thing that may scrub the audit
log (the control tables of the purge are readable by every group, writable by none).

Who did it: on the server, a seat's writes record the login (``current_user``) in the
columns that say who made a decision, publication, takedown or case change, and in the audit
log's ``user``, by a trigger: the program cannot put another name there. The owner's writes
(a `server copy`, `restore`) keep the names they carry, so a copied history stays as it was.

`install_access` (re)makes all of this, idempotently, after every migration on the server
(`engine.schema.migrate_server`); SQLite has no such thing (one seat, one file).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from merlet_desk.store.errors import StoreError

ACCESS_TABLE = "merlet_desk_access"  # the group roles' prefix
SEATS_TABLE = "merlet_desk_seats"  # one row per login: its roles and locations
ROLES = ("officer", "reader", "incidents")

# The tables of the register by who reaches them. Every table of a migration must be in one
# of these (`unclassified_tables` finds a new one), so a new table is never silently open.
REFERENCE = (  # read by every seat; written by officers
    "settings",
    "policy_versions",
    "purposes",
)
CASE_LISTS = ("case_categories", "case_platforms")  # read by every seat; written by incidents
READ_BY_ALL = (  # read by every seat, written by no seat (the owner's control tables)
    "purge_in_progress",
    "audit_scrub_in_progress",
)
OFFICER_ONLY = ("consent_imports", "import_mappings")
CASE_TABLES = (
    "cases",
    "case_people",
    "case_agreements",
    "case_timeline",
    "case_evidence",
    "case_reference_counters",
)

_SEAT_LOCATIONS = (
    f"COALESCE((SELECT s.locations FROM {SEATS_TABLE} s WHERE s.login = current_user),"
    " '{}'::text[])"
)
_IN_LOCATIONS = f"location = ANY ({_SEAT_LOCATIONS})"


def _visible(table: str, column: str, parent: str) -> str:
    """A row of `table` whose `column` names a row of `parent` that the seat sees (under
    `parent`'s own policy): one index lookup per row, cheap for the store's per-pupil reads,
    where ``IN (SELECT id FROM parent)`` read every visible parent row each time."""
    return f"EXISTS (SELECT 1 FROM {parent} v WHERE v.id = {table}.{column})"


# What a reader sees of each table holding pupils' data: a row of a pupil of its locations.
# Each condition reads another table under that table's own policies, so the location rule
# is written once, on `pupils`.
PUPIL_SCOPED: dict[str, str] = {
    "pupils": _IN_LOCATIONS,
    "decisions": _visible("decisions", "pupil_id", "pupils"),
    "form_scans": _visible("form_scans", "pupil_id", "pupils"),
    "consent_forms": _visible("consent_forms", "pupil_id", "pupils"),
    "consent_form_purposes": _visible("consent_form_purposes", "form_id", "consent_forms"),
    "decision_scans": _visible("decision_scans", "decision_id", "decisions"),
    "publication_item_pupils": _visible("publication_item_pupils", "pupil_id", "pupils"),
    "publication_items": (
        f"{_IN_LOCATIONS} OR EXISTS (SELECT 1 FROM publication_item_pupils v"
        " WHERE v.item_id = publication_items.id)"
    ),
    "publications": _visible("publications", "item_id", "publication_items"),
    "publication_files": _visible("publication_files", "publication_id", "publications"),
    "publication_unrecognisable": _visible("publication_unrecognisable", "pupil_id", "pupils"),
    "publication_kept": _visible("publication_kept", "pupil_id", "pupils"),
    "pupils_informed": _visible("pupils_informed", "pupil_id", "pupils"),
}

# What an incidents seat reaches of the case log: its locations' cases.
CASE_SCOPED: dict[str, str] = {
    "cases": _IN_LOCATIONS,
    "case_people": _visible("case_people", "case_id", "cases"),
    "case_agreements": _visible("case_agreements", "case_id", "cases"),
    "case_timeline": _visible("case_timeline", "case_id", "cases"),
    "case_evidence": _visible("case_evidence", "case_id", "cases"),
}

# Audit entries about the case log: a case, and a case's timeline entries and evidence (their
# facts name the case's reference).
CASE_KINDS = ("case", "case_timeline", "case_evidence")

# Columns that say who made a row, filled with the login by the server (`STAMP_FUNCTION`).
STAMPED_ON_INSERT: dict[str, tuple[str, ...]] = {
    "audit_log": ("user",),
    "decisions": ("recorded_by",),
    "form_scans": ("recorded_by",),
    "consent_forms": ("issued_by",),
    "consent_imports": ("recorded_by",),
    "publication_items": ("created_by",),
    "publications": ("published_by",),
    "publication_files": ("recorded_by",),
    "publication_unrecognisable": ("recorded_by",),
    "publication_kept": ("decided_by",),
    "pupils_informed": ("recorded_by",),
    "cases": ("created_by", "updated_by"),
    "case_timeline": ("author",),
    "case_evidence": ("added_by",),
}
# (table, column, condition on OLD/NEW): stamped on an update that meets the condition.
STAMPED_ON_UPDATE: tuple[tuple[str, str, str], ...] = (
    ("cases", "updated_by", "true"),
    (
        "publications",
        "taken_down_by",
        "NEW.taken_down_on IS NOT NULL AND NEW.taken_down_on IS DISTINCT FROM OLD.taken_down_on",
    ),
)

STAMP_FUNCTION = f"""
CREATE OR REPLACE FUNCTION merlet_desk_stamp_login() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    stamps jsonb := '{{}}';
    col text;
BEGIN
    -- The owner (server copy, restore, the purge) is no seat: it writes the names it carries.
    IF NOT EXISTS (SELECT 1 FROM {SEATS_TABLE} WHERE login = current_user) THEN
        RETURN NEW;
    END IF;
    FOREACH col IN ARRAY TG_ARGV LOOP
        stamps := stamps || jsonb_build_object(col, current_user::text);
    END LOOP;
    RETURN jsonb_populate_record(NEW, stamps);
END $$;
"""


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def group_prefix(conn: Any) -> str | None:
    """The prefix of this register's group roles, or None before `install_access` ran."""
    exists = conn.execute(
        "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema()"
        " AND table_name = ?",
        [ACCESS_TABLE],
    ).fetchone()
    if not exists:
        return None
    row = conn.execute(f"SELECT group_prefix FROM {ACCESS_TABLE}").fetchone()
    return str(row[0]) if row else None


def group_roles(conn: Any) -> dict[str, str]:
    """{role: the server's group role} of this register."""
    prefix = group_prefix(conn)
    if prefix is None:
        return {}
    return {role: f"{prefix}_{role}" for role in ROLES}


def unclassified_tables(tables: list[str]) -> list[str]:
    """Tables of the register that no rule of this module covers."""
    known = {
        *REFERENCE,
        *READ_BY_ALL,
        *CASE_LISTS,
        *OFFICER_ONLY,
        *CASE_TABLES,
        *PUPIL_SCOPED,
        "audit_log",
    }
    return sorted(set(tables) - known)


def can_manage_roles(conn: Any) -> bool:
    """Whether the connected user may create roles (the owner needs ``CREATEROLE``)."""
    row = conn.execute(
        "SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user"
    ).fetchone()
    return bool(row and row[0])


def install_access(conn: Any) -> None:
    """Make (or bring up to date) the group roles, grants, policies and login stamps of the
    register on the server connection `conn` (a `ServerConnection`, inside a transaction)."""
    from merlet_desk.store import migrations
    from merlet_desk.store.engine.dialect import META_TABLE, schema_version, table_names

    if schema_version(conn) < migrations.LATEST_VERSION:
        return  # a register part-way (migrated in steps) stays the owner's until it is whole
    tables = table_names(conn)
    stray = unclassified_tables(tables)
    if stray:
        raise RuntimeError("tables without access rules (store.engine.access): " + ", ".join(stray))
    conn.execute_script(
        f"CREATE TABLE IF NOT EXISTS {ACCESS_TABLE} ("
        " only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),"
        " group_prefix text NOT NULL);"
        f" INSERT INTO {ACCESS_TABLE} (group_prefix)"
        "  VALUES (left(regexp_replace(lower(current_database()), '[^a-z0-9_]', '_', 'g'), 40))"
        "  ON CONFLICT (only_row) DO NOTHING;"
        f" CREATE TABLE IF NOT EXISTS {SEATS_TABLE} ("
        " login text PRIMARY KEY,"
        " roles text[] NOT NULL,"
        " locations text[] NOT NULL DEFAULT '{}',"
        " added_at timestamptz NOT NULL DEFAULT now(),"
        " added_by text NOT NULL DEFAULT current_user);"
        f" ALTER TABLE {SEATS_TABLE} ENABLE ROW LEVEL SECURITY;"
        f" DROP POLICY IF EXISTS own_seat ON {SEATS_TABLE};"
        f" CREATE POLICY own_seat ON {SEATS_TABLE} FOR SELECT USING (login = current_user);"
    )
    groups = group_roles(conn)
    for group in groups.values():
        conn.execute_script(
            "DO $$ BEGIN"
            f" IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {_literal(group)}) THEN"
            f" CREATE ROLE {_ident(group)} NOLOGIN NOINHERIT; END IF; END $$;"
        )
    officer, reader, incidents = (_ident(groups[role]) for role in ROLES)
    everyone = f"{officer}, {reader}, {incidents}"
    script = [
        # Nothing of the schema for seats beyond what is granted below: no CREATE of their own
        # objects (a view or function to write through), where the owner may revoke it.
        "DO $$ BEGIN EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM PUBLIC',"
        " current_schema()); EXCEPTION WHEN insufficient_privilege THEN NULL; END $$;",
        f"GRANT USAGE ON SCHEMA {_ident(_current_schema(conn))} TO {everyone};",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {_ident(_current_schema(conn))} FROM {everyone};",
        f"GRANT SELECT ON {META_TABLE}, {ACCESS_TABLE}, {SEATS_TABLE} TO {everyone};",
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {_ident(_current_schema(conn))}"
        f" TO {officer}, {incidents};",
        STAMP_FUNCTION,
    ]
    present = set(tables)  # an older register (a migration in steps) lacks later tables
    for table in _only(REFERENCE, present):
        script.append(f"GRANT SELECT ON {table} TO {everyone};")
        script.append(f"GRANT INSERT, UPDATE, DELETE ON {table} TO {officer};")
    for table in _only(CASE_LISTS, present):
        script.append(f"GRANT SELECT ON {table} TO {everyone};")
        script.append(f"GRANT INSERT, UPDATE, DELETE ON {table} TO {incidents};")
    for table in _only(READ_BY_ALL, present):
        script.append(f"GRANT SELECT ON {table} TO {everyone};")
    for table in _only(OFFICER_ONLY, present):
        script.append(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {officer};")
    for table in _only(("case_reference_counters",), present):
        script.append(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {incidents};")
    for table, condition in _only_items(PUPIL_SCOPED, present):
        script += _policies(table)
        script += [
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {officer};",
            f"GRANT SELECT ON {table} TO {reader};",
            f"CREATE POLICY officer_all ON {table} TO {officer} USING (true) WITH CHECK (true);",
            f"CREATE POLICY reader_locations ON {table} FOR SELECT TO {reader}"
            f" USING ({condition});",
        ]
    script += [
        f"GRANT SELECT ON pupils TO {incidents};",
        f"CREATE POLICY incidents_locations ON pupils FOR SELECT TO {incidents}"
        f" USING ({PUPIL_SCOPED['pupils']});",
    ]
    for table, condition in _only_items(CASE_SCOPED, present):
        script += _policies(table)
        script += [
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {incidents};",
            f"CREATE POLICY incidents_locations ON {table} TO {incidents}"
            f" USING ({condition}) WITH CHECK ({condition});",
        ]
    # The audit log: every seat that writes appends (as itself), none changes or removes an entry (the
    # append-only triggers, and no UPDATE/DELETE grant); each reads what it may know about.
    kinds = ", ".join(_literal(kind) for kind in CASE_KINDS)
    script += _policies("audit_log")
    script += [
        f"GRANT SELECT ON audit_log TO {everyone};",
        f"GRANT INSERT ON audit_log TO {officer}, {incidents};",
        f"CREATE POLICY seat_appends ON audit_log FOR INSERT TO {officer}, {incidents}"
        ' WITH CHECK ("user" = current_user);',
        f'CREATE POLICY own_entries ON audit_log FOR SELECT TO {everyone} USING ("user" = current_user);',
        f"CREATE POLICY officer_reads ON audit_log FOR SELECT TO {officer}"
        f" USING (record_kind NOT IN ({kinds}));",
        f"CREATE POLICY reader_reads ON audit_log FOR SELECT TO {reader}"
        " USING (record_kind = 'pupil' AND record_id IN (SELECT number FROM pupils));",
        f"CREATE POLICY incidents_reads ON audit_log FOR SELECT TO {incidents}"
        f" USING (record_kind IN ({kinds}) AND record_id IN (SELECT reference FROM cases));",
    ]
    for table, columns in _only_items(STAMPED_ON_INSERT, present):
        arguments = ", ".join(_literal(column) for column in columns)
        script.append(
            f"DROP TRIGGER IF EXISTS merlet_desk_stamp_insert ON {table};"
            f" CREATE TRIGGER merlet_desk_stamp_insert BEFORE INSERT ON {table}"
            f" FOR EACH ROW EXECUTE FUNCTION merlet_desk_stamp_login({arguments});"
        )
    for table, column, condition in STAMPED_ON_UPDATE:
        if table not in present:
            continue
        script.append(
            f"DROP TRIGGER IF EXISTS merlet_desk_stamp_{column} ON {table};"
            f" CREATE TRIGGER merlet_desk_stamp_{column} BEFORE UPDATE ON {table}"
            f" FOR EACH ROW WHEN ({condition})"
            f" EXECUTE FUNCTION merlet_desk_stamp_login({_literal(column)});"
        )
    script.append(PINNED_SEARCH_PATH)
    conn.execute_script("\n".join(script))


# The register's functions (its triggers: append-only, the login stamps) name its tables
# without a schema. A name is looked up in the session's temporary schema first, so a seat's
# own TEMPORARY table named `purge_in_progress` or `merlet_desk_seats` would be the one they
# read: an officer could delete the consent history or write under another name. Each
# function gets the register's schema as its search path, the temporary schema last, as
# PostgreSQL's manual advises for functions that others' statements run ("Writing SECURITY
# DEFINER Functions Safely"). An extension's functions are the extension's.
PINNED_SEARCH_PATH = """
DO $$ DECLARE f record; BEGIN
    FOR f IN SELECT p.oid::regprocedure AS signature FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = current_schema() AND NOT EXISTS (SELECT 1 FROM pg_depend d
            WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', f.signature,
            current_schema());
    END LOOP;
END $$;
"""


def _only(tables: tuple[str, ...], present: set[str]) -> list[str]:
    return [table for table in tables if table in present]


def _only_items(rules: dict[str, Any], present: set[str]) -> list[tuple[str, Any]]:
    return [(table, rule) for table, rule in rules.items() if table in present]


def _current_schema(conn: Any) -> str:
    return str(conn.execute("SELECT current_schema()").fetchone()[0])


def _policies(table: str) -> list[str]:
    """Row-level security on `table`, its old policies dropped (remade by the caller)."""
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;",
        "DO $$ DECLARE p record; BEGIN"
        " FOR p IN SELECT policyname FROM pg_policies"
        f" WHERE schemaname = current_schema() AND tablename = {_literal(table)} LOOP"
        f" EXECUTE format('DROP POLICY %I ON {table}', p.policyname); END LOOP; END $$;",
    ]


# -- the seats: logins of this register ----------------------------------------------------


@dataclass(frozen=True)
class Seat:
    """A login of this register: its roles and (for reader and incidents) its locations."""

    login: str
    roles: tuple[str, ...]
    locations: tuple[str, ...]
    added_at: str
    added_by: str
    can_login: bool

    @property
    def reads_only(self) -> bool:
        """A reader writes nothing: its window is read-only."""
        return set(self.roles) == {"reader"}

    @property
    def sees_all_locations(self) -> bool:
        """An officer reads the consents of every location (its locations are for cases)."""
        return "officer" in self.roles

    @property
    def sees_cases(self) -> bool:
        return "incidents" in self.roles

    @property
    def sees_consents(self) -> bool:
        return "officer" in self.roles or "reader" in self.roles


class AccessError(StoreError):
    """A seat cannot be added or removed as asked (it exists, it is missing, the login
    running the command may not manage seats); nothing was changed."""


def _server(db: Any) -> Any:
    from merlet_desk.store.engine.server import ServerDatabase

    if not isinstance(db, ServerDatabase):
        raise TypeError("seats exist on a register on a server")
    return db.server


def add_seat(
    db: Any, login: str, roles: tuple[str, ...], locations: tuple[str, ...], password: str
) -> None:
    """Make the login role `login` with `password` (sent to the server only as its SCRAM
    hash) in the group roles `roles`, limited to `locations`, in one transaction."""
    conn = _server(db)
    if not can_manage_roles(conn):
        user = conn.target.user or "(standaard)"
        raise AccessError(
            f"Gebruiker {user} mag op deze server geen gebruikers maken: dat doet de eigenaar "
            "van het register, met het recht CREATEROLE (docs/deployment.md, Rollen en "
            "locaties). Er is niets veranderd."
        )
    if not group_roles(conn):  # made by an owner without CREATEROLE until now
        with conn.transaction(write=True):
            install_access(conn)
    groups = group_roles(conn)
    exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = ?", [login]).fetchone()
    if exists:
        raise AccessError(
            f"Er bestaat al een gebruiker {login} op deze server; kies een andere naam. "
            "Er is niets veranderd."
        )
    secret = conn.pg.pgconn.encrypt_password(
        password.encode(), login.encode(), b"scram-sha-256"
    ).decode()
    memberships = ", ".join(_ident(groups[role]) for role in roles)
    # PostgreSQL 16 and newer: the group's rights apply (INHERIT) but the login cannot even
    # SET ROLE to its group. Before 16 a member may SET ROLE to its group, which grants
    # nothing more than it has.
    options = " WITH INHERIT TRUE, SET FALSE" if conn.pg.info.server_version >= 160000 else ""
    with conn.transaction(write=True):
        conn.execute_script(
            f"CREATE ROLE {_ident(login)} LOGIN INHERIT PASSWORD {_literal(secret)};"
            f" GRANT {memberships} TO {_ident(login)}{options};"
        )
        conn.execute(
            f"INSERT INTO {SEATS_TABLE} (login, roles, locations) VALUES (?, ?, ?)",
            [login, list(roles), list(locations)],
        )


def seats(db: Any) -> list[Seat]:
    """Every seat of this register, by login."""
    conn = _server(db)
    if group_prefix(conn) is None:
        return []
    rows = conn.execute(
        f"SELECT s.login, s.roles, s.locations, to_char(s.added_at, 'YYYY-MM-DD HH24:MI'),"
        f" s.added_by, coalesce(r.rolcanlogin, false) FROM {SEATS_TABLE} s"
        " LEFT JOIN pg_roles r ON r.rolname = s.login ORDER BY s.login"
    ).fetchall()
    return [
        Seat(row[0], tuple(row[1]), tuple(row[2]), row[3], row[4], bool(row[5])) for row in rows
    ]


def remove_seat(db: Any, login: str) -> None:
    """Remove the seat `login` and its login role; what it recorded keeps its name."""
    conn = _server(db)
    known = (
        group_prefix(conn) is not None
        and conn.execute(f"SELECT 1 FROM {SEATS_TABLE} WHERE login = ?", [login]).fetchone()
    )
    if not known:
        raise AccessError(
            f"{login} is geen gebruiker van dit register (merlet-desk server users toont "
            "ze). Er is niets veranderd."
        )
    with conn.transaction(write=True):
        conn.execute(f"DELETE FROM {SEATS_TABLE} WHERE login = ?", [login])
        role = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = ?", [login]).fetchone()
        if role:
            conn.execute_script(f"DROP ROLE {_ident(login)};")


def is_owner(db: Any) -> bool:
    """Whether `db` is connected as the owner of the register (or a superuser), not as a
    seat; a SQLite file always is."""
    conn = getattr(db, "server", None)
    if conn is None:
        return True
    row = conn.execute(
        "SELECT pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_class c"
        " WHERE c.oid = 'audit_log'::regclass"
    ).fetchone()
    return bool(row and row[0])


def require_owner(db: Any, what: str) -> None:
    """`NoPermissionError` unless `db` is connected as the register's owner: `what` (the
    retention purge, a whole backup) is IT's on a server, never a seat's."""
    from merlet_desk.store.errors import NoPermissionError

    if is_owner(db):
        return
    user = db.server.target.user or "(standaard)"
    raise NoPermissionError(
        f"{what} doet op de server de eigenaar van het register (IT), niet gebruiker {user}. "
        "Er is niets veranderd."
    )


def current_seat(db: Any) -> Seat | None:
    """The seat `db` is connected as: None for a file, the owner, or a register without
    roles. What the window follows (`ui.roles`); the server enforces it regardless."""
    conn = getattr(db, "server", None)
    if conn is None or group_prefix(conn) is None:
        return None
    row = conn.execute("SELECT current_user").fetchone()
    login = str(row[0]) if row else ""
    return next((seat for seat in seats(db) if seat.login == login), None)


def refuse_outside_scope(db: Any, location: str | None, *, cases: bool = False) -> None:
    """`NoPermissionError` when the seat of `db` asks an overview of a location it does not
    see (a reader for Grave asking Cuijk's consents; an incidents seat another location's
    cases): said, rather than an empty report that looks like a location without pupils."""
    from merlet_desk.store.errors import NoPermissionError

    seat = current_seat(db)
    if seat is None or location is None or (seat.sees_all_locations and not cases):
        return
    if cases and not seat.sees_cases:
        raise NoPermissionError(
            f"Gebruiker {seat.login} ziet geen incidenten (daarvoor is de rol incidents "
            "nodig); het overzicht kan deze gebruiker niet maken. Er is niets geschreven."
        )
    if location in seat.locations:
        return
    raise NoPermissionError(
        f"Gebruiker {seat.login} ziet alleen {', '.join(seat.locations)}; het overzicht voor "
        f"{location} kan deze gebruiker niet maken. Er is niets geschreven."
    )
