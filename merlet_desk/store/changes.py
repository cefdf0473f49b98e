"""Which pupils a connection's own writes touched, so derived lists can be brought up to date
for those pupils only, instead of being computed again from the whole register.

A write that changes nothing but some pupils' consent (a decision) calls `pupils_changed`
with the connection's `total_changes` from before it. `pupils_changed_between(db, start, end)`
then answers "which pupils did the writes from `start` to `end` touch?", but only when every
write in that span was reported; one write that was not (a publication taken down, a setting,
a purge), or a gap it cannot explain, gives None, and the caller computes everything again.
Another connection's commit moves `PRAGMA data_version`, which the callers check themselves.
So a write that forgets to report costs time, never a wrong list.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable

from merlet_desk.store.sqlite_utils_import import Database

# Per open database: (total_changes before, total_changes after, pupil ids), oldest first.
_reported: weakref.WeakKeyDictionary[Database, list[tuple[int, int, frozenset[int]]]] = (
    weakref.WeakKeyDictionary()
)
_KEEP = 256  # reports kept per database; older spans are recomputed in full


def pupils_changed(db: Database, before: int, pupil_ids: Iterable[int]) -> None:
    """Report that the writes since `before` (this connection's `total_changes` then) touched
    only these pupils' consent."""
    reports = _reported.setdefault(db, [])
    reports.append((before, db.conn.total_changes, frozenset(pupil_ids)))
    del reports[:-_KEEP]


def pupils_changed_between(db: Database, start: int, end: int) -> frozenset[int] | None:
    """The pupils the writes from `start` to `end` (values of `total_changes`) touched, or None
    when some write in that span was not reported."""
    if start == end:
        return frozenset()
    reached, pupils = start, set[int]()
    for before, after, ids in _reported.get(db, ()):
        if after <= start:
            continue
        if before != reached:
            return None  # a write in between that nobody reported
        reached = after
        pupils.update(ids)
        if reached == end:
            return frozenset(pupils)
    return None
