"""Schema 11: consents from the parent portal.

- `purposes.aliases`: the other names a purpose goes by in the exports of the administration
  systems ("Toestemming website", "Social media", "Nieuwsbrief/ouderapp"), a JSON list of
  text, editable in Instellingen › Doelen. Filled for the default purposes from
  `data/purposes.json`; a purpose the school added itself starts with none.
- `consent_imports`: one row per imported consent file (its name, its shape `long` or `wide`,
  who imported it, when, and the counts). No personal data.
- `decisions.import_id`: the import a decision came from (NULL for every other decision), so
  the history can say "via het ouderportaal (import)". A column added with ALTER TABLE: the
  decisions stay as they were and append-only.
- `import_mappings`: how the columns of a file were read, per kind of import (`pupils`,
  `consents`) and per set of headers, so next week's export of the same system maps itself.
"""

import json

from merlet_desk import sqlite_driver
from merlet_desk.paths import data_path
from merlet_desk.store.sqlscript import run_sql

NUMBER = 11
DESCRIPTION = "purpose aliases, consent imports and remembered column mappings"

SQL = """
ALTER TABLE purposes ADD COLUMN aliases TEXT NOT NULL DEFAULT '[]';

CREATE TABLE consent_imports (
    id           INTEGER PRIMARY KEY,
    file_name    TEXT NOT NULL,
    shape        TEXT NOT NULL CHECK (shape IN ('long', 'wide')),
    counts       TEXT NOT NULL DEFAULT '{}',
    recorded_by  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
);

ALTER TABLE decisions ADD COLUMN import_id INTEGER REFERENCES consent_imports(id);

CREATE TABLE import_mappings (
    kind        TEXT NOT NULL CHECK (kind IN ('pupils', 'consents')),
    headers     TEXT NOT NULL,
    name        TEXT NOT NULL,
    mapping     TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (kind, headers)
) WITHOUT ROWID;
"""


def apply(conn: sqlite_driver.Connection) -> None:
    run_sql(conn, SQL)
    purposes = json.loads(data_path("purposes.json").read_text(encoding="utf-8"))
    conn.executemany(
        "UPDATE purposes SET aliases = ? WHERE code = ?",
        [
            (json.dumps(item["aliases"], ensure_ascii=False), item["code"])
            for item in purposes
            if item.get("aliases")
        ],
    )
