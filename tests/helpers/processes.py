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

# A process that only lives (it sleeps until the test kills it): its PID stands for another
# Merlet Desk instance holding a database's lock.
ANOTHER_INSTANCE = [sys.executable, "-c", "import time; time.sleep(60)"]
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
    return subprocess.run(
        argv,
        capture_output=True,
        text=True,
        env=_child_environment(env),
        timeout=timeout,
        check=False,
    )


def start_cli(*args: object) -> subprocess.Popen[str]:
    """`merlet-desk ARGS` started as `run_cli` runs it, not waited for (a test acts while it
    runs)."""
    return subprocess.Popen(
        [sys.executable, "-m", "merlet_desk", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_child_environment(None),
    )


def start_together(script: str, argvs: list[list[str]]) -> list[subprocess.Popen[str]]:
    """Python children running `script`, one per argument list, released at one moment: each
    prints "klaar" when it is set up and then waits for a line on stdin, which they all get
    once all are ready. Returns them running (their stdout still open)."""
    children = [
        subprocess.Popen(
            [sys.executable, "-c", script, *argv],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for argv in argvs
    ]
    for child in children:
        assert child.stdout is not None and child.stdout.readline().strip() == "klaar"
    for child in children:
        assert child.stdin is not None
        child.stdin.write("\n")
        child.stdin.flush()
    return children


def _child_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The test's environment without the user's database settings, offscreen."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("MERLET_DESK_READ_ONLY", "MERLET_DESK_DB")
    }
    environment.update(QT_QPA_PLATFORM="offscreen", **(extra or {}))
    return environment


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


# The window, as `ui.launch.run_gui` opens the register, in a child process: `open_for_gui`
# with the deferred integrity check, the check on a worker thread with a read-only connection
# of its own (a task opens one through `store.open_database`), the gate settled, the
# Start counts on another worker connection, then the daily backup. It then obeys one command
# a line on stdin and answers one JSON line:
#   decide NUMBER DAY       record a refusal for NUMBER (website) received on DAY
#   leave NUMBER            mark NUMBER as left on 2020-01-01 (a purge candidate)
#   rows                    what the window's own connection and a fresh worker connection see
#   close                   close the connection and release the lock, as `run_gui` does
WINDOW = r"""
import json, sys, threading
from pathlib import Path
from merlet_desk import clock
from merlet_desk.store import decisions, open_database, pupils
from merlet_desk.store.attention import read_attention
from merlet_desk.store.integrity import quick_check
from merlet_desk.ui.opening import open_for_gui, run_daily_backup

path = Path(sys.argv[1])
opened = open_for_gui(path, False, interactive=False, defer_check=True)
db = opened.db


def on_worker(work):
    out = []

    def run():
        reader = open_database(path, read_only=True, defer_check=True)
        try:
            out.append(work(reader))
        finally:
            reader.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return out[0]


def rows(conn):
    return {
        table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("pupils", "decisions", "form_scans", "audit_log")
    }


db.integrity_gate.settle(on_worker(lambda reader: quick_check(reader.conn)))
db.wait_for_integrity_check()  # MainWindow.integrity_passed
on_worker(lambda reader: read_attention(reader, clock.today()))  # the Start counts
run_daily_backup(opened)
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    command, *words = line.split()
    answer = {}
    if command == "decide":
        decisions.record_decision(db, words[0], "website", "refused", "parent", "Anna <&> Broek", words[1])
    elif command == "leave":
        pupils.mark_pupils_left(db, [words[0]], "2020-01-01")
    elif command == "rows":
        answer = {"own": rows(db.conn), "worker": on_worker(lambda reader: rows(reader.conn))}
    elif command == "close":
        db.close()
        opened.lock.release()
    print(json.dumps(answer), flush=True)
    if command == "close":
        break
"""

# Another process that reads the register afresh for each question: a new connection through
# `store.open_database` (read-only), as a CLI reader such as `check` or `takedowns` opens one.
READER = r"""
import json, sys
from merlet_desk.store import open_database

for line in sys.stdin:
    db = open_database(sys.argv[1], read_only=True)
    try:
        print(json.dumps({
            table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("pupils", "decisions", "form_scans", "audit_log")
        }), flush=True)
    finally:
        db.close()
"""


class Child:
    """A long-lived Python child that answers one JSON line per command line."""

    def __init__(self, script: str, *args: object) -> None:
        environment = {k: v for k, v in os.environ.items() if k != "MERLET_DESK_READ_ONLY"}
        environment["QT_QPA_PLATFORM"] = "offscreen"
        self.process = subprocess.Popen(
            [sys.executable, "-c", script, *map(str, args)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment,
        )

    def answer(self) -> dict:
        import json

        line = self.process.stdout.readline()
        if not line:
            self.process.wait(timeout=30)
            raise AssertionError(f"the child ended: {self.process.stderr.read()}")
        return json.loads(line)

    def ask(self, *words: object) -> dict:
        self.process.stdin.write(" ".join(map(str, words)) + "\n")
        self.process.stdin.flush()
        return self.answer()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=30)


def start_window(db_path: Path) -> Child:
    """The window's process (see WINDOW), once it has opened the register and is ready."""
    window = Child(WINDOW, db_path)
    assert window.answer() == {"ready": True}
    return window


_PEAK_WRAPPER = """
import atexit, sys
peak_file = sys.argv.pop(1)

def write_peak():
    with open("/proc/self/status") as status, open(peak_file, "w") as out:
        out.write(next(line for line in status if line.startswith("VmHWM:")).split()[1])

atexit.register(write_peak)
from merlet_desk.cli import main
sys.exit(main(sys.argv[1:]))
"""

needs_proc = pytest.mark.skipif(
    not Path("/proc/self/status").exists(),
    reason="the peak memory of a child process is read from /proc/self/status (Linux)",
)


def run_cli_with_peak(
    *args: object, folder: Path, timeout: float = 180
) -> tuple[subprocess.CompletedProcess[str], float]:
    """`merlet-desk ARGS` in a child process, and the child's own peak memory in MiB (VmHWM,
    written by the child as it exits: `wait4`'s ru_maxrss would include the parent's pages of
    before the exec)."""
    peak_file = Path(folder) / "peak-kib.txt"
    result = subprocess.run(
        [sys.executable, "-c", _PEAK_WRAPPER, str(peak_file), *map(str, args)],
        capture_output=True,
        text=True,
        env=_child_environment(),
        timeout=timeout,
        check=False,
    )
    return result, int(peak_file.read_text()) / 1024


def wait_for(condition, timeout: float, message: str, interval: float = 0.02) -> None:
    """Until `condition()` is true, for what another process does (a child writing a file,
    using CPU): no Qt event loop to wait on, so it is looked at every `interval` seconds,
    which is the one sleep such a test needs. Fails with `message` after `timeout`."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(interval)


# Another process that looks at the register with SQLite alone: `PRAGMA integrity_check` and
# the rows of every table, as IT's own tools would read the file while the window has it open.
# SQLCipher (the program's one SQLite library) with the key found as every command finds it,
# so the encrypted pass reads its encrypted registers the same way.
_EVERY_ROW = r"""
import json, sys
from merlet_desk.store.connection import open_raw
conn = open_raw(sys.argv[1], read_only=True)
tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
print(json.dumps({
    "integrity": [r[0] for r in conn.execute("PRAGMA integrity_check")],
    "rows": {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables},
}))
conn.close()
"""


def every_row_in_another_process(path: Path) -> dict:
    """{"integrity": [...], "rows": {table: count}} of the file at `path`, read by a new
    process (SQLite alone: no checks, no migrations, only the key lookup)."""
    import json

    result = subprocess.run(
        [sys.executable, "-c", _EVERY_ROW, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def every_row(conn) -> dict[str, int]:
    """The rows of every table as `conn` (this process's connection) sees them."""
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
