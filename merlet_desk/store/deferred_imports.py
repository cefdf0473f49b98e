"""Modules a library imports at its top and this program never (or seldom) uses, loaded on
first use instead.

Two libraries on the start path import more than the program needs of them: sqlite-utils
(`store/sqlite_utils_import.py`) and keyring (`store/keyring_import.py`). Each is imported
once, through its own module, with some of its imports put off in one of two ways:

- `stand_ins(names)`: while the library is imported, each named module is a stand-in whose
  every name (`click.progressbar`, `urllib.request.urlopen`) imports the real module when it
  is first called or an attribute of it is read. Afterwards the stand-ins leave
  `sys.modules`, so the next `import` of such a module loads the real one.
- `load_on_first_use(name)`: the real module, through `importlib.util.LazyLoader`, loaded at
  its first attribute use. Only for a module imported as `from package import name`: Python
  3.11's `import package.name` reads `__spec__` of a module it finds in `sys.modules`, which
  loads a lazy one at once.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any


class ImportedOnFirstUse:
    """Stands for the name `name` of module `module`: imports the module when it is first
    called or an attribute of it is read (`pm.hook`, `@hookimpl`)."""

    def __init__(self, module: str, name: str) -> None:
        self._where = (module, name)

    def _real(self) -> Any:
        module, name = self._where
        return getattr(importlib.import_module(module), name)

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._real(), attribute)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._real()(*args, **kwargs)


class StandIn(types.ModuleType):
    """A module whose every name is `ImportedOnFirstUse` (`from module import name`)."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return ImportedOnFirstUse(self.__name__, name)


@contextmanager
def stand_ins(names: Iterable[str]) -> Iterator[None]:
    """Each of `names` not imported yet is a `StandIn` in `sys.modules` while the body runs.

    A submodule whose package is already imported is also that package's attribute, which
    code that wrote `import package.name` reads (`urllib.request.urlopen`); the package
    keeps it afterwards, for the library that reached it that way, until the real
    submodule's import replaces it. A package that is not imported is left alone (importing
    it here could be the very import being put off)."""
    made = {name: StandIn(name) for name in names if name not in sys.modules}
    for name, module in made.items():
        parent, _, child = name.rpartition(".")
        package = sys.modules.get(parent) if parent else None
        if package is not None and not hasattr(package, child):
            setattr(package, child, module)
    sys.modules.update(made)
    try:
        yield
    finally:
        for name, module in made.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


def load_on_first_use(name: str) -> None:
    """Put module `name` in `sys.modules` through `LazyLoader`: it loads at its first
    attribute use (see the module's docstring for when that works)."""
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        return  # not installed: the library's own import says so
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    # As the import system does for a loaded submodule. It also keeps `from package import
    # name` from importing it again, which would touch the module and load it.
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)
