"""A key store for the password tests: keyring's interface over a dict, in this process.

This machine (CI, a headless box) has no real key store (keyring's `fail` backend)."""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    """keyring backend that keeps {(service, name): secret} in memory."""

    priority = 1  # type: ignore[assignment]  # keyring's class property, a plain value here

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.kept.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.kept[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.kept:
            raise PasswordDeleteError(username)
        del self.kept[(service, username)]
