"""Encryption in the window: Extra › Versleutelen…, the step in "Zo begint u", a machine
without a key store, and the recovery key asked when the key is not on this computer."""

from __future__ import annotations

import re

import pytest

from merlet_desk import sqlite_driver
from merlet_desk.store import open_database
from merlet_desk.ui.common import dialogs
from tests.helpers import dump_tables, open_window, pdf_text
from tests.helpers.builders import leaked_secrets, sensitive_school


@pytest.fixture
def plain(tmp_path):
    return sensitive_school(tmp_path / "merlet.sqlite")


def answer(monkeypatch, *, saves, yes=(True, False)):
    """Patch the dialogs: `saves` are the paths chosen in turn, `yes` the answers in turn;
    the messages shown are returned."""
    saves, yes, shown = list(saves), list(yes), []
    monkeypatch.setattr(dialogs, "choose_save_path", lambda *args, **kw: saves.pop(0))
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda parent, title, text: yes.pop(0))
    for kind in ("show_error", "show_info"):
        monkeypatch.setattr(
            dialogs, kind, lambda parent, title, text, kind=kind: shown.append((kind, text))
        )
    return shown


def opened(qtbot, path):
    from merlet_desk.store.lock import acquire_lock

    window = open_window(qtbot, open_database(path), path)
    window.database_lock = acquire_lock(path)
    return window


def test_extra_encrypt_encrypts_the_open_register_and_reopens_it(
    qtbot, plain, tmp_path, key_store, monkeypatch
):
    reader = open_database(plain, read_only=True)
    before = dump_tables(reader)
    # Closed here: left to the garbage collector (which runs from the event loop only), its
    # connection could still hold the file when the window encrypts it.
    reader.close()
    window = opened(qtbot, plain)
    sheet = tmp_path / "Herstelsleutel.pdf"
    shown = answer(monkeypatch, saves=[sheet])
    window.safety_actions["encrypt"].trigger()
    assert shown == []
    assert sqlite_driver.key_of(window.db.conn) is not None  # the window works on it again
    assert dump_tables(window.db) == before
    assert leaked_secrets(plain) == []
    assert re.search(r"\d{6}(-\d{6}){7}", pdf_text(sheet))
    assert "databasesleutels" in key_store.read_text()
    window.database_lock.release()


def test_encrypting_asks_first_and_a_no_changes_nothing(qtbot, plain, key_store, monkeypatch):
    window = opened(qtbot, plain)
    answer(monkeypatch, saves=[], yes=[False])
    window.safety_actions["encrypt"].trigger()
    assert sqlite_driver.key_of(window.db.conn) is None
    window.db.close()
    window.database_lock.release()
    assert leaked_secrets(plain)  # still the plain file
    assert not key_store.exists()  # no key was made


def test_the_start_screen_offers_encryption_until_it_is_done(
    qtbot, plain, tmp_path, key_store, monkeypatch
):
    window = opened(qtbot, plain)
    start = window.show_section("start")
    qtbot.waitUntil(lambda: start.encrypt_step.mark.text() == "4.")
    assert "Versleutel de database (aanbevolen)" in start.encrypt_step.text.text()
    answer(monkeypatch, saves=[tmp_path / "blad.pdf"])
    start.encrypt_step.buttons[0].click()
    start = window.show_section("start")  # the sections were rebuilt on the encrypted file
    qtbot.waitUntil(lambda: start.encrypt_step.mark.text() == "✓")
    window.database_lock.release()


def test_without_a_key_store_the_key_goes_to_a_key_file_the_user_chooses(
    qtbot, plain, tmp_path, no_key_store, monkeypatch
):
    from PySide6.QtCore import QSettings

    from merlet_desk.ui.common.key_file_setting import KEY_FILE_SETTING

    window = opened(qtbot, plain)
    key_file = tmp_path / "usb" / "merlet-desk.key"
    key_file.parent.mkdir()
    shown = answer(monkeypatch, saves=[key_file, tmp_path / "blad.pdf"], yes=[True, True, False])
    window.safety_actions["encrypt"].trigger()
    assert shown == []
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert sqlite_driver.key_of(window.db.conn) == bytes.fromhex(key_file.read_text().strip())
    assert QSettings().value(KEY_FILE_SETTING) == str(key_file)
    window.database_lock.release()


def test_a_register_whose_key_is_not_here_asks_for_the_recovery_key(
    plain, tmp_path, key_store, monkeypatch, capsys
):
    from merlet_desk.encryption import encrypt
    from merlet_desk.ui.opening import open_for_gui

    digits = encrypt(plain).recovery.text
    key_store.unlink()
    typed = ["123456-" * 8, digits]  # a typo first, then the sheet's digits
    errors = []
    monkeypatch.setattr(dialogs, "ask_text", lambda *args, **kw: typed.pop(0))
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, text: errors.append(text))
    monkeypatch.setattr(dialogs, "show_info", lambda *args: None)
    result = open_for_gui(plain, read_only=True)
    assert result is not None and sqlite_driver.key_of(result.db.conn) is not None
    result.db.close()
    assert typed == [] and len(errors) == 1 and "Tikfout" in errors[0]
    assert "sleutelkluis" in capsys.readouterr().err


def test_a_key_file_it_made_is_used_as_it_is_without_a_recovery_sheet(
    qtbot, plain, tmp_path, no_key_store, monkeypatch
):
    from merlet_desk.store import keys
    from tests.helpers.keystore import TEST_KEY, write_test_key_file

    keys.use_key_file(write_test_key_file(tmp_path / "van-it.key"))  # as MERLET_DESK_KEY_FILE
    window = opened(qtbot, plain)
    shown = answer(monkeypatch, saves=[], yes=[True])
    window.safety_actions["encrypt"].trigger()
    assert sqlite_driver.key_of(window.db.conn) == TEST_KEY
    [(kind, text)] = shown
    assert kind == "show_info" and "geen herstelsleutel" in text
    window.database_lock.release()
