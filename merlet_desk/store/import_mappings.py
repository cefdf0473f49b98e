"""How the columns of an import file were read, remembered per set of headers.

An administration system writes the same headers every week; once the officer has said which
column is which (a purpose, the pupil number, a column to skip), the next file with the same
headers maps itself, in the GUI and on the command line. Kept in the database, so every
officer of the school finds it. A mapping is a dict from a header, as the file writes it, to
a target (`"purpose:website"`, `"column:number"`, `"ignore"`, ...); the kinds of import give
their targets their meaning.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from merlet_desk.domain.text import name_key
from merlet_desk.store.audit import current_user, now_iso, record_change
from merlet_desk.store.sqlite_utils_import import Database

KINDS = ("pupils", "consents")


@dataclass(frozen=True)
class RememberedMapping:
    name: str  # what the officer calls this layout ("Magister-export")
    mapping: dict[str, str]
    updated_at: str


def headers_key(headers: Iterable[str]) -> str:
    """One set of headers, whatever their order, case or accents (JSON text)."""
    return json.dumps(sorted({name_key(h) for h in headers if name_key(h)}), ensure_ascii=False)


def remembered_mapping(db: Database, kind: str, headers: Iterable[str]) -> RememberedMapping | None:
    """The mapping saved for this set of headers, or None."""
    row = db.execute(
        "SELECT name, mapping, updated_at FROM import_mappings WHERE kind = ? AND headers = ?",
        [kind, headers_key(headers)],
    ).fetchone()
    if row is None:
        return None
    return RememberedMapping(row[0], dict(json.loads(row[1])), row[2])


def remember_mapping(
    db: Database, kind: str, headers: Iterable[str], mapping: Mapping[str, str], name: str
) -> None:
    """Save (or replace) the mapping for this set of headers; audited when it changes."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of import {kind!r}")
    headers = list(headers)
    key = headers_key(headers)
    name = " ".join(name.split()) or "Export"
    old = remembered_mapping(db, kind, headers)
    new = dict(mapping)
    if old is not None and old.mapping == new and old.name == name:
        return
    with db.atomic():
        db.execute(
            "INSERT INTO import_mappings"
            " (kind, headers, name, mapping, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (kind, headers) DO UPDATE SET name = excluded.name,"
            " mapping = excluded.mapping, updated_by = excluded.updated_by,"
            " updated_at = excluded.updated_at",
            [kind, key, name, json.dumps(new, ensure_ascii=False), current_user(), now_iso()],
        )
        record_change(
            db,
            "update" if old else "create",
            "import_mapping",
            f"{kind}: {name}",
            {"mapping": old.mapping} if old else None,
            {"mapping": new},
        )
