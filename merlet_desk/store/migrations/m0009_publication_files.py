"""Schema 9: the file that went out with a publication.

- `publication_files`: a file made by Merlet Desk for one publication, beside the original: a
  version with faces made unrecognisable (`unrecognisable`, with the style and the boxes) or
  a copy without metadata (`clean_copy`). Name, size, SHA-256 and path, and the SHA-256 of
  the original it was made from. Append-only: a later file for the same publication is a new
  row (the newest is the one that is out); the item keeps the original's facts.
- `publication_unrecognisable.regions`: the boxes (JSON `[[x, y, w, h], ...]`, pixels of the
  original) hidden for that pupil, when Merlet Desk did it; `[]` when it was done elsewhere.

Only boxes are stored: nothing about a face (no template, no crop), and no pupil is linked to
a box by anything but the officer's choice.
"""

from merlet_desk import sqlite_driver
from merlet_desk.store.sqlscript import run_sql

NUMBER = 9
DESCRIPTION = "files made for a publication: unrecognisable or without metadata"

SQL = """
CREATE TABLE publication_files (
    id              INTEGER PRIMARY KEY,
    publication_id  INTEGER NOT NULL REFERENCES publications(id),
    kind            TEXT NOT NULL CHECK (kind IN ('unrecognisable', 'clean_copy')),
    file_name       TEXT NOT NULL CHECK (file_name <> ''),
    file_size       INTEGER NOT NULL,
    file_hash       TEXT NOT NULL CHECK (length(file_hash) = 64),
    file_path       TEXT NOT NULL,
    source_hash     TEXT NOT NULL DEFAULT '',
    style           TEXT NOT NULL DEFAULT '',
    regions         TEXT NOT NULL DEFAULT '[]',
    recorded_by     TEXT NOT NULL,
    recorded_at     TEXT NOT NULL
);
CREATE INDEX publication_files_publication ON publication_files(publication_id);

ALTER TABLE publication_unrecognisable ADD COLUMN regions TEXT NOT NULL DEFAULT '[]';
"""


def apply(conn: sqlite_driver.Connection) -> None:
    run_sql(conn, SQL)
