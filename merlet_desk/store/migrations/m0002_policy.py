"""Schema 2: policy versions, with the Handreiking as shipped in `data/policy/` loaded."""

from merlet_desk import clock, sqlite_driver
from merlet_desk.paths import data_path
from merlet_desk.store.sqlscript import run_sql

NUMBER = 2
DESCRIPTION = "policy versions"

POLICY_FILE = "handreiking-sociale-media-medewerkers.md"

SQL = """
CREATE TABLE policy_versions (
    id          INTEGER PRIMARY KEY,
    label       TEXT NOT NULL,     -- e.g. "2024" or "herzien maart 2027"
    title       TEXT NOT NULL,
    source      TEXT NOT NULL,     -- the structured Markdown text
    valid_from  TEXT,              -- ISO date, NULL when unknown
    loaded_at   TEXT NOT NULL,
    is_current  INTEGER NOT NULL DEFAULT 0 CHECK (is_current IN (0, 1))
);
CREATE UNIQUE INDEX policy_versions_one_current ON policy_versions(is_current) WHERE is_current = 1;
"""


def apply(conn: sqlite_driver.Connection) -> None:
    from merlet_desk.domain.policy import parse_policy

    run_sql(conn, SQL)
    source = data_path("policy", POLICY_FILE).read_text(encoding="utf-8")
    policy = parse_policy(source)
    conn.execute(
        "INSERT INTO policy_versions (label, title, source, valid_from, loaded_at, is_current)"
        " VALUES (?, ?, ?, ?, ?, 1)",
        (
            policy.version or "1",
            policy.title,
            source,
            None,
            clock.now().isoformat(timespec="seconds"),
        ),
    )
