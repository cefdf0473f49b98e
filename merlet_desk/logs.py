"""The program's log: warnings and errors, with tracebacks, in a file IT can read.

Nobody at a school desk reads stderr, so what goes wrong is written to a rotating file in the
user's data folder (`log_path()`): `~/.local/share/Merlet Desk/logs/merlet-desk.log` on Linux,
`%LOCALAPPDATA%\\Merlet College\\Merlet Desk\\logs\\merlet-desk.log` on Windows; at most
1 MB, with three older files beside it (`.1` to `.3`). Help › Logbestand openen shows it.

No names or other personal data go into the log (pupil numbers may). Messages are written
for the log and name records by number or id only. Tracebacks keep every frame (file, line,
function, source line) but not local variables, and an exception's own message is scrubbed:
quoted text (`KeyError('Öztürk')`, `'Foto <klas 2A>' kan niet op Website`) becomes '…', and
the message of an `InputError`, which repeats what the user typed, is left out.

Every module logs through `logging.getLogger(__name__)`; `setup()` attaches the file once,
to the `merlet_desk` logger, for the GUI and the command line alike.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import traceback
from io import TextIOWrapper
from pathlib import Path
from types import TracebackType

from merlet_desk.errors import InputError

LOGGER_NAME = "merlet_desk"
FILENAME = "merlet-desk.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")
_CHAINS = (
    "\nThe above exception was the direct cause of the following exception:\n\n",
    "\nDuring handling of the above exception, another exception occurred:\n\n",
)


def log_folder() -> Path:
    """`logs/` in the user's data folder (beside the default database)."""
    from merlet_desk.store.location import user_data_folder  # the store imports this module

    return user_data_folder() / "logs"


def log_path() -> Path:
    return log_folder() / FILENAME


def scrub(text: str) -> str:
    """Quoted text left out: values in exception messages may be names."""
    return _QUOTED.sub("'…'", text)


def describe_error(error: BaseException) -> str:
    """`module.Type: message`, the message scrubbed (left out for bad input)."""
    kind = type(error)
    name = (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )
    if isinstance(error, InputError):
        return f"{name}: (melding weggelaten: invoer van de gebruiker)"
    message = scrub(str(error))
    return f"{name}: {message}" if message else name


def _format_chain(error: BaseException, seen: set[int]) -> list[str]:
    seen.add(id(error))
    lines: list[str] = []
    cause, context = error.__cause__, error.__context__
    if cause is not None and id(cause) not in seen:
        lines += _format_chain(cause, seen) + [_CHAINS[0]]
    elif context is not None and not error.__suppress_context__ and id(context) not in seen:
        lines += _format_chain(context, seen) + [_CHAINS[1]]
    if error.__traceback__ is not None:
        lines.append("Traceback (most recent call last):\n")
        lines += traceback.format_tb(error.__traceback__)
    lines.append(describe_error(error) + "\n")
    return lines


def format_exception(error: BaseException) -> str:
    """A traceback as Python prints it, with every exception message scrubbed."""
    return "".join(_format_chain(error, set())).rstrip("\n")


class ScrubbingFormatter(logging.Formatter):
    """The standard format, with tracebacks through `format_exception`."""

    def formatException(  # noqa: N802 (logging API)
        self,
        ei: tuple[type[BaseException], BaseException, TracebackType | None]
        | tuple[None, None, None],
    ) -> str:
        error = ei[1]
        return format_exception(error) if error is not None else ""


class _LogFile(logging.Handler):
    """The rotating log file, each file readable by its owner only, like the database and the
    backups (pupil numbers may appear). The rotating handler is made at the first record
    written: `logging.handlers` (with socket, pickle and queue) is not imported by a start
    that logs nothing, which is nearly every start."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.baseFilename = str(path.absolute())
        self._file: logging.Handler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self._file is None:
            self._file = _rotating_file(Path(self.baseFilename))
            self._file.setFormatter(self.formatter)
        self._file.emit(record)  # under this handler's lock (`Handler.handle`)

    def close(self) -> None:
        self.acquire()
        try:
            if self._file is not None:
                self._file.close()
                self._file = None
        finally:
            self.release()
        super().close()


def _rotating_file(path: Path) -> logging.Handler:
    from logging.handlers import RotatingFileHandler

    class Owner0600(RotatingFileHandler):
        def _open(self) -> TextIOWrapper:
            stream = super()._open()
            with contextlib.suppress(OSError):
                os.chmod(self.baseFilename, 0o600)
            return stream

    return Owner0600(
        path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True
    )


def _our_handlers() -> list[_LogFile]:
    logger = logging.getLogger(LOGGER_NAME)
    return [h for h in logger.handlers if isinstance(h, _LogFile)]


def detach() -> None:
    """Stop writing the log file (tests; the file stays)."""
    for handler in _our_handlers():
        logging.getLogger(LOGGER_NAME).removeHandler(handler)
        handler.close()


def setup(path: Path | None = None) -> Path | None:
    """Write warnings and errors of the program to the rotating log file (again at `path`
    when it changed; once per process otherwise). Returns the file, or None when its folder
    cannot be made (then the warnings are not kept; the command line still says its one
    line on stderr)."""
    path = path or log_path()
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(logging.WARNING)
    if any(Path(h.baseFilename) == path.absolute() for h in _our_handlers()):
        return path
    detach()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    handler = _LogFile(path)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(ScrubbingFormatter(FORMAT))
    logger.addHandler(handler)
    return path
