"""A damaged or truncated database is refused with a clear message and never written to."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from merlet_desk.store import StoreError, open_database
from merlet_desk.store.integrity import DamagedDatabaseError
from merlet_desk.store.settings import set_setting
from merlet_desk.store.verification import verify


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def real_copy(db_path, tmp_path) -> Path:
    """A copy of a real, closed database with some hundreds of audited changes."""
    db = open_database(db_path)
    with db.atomic():
        for i in range(400):
            set_setting(db, f"test.pupil{i}", f"Zofia Łęcka {i} <b>Jan</b> & Zn")
    db.close()
    copy = tmp_path / "kopie" / "merlet-desk.sqlite"
    copy.parent.mkdir()
    shutil.copyfile(db_path, copy)
    return copy


def truncate_and_scribble(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    data[3 * page : 3 * page + 600] = os.urandom(600)  # scribble inside a b-tree page
    path.write_bytes(bytes(data[: len(data) * 2 // 3]))  # and cut off the last third


@pytest.mark.parametrize("read_only", [False, True])
def test_damaged_file_is_refused_byte_for_byte_untouched(real_copy, read_only):
    truncate_and_scribble(real_copy)
    before = digest(real_copy)
    size = real_copy.stat().st_size
    with pytest.raises(DamagedDatabaseError) as caught:
        open_database(real_copy, read_only=read_only)
    assert isinstance(caught.value, StoreError)
    message = str(caught.value)
    assert "beschadigd of afgekapt" in message
    assert "niets naar het bestand geschreven" in message
    assert "back-up" in message
    assert digest(real_copy) == before and real_copy.stat().st_size == size
    # Nothing moved or backed up without asking.
    assert sorted(p.name for p in real_copy.parent.iterdir() if not p.name.endswith("-shm")) in (
        ["merlet-desk.sqlite"],
        ["merlet-desk.sqlite", "merlet-desk.sqlite-wal"],
    )


def test_only_truncated_is_refused_too(real_copy):
    data = real_copy.read_bytes()
    real_copy.write_bytes(data[: len(data) // 2])
    before = digest(real_copy)
    with pytest.raises(DamagedDatabaseError):
        open_database(real_copy)
    assert digest(real_copy) == before


def test_verify_reports_damage_without_writing(real_copy):
    assert verify(real_copy).ok
    truncate_and_scribble(real_copy)
    before = digest(real_copy)
    result = verify(real_copy)
    assert not result.ok
    assert "BESCHADIGD" in result.summary()
    assert digest(real_copy) == before
    assert [p.name for p in real_copy.parent.iterdir()] == ["merlet-desk.sqlite"]  # no -wal/-shm


def test_a_busy_database_is_not_called_damaged(db_path, monkeypatch):
    from merlet_desk.store import connection
    from merlet_desk.store.errors import DatabaseUnavailableError
    from tests.helpers import sqlite

    open_database(db_path).close()
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 50)
    holder = sqlite.connect(db_path, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseUnavailableError, match="bezet"):
            open_database(db_path)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    open_database(db_path).close()
