"""Schema 8: the yearly consent round on paper.

- `purposes.examples`: a short list of examples per purpose ("Instagram, Facebook, ..."),
  printed on the form under the label. Nullable; filled for the default purposes from
  `data/purposes.json` (a purpose whose code the school added itself keeps NULL).
- `consent_forms`: every personal form that was printed: the pupil, who must sign ('parent'
  while the pupil is under 16 on the day of printing, else 'pupil'), when and by whom. The
  form's number is in its QR code, together with this database's own id (setting
  `paper_forms.database_id`), so a form from another database is recognised as such.
- `consent_form_purposes`: the purposes in their printed order, with the label as printed. A
  purpose renamed or added later does not change what an issued form means.
- `form_scans`: a scanned form page kept as proof (grey JPEG at about 150 dpi), with what was
  read from it and when the scan was made. One scan per form at most: the same form scanned
  twice is refused (UNIQUE form_id).
- `decision_scans`: which decisions a scan produced (the decisions table stays as it is and
  append-only).

Every table here is keyed on a pupil (directly, or through its form or decision), so the
retention purge removes them with the pupil (`store.retention`).
"""

import json

from merlet_desk import sqlite_driver
from merlet_desk.paths import data_path
from merlet_desk.store.sqlscript import run_sql

NUMBER = 8
DESCRIPTION = "paper consent forms and their scans"

SQL = """
ALTER TABLE purposes ADD COLUMN examples TEXT;

CREATE TABLE consent_forms (
    id          INTEGER PRIMARY KEY,
    pupil_id    INTEGER NOT NULL REFERENCES pupils(id),
    signer      TEXT NOT NULL CHECK (signer IN ('parent', 'pupil')),
    issued_on   TEXT NOT NULL,
    issued_by   TEXT NOT NULL,
    issued_at   TEXT NOT NULL
);
CREATE INDEX consent_forms_pupil ON consent_forms(pupil_id);

CREATE TABLE consent_form_purposes (
    form_id     INTEGER NOT NULL REFERENCES consent_forms(id),
    position    INTEGER NOT NULL,
    purpose_id  INTEGER NOT NULL REFERENCES purposes(id),
    label       TEXT NOT NULL,
    PRIMARY KEY (form_id, position)
) WITHOUT ROWID;

CREATE TABLE form_scans (
    id           INTEGER PRIMARY KEY,
    form_id      INTEGER NOT NULL UNIQUE REFERENCES consent_forms(id),
    pupil_id     INTEGER NOT NULL REFERENCES pupils(id),
    image        BLOB NOT NULL,
    image_type   TEXT NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    source       TEXT NOT NULL,
    scanned_on   TEXT NOT NULL,
    received_on  TEXT NOT NULL,
    reading      TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
);
CREATE INDEX form_scans_pupil ON form_scans(pupil_id);

CREATE TABLE decision_scans (
    decision_id  INTEGER PRIMARY KEY REFERENCES decisions(id),
    scan_id      INTEGER NOT NULL REFERENCES form_scans(id)
);
CREATE INDEX decision_scans_scan ON decision_scans(scan_id);
"""


def apply(conn: sqlite_driver.Connection) -> None:
    run_sql(conn, SQL)
    purposes = json.loads(data_path("purposes.json").read_text(encoding="utf-8"))
    conn.executemany(
        "UPDATE purposes SET examples = ? WHERE code = ? AND examples IS NULL",
        [(item["examples"], item["code"]) for item in purposes if item.get("examples")],
    )
