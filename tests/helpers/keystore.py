"""A key store for the tests: a keyring backend that keeps its entries in a JSON file.

This machine (CI, a headless box) has no real key store, so keyring picks its `fail`
backend. The tests use `tests.file_keyring.FileKeyring` instead, in this process and in CLI
children alike (the `key_store` fixture sets `key_store_env`: `PYTHON_KEYRING_BACKEND` names
that class, which keyring and the program honour, `MERLET_TEST_KEYRING` the file), so that
"wipe the key store, then recover" is real: the file is the key store, and deleting it wipes
it.

The encrypted pass of the suite (`MERLET_TEST_ENCRYPTED=1`) uses `TEST_KEY` in a key file.
"""

from __future__ import annotations

import os
from pathlib import Path

from tests.file_keyring import BACKEND, ENV_VAR
from tests.file_keyring import FileKeyring as FileKeyring  # for the tests (tests.helpers)

ENCRYPTED_ENV_VAR = "MERLET_TEST_ENCRYPTED"
TEST_KEY = bytes(range(32))  # the encrypted pass's key; any 32 bytes do


def encrypted_pass() -> bool:
    """Whether this run of the suite makes every new database encrypted."""
    return os.environ.get(ENCRYPTED_ENV_VAR, "") not in ("", "0")


def key_of_this_pass() -> bytes | None:
    """The key a register the suite created has: the test key in the encrypted pass."""
    return TEST_KEY if encrypted_pass() else None


def key_store_env(path: Path) -> dict[str, str]:
    """The environment a CLI child needs to use the key store in `path`."""
    root = str(Path(__file__).resolve().parents[2])
    python_path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)
    return {"PYTHON_KEYRING_BACKEND": BACKEND, ENV_VAR: str(path), "PYTHONPATH": python_path}


def write_test_key_file(path: Path, key: bytes = TEST_KEY) -> Path:
    """A key file as IT makes one: 64 hex characters and a newline, mode 0600."""
    path.write_text(key.hex() + "\n", encoding="ascii")
    path.chmod(0o600)
    return path
