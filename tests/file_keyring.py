"""The tests' key store: a keyring backend that keeps its entries in a JSON file.

It lives outside `tests.helpers` so that a child process (a CLI command, the window started
by the start-up benchmark) that names it in `PYTHON_KEYRING_BACKEND` loads only this module
and keyring, not the helpers package with its Qt test modules. `tests.helpers.keystore`
says how the tests use it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

ENV_VAR = "MERLET_TEST_KEYRING"
BACKEND = f"{__name__}.FileKeyring"  # as PYTHON_KEYRING_BACKEND names it


class FileKeyring(KeyringBackend):
    """keyring backend over a JSON file `{service: {name: secret}}` named by `MERLET_TEST_KEYRING`."""

    priority = 1  # type: ignore[assignment]  # keyring's class property, a plain value here

    @property
    def path(self) -> Path:
        return Path(os.environ[ENV_VAR])

    def _read(self) -> dict[str, dict[str, str]]:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}

    def _write(self, data: dict[str, dict[str, str]]) -> None:
        self.path.write_text(json.dumps(data), encoding="utf-8")

    def get_password(self, service: str, username: str) -> str | None:
        return self._read().get(service, {}).get(username)

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._read()
        data.setdefault(service, {})[username] = password
        self._write(data)

    def delete_password(self, service: str, username: str) -> None:
        data = self._read()
        if username not in data.get(service, {}):
            raise PasswordDeleteError(username)
        del data[service][username]
        self._write(data)
