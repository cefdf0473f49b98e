"""Where the database lives unless the user says otherwise."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

from merlet_desk import APP_NAME, ORG_NAME

ENV_VAR = "MERLET_DESK_DB"
DEFAULT_FILENAME = "merlet-desk.sqlite"


def default_database_path() -> Path:
    """`MERLET_DESK_DB` when IT set it, else a file in the user's data folder."""
    from_env = os.environ.get(ENV_VAR, "").strip()
    if from_env:
        return Path(from_env).expanduser()
    return Path(user_data_dir(APP_NAME, ORG_NAME, roaming=False)) / DEFAULT_FILENAME


def resolve_database_path(cli_value: str | os.PathLike[str] | None) -> Path:
    """`--db PATH` wins over the environment, which wins over the default."""
    if cli_value:
        return Path(cli_value).expanduser()
    return default_database_path()
