"""What the window's start imports before the first paint (issue 18): none of the heavy
libraries, which load where they are first used, and no CLI subcommand; the window's frame is
painted before the store, the dialogs and the log file load, and the database opens after it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

# psycopg and keyring: only a register on a server needs them.
HEAVY = (
    "numpy",
    "cv2",
    "pandas",
    "reportlab",
    "openpyxl",
    "pypdfium2",
    "zxing",
    "psycopg",
    "keyring",
)

PROBE = f"""
import json, sys
from merlet_desk.cli import _gui_arguments
import merlet_desk.ui.launch, merlet_desk.ui.main_window, merlet_desk.ui.start.section
import merlet_desk.store.connection
args = _gui_arguments(["--db", "x.sqlite", "--quit-after-show"])
print(json.dumps({{
    "heavy": sorted(m for m in {HEAVY!r} if m in sys.modules),
    "commands": sorted(m for m in sys.modules if m.startswith("merlet_desk.commands")),
    "gui": args is not None and args.command is None,
}}))
"""


def test_the_gui_path_loads_no_heavy_library_and_no_subcommand():
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    ).stdout
    seen = json.loads(out)
    assert seen == {"heavy": [], "commands": [], "gui": True}


def test_numpy_still_imports_after_the_store():
    """sqlite-utils is imported with numpy hidden (store/sqlite_utils_import.py), whichever
    store module loads it first; numpy itself must import normally afterwards, for the paper
    forms."""
    probe = (
        "import sys, merlet_desk.store.pupils; "
        "print('sqlite_utils' in sys.modules, 'numpy' in sys.modules); "
        "import numpy; print(numpy.zeros(3).sum())"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["True", "False", "0.0"]


@pytest.mark.parametrize(
    ("library", "importer"),
    [("sqlite_utils", "sqlite_utils_import.py"), ("keyring", "keyring_import.py")],
)
def test_no_module_imports_the_library_but_the_one_that_puts_off_its_imports(library, importer):
    """sqlite-utils and keyring are imported only by their own module in store/, whichever
    module needs them first: another `import keyring` would load urllib.request again."""
    from pathlib import Path

    import merlet_desk

    offenders = [
        str(source)
        for source in Path(merlet_desk.__file__).parent.rglob("*.py")
        if source.name != importer
        and any(
            line.strip().startswith((f"from {library}", f"import {library}"))
            for line in source.read_text(encoding="utf-8").splitlines()
        )
    ]
    assert offenders == []


PAINT_FIRST = """
import json, sys
from merlet_desk import startup_trace
from merlet_desk.cli import main

seen = {}
WATCHED = (
    "sqlite_utils", "merlet_desk.store.connection", "merlet_desk.ui.common.dialogs",
    "logging.handlers", "merlet_desk.ui.start.section", "merlet_desk.store.backup", "socket",
)

def mark(name):
    import PySide6.QtCore

    seen[name] = sorted(m for m in WATCHED if m in sys.modules)
    # PySide6 builds the whole Qt namespace (about 90 enums) on its first use.
    seen[name + " Qt namespace"] = "Qt" in vars(PySide6.QtCore)

startup_trace.mark = mark
code = main(["--db", sys.argv[1], "--quit-after-show"])
print(json.dumps({"code": code, "seen": seen, "order": [k for k in seen if " " not in k]}))
"""


def _start_on_a_current_file(probe: str, tmp_path) -> dict:
    """Run `probe` (a script that starts the window through `cli.main`) in a child process on
    a new, current register with settings of its own; the JSON of its last line."""
    from merlet_desk.store import open_database

    path = tmp_path / "register.sqlite"
    open_database(path).close()
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, str(path)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    return json.loads(out.splitlines()[-1])


def test_the_window_paints_before_the_database_opens(tmp_path):
    """The real start (`merlet-desk --quit-after-show`): at the first paint the store, the
    dialogs, the log file, the Start section and the Qt namespace are not loaded yet; when the
    program says it is ready, the database was opened and Start is shown, and the dialogs and
    the Qt namespace are still not loaded (they come with the first dialog, the first enum)."""
    result = _start_on_a_current_file(PAINT_FIRST, tmp_path)
    assert result["code"] == 0
    assert result["order"] == ["first-paint", "ready"]
    assert result["seen"]["first-paint"] == []
    assert result["seen"]["first-paint Qt namespace"] is False
    # Start is built and painted without it too (the enums it needs go by name, its flow
    # rows leave their expanding directions to Qt, the title's path fits).
    assert result["seen"]["ready Qt namespace"] is False
    # Nor the backup module (a current file needs no backup before a migration), nor
    # logging.handlers (the log file's handler is made at the first warning), nor socket (the
    # lock names the host through platform; the tasks' wake-up pair comes with the first
    # task).
    assert result["seen"]["ready"] == [
        "merlet_desk.store.connection",
        "merlet_desk.ui.start.section",
        "sqlite_utils",
    ]


# What a window that reopens on Toestemmingen needs only when the officer acts (a dialog, an
# import, a decision), or only when a migration must run: not loaded when it is ready.
ON_ACTION = (
    "merlet_desk.domain.cases",
    "merlet_desk.store.consent_settings",
    "merlet_desk.store.decisions",
    "merlet_desk.store.migrations.m0001_core",
    "merlet_desk.store.statuses",
    "merlet_desk.ui.common.dialogs",
    "merlet_desk.ui.consent.dialog_parts",
    "merlet_desk.ui.consent.register_imports",
)

READY_ON_CONSENT = f"""
import json, sys
from PySide6.QtCore import QSettings
from merlet_desk import APP_NAME, ORG_NAME, startup_trace
from merlet_desk.cli import main

QSettings(ORG_NAME, APP_NAME).setValue("main_window/section", "toestemmingen")
seen = {{}}

def mark(name):
    import PySide6.QtCore

    seen[name] = sorted(m for m in {ON_ACTION!r} + ("merlet_desk.ui.consent.section",)
                        if m in sys.modules)
    seen[name + " Qt namespace"] = "Qt" in vars(PySide6.QtCore)

startup_trace.mark = mark
code = main(["--db", sys.argv[1], "--quit-after-show"])
print(json.dumps({{"code": code, "ready": seen["ready"],
                  "Qt namespace": seen["ready Qt namespace"]}}))
"""


def test_the_window_reopened_on_toestemmingen_loads_no_dialog_store_or_migration(tmp_path):
    """Reopened on Toestemmingen, the section is shown with its register loading on a worker;
    its dialogs, imports, the store modules that write decisions and read the register, and
    the migrations (the file is current) load when first used, after "ready". So does the Qt
    namespace: the table gets its model, its sorting and its header with the rows."""
    result = _start_on_a_current_file(READY_ON_CONSENT, tmp_path)
    assert result == {
        "code": 0,
        "ready": ["merlet_desk.ui.consent.section"],
        "Qt namespace": False,
    }


def test_sqlite_utils_puts_off_what_the_program_does_not_use_and_it_still_works():
    """sqlite-utils loads without dateutil's parser and without compiling its virtual-table
    pattern (store/sqlite_utils_import.py); both work when first used."""
    probe = """
import sys
import merlet_desk.store.pupils
import sqlite_utils.db
from merlet_desk.store.sqlite_utils_import import CompiledOnFirstUse, Database
print(type(sys.modules["dateutil.parser"]).__name__)
print(isinstance(sqlite_utils.db._virtual_table_using_re, CompiledOnFirstUse))
db = Database(memory=True)
db.execute("CREATE VIRTUAL TABLE notes USING fts5(text)")
db["plain"].create({"id": int})
print(db["notes"].virtual_table_using, db["plain"].virtual_table_using)
print(db.quote_fts('Joëlle "van den" Broek'))
from sqlite_utils import recipes
print(recipes.parsedate("24 November 2026"), type(sys.modules["dateutil.parser"]).__name__)
"""
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines() == [
        "_LazyModule",
        "True",
        "FTS5 None",
        '"Joëlle" "van den" "Broek"',
        "2026-11-24 module",
    ]


def test_sqlite_utils_loads_without_click_and_pluggy_and_its_plugins_still_work():
    """click (its command line's progress bars) and pluggy (its plugins, which the program
    never runs) load when first used (store/sqlite_utils_import.py)."""
    probe = """
import sys, types
import merlet_desk.store.pupils
print("click" in sys.modules, "pluggy" in sys.modules)
import sqlite_utils, sqlite_utils.db, sqlite_utils.utils
from merlet_desk.store.sqlite_utils_import import Database
seen = []
plugin = types.ModuleType("plugin_of_this_test")
plugin.prepare_connection = sqlite_utils.hookimpl(lambda conn: seen.append(conn))
sqlite_utils.db.pm.register(plugin)
Database(memory=True)  # runs the plugins' prepare_connection
Database(memory=True, execute_plugins=False)
print(len(seen), "click" in sys.modules, "pluggy" in sys.modules)
with sqlite_utils.utils.progressbar(length=3, silent=True) as bar:
    bar.update(3)
import click
print(click.progressbar is sys.modules["click"].progressbar)
"""
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines() == ["False False", "1 True True", "True"]


def test_keyring_loads_without_urllib_and_what_it_put_off_still_works(key_store):
    """keyring's import puts off urllib.request (jaraco.context's download helper),
    more_itertools and importlib_metadata (store/keyring_import.py): the key of an encrypted
    register is read without them, and keyring's plugin search, jaraco's helpers and an
    ordinary `import urllib.request` afterwards get the real modules."""
    from merlet_desk.store import keys

    key = "ab" * 32
    keys.store_key(bytes.fromhex(key))  # into `key_store`, as the program keeps a key
    assert key_store.exists()
    probe = """
import sys
from merlet_desk.store import keys
PUT_OFF = ("urllib.request", "http.client", "importlib_metadata", "more_itertools")
print([key.hex() for key in keys.stored_keys()], [m for m in PUT_OFF if m in sys.modules])
import jaraco.context, jaraco.functools, keyring.backend
print(sorted(b.name for b in keyring.backend.get_all_keyring() if "fail" in b.name))
jaraco.functools.print_yielded(lambda: iter(["Joëlle van den Broek"]))()
print(jaraco.context.urllib.request.Request("https://example.org/").host)
import urllib.request
print(urllib.request is sys.modules["urllib.request"], [m for m in PUT_OFF if m not in sys.modules])
"""
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines() == [
        f"['{key}'] []",
        "['fail Keyring']",
        "Joëlle van den Broek",
        "example.org",
        "True []",
    ]
