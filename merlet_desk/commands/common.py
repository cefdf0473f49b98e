"""What every subcommand shares: which database, whether it may write, and where output may go.

    open_db(args, write=False)  # readers: check, cases, takedowns, report, purge --dry-run
    open_db(args, write=True)   # writers: import-*, purge
    refuse_in_read_only(args)   # init, backup, restore, which open the file themselves
    output_path(args, db_path)  # -o FILE: a regular file in an existing folder, never the data
    parse_date_option(text, "--on")  # every date option, in the date forms of an imported file

Readers open the file read-only (nothing is written or created beside it; see
`store.connection.reader_uri`). A file that still needs a schema update is first updated by a
writer's open (with its backup) unless the run is read-only. Only `init` creates a database:
every other command given a missing or empty file says how to make one.
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import date
from pathlib import Path

from merlet_desk.domain.dates import EARLIEST_DATE, LATEST_DATE
from merlet_desk.errors import InputError
from merlet_desk.store import open_database
from merlet_desk.store.errors import ReadOnlyError, SchemaOutdatedError
from merlet_desk.store.location import read_only_source, resolve_database_path
from merlet_desk.store.outputs import refuse_unsafe_output
from merlet_desk.store.sqlite_utils_import import Database


def database_path(args: argparse.Namespace) -> Path:
    """`--db`, else `MERLET_DESK_DB`, else the ini file, else the user's data folder."""
    return resolve_database_path(getattr(args, "db", None))


def read_only_reason(args: argparse.Namespace) -> str | None:
    """Why this run is read-only (`--read-only`, the environment variable, the ini file)."""
    if getattr(args, "read_only", False):
        return "--read-only"
    return read_only_source()


def command_name(args: argparse.Namespace) -> str:
    """`import-pupils`, `report consent`, ... for messages."""
    name = getattr(args, "command", None) or "merlet-desk"
    report = getattr(args, "report", None)
    return f"{name} {report}" if report else name


def refuse_in_read_only(args: argparse.Namespace) -> None:
    """Exit 2 with one line when a writing command runs in read-only mode."""
    reason = read_only_reason(args)
    if reason:
        raise ReadOnlyError(
            f"Alleen-lezen (via {reason}): '{command_name(args)}' schrijft en is niet "
            "uitgevoerd. Er is niets veranderd."
        )


def open_db(args: argparse.Namespace, *, write: bool) -> Database:
    """The database of this run, for writing (refused in read-only mode) or for reading."""
    path = database_path(args)
    if write:
        refuse_in_read_only(args)
        return open_database(path, create=False)
    try:
        return open_database(path, read_only=True, create=False)
    except SchemaOutdatedError:
        if read_only_reason(args):
            raise
    open_database(path, create=False).close()  # the schema update, after its backup
    return open_database(path, read_only=True, create=False)


def check_date_range(value: date, option: str) -> date:
    """`value`, or InputError when it lies outside `EARLIEST_DATE`..`LATEST_DATE`."""
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        shown = f"{value.day:02d}-{value.month:02d}-{value.year:04d}"
        raise InputError(
            f"{option}: {shown} ligt buiten de datums waarmee het register rekent "
            f"({EARLIEST_DATE:%d-%m-%Y} t/m {LATEST_DATE:%d-%m-%Y})."
        )
    return value


def parse_date_option(text: str | None, option: str, *, bounded: bool = True) -> date | None:
    """The date of a command-line option (None when the option is not given), written as in an
    imported file: 24-11-2026, 24/11/2026, 2026-11-24. InputError naming the option otherwise.

    `bounded`: a date the register computes with (`check_date_range`); the ends of a period may
    be anything, the report bounds its own work (`report_months`)."""
    from merlet_desk.imports.tabular import parse_date

    if text is None:
        return None
    try:
        value = parse_date(text)
    except ValueError as exc:
        raise InputError(f"{option}: {exc}") from exc
    return check_date_range(value, option) if bounded else value


def stdout_is_unicode() -> bool:
    """Whether standard output can carry every name (a Windows pipe in cp1252 cannot)."""
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    return encoding.startswith("utf")


def replace_unencodable_output() -> None:
    """Print a character the output cannot carry as '?', instead of failing halfway a list."""
    if not stdout_is_unicode() and isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(errors="replace")


def output_path(args: argparse.Namespace, db_path: Path | None = None, option: str = "-o") -> Path:
    """`args.output` checked before anything is built: a file in an existing folder that is not
    the database, its side files, its backups or any other SQLite file."""
    path = Path(args.output).expanduser()
    if path.is_dir():
        raise InputError(f"{option} {path}: dat is een map; geef een bestandsnaam.")
    if not path.parent.exists():
        raise InputError(f"{option} {path}: de map {path.parent} bestaat niet.")
    refuse_unsafe_output(path, db_path if db_path is not None else database_path(args))
    return path
