"""Merlet Desk: policy viewer, consent register and incident log for Merlet College."""

import logging

APP_NAME = "Merlet Desk"
ORG_NAME = "Merlet College"

# Warnings go to the log file once `logs.setup()` ran, never to stderr by Python's last-resort
# handler: the command line's errors are one line on stderr, and a library user decides.
logging.getLogger(__name__).addHandler(logging.NullHandler())


def __getattr__(name: str) -> str:
    """`__version__`, looked up on first use: importlib.metadata costs the GUI's start-up
    tens of milliseconds before the first paint."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import metadata

    try:
        version = metadata.version("merlet-desk")
    except metadata.PackageNotFoundError:  # running from a source tree or a frozen bundle
        version = "0.1.0"
    globals()["__version__"] = version
    return version
