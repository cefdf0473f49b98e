"""The store's queries run on both engines: no SQLite-only spelling outside the one place that
says each difference (`store/engine/dialect.py`, listed in `store/engine/__init__.py`), and
outside the modules that are about the file itself."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.helpers.source import docstring_ids

STORE = Path(__file__).resolve().parents[2] / "merlet_desk" / "store"
# About the SQLite file itself (its header, journal, integrity, backups, lock, encryption):
# SQLite only.
FILE_ONLY = {
    "backup.py",
    "backup_contents.py",
    "cipher_export.py",
    "encryption.py",
    "connection.py",
    "database.py",
    "identity.py",
    "integrity.py",
    "verification.py",
    "lock.py",
    "netshare.py",
}
SQLITE_ONLY = re.compile(
    r"\bPRAGMA\b|\bjson_each\s*\(|\bjson_group_array\s*\(|\bjson_object\s*\(|\bjson_array\s*\("
    r"|\bgroup_concat\s*\(|\binstr\s*\(|\bINSERT\s+OR\b|\bREPLACE\s+INTO\b|\browid\b"
    r"|\bsqlite_master\b|\bjulianday\s*\(|\bstrftime\s*\(|\bjson\s*\(",
    re.IGNORECASE,
)


def sqlite_spellings(path: Path) -> list[str]:
    """The string literals of a module (docstrings left out) with SQLite-only SQL in them."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = docstring_ids(tree)
    return [
        f"{path.relative_to(STORE)}:{node.lineno}: {node.value.strip()[:70]}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and SQLITE_ONLY.search(node.value)
    ]


def test_no_sqlite_only_sql_outside_the_dialect_and_the_file_modules():
    modules = [
        path
        for path in sorted(STORE.rglob("*.py"))
        if path.name not in FILE_ONLY
        and "engine" not in path.parts
        and "migrations" not in path.parts
    ]
    assert len(modules) > 20
    assert [hit for path in modules for hit in sqlite_spellings(path)] == []


def test_the_check_sees_a_bare_sqlite_spelling(tmp_path):
    module = tmp_path / "probe.py"
    module.write_text(
        '"""PRAGMA in a docstring is prose."""\n'
        'SQL = "SELECT value FROM json_each(?)"\n'
        'OK = "SELECT value FROM settings WHERE key = ?"\n',
        encoding="utf-8",
    )
    global STORE
    saved, STORE = STORE, tmp_path
    try:
        assert sqlite_spellings(module) == ["probe.py:2: SELECT value FROM json_each(?)"]
    finally:
        STORE = saved
