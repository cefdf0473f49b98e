"""keyring, imported without the modules its import costs and this program never uses.

An encrypted register's key is read from the operating system's key store on every start,
before the window shows its data (figure 12a of `make bench`: encrypted ≤ 1.15× plain).
keyring's own modules are small, but `keyring.backend` imports jaraco.context, which imports
urllib.request (with http.client, ssl and the email package: 9–13 ms of CPU) for a download
helper keyring never calls, and jaraco.functools imports more_itertools; keyring itself imports
importlib_metadata to find its plugins, which `store.keys` never searches (it names its
backend). During the import those three are stand-ins that import the real module when first
used (`store/deferred_imports.py`); keyring's plugin search, when it runs
(`keyring.get_keyring()`, the server passwords), still works.

Every module of the program imports keyring from here, so whichever comes first pays only
this (a test reads the source for it).
"""

from __future__ import annotations

import sys
import urllib  # noqa: F401 (the package of urllib.request: its stand-in is reached through it)
from typing import Any

from merlet_desk.store.deferred_imports import stand_ins

# Imported by keyring or its dependencies at their top and not used by their import.
IMPORTED_ON_FIRST_USE = ("urllib.request", "importlib_metadata", "more_itertools")

with stand_ins(IMPORTED_ON_FIRST_USE):
    import keyring
    import keyring.core
    from keyring.backends import fail, null
    from keyring.errors import KeyringError, PasswordDeleteError

__all__ = ["KeyringError", "PasswordDeleteError", "fail", "keyring", "null"]


def platform_backend_class() -> Any:
    """The keyring backend of this platform's key store: Windows Credential Manager, the macOS
    Keychain, or Secret Service on Linux (which GNOME Keyring, KWallet from 5.97 and KeePassXC
    serve). The three differ in their typing; each is a `KeyringBackend`."""
    if sys.platform == "win32":
        from keyring.backends.Windows import WinVaultKeyring as Backend
    elif sys.platform == "darwin":
        from keyring.backends.macOS import Keyring as Backend
    else:
        from keyring.backends.SecretService import Keyring as Backend
    found: Any = Backend
    return found
