"""Roles on a register on a PostgreSQL server (`store.engine.access`), enforced by the server:
what each seat sees and may change through the store and through hand-made SQL, who did it,
the append-only audit log, and rights that cannot be escalated.

PostgreSQL only: SQLite has one seat and no roles."""

from __future__ import annotations

import psycopg
import pytest

from merlet_desk.domain.cases import Case
from merlet_desk.errors import InputError
from merlet_desk.store import open_database
from merlet_desk.store.cases import delete_case, get_case, list_cases, update_case
from merlet_desk.store.engine.access import group_roles
from merlet_desk.store.engine.errors import NoPermissionError
from tests.helpers.builders import add_case
from tests.helpers.roles import (
    FILLED_ON,
    filled_register,
    new_seat,
    owner_dump,
    raw_session,
    refused,
)


@pytest.fixture
def register(postgres_server):
    """A filled register: its URL and the case references by location."""
    with filled_register(postgres_server) as made:
        yield made


@pytest.fixture
def seat(postgres_server, register):
    """seat(roles, locations) -> (login, open store database as that login)."""
    url, _ = register
    opened = []

    def make(roles: tuple[str, ...], locations: tuple[str, ...] = ()):
        login = new_seat(url, roles, locations)
        db = open_database(postgres_server.url(postgres_server.name_of(url), user=login))
        opened.append(db)
        return login, db

    yield make
    for db in opened:
        db.close()


PUPIL_INSERT = (
    "INSERT INTO pupils (number, first_name, prefix, last_name, birth_date, class_name, location)"
    " VALUES ('9001', 'Meryem', '', 'Boujdaini', '2012-01-01', '1G', %s)"
)
# After `fill`'s grants, on the same day (the day the date runs may put the clock on).
WITHDRAWN_AT = f"{FILLED_ON}T09:00:00"
DECISION_INSERT = (
    "INSERT INTO decisions (pupil_id, purpose_id, decision, given_by, giver_name, received_on,"
    " method, recorded_by, recorded_at) SELECT p.id, u.id, 'withdrawn', 'parent', 'F. Łęcka',"
    f" '{FILLED_ON}', 'email', 'iemand anders', '{WITHDRAWN_AT}' FROM pupils p, purposes u"
    " WHERE p.number = %s AND u.code = 'website'"
)


# -- a reader (location manager) for Grave ----------------------------------------------------


def test_a_grave_reader_sees_only_grave_rows_by_hand_made_sql(postgres_server, register):
    url, _ = register
    login = new_seat(url, ("reader",), ("Grave",))
    with raw_session(postgres_server, url, login) as conn:
        pupils = conn.execute("SELECT number, location FROM pupils ORDER BY number").fetchall()
        assert pupils == [("2001", "Grave"), ("2002", "Grave")]
        joined = conn.execute(
            "SELECT p.number, p.location FROM decisions d JOIN pupils p ON p.id = d.pupil_id"
        ).fetchall()
        assert sorted(joined) == [("2001", "Grave"), ("2002", "Grave")]
        # The decisions table itself, without the join, holds no other pupil either.
        pupil_ids = {row[0] for row in conn.execute("SELECT pupil_id FROM decisions")}
        assert pupil_ids == {2, 3}
        # The Cuijk musical shows, for its Grave pupil; its Cuijk pupil stays out of sight.
        items = conn.execute("SELECT title FROM publication_items ORDER BY id").fetchall()
        assert items == [("Musical <Grease> & meer",), ("Sportdag Grave",)]
        in_items = conn.execute("SELECT item_id, pupil_id FROM publication_item_pupils").fetchall()
        assert sorted(in_items) == [(1, 2), (2, 3)]
        published = conn.execute("SELECT item_id FROM publications ORDER BY item_id").fetchall()
        assert published == [(1,), (2,)]
        audit = conn.execute("SELECT record_id FROM audit_log ORDER BY record_id").fetchall()
        assert audit == [("2001",), ("2002",)]
        # A Cuijk pupil by its number: no row, not an error that tells it exists.
        assert conn.execute("SELECT * FROM pupils WHERE number = '1001'").fetchall() == []


def test_a_reader_sees_no_cases_at_all(postgres_server, register):
    url, _ = register
    login = new_seat(url, ("reader",), ("Grave",))
    with raw_session(postgres_server, url, login) as conn:
        for table in ("cases", "case_people", "case_timeline", "case_evidence"):
            assert "permission denied" in refused(conn, f"SELECT * FROM {table}")


def test_a_reader_reads_through_the_store_and_writes_nothing(postgres_server, register, seat):
    url, cases = register
    _, db = seat(("reader",), ("Grave",))
    before = owner_dump(url)
    with pytest.raises(NoPermissionError, match=r"dit niet toe \(geen recht op de tabel cases\)"):
        list_cases(db)
    with pytest.raises(NoPermissionError):
        add_case(db)
    with pytest.raises(NoPermissionError) as refusal:
        with db.atomic():
            db.execute(PUPIL_INSERT.replace("%s", "?"), ["Grave"])
    assert len(str(refusal.value).splitlines()) == 1
    assert owner_dump(url) == before


@pytest.mark.parametrize(
    "statement",
    [
        PUPIL_INSERT % "'Grave'",
        DECISION_INSERT % "'2001'",
        "UPDATE pupils SET class_name = '4G' WHERE number = '2001'",
        "DELETE FROM publication_item_pupils",
        "UPDATE publications SET taken_down_on = '2026-10-02'",
        "INSERT INTO audit_log (at, \"user\", action, record_kind) VALUES ('x', 'x', 'x', 'x')",
        "UPDATE settings SET value = '1'",
        "INSERT INTO purge_in_progress (id) VALUES (1)",
    ],
)
def test_every_write_of_a_reader_is_refused_and_changes_nothing(
    postgres_server, register, statement
):
    url, _ = register
    login = new_seat(url, ("reader",), ("Grave",))
    before = owner_dump(url)
    with raw_session(postgres_server, url, login) as conn:
        assert "permission denied" in refused(conn, statement)
    assert owner_dump(url) == before


# -- rights that cannot be escalated ---------------------------------------------------------


# What each role tries, by hand, to get more than it was given: become another role or the
# owner, give itself a group, change or drop a policy, switch row-level security or a trigger
# off, widen its own seat, or make an object that would run with other rights. Each is
# refused. OWN_POLICY names a policy that applies to the role.
OWN_POLICY = {
    "reader": ("pupils", "reader_locations"),
    "officer": ("pupils", "officer_all"),
    "incidents": ("cases", "incidents_locations"),
}


def _escalations(login: str, groups: dict[str, str], role: str) -> list[str]:
    table, policy = OWN_POLICY[role]
    return [
        *(f'SET ROLE "{group}"' for group in groups.values()),  # not even to its own group
        'SET ROLE "postgres"',
        'SET SESSION AUTHORIZATION "postgres"',
        "SELECT set_config('role', 'postgres', false)",
        *(f'GRANT "{group}" TO "{login}"' for group in groups.values()),
        f"ALTER POLICY {policy} ON {table} USING (true)",
        f"DROP POLICY {policy} ON {table}",
        f"CREATE POLICY mine ON {table} FOR SELECT USING (true)",
        "CREATE POLICY mine ON cases FOR ALL USING (true)",
        f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY",
        "ALTER TABLE cases DISABLE ROW LEVEL SECURITY",
        "ALTER TABLE decisions DISABLE TRIGGER ALL",
        "DROP TRIGGER merlet_desk_stamp_insert ON decisions",
        "UPDATE merlet_desk_seats SET locations = '{Cuijk,Grave,Mill}'",
        "UPDATE merlet_desk_seats SET roles = '{officer,incidents}'",
        "INSERT INTO merlet_desk_seats (login, roles) VALUES ('x', '{officer}')",
        "CREATE VIEW all_pupils AS SELECT * FROM pupils",
        "CREATE FUNCTION up() RETURNS void LANGUAGE sql SECURITY DEFINER"
        " AS 'UPDATE pupils SET class_name = ''X'''",
        "CREATE OR REPLACE FUNCTION merlet_desk_stamp_login() RETURNS trigger LANGUAGE plpgsql"
        " AS 'BEGIN RETURN NEW; END'",
        "ALTER FUNCTION decisions_append_only() SECURITY DEFINER",
        "CREATE TABLE mine (id int)",
        f'ALTER ROLE "{login}" CREATEROLE',
        f'ALTER ROLE "{login}" BYPASSRLS',
        f'ALTER ROLE "{login}" SUPERUSER',
        "CREATE ROLE stiekem LOGIN",
    ]


SEATS = [
    (("reader",), ("Grave",)),
    (("officer",), ()),
    (("incidents",), ("Grave",)),
    (("officer", "incidents"), ("Grave",)),
]


@pytest.mark.parametrize("roles, locations", SEATS)
def test_no_seat_can_escalate(postgres_server, register, roles, locations):
    url, _ = register
    login = new_seat(url, roles, locations)
    groups = group_roles_of(url)
    before = owner_dump(url)
    with raw_session(postgres_server, url, login) as conn:
        for role in roles:
            for attempt in _escalations(login, groups, role):
                message = refused(conn, attempt)
                assert "denied" in message or "must be" in message or "only" in message, (
                    attempt,
                    message,
                )
        # Granting a table right one does not hold grants nothing (the server only warns).
        rights = (("cases", "SELECT"), ("pupils", "INSERT"), ("audit_log", "UPDATE"))
        for table, right in rights:
            try:
                conn.execute(f'GRANT {right} ON {table} TO "{login}"')
            except psycopg.Error:
                pass
        held = {
            (table, right)
            for table, right in rights
            if conn.execute("SELECT has_table_privilege(%s, %s)", [table, right]).fetchone()[0]
        }
        expected = {("pupils", "INSERT")} if "officer" in roles else set()
        if "incidents" in roles:
            expected.add(("cases", "SELECT"))
        assert held == expected
        assert conn.execute("SELECT current_user").fetchone()[0] == login
        seat = conn.execute("SELECT roles, locations FROM merlet_desk_seats").fetchall()
        assert seat == [(list(roles), list(locations))]
        if "officer" not in roles:
            assert "permission denied" in refused(conn, PUPIL_INSERT, ["Grave"])
            assert {row[0] for row in conn.execute("SELECT location FROM pupils")} == {"Grave"}
        if "incidents" in roles:
            assert {row[0] for row in conn.execute("SELECT location FROM cases")} == {"Grave"}
        else:
            assert "permission denied" in refused(conn, "SELECT * FROM cases")
    assert owner_dump(url) == before


@pytest.mark.parametrize("roles, locations", SEATS)
def test_a_temporary_table_cannot_stand_in_for_the_registers_own(
    postgres_server, register, roles, locations
):
    """The register's trigger functions read its control tables (a purge in progress, the
    seats) by name; a seat's own temporary table of that name must not be the one they read,
    or an officer could delete the consent history or write under another name."""
    url, cases = register
    login = new_seat(url, roles, locations)
    before = owner_dump(url)
    with raw_session(postgres_server, url, login) as conn:
        for table in ("purge_in_progress", "audit_scrub_in_progress", "merlet_desk_seats"):
            try:
                conn.execute(f"CREATE TEMPORARY TABLE {table} (id int, login text)")
                conn.execute(f"INSERT INTO {table} (id) VALUES (1)")
            except psycopg.Error:
                pass  # a seat without temporary tables at all: the better
        for statement in (
            "DELETE FROM decisions",
            "UPDATE audit_log SET new_value = '\"geschoond\"'",
            "DELETE FROM audit_log",
        ):
            message = refused(conn, statement)
            assert "append-only" in message or "permission denied" in message, message
        if "officer" in roles:
            conn.execute(DECISION_INSERT, ["2002"])
            stamped = conn.execute(
                f"SELECT recorded_by FROM decisions WHERE recorded_at = '{WITHDRAWN_AT}'"
            ).fetchall()
            assert stamped == [(login,)]
        if "incidents" in roles:
            conn.execute(
                "UPDATE cases SET updated_by = 'iemand anders' WHERE reference = %s",
                [cases["Grave"]],
            )
            stamped = conn.execute(
                "SELECT updated_by FROM cases WHERE reference = %s", [cases["Grave"]]
            ).fetchall()
            assert stamped == [(login,)]
    if roles == ("reader",):
        assert owner_dump(url) == before


def test_no_view_or_security_definer_function_to_write_through(postgres_server, register):
    """A reader can only write through what runs with someone else's rights: the register
    has no view and no SECURITY DEFINER function, and the trigger functions it has cannot be
    called."""
    url, _ = register
    name = postgres_server.name_of(url)
    definers = postgres_server.sql(
        "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
        " WHERE n.nspname = 'public' AND p.prosecdef",
        name,
    )
    assert definers == []
    views = postgres_server.sql("SELECT viewname FROM pg_views WHERE schemaname = 'public'", name)
    assert views == []
    login = new_seat(url, ("reader",), ("Grave",))
    with raw_session(postgres_server, url, login) as conn:
        functions = [
            row[0]
            for row in conn.execute(
                "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                " WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_depend d"
                " WHERE d.objid = p.oid AND d.deptype = 'e')"  # unaccent's are IT's, not ours
            )
        ]
        assert "merlet_desk_stamp_login" in functions
        for function in functions:
            assert "trigger functions can only be called as triggers" in refused(
                conn, f"SELECT {function}()"
            )


def group_roles_of(url: str) -> dict[str, str]:
    db = open_database(url, read_only=True)
    try:
        return group_roles(db.server)
    finally:
        db.close()


# -- an officer -------------------------------------------------------------------------------


def test_an_officer_sees_every_location_and_no_cases(postgres_server, register, today):
    from merlet_desk.store.cases import add_evidence, add_timeline_entry

    url, cases = register
    owner = open_database(url)
    try:  # the case log's own audit entries: a case, a step of it, a piece of evidence
        case_id = owner.execute(
            "SELECT id FROM cases WHERE reference = ?", [cases["Grave"]]
        ).fetchone()[0]
        add_timeline_entry(owner, case_id, today, "conversation", "Gesprek <mentor> & ouders")
        add_evidence(owner, case_id, "chat.txt", b"Zofia & Berkay")
    finally:
        owner.close()
    login = new_seat(url, ("officer",))
    with raw_session(postgres_server, url, login) as conn:
        locations = {row[0] for row in conn.execute("SELECT location FROM pupils")}
        assert locations == {"Cuijk", "Grave", "Mill"}
        decided = conn.execute(
            "SELECT DISTINCT p.location FROM decisions d JOIN pupils p ON p.id = d.pupil_id"
        ).fetchall()
        assert {row[0] for row in decided} == {"Cuijk", "Grave", "Mill"}
        assert conn.execute("SELECT count(*) FROM publications").fetchone()[0] == 3
        assert "permission denied" in refused(conn, "SELECT * FROM cases")
        kinds = {row[0] for row in conn.execute("SELECT DISTINCT record_kind FROM audit_log")}
        assert kinds == {"pupil"}  # the cases' entries stay with the case log


def test_an_officers_writes_record_the_login_not_a_typed_name(postgres_server, register):
    url, _ = register
    login = new_seat(url, ("officer",))
    with raw_session(postgres_server, url, login) as conn:
        conn.execute(DECISION_INSERT, ["2002"])
        conn.execute(
            'INSERT INTO audit_log (at, "user", action, record_kind, record_id)'
            " VALUES ('2026-10-01T09:00:00', 'iemand anders', 'create', 'decision', '2002')"
        )
        conn.execute(
            "UPDATE publications SET taken_down_on = '2026-10-02', taken_down_by = 'iemand"
            " anders', taken_down_note = 'Ingetrokken' WHERE item_id = 2"
        )
        conn.execute(
            "INSERT INTO publications (item_id, purpose_id, published_on, link, published_by,"
            " recorded_at) SELECT 3, id, '2026-10-03', 'https://x.nl/mill', 'iemand anders',"
            " '2026-10-03T09:00:00' FROM purposes WHERE code = 'website'"
        )
    owner = postgres_server.name_of(url)
    assert postgres_server.sql(
        f"SELECT recorded_by FROM decisions WHERE recorded_at = '{WITHDRAWN_AT}'", owner
    ) == [(login,)]
    assert postgres_server.sql(
        "SELECT \"user\" FROM audit_log WHERE record_kind = 'decision'", owner
    ) == [(login,)]
    assert postgres_server.sql(
        "SELECT taken_down_by FROM publications WHERE item_id = 2", owner
    ) == [(login,)]
    assert postgres_server.sql(
        "SELECT published_by FROM publications WHERE link = 'https://x.nl/mill'", owner
    ) == [(login,)]
    # What the owner copied in keeps its names.
    assert postgres_server.sql(
        f"SELECT DISTINCT recorded_by FROM decisions WHERE recorded_at = '{FILLED_ON}T00:00:00'",
        owner,
    ) == [("beheer",)]


def test_an_officer_cannot_purge_or_rewrite_the_history(postgres_server, register):
    url, _ = register
    login = new_seat(url, ("officer",))
    before = owner_dump(url)
    with raw_session(postgres_server, url, login) as conn:
        assert "permission denied" in refused(conn, "INSERT INTO purge_in_progress (id) VALUES (1)")
        assert "permission denied" in refused(
            conn, "INSERT INTO audit_scrub_in_progress (id) VALUES (1)"
        )
        assert "append-only" in refused(conn, "DELETE FROM decisions")
        assert "append-only" in refused(conn, "UPDATE decisions SET giver_name = 'x'")
    assert owner_dump(url) == before


# -- the audit log ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "roles",
    [("officer",), ("reader",), ("incidents",), ("officer", "incidents")],
)
def test_the_audit_log_is_append_only_for_every_role(postgres_server, register, roles):
    url, _ = register
    locations = () if roles == ("officer",) else ("Grave",)
    login = new_seat(url, roles, locations)
    before = owner_dump(url)
    with raw_session(postgres_server, url, login) as conn:
        for statement in (
            "DELETE FROM audit_log",
            "UPDATE audit_log SET \"user\" = 'niemand'",
            "UPDATE audit_log SET new_value = '\"geschoond\"'",
            "TRUNCATE audit_log",
        ):
            message = refused(conn, statement)
            assert "permission denied" in message or "append-only" in message
    assert owner_dump(url) == before


# -- incidents --------------------------------------------------------------------------------


def test_incidents_for_grave_work_on_grave_cases_only(postgres_server, register, seat):
    url, cases = register
    login, db = seat(("incidents",), ("Grave",))
    assert [row.reference for row in list_cases(db)] == [cases["Grave"]]
    with pytest.raises(InputError, match="bestaat niet"):
        get_case(db, cases["Cuijk"])
    created = add_case(db, summary="Screenshot in een groepsapp")
    changed = update_case(db, _with(created, measures="Gesprek met ouders"))
    assert changed.measures == "Gesprek met ouders"
    stamped = postgres_server.sql(
        "SELECT created_by, updated_by FROM cases WHERE reference = %s",
        postgres_server.name_of(url),
        [created.reference],
    )
    assert stamped == [(login, login)]
    audit_users = postgres_server.sql(
        'SELECT DISTINCT "user" FROM audit_log WHERE record_id = %s',
        postgres_server.name_of(url),
        [created.reference],
    )
    assert audit_users == [(login,)]

    before = owner_dump(url)
    with pytest.raises(NoPermissionError, match="buiten de eigen locaties"):
        add_case(db, location="Cuijk")
    with pytest.raises(NoPermissionError):
        update_case(db, _with(created, location="Mill"))  # moved out of their reach
    with pytest.raises(InputError, match="bestaat niet"):
        delete_case(db, cases["Cuijk"])  # not theirs to see: as if it did not exist
    assert owner_dump(url) == before
    with raw_session(postgres_server, url, login) as conn:
        assert {row[0] for row in conn.execute("SELECT location FROM cases")} == {"Grave"}
        assert {row[0] for row in conn.execute("SELECT location FROM pupils")} == {"Grave"}
        # The audit log: the Grave cases' entries (the owner's too), no Cuijk case, no pupil.
        logged = {
            tuple(row) for row in conn.execute("SELECT record_kind, record_id FROM audit_log")
        }
        assert ("case", cases["Grave"]) in logged
        assert {kind for kind, _ in logged} <= {"case", "case_timeline", "case_evidence"}
        assert ("case", cases["Cuijk"]) not in logged
        assert "permission denied" in refused(conn, "SELECT * FROM decisions")
        assert "permission denied" in refused(conn, "SELECT * FROM publications")


def test_an_incidents_seat_reaches_no_other_locations_case_by_hand(postgres_server, register):
    url, cases = register
    login = new_seat(url, ("incidents",), ("Grave",))
    name = postgres_server.name_of(url)
    [(cuijk_id,)] = postgres_server.sql(
        "SELECT id FROM cases WHERE reference = %s", name, [cases["Cuijk"]]
    )
    before = owner_dump(url)
    with raw_session(postgres_server, url, login) as conn:
        for table in ("case_people", "case_agreements", "case_timeline", "case_evidence"):
            rows = conn.execute(f"SELECT * FROM {table} WHERE case_id = %s", [cuijk_id])
            assert rows.fetchall() == []
        assert conn.execute("SELECT * FROM cases WHERE location <> 'Grave'").fetchall() == []
        # Changing or removing what it cannot see touches nothing.
        for statement in (
            "UPDATE cases SET summary = 'x' WHERE location = 'Cuijk'",
            f"DELETE FROM case_timeline WHERE case_id = {cuijk_id}",
            f"DELETE FROM cases WHERE id = {cuijk_id}",
        ):
            assert conn.execute(statement).rowcount == 0
        # Moving its own case out of its reach, or adding to another's, is refused.
        for statement in (
            f"UPDATE cases SET location = 'Cuijk' WHERE reference = '{cases['Grave']}'",
            "INSERT INTO case_timeline (case_id, entry_date, kind, text, author, created_at)"
            f" VALUES ({cuijk_id}, '2026-10-01', 'note', 'x', 'x', '2026-10-01T09:00:00')",
        ):
            assert "row-level security" in refused(conn, statement)
    assert owner_dump(url) == before


def test_an_officer_who_also_holds_incidents_sees_their_cases(postgres_server, register, seat):
    url, cases = register
    login, db = seat(("officer", "incidents"), ("Cuijk",))
    assert [row.reference for row in list_cases(db)] == [cases["Cuijk"]]
    # The audit log: every pupil's entries, and the case entries of Cuijk only.
    entries = db.execute("SELECT record_kind, record_id FROM audit_log").fetchall()
    assert sorted(tuple(row) for row in entries if row[0] == "case") == [("case", cases["Cuijk"])]
    assert len([row for row in entries if row[0] == "pupil"]) == 5
    created = add_case(db, location="Cuijk", summary="Screenshot in een groepsapp")
    assert {row.reference for row in list_cases(db)} == {cases["Cuijk"], created.reference}
    before = owner_dump(url)
    with pytest.raises(NoPermissionError, match="buiten de eigen locaties"):
        add_case(db, location="Grave")
    assert owner_dump(url) == before
    assert {row["location"] for row in db.query("SELECT location FROM pupils")} == {
        "Cuijk",
        "Grave",
        "Mill",
    }


def _with(case: Case, **changes) -> Case:
    import dataclasses

    return dataclasses.replace(case, **changes)


# -- removing a user ----------------------------------------------------------------------------


def test_removing_a_user_keeps_what_they_recorded_under_their_name(postgres_server, register):
    from merlet_desk.store.engine.access import remove_seat, seats

    url, _ = register
    login = new_seat(url, ("officer",))
    with raw_session(postgres_server, url, login) as conn:
        conn.execute(DECISION_INSERT, ["1001"])
    db = open_database(url)
    try:
        remove_seat(db, login)
        assert login not in [seat.login for seat in seats(db)]
        history = db.execute(
            "SELECT d.recorded_by FROM decisions d JOIN pupils p ON p.id = d.pupil_id"
            " WHERE p.number = '1001' AND d.decision = 'withdrawn'"
        ).fetchall()
        assert [tuple(row) for row in history] == [(login,)]
    finally:
        db.close()
    assert postgres_server.sql("SELECT 1 FROM pg_roles WHERE rolname = %s", params=[login]) == []
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(postgres_server.url(postgres_server.name_of(url), user=login)).close()


# -- who did it, as the history and the audit log show it -------------------------------------


def test_the_history_and_the_audit_log_show_the_login_that_did_it(
    postgres_server, register, seat, today
):
    from merlet_desk.store.audit_query import AuditFilter, audit_entries, audit_users
    from merlet_desk.store.cases import (
        add_evidence,
        add_timeline_entry,
        list_evidence,
        list_timeline,
    )
    from merlet_desk.store.decisions import cell_history

    url, _ = register
    officer, officer_db = seat(("officer",))
    handler, handler_db = seat(("incidents",), ("Grave",))
    with raw_session(postgres_server, url, officer) as conn:
        conn.execute(DECISION_INSERT, ["2002"])
    created = add_case(handler_db, summary="Screenshot in een groepsapp")
    case_id = handler_db.execute(
        "SELECT id FROM cases WHERE reference = ?", [created.reference]
    ).fetchone()[0]
    note = add_timeline_entry(
        handler_db, case_id, today, "conversation", "Gesprek <mentor> & ouders", author="Jan"
    )
    evidence = add_evidence(handler_db, case_id, "chat.txt", b"Zofia & Berkay")
    assert [e.author for e in list_timeline(handler_db, case_id) if e.id == note.id] == [handler]
    assert [e.added_by for e in list_evidence(handler_db, case_id) if e.id == evidence.id] == [
        handler
    ]
    website = officer_db.execute("SELECT id FROM purposes WHERE code = 'website'").fetchone()[0]
    history = cell_history(officer_db, 3, website, today)
    assert [(d.recorded_by, d.decision) for d in history] == [
        ("beheer", "granted"),
        (officer, "withdrawn"),
    ]
    # The owner's audit log (an auditor's view) names the login of each change.
    owner = open_database(url, read_only=True)
    try:
        case_entries = audit_entries(owner, AuditFilter(kind="case"))
        assert {(e.user, e.record_id) for e in case_entries if e.action == "create"} >= {
            (handler, created.reference)
        }
        assert handler in audit_users(owner)
    finally:
        owner.close()
    # The incidents seat sees its own entries; the officer none about cases.
    assert [e.user for e in audit_entries(handler_db, AuditFilter(kind="case"))] != []
    assert audit_entries(officer_db, AuditFilter(kind="case")) == []


def test_only_the_owner_purges(postgres_server, register, seat):
    from merlet_desk.store.retention import purge

    url, _ = register
    _, db = seat(("officer",))
    before = owner_dump(url)
    with pytest.raises(NoPermissionError, match="Het opschonen na de bewaartermijn doet op de"):
        purge(db, [1, 2, 3, 4, 5])
    assert owner_dump(url) == before


def test_the_owners_purge_scrubs_the_audit_log_and_logs_that_it_did(postgres_server, register):
    from merlet_desk.store.retention import purge

    url, _ = register
    name = postgres_server.name_of(url)
    postgres_server.sql("UPDATE pupils SET left_on = '2020-01-01' WHERE number = '3001'", name)
    entries_before = postgres_server.sql("SELECT count(*) FROM audit_log", name)[0][0]
    db = open_database(url)
    try:
        counts = purge(db, [4])
    finally:
        db.close()
    assert counts.pupils == 1
    assert postgres_server.sql("SELECT count(*) FROM pupils WHERE number = '3001'", name) == [(0,)]
    # Nothing removed from the log: the pupil's entry scrubbed, one purge entry added.
    assert postgres_server.sql("SELECT count(*) FROM audit_log", name) == [(entries_before + 1,)]
    [(logged,)] = postgres_server.sql(
        "SELECT new_value FROM audit_log WHERE action = 'purge'", name
    )
    assert '"pupils": 1' in logged
    assert postgres_server.sql(
        "SELECT new_value FROM audit_log WHERE record_kind = 'pupil' AND action = 'create'"
        " AND new_value NOT LIKE '%%location%%'",
        name,
    ) == [('"geschoond"',)]


@pytest.mark.parametrize("roles, locations", SEATS)
def test_the_consent_work_through_the_store_is_the_officers(
    postgres_server, register, seat, roles, locations, today
):
    """Recording a decision, publishing, a takedown and printing the paper round: an officer
    (also one who holds incidents) does them as itself; a reader or an incidents seat gets
    a typed refusal for each, and nothing changes."""
    from merlet_desk.store import paper_forms
    from merlet_desk.store.decisions import record_decision
    from merlet_desk.store.items import create_item
    from merlet_desk.store.publications import publish, take_down
    from merlet_desk.store.pupils import get_pupil
    from tests.helpers.builders import all_agreements

    url, _ = register
    [(published,)] = postgres_server.sql(
        "SELECT id FROM publications WHERE item_id = 2", postgres_server.name_of(url)
    )
    login, db = seat(roles, locations)
    pupil = get_pupil(db, "2001")  # Grave: every one of these seats sees it

    def record() -> object:
        return record_decision(
            db, "2001", "website", "withdrawn", "parent", "Hatice Öztürk", today, recorded_by="x"
        )

    def publish_item() -> object:
        item = create_item(db, "Kerstviering <Grave> & Mill", pupil_numbers=["2002"])
        return publish(
            db,
            item.id,
            "website",
            today,
            "https://www.merletcollege.nl/kerst",
            checklist=all_agreements(),
        )

    def take_down_one() -> object:
        return take_down(db, published, today, "Op verzoek van de ouders")

    def paper_round() -> object:
        return paper_forms.issue_forms(
            db, [pupil], paper_forms.form_purposes(db, ["website"]), today
        )

    actions = (record, publish_item, take_down_one, paper_round)
    if "officer" in roles:
        for action in actions:
            action()
        owner = postgres_server.name_of(url)
        assert postgres_server.sql(
            "SELECT recorded_by FROM decisions WHERE decision = 'withdrawn'", owner
        ) == [(login,)]
        assert postgres_server.sql(
            "SELECT taken_down_by FROM publications WHERE id = %s", owner, [published]
        ) == [(login,)]
        assert postgres_server.sql("SELECT issued_by FROM consent_forms", owner) == [(login,)]
        return
    before = owner_dump(url)
    for action in actions:
        with pytest.raises(NoPermissionError) as refusal:
            action()
        assert len(str(refusal.value).splitlines()) == 1
    assert owner_dump(url) == before


def test_an_officer_records_publishes_and_takes_down_through_the_store_as_its_login(
    postgres_server, register, seat, today
):
    from merlet_desk.store.decisions import record_decision
    from merlet_desk.store.items import create_item
    from merlet_desk.store.publications import get_publication, publish, take_down
    from tests.helpers.builders import all_agreements

    url, _ = register
    officer, db = seat(("officer",))
    _, reader_db = seat(("reader",), ("Grave",))
    decision = record_decision(
        db, "2001", "website", "granted", "parent", "Hatice Öztürk", today, recorded_by="typed"
    )
    item = create_item(db, "Kerstviering <Grave> & Mill", pupil_numbers=["2001"], taken_on=today)
    published = publish(
        db,
        item.id,
        "website",
        today,
        "https://www.merletcollege.nl/kerst",
        checklist=all_agreements(),
        published_by="typed",
    )
    # The reader sees what the officer recorded for its location, and can change none of it.
    before = owner_dump(url)
    with pytest.raises(NoPermissionError):
        record_decision(reader_db, "2001", "website", "withdrawn", "parent", "H. Öztürk", today)
    with pytest.raises(NoPermissionError):
        take_down(reader_db, published.id, today, "Toch niet")
    assert owner_dump(url) == before
    take_down(db, published.id, today, "Op verzoek van de ouders")
    # What is stored (and read back) names the login, whatever the program passed.
    stored = db.execute("SELECT recorded_by FROM decisions WHERE id = ?", [decision.id]).fetchone()
    assert tuple(stored) == (officer,)
    again = get_publication(db, published.id)
    assert (again.published_by, again.taken_down_by) == (officer, officer)
    assert get_publication(reader_db, published.id).taken_down_by == officer


def test_the_marks_of_pupils_told_they_turned_16_follow_the_roles(postgres_server, register, seat):
    """An officer records that a pupil was told, as its login; a Grave reader sees the marks of
    Grave's pupils only and records none."""
    from merlet_desk.store.informed import informed_marks, mark_informed
    from merlet_desk.store.pupils import save_pupil
    from tests.helpers import TODAY, born_aged

    url, _ = register
    officer, db = seat(("officer",))
    numbers = ["2091", "1091"]
    for number, location in zip(numbers, ("Grave", "Cuijk"), strict=True):
        save_pupil(db, number, "Meryem", "", "Boujdaini", born_aged(17), "5H", location)
    mark_informed(db, numbers, TODAY)
    assert {m.recorded_by for n in numbers for m in informed_marks(db, n)} == {officer}
    reader = new_seat(url, ("reader",), ("Grave",))
    before = owner_dump(url)
    with raw_session(postgres_server, url, reader) as conn:
        seen = conn.execute(
            "SELECT p.location FROM pupils_informed i JOIN pupils p ON p.id = i.pupil_id"
        ).fetchall()
        assert seen and {row[0] for row in seen} == {"Grave"}
        assert conn.execute("SELECT count(*) FROM pupils_informed").fetchone()[0] == len(seen)
        assert "permission denied" in refused(
            conn,
            "INSERT INTO pupils_informed (pupil_id, kind, on_date, recorded_by, recorded_at)"
            " SELECT id, 'undone', '2026-11-21', 'x', 'x' FROM pupils",
        )
    assert owner_dump(url) == before
