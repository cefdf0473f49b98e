"""Schema 1: settings and the append-only audit log."""

from merlet_desk import sqlite_driver
from merlet_desk.store.sqlscript import run_sql

NUMBER = 1
DESCRIPTION = "settings, audit log"

SQL = """
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL           -- JSON
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,    -- ISO 8601 local time with seconds
    user        TEXT NOT NULL,    -- OS user who made the change
    action      TEXT NOT NULL,    -- create, update, delete, import, purge, ...
    record_kind TEXT NOT NULL,    -- pupil, decision, purpose, case, setting, ...
    record_id   TEXT,
    old_value   TEXT,             -- JSON or NULL
    new_value   TEXT              -- JSON or NULL
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_kind ON audit_log(record_kind, record_id);

-- Normal use never changes or removes an audit entry.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
END;
"""


# The triggers above on PostgreSQL (`store.engine.ddl`); TRUNCATE, which SQLite lacks, is
# refused as well, since it would bypass the row triggers.
SERVER = """
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit log is append-only';
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
"""


def apply(conn: sqlite_driver.Connection) -> None:
    run_sql(conn, SQL, server=SERVER)
