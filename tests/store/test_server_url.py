"""A register on a server named by a URL (`store.server_url`, `store.location`): never taken
for a file, never with a password in it."""

from __future__ import annotations

from pathlib import Path

import pytest

from merlet_desk.cli import main
from merlet_desk.errors import InputError
from merlet_desk.store import location
from merlet_desk.store.server_url import ServerUrl, is_server_url

URL = "postgresql://anna@db.merletcollege.nl:5432/merlet?sslmode=verify-full"


def test_a_url_is_a_server_url_with_its_parts():
    target = ServerUrl.parse(URL)
    assert str(target) == URL
    assert (target.host, target.database, target.user, target.sslmode) == (
        "db.merletcollege.nl",
        "merlet",
        "anna",
        "verify-full",
    )
    socket = ServerUrl.parse("postgres://anna@/merlet?host=/run/postgresql")
    assert (socket.host, socket.database) == ("/run/postgresql", "merlet")
    assert ServerUrl.parse("postgresql:///?service=merlet").database == "merlet"
    assert is_server_url(" POSTGRESQL://x/y") and not is_server_url("C:\\data\\merlet.sqlite")
    assert not is_server_url(Path("postgresql:/x/y"))


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("postgresql://anna:Geheim!@db/merlet", "wachtwoord"),
        ("postgresql://anna@db/merlet?password=Geheim", "wachtwoord"),
        ("postgresql://anna@db:5432", "noemt geen database"),
        ("postgresql://anna@db:99999/merlet", "de poort bestaat niet"),
        ("postgresql://anna@db:poort/merlet", "de poort is geen getal"),
    ],
)
def test_a_url_that_cannot_be_used_is_one_line_that_says_why(value, problem):
    with pytest.raises(InputError, match=problem) as caught:
        ServerUrl.parse(value)
    assert "Geheim" not in str(caught.value)  # not even in the message about it


def test_the_url_comes_from_db_the_environment_or_the_ini(install_dir, monkeypatch):
    ini = install_dir / location.INI_FILENAME
    ini.write_text(f"[merlet-desk]\ndatabase = {URL}\n", encoding="utf-8")
    target, source = location.database_path_and_source(None)
    assert target == ServerUrl(URL) and source == str(ini.resolve())  # not a path beside it
    monkeypatch.setenv(location.ENV_VAR, "postgresql://bert@/merlet?host=/run/postgresql")
    assert location.resolve_database_path(None) == ServerUrl(
        "postgresql://bert@/merlet?host=/run/postgresql"
    )
    assert location.resolve_database_path(URL) == ServerUrl(URL)
    assert location.resolve_database_path("merlet.sqlite") == Path("merlet.sqlite")


def test_a_password_in_the_ini_file_is_refused_naming_the_file(install_dir):
    ini = install_dir / location.INI_FILENAME
    ini.write_text("[merlet-desk]\ndatabase = postgresql://anna:Geheim@db/merlet\n")
    with pytest.raises(InputError, match="merlet-desk.ini, database.*pgpass") as caught:
        location.resolve_database_path(None)
    assert "Geheim" not in str(caught.value)


def test_commands_about_a_file_say_what_to_use_for_a_server(capsys):
    assert main(["verify", "--db", URL]) == 2
    err = capsys.readouterr().err
    assert "'verify' werkt op een databasebestand" in err and "pg_amcheck" in err
    assert main(["cases", "--db", "postgresql://anna:Geheim@db/merlet"]) == 2
    err = capsys.readouterr().err
    assert "~/.pgpass" in err and "Geheim" not in err
