"""The password of a server login, when libpq finds none of its own, in the OS key store.

libpq looks first, in its own places: ``~/.pgpass`` (Windows ``%APPDATA%\\postgresql\\
pgpass.conf``), a service file, ``PGPASSWORD`` for scripts. When the server asks for a password
that none of those has, the window asks the user once and keeps it in the operating system's
key store (Windows Credential Manager, macOS Keychain, the Secret Service on Linux) through
`keyring`, under the URL without any password: the next start, and the command line of the
same user, find it there. A password is never written to the ini file, a log or the audit
log, and never into the URL (`store.server_url` refuses that).

A machine without a key store (a headless Linux box: keyring's `fail` backend) keeps nothing:
`remember` says so and the user is asked again next time, never falling back to a plain file.
"""

from __future__ import annotations

import logging

from merlet_desk.store.server_url import ServerUrl

SERVICE = "Merlet Desk (PostgreSQL)"
log = logging.getLogger(__name__)
# Passwords typed in this process, for the connections it opens after the first (the window's
# workers, a reconnect), also where there is no key store.
_typed: dict[str, str] = {}


def _name(target: ServerUrl) -> str:
    """The key store's name for a login: the URL as written (it holds no password)."""
    return str(target)


def use_for_this_session(target: ServerUrl, password: str) -> None:
    """A password the user typed, for every later connection of this process to `target`."""
    _typed[_name(target)] = password


def stored(target: ServerUrl) -> str | None:
    """The password typed in this session or kept for `target`, or None (none kept, or no
    key store here)."""
    if _name(target) in _typed:
        return _typed[_name(target)]
    from merlet_desk.store.keyring_import import KeyringError, keyring

    try:
        return keyring.get_password(SERVICE, _name(target))
    except KeyringError:  # no key store on this machine: nothing kept
        return None


def remember(target: ServerUrl, password: str) -> bool:
    """Keep `password` for `target`; False when this machine has no key store."""
    from merlet_desk.store.keyring_import import KeyringError, keyring

    try:
        keyring.set_password(SERVICE, _name(target), password)
    except KeyringError as exc:
        log.warning("Geen sleutelkluis om het wachtwoord te bewaren: %s", type(exc).__name__)
        return False
    return True


def forget(target: ServerUrl) -> None:
    """Remove a kept password that the server no longer accepts."""
    _typed.pop(_name(target), None)
    from merlet_desk.store.keyring_import import KeyringError, keyring

    try:
        keyring.delete_password(SERVICE, _name(target))
    except KeyringError:  # none kept, or no key store: nothing to remove
        return
