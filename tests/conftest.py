"""Shared fixtures. Qt runs offscreen; QSettings go to a temporary folder per test; the clock
stands still in every test.

The engines: the store, command, import and report tests run twice, on a SQLite file and on a
register on a real PostgreSQL server (`tests/helpers/postgres.py`, one server per session, a
database per test), through the `engine` parameter that `db` and `db_target` take. Elsewhere,
and for a test marked `sqlite_only` (about the file itself: locks, journal, backups as files,
verify), they run on SQLite only.

The clock: each test runs with `merlet_desk.clock` fixed at one moment (the `now` fixture), so a
run that crosses midnight cannot see two days, and CLI children get the same moment through
`MERLET_DESK_NOW`. The moment is the real time at the start of the session, or
`MERLET_TEST_NOW` (ISO date or date-time) when set: CI runs the suite at the school-year edge,
a leap day, New Year's Eve at 23:59:59, a 16th birthday and five years ahead
(`make test-dates`). Tests build their dates relative to `now`/`today`, never at import time.

The date runs take only the tests marked `dates`: every test of a module that uses the test
clock or builds dates (`tests.helpers.clock.date_sensitive`), marked here at collection, so a
new date test cannot be left out by forgetting a marker.
"""

from __future__ import annotations

import gc
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date, datetime
from pathlib import Path

import pytest

from merlet_desk import clock
from merlet_desk.store import open_database
from tests.helpers import SESSION_NOW
from tests.helpers.keystore import encrypted_pass


def pytest_report_header(config) -> list[str]:
    lines = [f"merlet-desk clock fixed at {SESSION_NOW.isoformat()} (MERLET_TEST_NOW)"]
    if encrypted_pass():
        lines.append("every new register encrypted (MERLET_TEST_ENCRYPTED), key in a key file")
    return lines


BOTH_ENGINES = ("store", "commands", "imports", "reports")  # folders under tests/


def pytest_configure(config) -> None:
    """The encrypted pass (`MERLET_TEST_ENCRYPTED=1`, run by .ci/run): the test key in a key
    file that this process and every CLI child find through `MERLET_DESK_KEY_FILE`. And the
    `dates` marker (`pytest_collection_modifyitems`)."""
    config.addinivalue_line(
        "markers",
        "sqlite_only(reason): about the SQLite file itself (locks, journal, backups as files); "
        "runs on SQLite only",
    )
    config.addinivalue_line(
        "markers", "dates: uses the test clock or dates; run at the fixed dates (test-dates)"
    )
    # As in the program (merlet_desk/ui/common/garbage.py): no automatic collection, which
    # could free a test's parentless widget in the middle of Qt laying it out; the garbage
    # of each test is collected after it, where no Qt code runs (`pytest_runtest_teardown`).
    gc.disable()
    if not encrypted_pass():
        return
    import tempfile

    from merlet_desk.store.keys import KEY_FILE_ENV
    from tests.helpers.keystore import write_test_key_file

    folder = Path(tempfile.mkdtemp(prefix="merlet-test-key-"))
    os.environ[KEY_FILE_ENV] = str(write_test_key_file(folder / "test.key"))


@pytest.fixture(autouse=True)
def _new_registers_encrypted(monkeypatch):
    """In the encrypted pass every register a test creates without naming a key (the `db`
    fixture, `init`, `open_database` of a new file) is encrypted under the test key."""
    if encrypted_pass():
        from merlet_desk.store import database
        from tests.helpers.keystore import TEST_KEY

        monkeypatch.setattr(database, "key_for_new_file", lambda: TEST_KEY)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item):
    """After pytest-qt has closed the test's widgets and processed their events: collect what
    the automatic collector would have collected by now, here, outside any Qt code."""
    result = yield
    from merlet_desk.ui.common import garbage

    garbage.collect_due()
    return result


def pytest_generate_tests(metafunc) -> None:
    """`engine` is "sqlite" and, for the store, command, import and report tests that are not
    marked `sqlite_only`, "postgresql" too."""
    if "engine" not in metafunc.fixturenames:
        return
    engines = ["sqlite"]
    module = Path(metafunc.definition.path).relative_to(Path(__file__).parent)
    markers = list(metafunc.definition.iter_markers("sqlite_only"))
    if module.parts[0] in BOTH_ENGINES and not markers:
        engines.append("postgresql")
    metafunc.parametrize("engine", engines, indirect=True)


def pytest_collection_modifyitems(config, items) -> None:
    """Mark `dates` every test of a module that uses the clock or dates."""
    from tests.helpers.clock import date_sensitive

    sensitive: dict[Path, bool] = {}
    for item in items:
        path = Path(item.path)
        if path not in sensitive:
            sensitive[path] = date_sensitive(path.read_text(encoding="utf-8"))
        if sensitive[path]:
            item.add_marker(pytest.mark.dates)


@pytest.fixture(autouse=True)
def now(monkeypatch) -> datetime:
    """The moment the program's clock stands at during this test (also for CLI children)."""
    clock.fix(SESSION_NOW)
    monkeypatch.setenv(clock.ENV_VAR, SESSION_NOW.isoformat())
    yield SESSION_NOW
    clock.release()


@pytest.fixture
def today(now) -> date:
    """The program's today during this test."""
    return now.date()


SEED_POLICY = Path(__file__).parent / "data" / "handreiking-sociale-media-medewerkers.txt"


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory, monkeypatch):
    """Keep QSettings and the default database out of the user's real folders."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.delenv("MERLET_DESK_DB", raising=False)
    try:
        from PySide6.QtCore import QSettings

        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(home / "config")
        )
    except ImportError:  # pragma: no cover - Qt is a hard dependency
        pass


@pytest.fixture(autouse=True)
def _unsaved_changes_are_discarded(monkeypatch):
    """A window closed at a test's end with an unsaved case (or scanned pages not recorded)
    must not block on the real question; tests of that question patch it themselves."""
    from merlet_desk.ui.common import dialogs

    monkeypatch.setattr(dialogs, "ask_save_changes", lambda *args: "discard")
    monkeypatch.setattr(dialogs, "ask_close_anyway", lambda *args: True)


@pytest.fixture(autouse=True)
def _photo_previews_settled():
    """A photo preview still loading on its worker (OpenCV's face detection) when a test ends
    must not run on into the widgets' teardown or the next test: wait for the lane to finish,
    a few seconds at most."""
    yield
    import sys
    import time

    photo_view = sys.modules.get("merlet_desk.ui.common.photo_view")
    if photo_view is None:
        return
    deadline = time.monotonic() + 10
    while not photo_view.PREVIEWS.idle() and time.monotonic() < deadline:
        time.sleep(0.01)  # the worker ends on its own; nothing here to wait on but its flag


@pytest.fixture(autouse=True)
def _key_file_of_this_test_only():
    """`--key-file` given to `main()` in one test must not follow the next one."""
    from merlet_desk.store import keys

    yield
    keys.use_key_file(None)


@pytest.fixture
def key_store(tmp_path, monkeypatch) -> Path:
    """A key store of this test's own (a JSON file, see tests/helpers/keystore.py), for this
    process and for CLI children (keyring's `PYTHON_KEYRING_BACKEND` names it), and no key
    file: keys go where a user's keys go. Deleting the returned file wipes the key store."""
    from merlet_desk.store import keys
    from tests.helpers.keystore import key_store_env

    path = tmp_path / "sleutelkluis.json"
    for name, value in key_store_env(path).items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv(keys.KEY_FILE_ENV, raising=False)
    return path


@pytest.fixture
def no_key_store(monkeypatch):
    """This machine as a headless Linux box: keyring's `fail` backend, no key file."""
    from merlet_desk.store import keys

    monkeypatch.delenv(keys.KEY_FILE_ENV, raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "merlet.sqlite"


@pytest.fixture
def engine(request) -> str:
    """The engine of this run of the test: "sqlite" or "postgresql" (see the module docstring)."""
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def postgres_server():
    """The session's PostgreSQL server (`tests/helpers/postgres.py`)."""
    from tests.helpers.postgres import session_server

    return session_server()


@pytest.fixture
def memory_key_store(monkeypatch):
    """An OS key store of this test's own (`tests/helpers/key_store.py`); no ~/.pgpass."""
    import keyring

    from tests.helpers.key_store import MemoryKeyring

    monkeypatch.setenv("PGPASSFILE", "/nonexistent/merlet-test-pgpass")
    monkeypatch.delenv("PGPASSWORD", raising=False)
    previous = keyring.get_keyring()
    store = MemoryKeyring()
    keyring.set_keyring(store)
    yield store
    keyring.set_keyring(previous)


@pytest.fixture(scope="module")
def own_postgres_server():
    """A PostgreSQL server of this test module alone, for tests that stop or kill it."""
    from tests.helpers.postgres import TestServer

    server = TestServer(crash_safe=True)
    server.start()
    yield server
    server.remove()


@pytest.fixture
def db_target(engine, db_path, request):
    """An existing, new register to give `--db` or `open_database`: the file `db_path`, or a
    database of this test's own on the test server (its URL)."""
    if engine == "postgresql":
        server = request.getfixturevalue("postgres_server")
        url = server.new_register()
        yield url
        server.drop(url)
        return
    open_database(db_path).close()
    yield db_path


@pytest.fixture
def db(engine, db_path, request):
    """The register of this test, open (on the engine of this run)."""
    target = request.getfixturevalue("db_target") if engine == "postgresql" else db_path
    database = open_database(target)
    yield database
    database.close()


@pytest.fixture
def install_dir(tmp_path, monkeypatch) -> Path:
    """A fake installation folder: the frozen executable lives here, next to its ini."""
    import sys

    from merlet_desk.store import location

    folder = tmp_path / "Program Files" / "Merlet Desk"
    folder.mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(folder / "merlet-desk.exe"))
    monkeypatch.delenv(location.ENV_VAR, raising=False)
    monkeypatch.delenv(location.READ_ONLY_ENV_VAR, raising=False)
    return folder
