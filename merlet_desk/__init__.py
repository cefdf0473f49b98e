"""Merlet Desk: policy viewer, consent register and incident log for Merlet College."""

from importlib import metadata

try:
    __version__ = metadata.version("merlet-desk")
except metadata.PackageNotFoundError:  # running from a source tree or a frozen bundle
    __version__ = "0.1.0"

APP_NAME = "Merlet Desk"
ORG_NAME = "Merlet College"
