"""Is the database on a network share? SQLite's file locking is unreliable over SMB/NFS.

Pure functions: the mount table (Linux) and the drive type (Windows) can be passed in, so the
logic is tested on any platform.
"""

from __future__ import annotations

import ntpath
import os
import sys
from collections.abc import Callable
from pathlib import Path

NETWORK_FS_TYPES = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",
        "ncpfs",
        "afs",
        "9p",
        "ceph",
        "glusterfs",
        "lustre",
        "gpfs",
        "davfs",
        "fuse.sshfs",
        "fuse.smbnetfs",
        "fuse.gvfsd-fuse",
        "fuse.rclone",
        "fuse.davfs2",
    }
)
DRIVE_REMOTE = 4


def _unescape_mount_field(field: str) -> str:
    """/proc/mounts writes a space as \\040, a tab as \\011, a backslash as \\134."""
    return (field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n")).replace(
        "\\134", "\\"
    )


def parse_mounts(text: str) -> list[tuple[str, str]]:
    """(mount point, fs type) pairs from the text of /proc/mounts."""
    mounts = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 3:
            mounts.append((_unescape_mount_field(parts[1]), parts[2]))
    return mounts


def filesystem_type(path: str, mounts: list[tuple[str, str]]) -> str | None:
    """The fs type of the mount point that holds the absolute POSIX `path` (longest prefix)."""
    best, best_type = "", None
    for point, fstype in mounts:
        prefix = point.rstrip("/") + "/"
        if (path == point or path.startswith(prefix) or point == "/") and len(point) >= len(best):
            best, best_type = point, fstype
    return best_type


def is_network_fs_type(fstype: str | None) -> bool:
    if not fstype:
        return False
    fstype = fstype.lower()
    return fstype in NETWORK_FS_TYPES or fstype.startswith(("nfs", "smb", "cifs"))


def is_unc_path(path: str) -> bool:
    """`\\\\server\\share\\...` or `//server/share/...` (but not `\\\\?\\C:\\...`)."""
    normalised = path.replace("/", "\\")
    if normalised.startswith("\\\\?\\UNC\\"):
        return True
    if normalised.startswith(("\\\\?\\", "\\\\.\\")):
        return False
    return normalised.startswith("\\\\")


def network_share_kind(
    path: str | os.PathLike[str],
    *,
    platform: str | None = None,
    mounts_text: str | None = None,
    drive_type: Callable[[str], int] | None = None,
) -> str | None:
    """A short description ("nfs4", "netwerkschijf", "UNC-pad") when `path` is on a network
    share, else None. Defaults read the real system; tests pass `mounts_text`/`drive_type`."""
    platform = platform or sys.platform
    text = os.fspath(path)
    if platform == "win32":
        if is_unc_path(text):
            return "UNC-pad"
        drive, _rest = ntpath.splitdrive(text if ntpath.isabs(text) else os.path.abspath(text))
        if not drive:
            return None
        get_type = drive_type or _windows_drive_type
        try:
            return "netwerkschijf" if get_type(drive + "\\") == DRIVE_REMOTE else None
        except OSError:
            return None
    if mounts_text is None:
        try:
            mounts_text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None  # not Linux (macOS): no cheap reliable answer; assume local
        text = os.path.realpath(text)
    fstype = filesystem_type(text, parse_mounts(mounts_text))
    return fstype if is_network_fs_type(fstype) else None


def _windows_drive_type(root: str) -> int:  # pragma: no cover - Windows only
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(root))  # type: ignore[attr-defined]


def network_warning(path: str | os.PathLike[str]) -> str | None:
    """The Dutch warning for the GUI and CLI, or None for a local file."""
    kind = network_share_kind(path)
    if kind is None:
        return None
    return (
        f"De database staat op een netwerkschijf ({kind}). SQLite kan daar niet betrouwbaar "
        "vergrendelen: werk er nooit met twee mensen tegelijk in en zet de database bij "
        "voorkeur op de eigen computer."
    )
