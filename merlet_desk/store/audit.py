"""The audit log: who changed what, when, with the old and new value. Append-only.

Every write in the store calls `record_change` inside the same transaction as the change itself,
so an entry exists exactly when the change does.
"""

from __future__ import annotations

import functools
import getpass
import json
from collections.abc import Iterable, Sequence
from typing import Any

from merlet_desk import clock
from merlet_desk.store.sqlite_utils_import import Database


@functools.lru_cache(maxsize=1)
def current_user() -> str:
    """The OS user name, recorded as who made a change.

    Looked up once per process: `getpass.getuser()` reads the environment and the password
    database on every call, which was half the audit cost of a 2,000-pupil import.
    """
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name (service account, container)
        return "onbekend"


def now_iso() -> str:
    return clock.now().isoformat(timespec="seconds")


def _to_json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def record_change(
    db: Database,
    action: str,
    record_kind: str,
    record_id: object,
    old_value: Any = None,
    new_value: Any = None,
    *,
    user: str | None = None,
) -> None:
    """Append one audit entry. Call it inside the transaction of the change it describes."""
    record_changes(db, [(action, record_kind, record_id, old_value, new_value)], user=user)


def record_changes(
    db: Database,
    entries: Iterable[tuple[str, str, object, Any, Any]],
    *,
    user: str | None = None,
) -> None:
    """Append many audit entries `(action, record_kind, record_id, old, new)` in one statement
    (an import of 2,000 rows); same rules as `record_change`."""
    at, who = now_iso(), user or current_user()
    db.conn.executemany(
        "INSERT INTO audit_log (at, user, action, record_kind, record_id, old_value, new_value)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                at,
                who,
                action,
                record_kind,
                None if record_id is None else str(record_id),
                _to_json(old_value),
                _to_json(new_value),
            )
            for action, record_kind, record_id, old_value, new_value in entries
        ],
    )


def record_rows(
    db: Database, action: str, record_kind: str, select: str, params: Sequence[object] = ()
) -> None:
    """Append one audit entry per row of `select`, whose columns are (record_id, old value as
    JSON, new value as JSON), in a single INSERT … SELECT: for entries about rows just written
    in bulk, whose JSON SQLite can build itself. Same rules as `record_change`."""
    db.conn.execute(
        "INSERT INTO audit_log (at, user, action, record_kind, record_id, old_value, new_value)"
        f" SELECT ?, ?, ?, ?, r.* FROM ({select}) AS r",
        [now_iso(), current_user(), action, record_kind, *params],
    )
