"""Figure 12 (issue 26): the register encrypted at rest, next to the same register plain.

The large database is copied twice, once plain and once through `merlet-desk encrypt` (which
is figure 12f: its time and peak memory, in a child process of its own). Then each figure
runs on both in turn: start-up to ready, the publication check of the largest class, the
pupil import into an empty register, the consent overview PDF of the largest location and a
backup. Target: encrypted ≤ 1.15 × plain. 12g shows that a plain file costs nothing for going
through SQLCipher instead of the standard library's SQLite (200,000 inserts in one
transaction, WAL, then a full scan), and 12h the issue's own quick test: the same encrypted.

The key is in a key file here (this machine has no key store); the start-up runs look it up
through keyring's API with the tests' file-backed store, so the import of keyring and the
lookup are in the figure as they would be on an officer's laptop (the Secret Service or
Credential Manager answer itself is not).

    python benchmarks/run.py --only encryption [--sizes 2000]
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from bigdb import Size
from common import REPEAT, ROOT, Row, alternate, median, ratio_at_most, seconds_to_ready

KEY = bytes(range(32))
LIMIT = 1.15
INSERTS = 200_000

ENCRYPT_RSS = r"""
import contextlib, io, sys, time
from merlet_desk.cli import main
started = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()):
    code = main(["encrypt", "--db", sys.argv[1], "--key-file", sys.argv[2]])
elapsed = time.perf_counter() - started
peak = 0.0
with open("/proc/self/status", encoding="ascii") as status:
    for line in status:
        if line.startswith("VmHWM:"):
            peak = int(line.split()[1]) / 1024
print(code, elapsed, peak)
"""


def _pair(name: str, target: str = f"ratio ≤ {LIMIT}") -> Row:
    return Row(name, "ms", target=target, check=ratio_at_most(LIMIT))


def _copy(source: Path, target: Path) -> None:
    """A copy of the register through SQLite's backup API (never a file copy of an open one)."""
    from merlet_desk.store.backup import copy_with_backup_api
    from merlet_desk.store.connection import open_raw

    conn = open_raw(source, read_only=True, inspect=True)
    try:
        copy_with_backup_api(conn, target)
    finally:
        conn.close()


def _startup(row: Row, plain: Path, encrypted: Path, env: dict[str, str]) -> None:
    """Start-up to ready (the database open and Start painted), as figure 1b."""

    def start(path: Path, into: list[float]) -> None:
        into.append(seconds_to_ready(str(path), env))

    ours: list[float] = []
    base: list[float] = []
    alternate(lambda: start(encrypted, ours), lambda: start(plain, base), repeat=max(REPEAT, 7))
    ours, base = ours[1:], base[1:]  # the warm-up runs
    row.ours, row.baseline = median(ours) * 1000, median(base) * 1000
    row.samples, row.baseline_samples = ours, base
    row.note = "merlet-desk --db FILE --quit-after-show, the 'ready' mark; key via keyring"


def _inserts(conn, rows: int) -> None:
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, number INTEGER, note TEXT)")
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO t (name, number, note) VALUES (?, ?, ?)",
        ((f"Joëlle van den Broek {i}", i, "x" * 100) for i in range(rows)),
    )
    conn.execute("COMMIT")
    conn.execute("SELECT count(*), sum(length(note)) FROM t WHERE name LIKE '%9%'").fetchone()


def _raw_sqlite(row: Row, work: Path, *, key: bytes | None, baseline_stdlib: bool = True) -> None:
    from merlet_desk import sqlite_driver

    def run(connect, path: Path, keyed: bytes | None) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        conn = connect(str(path), isolation_level=None)
        if keyed is not None:
            conn.execute(f"PRAGMA key = \"x'{keyed.hex()}'\"")
        try:
            _inserts(conn, INSERTS)
        finally:
            conn.close()

    a, b = alternate(
        lambda: run(sqlite_driver.connect, work / "ours.sqlite", key),
        lambda: run(sqlite3.connect, work / "stdlib.sqlite", None),
    )
    row.ours, row.baseline = median(a) * 1000, median(b) * 1000
    row.samples, row.baseline_samples = a, b


def figure_encryption(rows: list[Row], big: Path, size: Size) -> None:
    from merlet_desk import sqlite_driver
    from merlet_desk.store import keys, open_database

    startup = _pair("12a. Start-up to ready, encrypted vs plain")
    check = _pair("12b. Publication check, one class, encrypted vs plain")
    pupils = _pair("12c. Pupil import, encrypted vs plain")
    report = _pair("12d. Consent overview PDF, encrypted vs plain")
    backup = _pair("12e. Backup (backup API), encrypted vs plain")
    encrypt = Row("12f. merlet-desk encrypt of the register (s; peak RSS in the note)", "s")
    plain_driver = _pair("12g. 200,000 inserts + a scan, plain: SQLCipher vs stdlib sqlite3")
    quick = Row(
        "12h. The same, encrypted (SQLCipher) vs stdlib sqlite3 (plain)",
        "ms",
        target="— (informative)",
    )
    rows += [startup, check, pupils, report, backup, encrypt, plain_driver, quick]

    work = Path(tempfile.mkdtemp(prefix="merlet-bench-encrypted-"))
    key_file = work / "sleutel.key"
    key_file.write_text(KEY.hex() + "\n", encoding="ascii")
    key_file.chmod(0o600)
    previous = os.environ.get(keys.KEY_FILE_ENV)
    os.environ[keys.KEY_FILE_ENV] = str(key_file)
    try:
        plain = work / "plain.sqlite"
        encrypted = work / "encrypted.sqlite"
        _copy(big, plain)

        # 12f: encrypt, in a child of its own for its peak memory.
        seconds, peaks = [], []
        for _ in range(max(3, REPEAT // 2)):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{encrypted}{suffix}").unlink(missing_ok=True)
            shutil.rmtree(work / "backups", ignore_errors=True)
            shutil.copyfile(plain, encrypted)
            out = subprocess.run(
                [sys.executable, "-c", ENCRYPT_RSS, str(encrypted), str(key_file)],
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
            ).stdout.split()
            if out[0] != "0":
                raise RuntimeError(f"merlet-desk encrypt exited {out[0]}")
            seconds.append(float(out[1]))
            peaks.append(float(out[2]))
        encrypt.ours, encrypt.samples = median(seconds), seconds
        encrypt.note = (
            f"{plain.stat().st_size / 2**20:.0f} MiB register: export, integrity_check, row "
            f"counts, fsync, rename; peak RSS {median(peaks):.0f} MiB (runs: "
            f"{', '.join(f'{p:.0f}' for p in peaks)})"
        )

        # 12a: the real start, the key found through keyring (the tests' file-backed store).
        sys.path.insert(0, str(ROOT))  # the repository root: tests.file_keyring
        from tests.file_keyring import BACKEND, ENV_VAR

        store = work / "sleutelkluis.json"
        env = {k: v for k, v in os.environ.items() if k not in (keys.KEY_FILE_ENV,)}
        env.update(PYTHON_KEYRING_BACKEND=BACKEND, PYTHONPATH=str(ROOT))
        # Settings of its own: the run's shared ones hold the section an earlier figure left
        # (Incidenten), and the window reopens there instead of on Start.
        env["XDG_CONFIG_HOME"] = str(work / "config")
        env[ENV_VAR] = str(store)
        entry = json.dumps({"keys": [KEY.hex()]})
        store.write_text(json.dumps({keys.SERVICE: {keys.ENTRY: entry}}), encoding="utf-8")
        _startup(startup, plain, encrypted, env)

        dbs = {
            "plain": open_database(plain, read_only=True),
            "encrypted": open_database(encrypted, read_only=True),
        }
        try:
            if sqlite_driver.key_of(dbs["encrypted"].conn) != KEY:
                raise RuntimeError("the encrypted copy opened without its key")
            _class_check(check, dbs)
            _report(report, dbs, work)
            _backup(backup, dbs, work)
        finally:
            for db in dbs.values():
                db.close()
        _import(pupils, size, work)
        _raw_sqlite(plain_driver, work, key=None)
        _raw_sqlite(quick, work, key=KEY)
        plain_driver.note = "ours: sqlcipher3 without a key; baseline: Python's sqlite3"
        quick.note = "ours: sqlcipher3 with a raw key; baseline: Python's sqlite3, plain"
    finally:
        if previous is None:
            os.environ.pop(keys.KEY_FILE_ENV, None)
        else:
            os.environ[keys.KEY_FILE_ENV] = previous
        shutil.rmtree(work, ignore_errors=True)


def _class_check(row: Row, dbs: dict) -> None:
    from datetime import date

    from merlet_desk.store import pupils as pupil_store
    from merlet_desk.store.statuses import publication_check

    db = dbs["plain"]
    klass = max(pupil_store.list_classes(db), key=lambda c: len(pupil_store.class_numbers(db, c)))
    numbers = pupil_store.class_numbers(db, klass)
    today = date.today()
    a, b = alternate(
        lambda: publication_check(dbs["encrypted"], "website", numbers, today),
        lambda: publication_check(dbs["plain"], "website", numbers, today),
        repeat=max(REPEAT, 9),
    )
    row.ours, row.baseline = median(a) * 1000, median(b) * 1000
    row.samples, row.baseline_samples = a, b
    row.note = f"class {klass}, {len(numbers)} pupils"


def _report(row: Row, dbs: dict, work: Path) -> None:
    from datetime import date

    from merlet_desk.reports.consent_overview import build_consent_overview

    location = (
        dbs["plain"]
        .execute(
            "SELECT location FROM pupils WHERE left_on IS NULL GROUP BY location"
            " ORDER BY count(*) DESC LIMIT 1"
        )
        .fetchone()[0]
    )
    today = date.today()
    a, b = alternate(
        lambda: build_consent_overview(
            dbs["encrypted"], work / "enc.pdf", location=location, on=today
        ),
        lambda: build_consent_overview(
            dbs["plain"], work / "plain.pdf", location=location, on=today
        ),
    )
    row.ours, row.baseline = median(a) * 1000, median(b) * 1000
    row.samples, row.baseline_samples = a, b
    row.note = f"location {location}"


def _backup(row: Row, dbs: dict, work: Path) -> None:
    from merlet_desk.store.backup import backup_to

    made = iter(range(10_000))

    def one(kind: str) -> None:
        target = work / f"backup-{kind}-{next(made)}.sqlite"
        backup_to(dbs[kind], target)
        target.unlink()

    a, b = alternate(lambda: one("encrypted"), lambda: one("plain"))
    row.ours, row.baseline = median(a) * 1000, median(b) * 1000
    row.samples, row.baseline_samples = a, b
    row.note = "backup -o: a new file, written through SQLite's backup API and renamed"


def _import(row: Row, size: Size, work: Path) -> None:
    from pupils_csv import pupil_rows, write_csv

    from merlet_desk.imports.pupils import import_pupils
    from merlet_desk.store import open_database

    csv_path = write_csv(work / "leerlingen.csv", pupil_rows(size.pupils))
    opened: dict[str, object] = {}

    def fresh(kind: str, key: bytes | None):
        def setup() -> None:
            previous = opened.pop(kind, None)
            if previous is not None:
                previous.close()
            path = work / f"import-{kind}.sqlite"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            opened[kind] = open_database(path, key=key)

        return setup

    try:
        a, b = alternate(
            lambda: import_pupils(opened["encrypted"], csv_path),
            lambda: import_pupils(opened["plain"], csv_path),
            setup_ours=fresh("encrypted", KEY),
            setup_baseline=fresh("plain", None),
        )
    finally:
        for db in opened.values():
            db.close()
    row.ours, row.baseline = median(a) * 1000, median(b) * 1000
    row.samples, row.baseline_samples = a, b
    row.note = f"{size.pupils:,} pupils into an empty register (audited)"
