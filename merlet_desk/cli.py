"""Command line entry point: `merlet-desk [--db PATH] [--read-only] [--quit-after-show]` opens
the GUI; subcommands (init, import, check, report, ...) work without a window.

Exit codes: 0 success, 1 a check found something (e.g. a pupil may not appear), 2 bad input or
a database that cannot be opened. Errors are one clear line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import signal
import sys
import threading
from collections.abc import Iterator, Sequence

from merlet_desk import logs
from merlet_desk.errors import InputError, OutputError
from merlet_desk.store.errors import StoreError

# Each module registers its own subcommands; the order is the order of `--help`.
COMMAND_MODULES: tuple[str, ...] = (
    "merlet_desk.commands.init",
    "merlet_desk.commands.consent",
    "merlet_desk.commands.cases",
    "merlet_desk.commands.reports",
    "merlet_desk.commands.scans",
    "merlet_desk.commands.publications",
    "merlet_desk.commands.photos",
    "merlet_desk.commands.safety",
    "merlet_desk.commands.server",
    "merlet_desk.commands.keys",
)

EXIT_OK, EXIT_FOUND, EXIT_BAD_INPUT = 0, 1, 2
EXIT_TERMINATED = 128 + 15  # what a shell reports for a process ended by SIGTERM
log = logging.getLogger(__name__)


class Terminated(BaseException):
    """SIGTERM arrived (a scheduled task stopped, the system shutting down). Raised where the
    command is at that moment, so that every `finally` and `except BaseException` runs: a
    transaction is rolled back, a half-written temporary file (a video's `.merlet-*.mp4`) is
    removed. Python's default for SIGTERM ends the process without running any of them."""


@contextlib.contextmanager
def _stop_cleanly_on_sigterm() -> Iterator[None]:
    """Raise Terminated on SIGTERM while a subcommand runs; the previous handler comes back
    afterwards (tests call `main` in their own process)."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set a handler; a caller's thread keeps its own
        return

    def stop(signum: int, frame: object) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


KEY_FILE_HELP = (
    "sleutelbestand van een versleuteld register (64 hexadecimale tekens, rechten 0600); "
    "standaard $MERLET_DESK_KEY_FILE, anders de sleutelkluis van het besturingssysteem"
)

DB_HELP = (
    "databasebestand (standaard: $MERLET_DESK_DB, dan merlet-desk.ini naast het programma, dan"
    " de gegevensmap van de gebruiker)"
)


def _top_level_parser(**kwargs: object) -> argparse.ArgumentParser:
    """The options of the GUI itself (no subcommand)."""
    parser = argparse.ArgumentParser(
        prog="merlet-desk",
        description="Merlet Desk: beleid, toestemmingen, publicaties en incidenten.",
        **kwargs,  # type: ignore[arg-type]
    )
    parser.add_argument("--db", metavar="PATH", default=None, help=DB_HELP)
    parser.add_argument("--key-file", metavar="PATH", default=None, help=KEY_FILE_HELP)
    parser.add_argument(
        "--read-only", action="store_true", help="open de database alleen-lezen (mode=ro)"
    )
    parser.add_argument(
        "--quit-after-show",
        action="store_true",
        help="start, toon het hoofdvenster, verwerk één keer de events en stop (exitcode 0)",
    )
    return parser


def build_parser() -> argparse.ArgumentParser:
    from merlet_desk import __version__

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=DB_HELP)
    common.add_argument("--key-file", metavar="PATH", default=argparse.SUPPRESS, help=KEY_FILE_HELP)
    common.add_argument(
        "--read-only",
        action="store_true",
        default=argparse.SUPPRESS,
        help="alleen-lezen: opdrachten die schrijven worden geweigerd",
    )
    parser = _top_level_parser()
    parser.add_argument("--version", action="version", version=f"merlet-desk {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="OPDRACHT")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers, common)
    return parser


def _gui_arguments(argv: Sequence[str]) -> argparse.Namespace | None:
    """The arguments when they only start the GUI; None when a subcommand, --help, --version
    or anything unknown needs the full parser. Starting the GUI then imports no subcommand
    module."""
    if any(arg in ("-h", "--help", "--version") for arg in argv):
        return None
    args, rest = _top_level_parser(add_help=False).parse_known_args(argv)
    if rest:
        return None
    args.command = None
    return args


def _fail(message: str) -> int:
    print(f"merlet-desk: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = _gui_arguments(argv) or build_parser().parse_args(argv)
    key_file = getattr(args, "key_file", None)
    if key_file or "merlet_desk.store.keys" in sys.modules:  # this run's, not an earlier one's
        from merlet_desk.store import keys

        keys.use_key_file(key_file)
    if args.command is None:
        from merlet_desk.ui import pyside_start

        pyside_start.skip_source_scan()  # before the window's modules load
        from merlet_desk.ui.launch import run_gui

        return run_gui(args)  # sets up the log file just after the window's first paint
    from merlet_desk import sqlite_driver  # not before the window's first paint

    logs.setup()
    try:
        with _stop_cleanly_on_sigterm():
            return int(args.func(args))
    except Terminated:
        print("merlet-desk: gestopt (SIGTERM).", file=sys.stderr)
        return EXIT_TERMINATED
    except InputError as exc:  # the user's own input: said on stderr, not logged
        return _fail(str(exc))
    except (StoreError, OutputError) as exc:  # a file that cannot be opened or written
        log.warning("merlet-desk %s: %s", args.command, logs.describe_error(exc))
        return _fail(str(exc))
    except sqlite_driver.Error as exc:  # e.g. the disk filled up halfway: rolled back, say so
        from merlet_desk.store.integrity import explain_sqlite_error

        log.warning("merlet-desk %s: %s", args.command, logs.describe_error(exc))
        return _fail(str(explain_sqlite_error(exc)))
    except OSError as exc:  # writing a file the user named: a full disk, no rights
        from merlet_desk.store.errors import os_error_reason

        log.warning("merlet-desk %s: %s", args.command, logs.describe_error(exc))
        where = f"{exc.filename}: " if exc.filename else ""
        return _fail(f"{where}{os_error_reason(exc)}. Er is niets veranderd.")
    except KeyboardInterrupt:
        return 130
    except Exception:
        log.exception("merlet-desk %s stopte met een onverwachte fout", args.command)
        raise


def gui_main() -> int:
    """Entry point of the windowed launcher (no console on Windows)."""
    return main()
