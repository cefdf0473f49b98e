"""Schema 6: the publication register: which photo or video went where.

- `publication_items`: one photo or video. The original file stays outside the database (a
  school's photos and videos run to many gigabytes); the item keeps its name, size, SHA-256 and
  path, and a small thumbnail so the register can be read without the file.
- `publication_item_pupils`: who appears in an item.
- `publications`: an item on one channel (a consent purpose): when, where (link or
  description), by whom, and when it was taken down.
- `publication_unrecognisable`: a pupil made unrecognisable (blurred, cropped) in one
  publication; such a pupil needs no consent for it and never causes a takedown.
- `publication_kept`: the officer's decision to leave a publication up despite a takedown (a
  printed yearbook cannot be recalled), for exactly one pupil, reason and since-date.

The takedown list itself is derived from these tables and the consent decisions
(`store.takedowns.open_takedowns`), so it can never disagree with the register. Every table
that names a pupil has a `pupil_id` column: the retention purge deletes those rows.
"""

from merlet_desk import sqlite_driver
from merlet_desk.store.sqlscript import run_sql

NUMBER = 6
DESCRIPTION = "publication register"

SQL = """
CREATE TABLE publication_items (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL CHECK (trim(title) <> ''),
    media_kind   TEXT NOT NULL CHECK (media_kind IN ('photo', 'video')),
    file_name    TEXT NOT NULL DEFAULT '',
    file_size    INTEGER,
    file_hash    TEXT NOT NULL DEFAULT '',
    file_path    TEXT NOT NULL DEFAULT '',
    thumbnail    BLOB,
    taken_on     TEXT,
    location     TEXT NOT NULL DEFAULT '',
    description  TEXT NOT NULL DEFAULT '',
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX publication_items_taken ON publication_items(taken_on);

CREATE TABLE publication_item_pupils (
    item_id   INTEGER NOT NULL REFERENCES publication_items(id),
    pupil_id  INTEGER NOT NULL REFERENCES pupils(id),
    PRIMARY KEY (item_id, pupil_id)
) WITHOUT ROWID;
CREATE INDEX publication_item_pupils_pupil ON publication_item_pupils(pupil_id);

CREATE TABLE publications (
    id               INTEGER PRIMARY KEY,
    item_id          INTEGER NOT NULL REFERENCES publication_items(id),
    purpose_id       INTEGER NOT NULL REFERENCES purposes(id),
    published_on     TEXT NOT NULL,
    link             TEXT NOT NULL,
    published_by     TEXT NOT NULL,
    recorded_at      TEXT NOT NULL,
    checklist        TEXT NOT NULL DEFAULT '[]',
    taken_down_on    TEXT,
    taken_down_by    TEXT NOT NULL DEFAULT '',
    taken_down_note  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX publications_item ON publications(item_id);
CREATE INDEX publications_active ON publications(purpose_id) WHERE taken_down_on IS NULL;

CREATE TABLE publication_unrecognisable (
    publication_id  INTEGER NOT NULL REFERENCES publications(id),
    pupil_id        INTEGER NOT NULL REFERENCES pupils(id),
    how             TEXT NOT NULL,
    recorded_by     TEXT NOT NULL,
    recorded_at     TEXT NOT NULL,
    PRIMARY KEY (publication_id, pupil_id)
) WITHOUT ROWID;

CREATE TABLE publication_kept (
    id              INTEGER PRIMARY KEY,
    publication_id  INTEGER NOT NULL REFERENCES publications(id),
    pupil_id        INTEGER NOT NULL REFERENCES pupils(id),
    reason          TEXT NOT NULL,
    since           TEXT NOT NULL,
    note            TEXT NOT NULL CHECK (trim(note) <> ''),
    decided_by      TEXT NOT NULL,
    decided_at      TEXT NOT NULL,
    UNIQUE (publication_id, pupil_id, reason, since)
);
"""


def apply(conn: sqlite_driver.Connection) -> None:
    run_sql(conn, SQL)
