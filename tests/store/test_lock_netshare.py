"""The lock file for a second instance, and the network-share detection (pure functions)."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys

import pytest

from merlet_desk.store.lock import (
    LockedError,
    acquire_lock,
    lock_path,
    process_start,
    read_lock,
)
from merlet_desk.store.netshare import (
    filesystem_type,
    is_unc_path,
    network_share_kind,
    parse_mounts,
)
from tests.helpers.processes import ANOTHER_INSTANCE

MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
proc /proc proc rw 0 0
//nas.merlet.local/communicatie /mnt/school cifs rw,vers=3.0 0 0
nas:/export/home /home/joelle nfs4 rw 0 0
/dev/sdb1 /home/joelle/lokaal ext4 rw 0 0
sshfs#berkay@host: /media/Mijn\\040Schijf fuse.sshfs rw 0 0
tmpfs /tmp tmpfs rw 0 0
"""


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/mnt/school/merlet-desk.sqlite", "cifs"),
        ("/mnt/schoolkopie/merlet-desk.sqlite", None),  # a prefix, not the mount point
        ("/home/joelle/merlet-desk.sqlite", "nfs4"),
        ("/home/joelle/lokaal/merlet-desk.sqlite", None),  # local disk inside the NFS home
        ("/media/Mijn Schijf/db.sqlite", "fuse.sshfs"),
        ("/tmp/db.sqlite", None),
        ("/var/lib/db.sqlite", None),
    ],
)
def test_linux_mount_table(path, expected):
    assert network_share_kind(path, platform="linux", mounts_text=MOUNTS) == expected


def test_parse_and_longest_prefix():
    mounts = parse_mounts(MOUNTS)
    assert ("/media/Mijn Schijf", "fuse.sshfs") in mounts
    assert filesystem_type("/home/joelle/lokaal/x", mounts) == "ext4"
    assert filesystem_type("/etc/passwd", mounts) == "ext4"


@pytest.mark.parametrize(
    ("path", "drive_type", "expected"),
    [
        (r"\\nas\communicatie\merlet-desk.sqlite", 3, "UNC-pad"),
        ("//nas/communicatie/merlet-desk.sqlite", 3, "UNC-pad"),
        (r"\\?\UNC\nas\share\x.sqlite", 3, "UNC-pad"),
        (r"\\?\C:\Users\x.sqlite", 3, None),
        (r"H:\Merlet\merlet-desk.sqlite", 4, "netwerkschijf"),  # DRIVE_REMOTE
        (r"C:\Users\zofia\AppData\Local\x.sqlite", 3, None),  # DRIVE_FIXED
    ],
)
def test_windows_paths(path, drive_type, expected):
    seen = []

    def fake_drive_type(root):
        seen.append(root)
        return drive_type

    assert network_share_kind(path, platform="win32", drive_type=fake_drive_type) == expected
    if expected == "netwerkschijf":
        assert seen == ["H:\\"]
    assert is_unc_path(path) == (expected == "UNC-pad")


def test_this_machines_temp_folder_is_local(tmp_path):
    assert network_share_kind(tmp_path / "x.sqlite") is None


def test_lock_holds_pid_host_user_and_refuses_a_second(db_path):
    lock = acquire_lock(db_path)
    data = json.loads(lock_path(db_path).read_text())
    assert data["pid"] == os.getpid() and data["host"] == socket.gethostname() and data["user"]
    if sys.platform != "win32":
        assert stat.S_IMODE(lock_path(db_path).stat().st_mode) == 0o600
    with pytest.raises(LockedError, match="al geopend door") as caught:
        acquire_lock(db_path)  # a second window in this process
    assert caught.value.holder.pid == os.getpid()
    lock.release()
    assert not lock_path(db_path).exists()
    with acquire_lock(db_path):
        assert read_lock(db_path).pid == os.getpid()
    assert read_lock(db_path) is None


def test_lock_of_a_running_process_is_respected_and_a_dead_one_taken_over(db_path):
    child = subprocess.Popen(ANOTHER_INSTANCE)
    try:
        info = {"pid": child.pid, "host": socket.gethostname(), "user": "meryem", "since": "x"}
        lock_path(db_path).write_text(json.dumps(info))
        with pytest.raises(LockedError, match="meryem"):
            acquire_lock(db_path)
    finally:
        child.kill()
        child.wait()
    with acquire_lock(db_path) as lock:  # the process is gone: a stale lock
        assert lock.info.pid == os.getpid()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc start times")
def test_a_reused_pid_is_not_the_holder(db_path):
    child = subprocess.Popen(ANOTHER_INSTANCE)
    try:
        info = {"pid": child.pid, "host": socket.gethostname(), "user": "şükrü", "since": "x"}
        lock_path(db_path).write_text(json.dumps({**info, "started": "12345"}))  # not its start
        with acquire_lock(db_path) as lock:
            assert lock.info.pid == os.getpid() and lock.info.started
        lock_path(db_path).write_text(json.dumps({**info, "started": process_start(child.pid)}))
        with pytest.raises(LockedError, match="şükrü"):
            acquire_lock(db_path)
    finally:
        child.kill()
        child.wait()


def test_lock_from_another_host_counts_as_held(db_path):
    info = {"pid": 1, "host": "andere-pc", "user": "berkay", "since": "2026-11-25T09:00:00"}
    lock_path(db_path).write_text(json.dumps(info))
    with pytest.raises(LockedError, match="berkay op andere-pc .*25-11-2026 09:00"):
        acquire_lock(db_path)


def test_garbage_lock_file_is_taken_over(db_path):
    lock_path(db_path).write_text("<b>Jan</b> & Zn")
    with acquire_lock(db_path) as lock:
        assert read_lock(db_path) == lock.info
