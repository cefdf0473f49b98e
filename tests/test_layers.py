"""The layers of the package, read from the source: every import statement counts, a lazy one
inside a function as much as one at the top of a module (as tests/ui/test_layout.py reads the
sections). The rules stay pure and engine-free, the store holds all SQL and knows nothing of
the screens, reports or pictures, and everything below the window can run without Qt.

- `domain/`: no store, no ui, no Qt, no SQLite;
- `store/`: no ui, no reports, no imaging, no Qt;
- `imaging/`: no store, no ui, no Qt;
- `commands/`, `reports/`, `imports/`: no ui;
- SQL (`execute(`, `executemany(`, SQL text) only in `store/`.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.helpers.source import docstring_ids, imported_modules

PACKAGE = Path(__file__).resolve().parents[1] / "merlet_desk"

QT = ("PySide6", "shiboken6")
SQLITE = (
    "sqlite3",
    "sqlite_utils",
    "sqlcipher3",
    "merlet_desk.sqlite_files",
    "merlet_desk.sqlite_driver",
)
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "domain": ("merlet_desk.store", "merlet_desk.ui", *QT, *SQLITE),
    "store": (
        "merlet_desk.ui",
        "merlet_desk.reports",
        "merlet_desk.imaging",
        *QT,
    ),
    "imaging": ("merlet_desk.store", "merlet_desk.ui", *QT),
    "commands": ("merlet_desk.ui",),
    "reports": ("merlet_desk.ui",),
    "imports": ("merlet_desk.ui",),
}

# Where SQL may be written outside store/, and why.
SQL_ALLOWED = {
    # Whether a file the user names is an SQLite file, asked of SQLite on a connection of its
    # own to that file (never the register's); imaging needs it and may not import the store.
    "sqlite_files.py",
    # The SQLite library itself (SQLCipher), which sqlite_files.py needs as much: its one
    # process-wide setting (SQLCipher's log level, `PRAGMA cipher_log_level`) is made on a
    # connection to memory as it loads, before any file is opened; it reads no register.
    "sqlite_driver.py",
}
SQL_CALLS = {"execute", "executemany", "executescript"}
SQL_TEXT = re.compile(
    r"\bSELECT\b.+\bFROM\b|\bINSERT\s+(OR\s+\w+\s+)?INTO\b|\bUPDATE\s+\w+\s+SET\b"
    r"|\bDELETE\s+FROM\b|\bPRAGMA\s+\w+|\bCREATE\s+(TABLE|INDEX|TRIGGER|VIEW)\b"
    r"|\bDROP\s+(TABLE|INDEX|TRIGGER|VIEW)\b|\bALTER\s+TABLE\b",
    re.DOTALL,
)


def _names(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def layer_violations(package: Path = PACKAGE) -> list[str]:
    found = []
    for layer, forbidden in FORBIDDEN.items():
        for path in sorted((package / layer).rglob("*.py")):
            reported: set[tuple[int, str]] = set()
            for line, module in imported_modules(path, package):
                for prefix in forbidden:
                    if _names(module, prefix) and (line, prefix) not in reported:
                        reported.add((line, prefix))
                        where = path.relative_to(package)
                        found.append(f"{where}:{line}: {layer}/ imports {module}")
    return found


def sql_outside_store(package: Path = PACKAGE) -> list[str]:
    found = []
    for path in sorted(package.rglob("*.py")):
        where = path.relative_to(package)
        if where.parts[0] == "store" or where.as_posix() in SQL_ALLOWED:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = docstring_ids(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in SQL_CALLS
            ):
                found.append(f"{where}:{node.lineno}: .{node.func.attr}(")
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and SQL_TEXT.search(node.value)
            ):
                found.append(f"{where}:{node.lineno}: SQL {node.value.strip()[:40]!r}")
    return found


def test_each_layer_imports_only_what_it_may():
    assert layer_violations() == []


def test_sql_is_written_only_in_the_store():
    assert sql_outside_store() == []


def test_the_checks_see_what_they_forbid(tmp_path):
    # The rules above are only worth something if they catch what they forbid: a lazy import
    # inside a function, a relative import, a query and SQL text built elsewhere.
    fake = tmp_path / "merlet_desk"
    for layer in ("domain", "store", "imaging", "reports", "ui"):
        (fake / layer).mkdir(parents=True)
        (fake / layer / "__init__.py").write_text("")
    (fake / "domain" / "rules.py").write_text(
        "def f():\n    import sqlite3\n    from merlet_desk.store import pupils\n"
    )
    (fake / "store" / "reading.py").write_text(
        '"""SELECT words FROM a docstring do not count."""\n'
        "from ..imaging import anonymise\n"
        "def f(db):\n    return db.execute('SELECT 1 FROM pupils')\n"
    )
    (fake / "imaging" / "photo.py").write_text("from PySide6.QtGui import QImage\n")
    (fake / "reports" / "report.py").write_text(
        "SQL = 'SELECT number FROM pupils'\n"
        "def f(db):\n    from merlet_desk.ui.common import dialogs\n"
        "    return db.conn.executemany(SQL, [])\n"
    )
    (fake / "ui" / "view.py").write_text("TEXT = 'Leerlingen selecteren uit de klas'\n")
    assert layer_violations(fake) == [
        "domain/rules.py:2: domain/ imports sqlite3",
        "domain/rules.py:3: domain/ imports merlet_desk.store",
        "store/reading.py:2: store/ imports merlet_desk.imaging",
        "imaging/photo.py:1: imaging/ imports PySide6.QtGui",
        "reports/report.py:3: reports/ imports merlet_desk.ui.common",
    ]
    assert sql_outside_store(fake) == [
        "reports/report.py:1: SQL 'SELECT number FROM pupils'",
        "reports/report.py:4: .executemany(",
    ]
