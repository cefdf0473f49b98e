"""Schema 10: which box hid whom.

`publication_unrecognisable.basis` says how the register knows that a pupil is unrecognisable
in a publication:

- `boxes`: Merlet Desk hid boxes that the officer linked to this pupil by a click; `regions`
  holds exactly those boxes (pixels of the original).
- `every_face`: a video in which Merlet Desk hid every face in every frame.
- `stated`: the officer's statement in `how` (seen from behind, cropped, blurred elsewhere);
  Merlet Desk hid nothing for it.
- `unlinked`: a record made before boxes were linked per pupil: the file's boxes were hidden
  and every pupil who could not appear was marked "vervaagd in Merlet Desk" with all of them,
  whether or not their own face was among them. Kept as it was, and shown as "niet per
  leerling vastgelegd".

Every existing row is kept unchanged; only its basis is filled in, from what the row and the
publication's file say: "vervaagd in Merlet Desk" with boxes is `unlinked`, without boxes
but with a file made in Merlet Desk (a video) `every_face`, anything else `stated`.
"""

from merlet_desk import sqlite_driver
from merlet_desk.store.sqlscript import run_sql

NUMBER = 10
DESCRIPTION = "which box hid which pupil in a publication"

SQL = """
ALTER TABLE publication_unrecognisable ADD COLUMN basis TEXT NOT NULL DEFAULT 'stated'
    CHECK (basis IN ('boxes', 'every_face', 'stated', 'unlinked'));

UPDATE publication_unrecognisable SET basis = 'unlinked'
WHERE how = 'vervaagd in Merlet Desk' AND regions <> '[]';

UPDATE publication_unrecognisable SET basis = 'every_face'
WHERE how = 'vervaagd in Merlet Desk' AND regions = '[]'
  AND EXISTS (
    SELECT 1 FROM publication_files f
    WHERE f.publication_id = publication_unrecognisable.publication_id
      AND f.kind = 'unrecognisable' AND f.regions = '[]'
  );
"""


def apply(conn: sqlite_driver.Connection) -> None:
    run_sql(conn, SQL)
