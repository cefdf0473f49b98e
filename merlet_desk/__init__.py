"""Merlet Desk: policy viewer, consent register and incident log for Merlet College."""

import logging
from importlib import metadata

try:
    __version__ = metadata.version("merlet-desk")
except metadata.PackageNotFoundError:  # running from a source tree or a frozen bundle
    __version__ = "0.1.0"

APP_NAME = "Merlet Desk"
ORG_NAME = "Merlet College"

# Warnings go to the log file once `logs.setup()` ran, never to stderr by Python's last-resort
# handler: the command line's errors are one line on stderr, and a library user decides.
logging.getLogger(__name__).addHandler(logging.NullHandler())


def _import_sqlite_utils_without_numpy() -> None:
    """sqlite-utils imports numpy whenever it is installed, only to map numpy column types
    that this program never stores. numpy is here for the photos (issue 17) and costs about
    0.15 s; importing it at start-up for nothing would slow every launch. So sqlite-utils is
    imported once with numpy hidden; numpy itself imports normally afterwards, when a photo
    is handled (merlet_desk.imaging)."""
    import sys

    if "sqlite_utils" in sys.modules or "numpy" in sys.modules:
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]  # makes `import numpy` fail
    try:
        import sqlite_utils.db  # noqa: F401
    finally:
        del sys.modules["numpy"]


_import_sqlite_utils_without_numpy()
