"""The log IT reads (issue 19, part 3): warnings and errors with tracebacks, in a rotating file
in the user's data folder, without names; and no part of the program swallows an error
without a trace."""

from __future__ import annotations

import ast
import logging
from pathlib import Path

import pytest

from merlet_desk import logs
from merlet_desk.cli import main
from merlet_desk.errors import InputError
from merlet_desk.store import StoreError

PACKAGE = Path(logs.__file__).parent
log = logging.getLogger("merlet_desk.tests")


@pytest.fixture
def log_file(tmp_path_factory):
    """The log set up for this test's user data folder (conftest points XDG_DATA_HOME at a
    fresh folder); detached afterwards so no later test writes into it."""
    path = logs.setup()
    yield path
    logs.detach()


def text_of(path: Path) -> str:
    for handler in logging.getLogger(logs.LOGGER_NAME).handlers:
        handler.flush()
    return path.read_text(encoding="utf-8") if path.exists() else ""


def test_the_log_is_in_the_users_data_folder(log_file, tmp_path_factory):
    from merlet_desk.store.location import user_default_path

    assert log_file == user_default_path().parent / "logs" / "merlet-desk.log"
    assert log_file == logs.log_path()
    log.info("opgestart")
    log.warning("Back-up van leerling 1002 mislukt")
    assert (
        text_of(log_file)
        .splitlines()[-1]
        .endswith("WARNING merlet_desk.tests: Back-up van leerling 1002 mislukt")
    )
    assert "opgestart" not in text_of(log_file)  # warnings and errors only


def test_the_log_rotates(tmp_path, monkeypatch):
    monkeypatch.setattr(logs, "MAX_BYTES", 2_000)
    path = logs.setup(tmp_path / "logs" / "merlet-desk.log")
    try:
        for n in range(200):
            log.warning("regel %d", n)
        names = sorted(p.name for p in path.parent.iterdir())
        assert names == [f"merlet-desk.log{suffix}" for suffix in ("", ".1", ".2", ".3")]
        assert all(p.stat().st_size <= 2_100 for p in path.parent.iterdir())
        assert text_of(path).splitlines()[-1].endswith("regel 199")
    finally:
        logs.setup(tmp_path / "elders.log")  # let go of the small files


# Names reach the code as data, as from the database; the source lines in a traceback hold none.
REGISTER = {"1002": "Berkay Öztürk", "1003": "Zofia Łęcka"}
NAMES = ("Öztürk", "Łęcka", "Joëlle", "Boujdaini")


def test_tracebacks_keep_the_code_and_leave_out_names(log_file):
    def look_up(name: str) -> int:
        return {REGISTER["1002"]: 1}[name]

    def save(number: str) -> None:
        try:
            look_up(REGISTER[number])
        except KeyError as exc:
            raise StoreError(f"Leerling {number} niet opgeslagen: '{REGISTER[number]}'") from exc

    try:
        save("1003")
    except StoreError:
        log.exception("Opslaan mislukt")
    text = text_of(log_file)
    assert "ERROR merlet_desk.tests: Opslaan mislukt\nTraceback (most recent call last)" in text
    assert "in look_up" in text and "in save" in text  # where it happened, line by line
    assert "KeyError: '…'" in text
    assert "The above exception was the direct cause" in text
    assert "merlet_desk.store.errors.StoreError: Leerling 1003 niet opgeslagen: '…'" in text
    assert not [name for name in NAMES if name in text]


def test_bad_input_is_left_out_of_the_log(log_file):
    message, problems = f"{REGISTER['1003']} is al 16", ["rij 2: Joëlle van den Broek"]
    try:
        raise InputError(message, problems)
    except InputError:
        log.exception("Import mislukt")
    text = text_of(log_file)
    assert "merlet_desk.errors.InputError: (melding weggelaten" in text
    assert not [name for name in NAMES if name in text]


def test_a_command_that_cannot_open_its_database_is_logged(log_file, tmp_path, capsys):
    folder = tmp_path / "map.sqlite"
    folder.mkdir()
    assert main(["takedowns", "--db", str(folder)]) == 2
    assert "is een map" in capsys.readouterr().err
    assert "WARNING merlet_desk.cli: merlet-desk takedowns: " in text_of(log_file)
    assert "DatabaseUnavailableError" in text_of(log_file)


def test_bad_input_on_the_command_line_is_not_logged(log_file, db, db_path, capsys):
    assert main(["check", "--db", str(db_path), "--purpose", "bestaat-niet", "--pupils", "1"]) == 2
    assert capsys.readouterr().err
    assert text_of(log_file) == ""


def test_an_unexpected_error_in_a_command_is_logged_and_raised(log_file, db_path, monkeypatch):
    from merlet_desk.commands import publications

    def broken(args):
        raise RuntimeError("kapot")

    monkeypatch.setattr(publications, "run_takedowns", broken)
    with pytest.raises(RuntimeError):
        main(["takedowns", "--db", str(db_path)])
    text = text_of(log_file)
    assert "ERROR merlet_desk.cli: merlet-desk takedowns stopte met een onverwachte fout" in text
    assert "RuntimeError: kapot" in text and "in broken" in text


# -- the code itself ---------------------------------------------------------------------------

BROAD = {"Exception", "BaseException"}
LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical"}
# Handlers that hand the error on in another way than `raise`, with where it ends up.
HANDED_ON = {
    # A worker thread (ui/common/tasks.py) hands its error to the GUI thread: on_error shows
    # or logs it (or the task logs it when there is none); the export raises it again there
    # and logs it (_report_error).
    ("ui/common/tasks.py", "run"),
    # An outcome's callback that raises goes to sys.excepthook (the error hook), as from a slot.
    ("ui/common/tasks.py", "_drain"),
    # The integrity check settles the write gate with the error, then raises it again.
    ("ui/launch.py", "check"),
}


def _logs(node: ast.AST, logging_functions: set[str]) -> bool:
    for call in ast.walk(node):
        if not isinstance(call, ast.Call):
            continue
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in LOG_METHODS:
            if isinstance(func.value, ast.Name) and func.value.id in ("log", "logging"):
                return True
        if isinstance(func, ast.Name) and func.id in logging_functions:
            return True
    return False


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield str(path.relative_to(PACKAGE)), ast.parse(path.read_text(encoding="utf-8"))


def _caught(handler: ast.ExceptHandler) -> set[str]:
    if handler.type is None:
        return {"BaseException"}
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return {ast.unparse(kind) for kind in kinds}


def _handlers(tree: ast.AST):
    """(innermost function name, handler) for every except clause."""

    def visit(node: ast.AST, function: str):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                yield from visit(child, child.name)
            else:
                if isinstance(child, ast.ExceptHandler):
                    yield function, child
                yield from visit(child, function)

    yield from visit(tree, "<module>")


def test_every_broad_except_logs_or_passes_the_error_on():
    """`except Exception` / `except BaseException` / bare `except:` either re-raise (clean-up
    handlers), log (directly or through a function of the same module that logs), or are
    listed in HANDED_ON; anything else must name the errors it means."""
    silent = []
    for name, tree in _modules():
        logging_functions = {
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _logs(node, set())
        }
        for function, handler in _handlers(tree):
            if not _caught(handler) & BROAD:
                continue
            raises = any(isinstance(sub, ast.Raise) for sub in ast.walk(handler))
            if raises or _logs(handler, logging_functions) or (name, function) in HANDED_ON:
                continue
            silent.append(f"{name}:{handler.lineno} in {function}")
    assert silent == []


def test_no_import_inside_a_try_that_catches():
    """An import inside `try: ... except` turns a renamed function into a silent fallback
    (the case editor's type-ahead went empty that way)."""
    found = []
    for name, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Try) and node.handlers:
                for statement in node.body:
                    for sub in ast.walk(statement):
                        if isinstance(sub, ast.Import | ast.ImportFrom):
                            found.append(f"{name}:{sub.lineno}")
    assert found == []
