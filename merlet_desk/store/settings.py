"""Settings stored in the database (so they travel with the register): JSON values by key."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from merlet_desk.store.audit import record_change
from merlet_desk.store.sqlite_utils_import import Database

# Every known setting with its default. A missing row means the default applies.
DEFAULTS: dict[str, Any] = {}


def register_default(key: str, value: Any) -> None:
    """Declare a setting and its default (called by the module that owns the setting)."""
    DEFAULTS.setdefault(key, value)


def get_setting(db: Database, key: str, default: Any = None) -> Any:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    if row is None:
        return DEFAULTS.get(key, default)
    return json.loads(row[0])


def get_settings(db: Database, keys: Sequence[str]) -> dict[str, Any]:
    """Several settings by key (each its default when missing), read in one query: on a
    server each query is a round trip."""
    return get_settings_later(db, keys)()


def get_settings_later(db: Database, keys: Sequence[str]) -> Callable[[], dict[str, Any]]:
    """`get_settings`, its query executed now and its rows read when the result is called
    (for `dialect.together`)."""
    placeholders = ",".join("?" * len(keys))
    cursor = db.execute(f"SELECT key, value FROM settings WHERE key IN ({placeholders})", keys)

    def result() -> dict[str, Any]:
        found = {key: json.loads(value) for key, value in cursor.fetchall()}
        return {key: found[key] if key in found else DEFAULTS.get(key) for key in keys}

    return result


def set_setting(db: Database, key: str, value: Any) -> None:
    """Change a setting, with an audit entry holding the old and new value."""
    old = get_setting(db, key)
    if old == value:
        return
    with db.atomic():
        db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, json.dumps(value)],
        )
        record_change(db, "update", "setting", key, old, value)
