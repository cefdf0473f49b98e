"""The password of a server login: libpq's own places first (PGPASSWORD, a pgpass file), then
the OS key store; never in the URL, an error message or a log. Against the test server's
user `anna`, who must log in with a password (tests/helpers/postgres.py)."""

from __future__ import annotations

import logging

import pytest

from merlet_desk.store import open_database
from merlet_desk.store.engine import passwords
from merlet_desk.store.engine.errors import LoginRefusedError, PasswordNeededError
from merlet_desk.store.server_url import ServerUrl
from tests.helpers.postgres import PASSWORD
from tests.helpers.processes import one_line_error, run_cli


@pytest.fixture
def anna_url(postgres_server):
    """A register that `anna` owns, reached over TCP, where the server asks her password."""
    url = postgres_server.password_register()
    yield url
    postgres_server.drop(url)


def test_no_password_anywhere_is_a_question_not_a_failure(anna_url, memory_key_store):
    with pytest.raises(PasswordNeededError, match="vraagt een wachtwoord voor anna.*pgpass"):
        open_database(anna_url)
    result = run_cli("cases", "--db", anna_url, env={"PGPASSFILE": "/nonexistent/pgpass"})
    assert result.returncode == 2
    assert "vraagt een wachtwoord" in one_line_error(result)


def test_libpq_finds_it_in_pgpassword_or_a_pgpass_file(
    anna_url, memory_key_store, tmp_path, monkeypatch
):
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    open_database(anna_url).close()
    monkeypatch.delenv("PGPASSWORD")
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"127.0.0.1:*:*:anna:{PASSWORD.replace(':', chr(92) + ':')}\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    open_database(anna_url).close()


def test_a_password_in_the_key_store_is_used_and_a_wrong_one_forgotten(anna_url, memory_key_store):
    target = ServerUrl.parse(anna_url)
    assert passwords.remember(target, PASSWORD)
    open_database(anna_url).close()
    passwords.remember(target, "oud wachtwoord")
    with pytest.raises(PasswordNeededError, match="niet meer aanvaard"):
        open_database(anna_url)
    assert passwords.stored(target) is None


def test_a_wrong_password_is_refused_without_repeating_it(anna_url, memory_key_store, caplog):
    caplog.set_level(logging.DEBUG)
    with pytest.raises(LoginRefusedError, match="weigert gebruiker anna") as caught:
        open_database(anna_url, password="Fout&Geheim<1>")
    assert "Fout&Geheim" not in str(caught.value)
    assert "Fout&Geheim" not in caplog.text
    open_database(anna_url, password=PASSWORD).close()


def test_without_a_key_store_nothing_is_kept(anna_url, monkeypatch):
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        assert passwords.remember(ServerUrl.parse(anna_url), PASSWORD) is False
        assert passwords.stored(ServerUrl.parse(anna_url)) is None
    finally:
        keyring.set_keyring(previous)
