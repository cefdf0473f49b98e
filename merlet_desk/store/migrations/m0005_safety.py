"""Schema 5: letting the retention purge scrub personal data out of the audit log.

The audit log is append-only (m0001). But its entries about a pupil hold that pupil's personal
data: the `create`/`update` entries of kind `pupil` carry name, birth date and class in
`old_value`/`new_value` and the pupil number in `record_id`; the entries of kind `decision`
carry the giver's name. GDPR art. 5(1)(e) and 17 (storage limitation, erasure) do not allow
keeping that after the retention period just because it sits in a log, so a purge scrubs them
in the same transaction that deletes the pupil:

* `old_value`/`new_value` of those entries, and of any other entry whose values name the
  pupil number (e.g. a publication listing the pupils in a photo), become the JSON string
  `"geschoond"` (or stay NULL);
* `record_id` of a pupil entry becomes the same anonymous token the case log keeps;
* `at`, `user`, `action`, `record_kind` and the entry's `id` stay, so the log still shows that
  something was recorded, when and by whom, and a purge entry (counts only) says why it is gone.

How: like the consent decisions (m0003's `purge_in_progress`), a one-row control table
`audit_scrub_in_progress` that the purge fills inside its transaction and empties before it
commits. While it holds its row, UPDATE of `audit_log` is allowed, but only of `old_value`,
`new_value` and `record_id`, and only to the scrub marker; DELETE stays forbidden always.
Normal code never touches the control table.
"""

from merlet_desk import sqlite_driver
from merlet_desk.store.sqlscript import run_sql

NUMBER = 5
DESCRIPTION = "audit scrub for the retention purge"

SCRUBBED = '"geschoond"'  # JSON text of the marker

SQL = f"""
CREATE TABLE audit_scrub_in_progress (
    id INTEGER PRIMARY KEY CHECK (id = 1)
);

DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT EXISTS (SELECT 1 FROM audit_scrub_in_progress)
BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
END;

-- Even a scrub only blanks values: who, when, what and the order of entries never change.
CREATE TRIGGER audit_log_scrub_only BEFORE UPDATE ON audit_log
WHEN NEW.id IS NOT OLD.id
  OR NEW.at IS NOT OLD.at
  OR NEW.user IS NOT OLD.user
  OR NEW.action IS NOT OLD.action
  OR NEW.record_kind IS NOT OLD.record_kind
  OR (NEW.old_value IS NOT NULL AND NEW.old_value IS NOT '{SCRUBBED}')
  OR (NEW.new_value IS NOT NULL AND NEW.new_value IS NOT '{SCRUBBED}')
BEGIN
    SELECT RAISE(ABORT, 'audit log entries can only be scrubbed');
END;
"""


# The triggers above on PostgreSQL (`store.engine.ddl`). PostgreSQL fires BEFORE triggers in
# the order of their names, as SQLite fires these two: the scrub switch first.
SERVER = f"""
DROP TRIGGER audit_log_no_update ON audit_log;
CREATE FUNCTION audit_log_no_update_unless_scrub() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM audit_scrub_in_progress) THEN
        RAISE EXCEPTION 'audit log is append-only';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_no_update_unless_scrub();

CREATE FUNCTION audit_log_scrub_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS DISTINCT FROM OLD.id
       OR NEW.at IS DISTINCT FROM OLD.at
       OR NEW."user" IS DISTINCT FROM OLD."user"
       OR NEW.action IS DISTINCT FROM OLD.action
       OR NEW.record_kind IS DISTINCT FROM OLD.record_kind
       OR (NEW.old_value IS NOT NULL AND NEW.old_value IS DISTINCT FROM '{SCRUBBED}')
       OR (NEW.new_value IS NOT NULL AND NEW.new_value IS DISTINCT FROM '{SCRUBBED}') THEN
        RAISE EXCEPTION 'audit log entries can only be scrubbed';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER audit_log_scrub_only BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_scrub_only();
"""


def apply(conn: sqlite_driver.Connection) -> None:
    run_sql(conn, SQL, server=SERVER)
