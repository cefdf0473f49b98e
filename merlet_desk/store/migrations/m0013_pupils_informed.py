"""Schema 13: a pupil who turned 16 was told about the parent's consent.

From 16 a pupil decides about photos of themselves; a parent's consent given before stays valid,
but the school tells the pupil that they may withdraw it or decide themselves. The register
lists those pupils ("16 geworden") until the officer records that the pupil was told.

`pupils_informed` holds one row per mark, append-only like the decisions: `kind` 'informed'
(the pupil was told on `on_date`) or 'undone' (a mistaken mark withdrawn on `on_date`); the
latest row of a pupil counts, and the earlier ones stay as the pupil's history. Only the
retention purge removes rows, with the pupil (m0003's `purge_in_progress`). A new table: every
existing row stays as it was.
"""

from merlet_desk import sqlite_driver
from merlet_desk.store.sqlscript import run_sql

NUMBER = 13
DESCRIPTION = "the pupils told that they turned 16, append-only"

SQL = """
CREATE TABLE pupils_informed (
    id           INTEGER PRIMARY KEY,
    pupil_id     INTEGER NOT NULL REFERENCES pupils(id),
    kind         TEXT NOT NULL CHECK (kind IN ('informed', 'undone')),
    on_date      TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    recorded_by  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
);
CREATE INDEX pupils_informed_pupil ON pupils_informed(pupil_id, id);

CREATE TRIGGER pupils_informed_no_update BEFORE UPDATE ON pupils_informed
BEGIN
    SELECT RAISE(ABORT, 'the marks of pupils informed are append-only');
END;
CREATE TRIGGER pupils_informed_no_delete BEFORE DELETE ON pupils_informed
WHEN NOT EXISTS (SELECT 1 FROM purge_in_progress)
BEGIN
    SELECT RAISE(ABORT, 'the marks of pupils informed are append-only');
END;
"""

# The triggers above on PostgreSQL (`store.engine.ddl`), with TRUNCATE refused as well.
SERVER = """
CREATE FUNCTION pupils_informed_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM purge_in_progress) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the marks of pupils informed are append-only';
END $$;
CREATE TRIGGER pupils_informed_no_update BEFORE UPDATE ON pupils_informed
    FOR EACH ROW EXECUTE FUNCTION pupils_informed_append_only();
CREATE TRIGGER pupils_informed_no_delete BEFORE DELETE ON pupils_informed
    FOR EACH ROW EXECUTE FUNCTION pupils_informed_append_only();
CREATE TRIGGER pupils_informed_no_truncate BEFORE TRUNCATE ON pupils_informed
    FOR EACH STATEMENT EXECUTE FUNCTION pupils_informed_append_only();
"""


def apply(conn: sqlite_driver.Connection) -> None:
    run_sql(conn, SQL, server=SERVER)
