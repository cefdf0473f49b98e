"""Files on disk: everything that can hold data about pupils is readable by its owner only,
and nothing writes personal data to a log file or a crash report (the one log file scrubs)."""

from __future__ import annotations

import logging
import re
import stat
import sys
from pathlib import Path

import pytest

import merlet_desk
from merlet_desk import logs
from merlet_desk.store.audit_query import audit_entries, write_audit_csv
from merlet_desk.store.backup import backup_before
from merlet_desk.store.lock import acquire_lock, lock_path
from merlet_desk.store.settings import set_setting

pytestmark = [
    pytest.mark.sqlite_only("file modes of the register file and its side files"),
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes"),
]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_database_side_files_backups_lock_and_exports_are_owner_only(db, db_path, tmp_path):
    set_setting(db, "test.wie", "Joëlle van den Broek")
    wal = db_path.with_name(db_path.name + "-wal")
    shm = db_path.with_name(db_path.name + "-shm")
    assert wal.exists() and shm.exists()
    assert {mode(db_path), mode(wal), mode(shm)} == {0o600}
    backup = backup_before(db, "voor-import")
    assert mode(backup) == 0o600 and mode(backup.parent) == 0o700
    with acquire_lock(db_path):
        assert mode(lock_path(db_path)) == 0o600
    export = tmp_path / "audit.csv"
    write_audit_csv(audit_entries(db), export)
    assert mode(export) == 0o600
    log = logs.setup(tmp_path / "logs" / "merlet-desk.log")
    logging.getLogger("merlet_desk.store").warning("Leerling 1002: back-up mislukt")
    assert mode(log) == 0o600 and mode(log.parent) == 0o700
    logs.setup(tmp_path / "elders.log")  # let go of the file


def test_the_one_log_file_scrubs_what_it_writes():
    """One module writes a log file, `logs.py`, through its scrubbing formatter (no names:
    tests/test_logs.py); the one `sys.excepthook` is `ui/error_hook.py`, which shows the error
    and logs it through that module, and writes no file of its own."""
    forbidden = re.compile(
        r"FileHandler|RotatingFileHandler|basicConfig\([^)]*filename|sys\.excepthook\s*=|"
        r"faulthandler\.enable\([^)]*file"
    )
    offenders = []
    for source in Path(merlet_desk.__file__).parent.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        found = [m.group(0) for m in forbidden.finditer(text)]
        if source.name == "error_hook.py":
            assert not re.search(r"open\(|write_text|write_bytes|FileHandler", text)
            found = [f for f in found if not f.startswith("sys.excepthook")]
        if source.name == "logs.py" and source.parent.name == "merlet_desk":
            assert "handler.setFormatter(ScrubbingFormatter(FORMAT))" in text
            assert "RotatingFileHandler" in found
            found = []
        offenders += [f"{source.name}: {f}" for f in found]
    assert offenders == []
