"""One SQLite library in the whole program: SQLCipher, through `merlet_desk.sqlite_driver`.

Two SQLite libraries in one process do not see each other's locks (POSIX locks belong to the
process; each library keeps its own table of which connection holds what), and the standard
library's errors are not SQLCipher's: `except sqlite3.Error` would let every error of a
SQLCipher connection through. So no module imports `sqlite3`."""

from __future__ import annotations

import ast
from pathlib import Path

import merlet_desk
from merlet_desk import sqlite_driver

PACKAGE = Path(merlet_desk.__file__).parent


def _nodes(tree: ast.AST):
    """Every node, leaving out what only the type checker sees (`if TYPE_CHECKING:`)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            yield from (sub for other in node.orelse for sub in [other, *_nodes(other)])
            continue
        yield node
        yield from _nodes(node)


def test_no_module_of_the_program_imports_the_standard_librarys_sqlite3():
    offenders = []
    for source in sorted(PACKAGE.rglob("*.py")):
        for node in _nodes(ast.parse(source.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(name == "sqlite3" or name.startswith("sqlite3.") for name in names):
                offenders.append(f"{source.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []


def test_the_driver_is_sqlcipher_and_sqlite_utils_speaks_it():
    import sqlcipher3.dbapi2
    import sqlite_utils.db

    from merlet_desk.store.sqlite_utils_import import Database  # noqa: F401 - imports it

    assert sqlite_driver.connect is sqlcipher3.dbapi2.connect
    assert sqlite_driver.Error is sqlcipher3.dbapi2.Error
    assert sqlite_utils.db.sqlite3.OperationalError is sqlite_driver.OperationalError
    conn = sqlite_driver.connect(":memory:")
    assert conn.execute("PRAGMA cipher_version").fetchone()[0].startswith("4.")
    conn.close()


def test_an_error_of_a_plain_file_is_a_driver_error(tmp_path):
    from merlet_desk.store import open_database

    db = open_database(tmp_path / "merlet.sqlite")
    try:
        db.execute("INSERT INTO nergens VALUES (1)")
    except sqlite_driver.OperationalError as exc:
        assert "no such table" in str(exc)
    else:  # pragma: no cover - the statement cannot succeed
        raise AssertionError("no error")
    finally:
        db.close()
