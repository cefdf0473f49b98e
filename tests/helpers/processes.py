"""Helpers for the hostile-input tests (`tests/hostile/`): run the real program in a
child process, optionally inside a private mount namespace where a folder is read-only or a
tiny disk, and fingerprint files to prove that nothing was written."""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HEADER = "leerlingnummer;roepnaam;tussenvoegsel;achternaam;geboortedatum;klas;locatie\n"


@functools.cache
def unshare_available() -> bool:
    """Whether this process may make a private mount namespace (root, as in CI)."""
    if sys.platform != "linux" or shutil.which("unshare") is None:
        return False
    try:
        probe = subprocess.run(
            ["unshare", "-m", "sh", "-c", "mount -t tmpfs none /mnt 2>/dev/null || exit 3"],
            capture_output=True,
            timeout=20,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


needs_unshare = pytest.mark.skipif(
    not unshare_available(),
    reason="needs `unshare -m` and mount rights (root on Linux, as in CI) to make a folder "
    "read-only or a disk full for real",
)


def read_only(folder: Path) -> str:
    """A shell prefix that makes `folder` a read-only bind mount in a private namespace."""
    return f"mount --bind '{folder}' '{folder}' && mount -o remount,ro,bind '{folder}' '{folder}'"


def tiny_disk(folder: Path, size: str) -> str:
    """A shell prefix that mounts an empty tmpfs of `size` (e.g. "64k") on `folder`."""
    return f"mount -t tmpfs -o size={size},mode=0700 tmpfs '{folder}'"


def run_cli(
    *args: object,
    env: dict[str, str] | None = None,
    setup: str | None = None,
    after: str | None = None,
    timeout: float = 180,
) -> subprocess.CompletedProcess[str]:
    """`merlet-desk ARGS` as a user runs it (a new process, offscreen). With `setup`, inside
    `unshare -m` after that shell prefix (see `read_only`, `tiny_disk`); `after` is a shell
    command run in the same namespace afterwards (its output follows the program's)."""
    argv = [sys.executable, "-m", "merlet_desk", *map(str, args)]
    if setup is not None:
        script = f'{setup} && exec "$@"'
        if after is not None:
            script = f'{setup} || exit 99; "$@"; code=$?; {after}; exit $code'
        argv = ["unshare", "-m", "sh", "-c", script, "sh", *argv]
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("MERLET_DESK_READ_ONLY", "MERLET_DESK_DB")
    }
    environment.update(QT_QPA_PLATFORM="offscreen", **(env or {}))
    return subprocess.run(
        argv, capture_output=True, text=True, env=environment, timeout=timeout, check=False
    )


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def listing(folder: Path) -> list[str]:
    """Every file and folder under `folder`, relative, sorted."""
    return sorted(str(p.relative_to(folder)) for p in Path(folder).rglob("*"))


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The error a user sees: exactly one line starting with `merlet-desk:`, no traceback."""
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines and lines[0].startswith("merlet-desk: "), result.stderr
    return "\n".join(lines)
