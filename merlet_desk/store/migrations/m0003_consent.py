"""Schema 3: pupils, purposes and the append-only consent decisions.

Decisions are append-only: the triggers `decisions_no_update` and `decisions_no_delete` refuse
every UPDATE and DELETE. The one exception is the retention purge, which must remove
the decisions of a purged pupil. It does so by inserting the single row of the control table
`purge_in_progress` inside its transaction, deleting, and deleting that row again before
committing::

    with db.atomic():
        db.execute("INSERT INTO purge_in_progress (id) VALUES (1)")
        db.execute("DELETE FROM decisions WHERE pupil_id = ?", [pupil_id])
        db.execute("DELETE FROM pupils WHERE id = ?", [pupil_id])
        db.execute("DELETE FROM purge_in_progress")
        record_change(db, "purge", "pupil", None, ...)   # no personal data

While that row exists the delete trigger lets deletes through; updates stay forbidden always.
Normal code never touches `purge_in_progress`.

Dates are ISO text (YYYY-MM-DD). `pupils.prefix` is '' when there is none; `left_on` is NULL
while the pupil is at school. `purposes` is seeded from `data/purposes.json`.
"""

import json

from merlet_desk import sqlite_driver
from merlet_desk.paths import data_path
from merlet_desk.store.sqlscript import run_sql

NUMBER = 3
DESCRIPTION = "pupils, purposes, consent decisions"

SQL = """
CREATE TABLE pupils (
    id          INTEGER PRIMARY KEY,
    number      TEXT NOT NULL UNIQUE,
    first_name  TEXT NOT NULL,
    prefix      TEXT NOT NULL DEFAULT '',
    last_name   TEXT NOT NULL,
    birth_date  TEXT NOT NULL,
    class_name  TEXT NOT NULL,
    location    TEXT NOT NULL,
    left_on     TEXT
);
CREATE INDEX pupils_class ON pupils(location, class_name);

CREATE TABLE purposes (
    id        INTEGER PRIMARY KEY,
    code      TEXT NOT NULL UNIQUE,
    label     TEXT NOT NULL,
    retired   INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
    position  INTEGER NOT NULL
);

CREATE TABLE decisions (
    id           INTEGER PRIMARY KEY,
    pupil_id     INTEGER NOT NULL REFERENCES pupils(id),
    purpose_id   INTEGER NOT NULL REFERENCES purposes(id),
    decision     TEXT NOT NULL CHECK (decision IN ('granted', 'refused', 'withdrawn')),
    given_by     TEXT NOT NULL CHECK (given_by IN ('parent', 'guardian', 'pupil')),
    giver_name   TEXT NOT NULL,
    received_on  TEXT NOT NULL,
    method       TEXT NOT NULL CHECK (method IN ('paper', 'email', 'portal', 'other')),
    recorded_by  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
);
CREATE INDEX decisions_pupil ON decisions(pupil_id, purpose_id, received_on);
CREATE INDEX decisions_purpose ON decisions(purpose_id, received_on);
CREATE INDEX decisions_received ON decisions(received_on);

-- One-row switch for the retention purge; see the module docstring.
CREATE TABLE purge_in_progress (
    id INTEGER PRIMARY KEY CHECK (id = 1)
);

CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN
    SELECT RAISE(ABORT, 'consent decisions are append-only');
END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
WHEN NOT EXISTS (SELECT 1 FROM purge_in_progress)
BEGIN
    SELECT RAISE(ABORT, 'consent decisions are append-only');
END;
"""


# The triggers above on PostgreSQL (`store.engine.ddl`), with TRUNCATE refused as well.
SERVER = """
CREATE FUNCTION decisions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM purge_in_progress) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'consent decisions are append-only';
END $$;
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
    FOR EACH ROW EXECUTE FUNCTION decisions_append_only();
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
    FOR EACH ROW EXECUTE FUNCTION decisions_append_only();
CREATE TRIGGER decisions_no_truncate BEFORE TRUNCATE ON decisions
    FOR EACH STATEMENT EXECUTE FUNCTION decisions_append_only();
"""


def apply(conn: sqlite_driver.Connection) -> None:
    run_sql(conn, SQL, server=SERVER)
    purposes = json.loads(data_path("purposes.json").read_text(encoding="utf-8"))
    conn.executemany(
        "INSERT INTO purposes (code, label, retired, position) VALUES (?, ?, 0, ?)",
        [(item["code"], item["label"], position) for position, item in enumerate(purposes, 1)],
    )
