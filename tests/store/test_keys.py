"""Where the database key lives: a key file (0600, 64 hex characters) or the key store."""

from __future__ import annotations

import os

import pytest

from merlet_desk.store import keys
from merlet_desk.store.errors import KeyFileError, NoKeyStoreError
from tests.helpers.keystore import TEST_KEY, write_test_key_file

pytestmark = pytest.mark.sqlite_only("keys encrypt a register file; a server's disk is IT's")

KEY = bytes.fromhex("ab" * 32)


@pytest.mark.parametrize("ending", ["", "\n", "\r\n"])
def test_a_key_file_holds_64_hex_characters_and_at_most_a_newline(tmp_path, ending):
    path = tmp_path / "sleutel"
    path.write_text("AB" * 32 + ending, encoding="ascii", newline="")
    path.chmod(0o600)
    assert keys.read_key_file(path) == KEY


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("ab" * 31, "gevonden: 62 tekens"),
        ("ab" * 33, "gevonden: 66 tekens"),
        ("zz" * 32, "geen 0-9 of a-f"),
        ("ab" * 32 + "\n\n", "gevonden: 65 tekens"),
        (" " + "ab" * 32, "gevonden: 65 tekens"),
        ("", "gevonden: 0 tekens"),
    ],
)
def test_anything_else_in_a_key_file_is_refused_with_the_reason(tmp_path, content, says):
    path = tmp_path / "sleutel"
    path.write_text(content, encoding="ascii")
    path.chmod(0o600)
    with pytest.raises(KeyFileError) as caught:
        keys.read_key_file(path)
    assert f"Het sleutelbestand {path} bevat geen sleutel" in str(caught.value)
    assert says in str(caught.value)


@pytest.mark.skipif(os.name != "posix", reason="owner-only permissions are POSIX file modes")
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660, 0o666])
def test_a_key_file_others_may_read_is_refused_with_its_mode_and_the_fix(tmp_path, mode):
    path = write_test_key_file(tmp_path / "sleutel")
    path.chmod(mode)
    with pytest.raises(KeyFileError) as caught:
        keys.read_key_file(path)
    message = str(caught.value)
    assert f"(rechten {mode:04o})" in message
    assert "0600" in message and f'chmod 600 "{path}"' in message


def test_a_missing_key_file_or_a_folder_is_refused(tmp_path):
    with pytest.raises(KeyFileError, match="bestaat niet"):
        keys.read_key_file(tmp_path / "nergens")
    with pytest.raises(KeyFileError, match="geen gewoon bestand"):
        keys.read_key_file(tmp_path)


def test_a_written_key_file_is_0600_and_never_overwrites_one(tmp_path):
    path = keys.write_key_file(tmp_path / "sleutel", KEY)
    assert path.read_text() == "ab" * 32 + "\n"
    if os.name == "posix":
        assert path.stat().st_mode & 0o777 == 0o600
    with pytest.raises(KeyFileError, match="bestaat al"):
        keys.write_key_file(path, TEST_KEY)
    assert keys.read_key_file(path) == KEY
    keys.write_key_file(path, TEST_KEY, replace=True)  # a rotation
    assert keys.read_key_file(path) == TEST_KEY
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sleutel"]


def test_key_file_option_wins_over_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(keys.KEY_FILE_ENV, str(tmp_path / "uit-omgeving"))
    assert keys.configured_key_file() == tmp_path / "uit-omgeving"
    keys.use_key_file(tmp_path / "optie")
    assert keys.configured_key_file() == tmp_path / "optie"
    keys.use_key_file(None)
    monkeypatch.delenv(keys.KEY_FILE_ENV)
    assert keys.configured_key_file() is None


def test_the_key_store_keeps_keys_newest_first_and_forgets_one(key_store):
    assert keys.stored_keys() == []
    keys.store_key(TEST_KEY)
    keys.store_key(KEY)
    assert keys.stored_keys() == [KEY, TEST_KEY]
    keys.store_key(TEST_KEY)  # again: moved to the front, not twice
    assert keys.stored_keys() == [TEST_KEY, KEY]
    keys.forget_key(TEST_KEY)
    assert keys.stored_keys() == [KEY]
    assert "ab" * 32 in key_store.read_text()  # the test's key store really holds it
    keys.forget_key(KEY)
    assert keys.stored_keys() == []


def test_the_key_store_holds_at_most_16_keys(key_store):
    for n in range(20):
        keys.store_key(bytes([n]) * 32)
    stored = keys.stored_keys()
    assert len(stored) == keys.MAX_STORED_KEYS
    assert stored[0] == bytes([19]) * 32


def test_without_a_key_store_the_program_says_so_and_asks_for_a_key_file(no_key_store):
    problem = keys.key_store_problem()
    assert problem is not None and "geen sleutelkluis" in problem and "--key-file" in problem
    with pytest.raises(NoKeyStoreError, match="--key-file"):
        keys.store_key(KEY)
    candidates = keys.candidate_keys()
    assert candidates.keys == [] and candidates.store_problem == problem


def test_a_key_store_that_forgets_what_it_was_given_is_not_trusted(key_store, monkeypatch):
    from tests.helpers.keystore import FileKeyring

    monkeypatch.setattr(FileKeyring, "set_password", lambda self, *args: None)
    with pytest.raises(NoKeyStoreError, match="niet bewaard"):
        keys.store_key(KEY)


def test_a_given_key_file_is_the_only_key_tried(key_store, tmp_path):
    keys.store_key(KEY)
    assert keys.candidate_keys().keys == [KEY]
    keys.use_key_file(write_test_key_file(tmp_path / "sleutel"))
    candidates = keys.candidate_keys()
    assert candidates.keys == [TEST_KEY] and candidates.key_file == tmp_path / "sleutel"


def test_a_database_or_its_side_file_named_as_key_file_is_refused_unread(db_path, db):
    """Reading the register (or its -wal) as a key file would drop this process's locks on it:
    refused from its size or its name, before it is opened."""
    db.execute("SELECT count(*) FROM pupils").fetchone()
    with pytest.raises(KeyFileError, match="te groot"):
        keys.read_key_file(db_path)
    wal = db_path.with_name(db_path.name + "-wal")
    if wal.exists():
        with pytest.raises(KeyFileError, match="hulpbestand"):
            keys.read_key_file(wal)
    side = db_path.with_name("ander.sqlite-journal")
    side.write_text("ab" * 32)
    side.chmod(0o600)
    with pytest.raises(KeyFileError, match="hulpbestand"):
        keys.read_key_file(side)
