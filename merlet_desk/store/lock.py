"""A lock file next to the database, so a second window or process can be told it is in use.

SQLite itself serialises writes (busy timeout), so two writers never corrupt the file; the lock
is about people: a second Merlet Desk window on the same register is offered read-only instead
of silently editing the same data. The file `<database>.lock` holds the pid, host and user of
the holder (JSON, owner-only). A lock whose process no longer runs on this host is stale and
taken over. Locks from another host cannot be checked and count as held.
"""

from __future__ import annotations

import json
import os
import platform
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from merlet_desk import clock
from merlet_desk.store.audit import current_user
from merlet_desk.store.errors import StoreError

# Locks this process holds, by lock-file path: a second window in the same process is "another".
_HELD: dict[Path, DatabaseLock] = {}


class LockedError(StoreError):
    """Another Merlet Desk has the database open for editing."""

    def __init__(self, message: str, holder: LockInfo) -> None:
        super().__init__(message)
        self.holder = holder


def _host() -> str:
    """This computer's name, as `socket.gethostname()` gives it (uname's node name; on
    Windows platform asks socket itself): platform is loaded already, socket would cost the
    start-up 3 ms."""
    return platform.node()


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        import ctypes

        process_query_limited_information = 0x1000
        still_active = 259
        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(process_query_limited_information, False, pid)
        if not handle:
            return False
        try:
            code = ctypes.c_ulong()
            if kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return code.value == still_active
            return True
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, owned by someone else
        return True
    return True


def process_start(pid: int) -> str | None:
    """An opaque, stable start time of process `pid` (None when unknown)."""
    if sys.platform == "win32":
        return _windows_process_start(pid)
    if not sys.platform.startswith("linux"):
        return None
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[19]  # field 22: starttime in clock ticks
    except (OSError, IndexError):
        return None


def _windows_process_start(pid: int) -> str | None:
    import ctypes
    from ctypes import wintypes

    try:
        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)
    except (OSError, AttributeError, ValueError):
        return None
    if not handle:
        return None
    try:
        times = [wintypes.FILETIME() for _ in range(4)]
        if kernel32.GetProcessTimes(handle, *(ctypes.byref(t) for t in times)):
            return f"{times[0].dwHighDateTime}:{times[0].dwLowDateTime}"
    finally:
        kernel32.CloseHandle(handle)
    return None


@dataclass(frozen=True)
class LockInfo:
    pid: int
    host: str
    user: str
    since: str
    started: str | None = None  # process_start(pid) when the lock was taken

    def alive(self) -> bool:
        """Held by a running process (a lock from another host is assumed to be held)."""
        if self.host != _host():
            return True
        if not pid_alive(self.pid):
            return False
        now = process_start(self.pid)
        return self.started is None or now is None or now == self.started  # pid reused?

    def describe(self) -> str:
        """Dutch: who holds it, for the dialog."""
        since = self.since
        try:
            since = datetime.fromisoformat(self.since).strftime("%d-%m-%Y %H:%M")
        except ValueError:
            pass
        return f"{self.user} op {self.host} (proces {self.pid}, sinds {since})"


def lock_path(db_path: str | os.PathLike[str]) -> Path:
    db_path = Path(db_path).expanduser()
    return db_path.with_name(db_path.name + ".lock")


def read_lock(db_path: str | os.PathLike[str]) -> LockInfo | None:
    """Who holds the lock on `db_path` (None when nobody, or the file is unreadable)."""
    try:
        data = json.loads(lock_path(db_path).read_text(encoding="utf-8"))
        started = data.get("started")
        return LockInfo(
            int(data["pid"]),
            str(data["host"]),
            str(data["user"]),
            str(data["since"]),
            None if started is None else str(started),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


@dataclass
class DatabaseLock:
    """A held lock; `release()` (or leaving a `with` block) removes the file."""

    path: Path
    info: LockInfo

    def release(self) -> None:
        if _HELD.get(self.path) is self:
            del _HELD[self.path]
            current = read_lock(self.path.with_suffix(""))
            if current == self.info:
                self.path.unlink(missing_ok=True)

    def __enter__(self) -> DatabaseLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _write_exclusive(path: Path, info: LockInfo) -> bool:
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(info.__dict__, handle)
    return True


def acquire_lock(db_path: str | os.PathLike[str]) -> DatabaseLock:
    """Take the lock on `db_path`, or raise `LockedError` naming who has it.

    A stale lock (its process has ended on this host) or an unreadable one is taken over.
    """
    path = lock_path(db_path)
    info = LockInfo(os.getpid(), _host(), current_user(), _now(), process_start(os.getpid()))
    for _attempt in range(3):
        if path in _HELD:
            raise LockedError(_locked_message(db_path, _HELD[path].info), _HELD[path].info)
        try:
            if _write_exclusive(path, info):
                lock = DatabaseLock(path, info)
                _HELD[path] = lock
                return lock
        except OSError as exc:  # read-only folder: nobody can lock, nobody can write
            raise StoreError(f"Het slotbestand {path} kan niet aangemaakt worden: {exc}.") from exc
        holder = read_lock(db_path)
        if holder is not None and holder.alive() and holder.pid != os.getpid():
            raise LockedError(_locked_message(db_path, holder), holder)
        # Stale, unreadable, or left behind by this very process: take it over.
        path.unlink(missing_ok=True)
    raise StoreError(f"Het slotbestand {path} kan niet aangemaakt worden.")


def _locked_message(db_path: str | os.PathLike[str], holder: LockInfo) -> str:
    return (
        f"De database {Path(db_path).name} is al geopend door {holder.describe()}. "
        "Twee keer tegelijk bewerken kan niet; open hem alleen-lezen of sluit het andere venster."
    )


def _now() -> str:
    return clock.now().isoformat(timespec="seconds")
