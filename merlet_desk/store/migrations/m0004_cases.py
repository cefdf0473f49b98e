"""Schema 4: the case log: cases, people, agreements, timeline, evidence, and the
editable lists of categories and platforms.

The pupil link is the pupil number as plain text, without a foreign key: the pupil register
lives in its own migration, and a retention purge must be able to anonymise it. The reference
counter per year is a separate table so a reference is never handed out twice, also after the
case that held it was deleted.
"""

from merlet_desk import sqlite_driver
from merlet_desk.domain.cases import DEFAULT_CATEGORIES, DEFAULT_PLATFORMS
from merlet_desk.store.sqlscript import run_sql

NUMBER = 4
DESCRIPTION = "case log"

SQL = """
CREATE TABLE case_categories (
    code     TEXT PRIMARY KEY,
    label    TEXT NOT NULL,
    retired  INTEGER NOT NULL DEFAULT 0,   -- a retired entry keeps its cases, is not offered
    position INTEGER NOT NULL
);

CREATE TABLE case_platforms (
    code     TEXT PRIMARY KEY,
    label    TEXT NOT NULL,
    retired  INTEGER NOT NULL DEFAULT 0,
    position INTEGER NOT NULL
);

CREATE TABLE case_reference_counters (
    year          INTEGER PRIMARY KEY,
    last_sequence INTEGER NOT NULL
);

CREATE TABLE cases (
    id                  INTEGER PRIMARY KEY,
    reference           TEXT NOT NULL UNIQUE,          -- 2026-0007
    incident_date       TEXT NOT NULL,                 -- ISO dates
    report_date         TEXT NOT NULL,
    location            TEXT NOT NULL,
    category            TEXT NOT NULL REFERENCES case_categories(code),
    platform            TEXT NOT NULL REFERENCES case_platforms(code),
    summary             TEXT NOT NULL,
    description         TEXT NOT NULL DEFAULT '',
    measures            TEXT NOT NULL DEFAULT '',      -- one measure or sanction per line
    parents_informed    INTEGER NOT NULL DEFAULT 0,
    parents_informed_on TEXT,
    police_informed     INTEGER NOT NULL DEFAULT 0,
    police_informed_on  TEXT,
    press_contact       TEXT NOT NULL DEFAULT '',
    victim_care         TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'closed')),
    closed_on           TEXT,
    created_at          TEXT NOT NULL,
    created_by          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    updated_by          TEXT NOT NULL
);
CREATE INDEX cases_incident_date ON cases(incident_date);
CREATE INDEX cases_location_date ON cases(location, incident_date);
CREATE INDEX cases_status_date ON cases(status, incident_date);
CREATE INDEX cases_category ON cases(category);
CREATE INDEX cases_platform ON cases(platform);

CREATE TABLE case_people (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('staff', 'pupil', 'parent', 'external')),
    description  TEXT NOT NULL DEFAULT '',
    pupil_number TEXT                                   -- no foreign key, see above
);
CREATE INDEX case_people_case ON case_people(case_id, position);
CREATE INDEX case_people_pupil ON case_people(pupil_number) WHERE pupil_number IS NOT NULL;

CREATE TABLE case_agreements (
    case_id   INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    agreement INTEGER NOT NULL CHECK (agreement BETWEEN 1 AND 14),
    PRIMARY KEY (case_id, agreement)
) WITHOUT ROWID;
CREATE INDEX case_agreements_agreement ON case_agreements(agreement);

CREATE TABLE case_timeline (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    entry_date TEXT NOT NULL,
    kind       TEXT NOT NULL,
    text       TEXT NOT NULL DEFAULT '',
    author     TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX case_timeline_case ON case_timeline(case_id, entry_date, id);

CREATE TABLE case_evidence (
    id        INTEGER PRIMARY KEY,
    case_id   INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    mime_type TEXT NOT NULL,
    size      INTEGER NOT NULL,
    sha256    TEXT NOT NULL,
    content   BLOB NOT NULL,
    thumbnail BLOB,                                     -- small PNG, images only
    added_at  TEXT NOT NULL,
    added_by  TEXT NOT NULL
);
CREATE INDEX case_evidence_case ON case_evidence(case_id);
"""


def apply(conn: sqlite_driver.Connection) -> None:
    run_sql(conn, SQL)
    for table, rows in (
        ("case_categories", DEFAULT_CATEGORIES),
        ("case_platforms", DEFAULT_PLATFORMS),
    ):
        conn.executemany(
            f"INSERT INTO {table} (code, label, retired, position) VALUES (?, ?, 0, ?)",
            [(code, label, position) for position, (code, label) in enumerate(rows, start=1)],
        )
