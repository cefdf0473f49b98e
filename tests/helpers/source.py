"""Reading the program's source for the tests that hold its structure (the layers, the
sections): every module an import statement names, lazy imports inside functions too."""

from __future__ import annotations

import ast
from pathlib import Path


def imported_modules(path: Path, package: Path | None = None) -> list[tuple[int, str]]:
    """Every module an import statement in `path` names, with its line. `from a import b`
    names `a` and `a.b` (b may be a module). A relative import is resolved when `package`
    (the top package's folder, which holds `path`) is given, and skipped otherwise."""
    here: list[str] = []  # the package the module is in (an __init__.py: that package)
    if package is not None:
        here = list(path.relative_to(package.parent).with_suffix("").parts)[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level and package is None:
                continue
            parts = [*here[: len(here) - node.level + 1]] if node.level else []
            base = ".".join([*parts, *([node.module] if node.module else [])])
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found
