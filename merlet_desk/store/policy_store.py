"""Policy versions in the database: the current one is what the viewer and reports show."""

from __future__ import annotations

from merlet_desk.domain.policy import Policy, parse_policy
from merlet_desk.store.audit import now_iso, record_change
from merlet_desk.store.connection import inserted_id
from merlet_desk.store.sqlite_utils_import import Database


def current_policy(db: Database) -> Policy:
    row = db.execute(
        "SELECT source FROM policy_versions WHERE is_current = 1 ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        raise LookupError("de database bevat geen beleidstekst")
    return parse_policy(row[0])


def add_policy_version(db: Database, label: str, source: str, valid_from: str | None = None) -> int:
    """Add a revised policy and make it current; older versions are kept."""
    policy = parse_policy(source)  # refuse a malformed file before touching the database
    with db.atomic():
        db.execute("UPDATE policy_versions SET is_current = 0 WHERE is_current = 1")
        cursor = db.execute(
            "INSERT INTO policy_versions (label, title, source, valid_from, loaded_at, is_current)"
            " VALUES (?, ?, ?, ?, ?, 1)",
            [label, policy.title, source, valid_from, now_iso()],
        )
        version_id = inserted_id(cursor)
        record_change(db, "create", "policy_version", version_id, None, {"label": label})
    return int(version_id)


def policy_versions(db: Database) -> list[dict[str, object]]:
    return list(
        db.query(
            "SELECT id, label, title, valid_from, loaded_at, is_current"
            " FROM policy_versions ORDER BY id"
        )
    )
