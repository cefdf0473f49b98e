"""The GUI launch path: damaged file, second instance, network share, read-only setting."""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import socket
import subprocess

import pytest

from merlet_desk.store import open_database
from merlet_desk.store.backup import list_backups
from merlet_desk.store.lock import lock_path, read_lock
from merlet_desk.store.settings import get_setting, set_setting
from merlet_desk.ui import launch, opening
from merlet_desk.ui.common import dialogs
from tests.helpers import school_with_backup
from tests.helpers.processes import ANOTHER_INSTANCE


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Recorder:
    """Stands in for the modal dialogs; remembers what the user was shown."""

    def __init__(self, monkeypatch, answer: bool) -> None:
        self.shown: list[tuple[str, str, str]] = []
        self.answer = answer
        for kind in ("show_error", "show_info", "show_warning"):
            monkeypatch.setattr(dialogs, kind, self._show(kind))
        monkeypatch.setattr(dialogs, "ask_yes_no", self._ask)

    def _show(self, kind):
        def show(parent, title, message):
            self.shown.append((kind, title, message))

        return show

    def _ask(self, parent, title, question):
        self.shown.append(("ask_yes_no", title, question))
        return self.answer


@pytest.fixture
def damaged_with_backup(tmp_path):
    path = school_with_backup(tmp_path / "school" / "merlet-desk.sqlite")
    data = path.read_bytes()
    path.write_bytes(data[:8192] + b"\x00garbage\xff" * 400 + data[8192 + 4000 : len(data) // 2])
    return path


def test_damaged_file_no_means_nothing_moves(qapp, damaged_with_backup, monkeypatch):
    path = damaged_with_backup
    recorder = Recorder(monkeypatch, answer=False)
    before = digest(path)
    listing = sorted(p.name for p in path.parent.rglob("*"))
    assert opening.open_for_gui(path, read_only=False) is None
    kind, title, question = recorder.shown[-1]
    assert kind == "ask_yes_no" and title == "Database beschadigd"
    assert "beschadigd of afgekapt" in question and "niets naar het bestand geschreven" in question
    assert (
        "24-11-2026 08:30" in question
        and "0 leerlingen, 0 besluiten, 0 gescande formulieren" in question
    )
    assert "Kiest u Nee, dan wordt er niets verplaatst" in question
    assert digest(path) == before
    assert sorted(p.name for p in path.parent.rglob("*")) == listing
    assert not lock_path(path).exists()


def test_damaged_file_yes_restores_the_newest_good_backup(qapp, damaged_with_backup, monkeypatch):
    path = damaged_with_backup
    recorder = Recorder(monkeypatch, answer=True)
    before = digest(path)
    opened = opening.open_for_gui(path, read_only=False)
    assert opened is not None and not opened.read_only
    assert get_setting(opened.db, "test.299") == "Meryem Boujdaini 299"
    assert recorder.shown[-1][1] == "Back-up teruggezet"
    kept = [b for b in list_backups(path.parent / "backups", path) if b.reason == "beschadigd"]
    assert len(kept) == 1 and digest(kept[0].path) == before
    opened.db.close()
    opened.lock.release()


def test_damaged_file_without_backup_explains_and_stops(qapp, tmp_path, monkeypatch):
    path = tmp_path / "merlet-desk.sqlite"
    db = open_database(path)
    with db.atomic():
        for i in range(300):
            set_setting(db, f"test.{i}", "Zofia Łęcka")
    db.close()
    shutil.rmtree(tmp_path / "backups", ignore_errors=True)
    path.write_bytes(path.read_bytes()[: 3 * 4096])
    before = digest(path)
    recorder = Recorder(monkeypatch, answer=True)
    assert opening.open_for_gui(path, read_only=False) is None
    assert [s[0] for s in recorder.shown] == ["show_error"]
    assert "geen goede back-up" in recorder.shown[0][2]
    assert digest(path) == before


def test_second_instance_is_offered_read_only(qapp, db, db_path, monkeypatch):
    child = subprocess.Popen(ANOTHER_INSTANCE)
    try:
        info = {"pid": child.pid, "host": socket.gethostname(), "user": "berkay", "since": "x"}
        lock_path(db_path).write_text(json.dumps(info))
        recorder = Recorder(monkeypatch, answer=False)
        assert opening.open_for_gui(db_path, read_only=False) is None
        assert "berkay" in recorder.shown[0][2] and "alleen-lezen" in recorder.shown[0][2]
        recorder.answer = True
        opened = opening.open_for_gui(db_path, read_only=False)
        assert opened.read_only and opened.lock is None
        with pytest.raises(Exception, match="readonly"):
            opened.db.execute("INSERT INTO settings (key, value) VALUES ('x', '1')")
        opened.db.close()
        assert read_lock(db_path).user == "berkay"  # their lock is left alone
    finally:
        child.kill()
        child.wait()


def test_first_instance_takes_the_lock_and_a_daily_backup(qapp, db, db_path, monkeypatch):
    Recorder(monkeypatch, answer=True)
    opened = opening.open_for_gui(db_path, read_only=False)
    assert read_lock(db_path) == opened.lock.info
    assert opening.run_daily_backup(opened) is None
    assert [b.reason for b in list_backups(db_path.parent / "backups", db_path)] == ["dagelijks"]
    opened.db.close()
    opened.lock.release()
    assert not lock_path(db_path).exists()
    again = opening.open_for_gui(db_path, read_only=False)  # same day: no second backup
    opening.run_daily_backup(again)
    assert len(list_backups(db_path.parent / "backups", db_path)) == 1
    again.db.close()
    again.lock.release()


def test_network_share_warns(qapp, db, db_path, monkeypatch):
    import merlet_desk.store.netshare as netshare

    monkeypatch.setattr(netshare, "network_share_kind", lambda path: "cifs")
    recorder = Recorder(monkeypatch, answer=True)
    opened = opening.open_for_gui(db_path, read_only=True)
    assert recorder.shown[0][0] == "show_warning"
    assert "netwerkschijf (cifs)" in recorder.shown[0][2]
    assert "netwerkschijf" in opened.notices[0]
    opened.db.close()


def test_read_only_setting_from_it_wins(qapp, db, db_path, monkeypatch):
    seen = {}

    def fake_open(path, read_only, *, interactive=True, create=False, defer_check=False):
        seen["read_only"] = read_only
        return None

    monkeypatch.setattr(launch, "open_for_gui", fake_open)
    monkeypatch.setenv("MERLET_DESK_READ_ONLY", "1")
    args = argparse.Namespace(db=str(db_path), read_only=False, quit_after_show=True)
    assert launch.run_gui(args) == 2
    assert seen["read_only"] is True
    monkeypatch.setenv("MERLET_DESK_READ_ONLY", "0")
    launch.run_gui(args)
    assert seen["read_only"] is False


def test_opening_another_database_moves_the_lock_and_offers_read_only(
    qtbot, db, db_path, tmp_path, monkeypatch
):
    from merlet_desk.ui.main_window import MainWindow

    Recorder(monkeypatch, answer=True)
    opened = opening.open_for_gui(db_path, read_only=False)
    window = MainWindow(opened.db, db_path, lock=opened.lock)
    qtbot.addWidget(window)
    other = tmp_path / "ander.sqlite"
    open_database(other).close()
    assert window.switch_database(other)
    assert read_lock(db_path) is None and read_lock(other).pid == window.database_lock.info.pid

    third = tmp_path / "derde.sqlite"
    open_database(third).close()
    child = subprocess.Popen(ANOTHER_INSTANCE)
    try:
        info = {"pid": child.pid, "host": socket.gethostname(), "user": "zofia", "since": "x"}
        lock_path(third).write_text(json.dumps(info))
        assert window.switch_database(third)  # the recorder said yes to read-only
        assert window.read_only and "(alleen-lezen)" in window.windowTitle()
        assert not window.safety_actions["restore"].isEnabled()
        assert read_lock(other) is None and read_lock(third).user == "zofia"
    finally:
        child.kill()
        child.wait()
    window.db.close()


def test_a_daily_backup_that_fails_says_so_in_the_status_bar_and_the_log(
    qtbot, db, db_path, tmp_path, monkeypatch
):
    """The backup folder cannot be made (a file is in the way): the program still opens,
    the status bar says the backup was not made and why, and the log keeps it for IT."""
    from merlet_desk import logs
    from merlet_desk.ui.main_window import MainWindow

    blocker = tmp_path / "geen-map"
    blocker.write_text("een bestand, geen map")
    set_setting(db, "safety.backup_dir", str(blocker / "back-ups"))
    db.close()
    log_file = logs.setup()
    Recorder(monkeypatch, answer=True)
    opened = opening.open_for_gui(db_path, read_only=False)
    window = MainWindow(opened.db, db_path, lock=opened.lock)
    qtbot.addWidget(window)
    try:
        problem = opening.backup_after_show(window, opened)
        assert problem is not None and str(blocker / "back-ups") in problem
        notice = window.statusBar().currentMessage()
        assert notice == f"De dagelijkse back-up is niet gemaakt: {problem}"
        logged = log_file.read_text(encoding="utf-8")
        assert "WARNING merlet_desk.ui.opening: Dagelijkse back-up mislukt: " in logged
        assert get_setting(window.db, "safety.backup_dir") == str(blocker / "back-ups")  # works
    finally:
        window.close()
        opened.db.close()
        opened.lock.release()


def test_a_daily_backup_that_works_leaves_the_status_bar_alone(qtbot, db, db_path, monkeypatch):
    from merlet_desk.ui.main_window import MainWindow

    Recorder(monkeypatch, answer=True)
    opened = opening.open_for_gui(db_path, read_only=False)
    window = MainWindow(opened.db, db_path)
    qtbot.addWidget(window)
    try:
        assert opening.backup_after_show(window, opened) is None
        assert window.statusBar().currentMessage() == ""
        assert [b.reason for b in list_backups(db_path.parent / "backups", db_path)] == [
            "dagelijks"
        ]
    finally:
        window.close()
        opened.db.close()
        opened.lock.release()
