"""Where the database lives unless the user says otherwise, and whether to open it read-only.

The database, first match wins:

1. `--db PATH` on the command line;
2. the environment variable `MERLET_DESK_DB`;
3. `database = ...` in section `[merlet-desk]` of `merlet-desk.ini` next to the installed
   executable (written by the Windows installer's `/DBPATH=`, or placed there by IT);
4. `merlet-desk.sqlite` in the user's data folder.

Each of the first three may name a register on a PostgreSQL server instead of a file
(``postgresql://user@host:5432/dbname?sslmode=verify-full``): that is a `ServerUrl`, never a
`Path` (`store.server_url`), so the result is a `DatabaseTarget`.

Read-only by default (`read_only_default()`): `read_only = 1` in that ini file, or
`MERLET_DESK_READ_ONLY=1`; either one is enough (IT locks a location manager's machine to
read-only, a user cannot switch it off with the other).
"""

from __future__ import annotations

import configparser
import os
import sys
from pathlib import Path

from platformdirs import user_data_dir

from merlet_desk import APP_NAME, ORG_NAME
from merlet_desk.errors import InputError
from merlet_desk.store.server_url import ServerUrl, is_server_url

DatabaseTarget = Path | ServerUrl  # a register: a file, or a database on a server

ENV_VAR = "MERLET_DESK_DB"
READ_ONLY_ENV_VAR = "MERLET_DESK_READ_ONLY"
DEFAULT_FILENAME = "merlet-desk.sqlite"
INI_FILENAME = "merlet-desk.ini"
INI_SECTION = "merlet-desk"

_TRUE = {"1", "true", "yes", "on", "ja", "waar"}
_FALSE = {"0", "false", "no", "off", "nee", "onwaar", ""}


def ini_path() -> Path | None:
    """`merlet-desk.ini` next to the installed executable; None when running from source
    (a virtualenv's `bin/` folder is not an installation folder)."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent / INI_FILENAME
    return None


def _read_text(path: Path) -> str:
    # Written by Inno Setup as UTF-8 (with BOM), by hand in Notepad maybe as UTF-16 or in the
    # Windows code page: accept all of them rather than ignore IT's setting.
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def read_ini(path: Path | None = None) -> dict[str, str]:
    """The keys of section `[merlet-desk]` (lower-case), or {} when there is no ini file.

    A file that exists but cannot be parsed is an error: silently falling back to the user's
    own folder would put a school's data in a private database nobody backs up.
    """
    path = ini_path() if path is None else path
    if path is None or not path.is_file():
        return {}
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(_read_text(path), source=str(path))
    except (OSError, configparser.Error) as exc:
        raise InputError(f"{path} is niet te lezen: {exc}") from exc
    if not parser.has_section(INI_SECTION):
        return {}
    return {key.lower(): value.strip() for key, value in parser.items(INI_SECTION)}


def _ini_database(path: Path | None = None) -> DatabaseTarget | None:
    ini = ini_path() if path is None else path
    value = read_ini(ini).get("database", "").strip().strip('"')
    if not value or ini is None:
        return None
    if is_server_url(value):
        return ServerUrl.parse(value, where=f"{ini}, database")
    db = Path(os.path.expandvars(value)).expanduser()
    # A relative path in the ini file is relative to the ini file's folder, not to the
    # folder the program happened to be started from.
    return db if db.is_absolute() else ini.parent / db


def user_data_folder() -> Path:
    """The user's data folder: the default database, its backups and the log live here."""
    return Path(user_data_dir(APP_NAME, ORG_NAME, roaming=False))


def user_default_path() -> Path:
    """`merlet-desk.sqlite` in the user's data folder (created on first start)."""
    return user_data_folder() / DEFAULT_FILENAME


def as_target(value: str | os.PathLike[str] | ServerUrl, where: str = "--db") -> DatabaseTarget:
    """A `--db` value (or the environment's) as a path or, for ``postgresql://``, a URL."""
    if isinstance(value, ServerUrl):
        return value
    if isinstance(value, str) and is_server_url(value):
        return ServerUrl.parse(value, where=where)
    return Path(value).expanduser()


def database_path_and_source(
    cli_value: str | os.PathLike[str] | ServerUrl | None,
) -> tuple[DatabaseTarget, str]:
    """The database and where it came from ("--db", "MERLET_DESK_DB", the ini file's
    path, or "gebruikersmap"), for `verify` and support questions."""
    if cli_value:
        return as_target(cli_value, "--db"), "--db"
    from_env = os.environ.get(ENV_VAR, "").strip()
    if from_env:
        return as_target(from_env, ENV_VAR), ENV_VAR
    ini = ini_path()
    from_ini = _ini_database(ini)
    if from_ini is not None:
        return from_ini, str(ini)
    return user_default_path(), "gebruikersmap"


def default_database_path() -> DatabaseTarget:
    """`MERLET_DESK_DB` when IT set it, else the ini file's `database`, else a file in the
    user's data folder."""
    return database_path_and_source(None)[0]


def resolve_database_path(cli_value: str | os.PathLike[str] | ServerUrl | None) -> DatabaseTarget:
    """`--db PATH` (or URL) wins over the environment, which wins over the ini file, which
    wins over the user's data folder."""
    return database_path_and_source(cli_value)[0]


def _flag(value: str, where: str) -> bool:
    word = value.strip().strip('"').lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    # IT meant something; an unreadable value must not open a location manager's copy for
    # writing, so it counts as read-only (and says so).
    print(
        f"merlet-desk: {where}: '{value}' is geen ja/nee; alleen-lezen aangenomen", file=sys.stderr
    )
    return True


def read_only_source() -> str | None:
    """Where IT asked for read-only ("MERLET_DESK_READ_ONLY" or the ini file's path), or None.

    `read_only = 1` in the ini file or `MERLET_DESK_READ_ONLY=1`; either one is enough."""
    env = os.environ.get(READ_ONLY_ENV_VAR)
    if env is not None and _flag(env, READ_ONLY_ENV_VAR):
        return READ_ONLY_ENV_VAR
    ini = ini_path()
    value = read_ini(ini).get("read_only")
    if value is not None and _flag(value, f"{ini} read_only"):
        return str(ini)
    return None


def read_only_default() -> bool:
    """True when IT asked for read-only: `read_only = 1` in the ini file or
    `MERLET_DESK_READ_ONLY=1`. The launcher and the commands OR this with `--read-only`."""
    return read_only_source() is not None
