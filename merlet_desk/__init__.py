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
