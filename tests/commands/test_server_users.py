"""`merlet-desk server add-user | users | remove-user`, and the commands as each role runs them
on a register on a PostgreSQL server (`store.engine.access`): allowed ones work, refused ones
exit 2 with one Dutch line and change nothing.

PostgreSQL only: SQLite has one seat and no users."""

from __future__ import annotations

import io
import json

import pytest

from merlet_desk.cli import main
from tests.helpers.roles import (
    as_seat,
    filled_register,
    new_seat,
    owner_dump,
    password_matches,
    raw_session,
    refused,
)


@pytest.fixture
def register(postgres_server):
    """A filled register: its URL and the case references by location."""
    with filled_register(postgres_server) as made:
        yield made


def _unique(name: str) -> str:
    import os

    return f"{name}_{os.getpid()}"


def _role_exists(server, login: str) -> bool:
    return bool(server.sql("SELECT 1 FROM pg_roles WHERE rolname = %s", params=[login]))


def _users(url: str, capsys) -> list[dict]:
    assert main(["server", "users", "--json", "--db", url]) == 0
    return json.loads(capsys.readouterr().out)


def _one_dutch_line(capsys) -> str:
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("merlet-desk: "), err
    assert "Traceback" not in err
    return lines[0]


# -- add-user, users, remove-user ---------------------------------------------------------------


def test_add_user_prints_a_generated_password_once_and_users_lists_the_seat(
    postgres_server, register, capsys
):
    url, _ = register
    login = _unique("grave_leider")
    assert (
        main(["server", "add-user", login, "--role", "reader", "--locations", "Grave", "--db", url])
        == 0
    )
    out = capsys.readouterr().out
    assert f"Gebruiker {login} aangemaakt: reader, locaties Grave." in out
    [password_line] = [line for line in out.splitlines() if line.startswith("Wachtwoord")]
    password = password_line.rsplit(": ", 1)[1]
    assert len(password) >= 20 and out.count(password) == 1
    assert password_matches(postgres_server, login, password)
    # Sent to the server only as its SCRAM hash: not in the server's log either.
    assert password not in postgres_server.log.read_text(errors="replace")
    [seat] = [row for row in _users(url, capsys) if row["name"] == login]
    assert seat["roles"] == ["reader"] and seat["locations"] == ["Grave"]
    assert main(["server", "users", "--db", url]) == 0
    assert f"{login}\treader\tGrave" in capsys.readouterr().out


def test_add_user_reads_the_password_from_stdin_and_prints_none(
    postgres_server, register, capsys, monkeypatch
):
    url, _ = register
    login = _unique("zofia.lecka")
    password = "Zomer&Winter<2026> Łęcka"
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    args = ["server", "add-user", login, "--role", "officer,incidents", "--locations", "Cuijk"]
    assert main([*args, "--password-stdin", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "Wachtwoord" not in out and password not in out
    assert password_matches(postgres_server, login, password)
    [seat] = [row for row in _users(url, capsys) if row["name"] == login]
    assert seat["roles"] == ["officer", "incidents"] and seat["locations"] == ["Cuijk"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--role", "beheerder"], "kies officer, reader of incidents"),
        (["--role", "reader"], "--locations ontbreekt"),
        (["--role", "incidents"], "--locations ontbreekt"),
        (["--role", "officer", "--locations", "Grave"], "werkt voor alle locaties"),
        (["--role", "reader,officer", "--locations", "Grave"], "gaat niet samen"),
    ],
)
def test_add_user_with_bad_options_exits_2_and_makes_nobody(
    postgres_server, register, capsys, args, message
):
    url, _ = register
    login = _unique("berkay")
    assert main(["server", "add-user", login, *args, "--db", url]) == 2
    assert message in _one_dutch_line(capsys)
    assert not _role_exists(postgres_server, login)
    assert _users(url, capsys) == []


def test_add_user_refuses_a_bad_name_a_taken_one_and_a_short_password(
    postgres_server, register, capsys, monkeypatch
):
    url, _ = register
    bad = "Robert'); DROP TABLE pupils;--"
    assert main(["server", "add-user", bad, "--role", "officer", "--db", url]) == 2
    assert "kan geen inlognaam zijn" in _one_dutch_line(capsys)
    assert main(["server", "add-user", "postgres", "--role", "officer", "--db", url]) == 2
    assert "bestaat al een gebruiker postgres" in _one_dutch_line(capsys)
    monkeypatch.setattr("sys.stdin", io.StringIO("kort\n"))
    login = _unique("meryem")
    args = ["server", "add-user", login, "--role", "officer", "--password-stdin", "--db", url]
    assert main(args) == 2
    assert "korter dan 12 tekens" in _one_dutch_line(capsys)
    assert not _role_exists(postgres_server, login)
    assert _users(url, capsys) == []


def test_remove_user_removes_the_login_and_keeps_the_seats_history(
    postgres_server, register, capsys
):
    url, _ = register
    login = new_seat(url, ("officer",))
    assert main(["server", "remove-user", login, "--db", url]) == 0
    assert "blijft in de geschiedenis op diens naam staan" in capsys.readouterr().out
    assert not _role_exists(postgres_server, login)
    assert _users(url, capsys) == []
    assert main(["server", "remove-user", login, "--db", url]) == 2
    assert "is geen gebruiker van dit register" in _one_dutch_line(capsys)


@pytest.mark.parametrize(
    "roles", [("reader",), ("officer",), ("incidents",), ("officer", "incidents")]
)
def test_a_seat_cannot_add_or_remove_users(postgres_server, register, capsys, roles):
    url, _ = register
    locations = () if roles == ("officer",) else ("Grave",)
    login = new_seat(url, roles, locations)
    other = new_seat(url, ("reader",), ("Mill",))
    seat_url = as_seat(postgres_server, url, login)
    before = owner_dump(url)
    add = ["server", "add-user", _unique("stiekem"), "--role", "officer", "--db", seat_url]
    assert main(add) == 2
    assert "mag op deze server geen gebruikers maken" in _one_dutch_line(capsys)
    assert main(["server", "remove-user", other, "--db", seat_url]) == 2
    _one_dutch_line(capsys)
    assert _role_exists(postgres_server, other)
    assert not _role_exists(postgres_server, _unique("stiekem"))
    assert owner_dump(url) == before
    # A seat's own list holds itself only.
    assert [row["name"] for row in _users(seat_url, capsys)] == [login]


def test_a_file_is_not_a_server(tmp_path, capsys):
    assert main(["server", "users", "--db", str(tmp_path / "merlet.sqlite")]) == 2
    assert "werkt op een PostgreSQL-server" in _one_dutch_line(capsys)


# -- the commands per role ----------------------------------------------------------------------


def test_cases_as_each_role(postgres_server, register, capsys):
    url, cases = register
    incidents = as_seat(postgres_server, url, new_seat(url, ("incidents",), ("Grave",)))
    assert main(["cases", "--json", "--db", incidents]) == 0
    assert [row["reference"] for row in json.loads(capsys.readouterr().out)] == [cases["Grave"]]
    assert main(["cases", "--location", "Cuijk", "--json", "--db", incidents]) == 0
    assert json.loads(capsys.readouterr().out) == []
    for roles, locations in ((("reader",), ("Grave",)), (("officer",), ())):
        seat = as_seat(postgres_server, url, new_seat(url, roles, locations))
        assert main(["cases", "--db", seat]) == 2
        assert "geen recht op de tabel cases" in _one_dutch_line(capsys)


@pytest.mark.parametrize("roles", [("reader",), ("incidents",)])
def test_writing_commands_of_a_seat_without_the_right_exit_2_and_change_nothing(
    postgres_server, register, capsys, tmp_path, roles
):
    url, _ = register
    seat = as_seat(postgres_server, url, new_seat(url, roles, ("Grave",)))
    pupils = tmp_path / "leerlingen.csv"
    pupils.write_text(
        "leerlingnummer;roepnaam;tussenvoegsel;achternaam;geboortedatum;klas;locatie\n"
        "2003;Meryem;;Boujdaini;01-01-2012;1G;Grave\n",
        encoding="utf-8",
    )
    before = owner_dump(url)
    assert main(["import-pupils", str(pupils), "--db", seat]) == 2
    assert "dit niet toe" in _one_dutch_line(capsys)
    assert main(["server", "init", "--db", seat]) == 2
    _one_dutch_line(capsys)
    assert owner_dump(url) == before


@pytest.mark.parametrize(
    "roles", [("reader",), ("officer",), ("incidents",), ("officer", "incidents")]
)
def test_the_purge_and_a_whole_backup_are_the_owners(
    postgres_server, register, capsys, tmp_path, roles
):
    url, _ = register
    locations = () if roles == ("officer",) else ("Grave",)
    seat = as_seat(postgres_server, url, new_seat(url, roles, locations))
    before = owner_dump(url)
    assert main(["purge", "--db", seat]) == 2
    assert "doet op de server de eigenaar van het register" in _one_dutch_line(capsys)
    output = tmp_path / "kopie.sqlite"
    assert main(["backup", "--db", seat, "-o", str(output)]) == 2
    assert "doet op de server de eigenaar van het register" in _one_dutch_line(capsys)
    assert not output.exists()
    assert owner_dump(url) == before
    assert main(["backup", "--db", url, "-o", str(output)]) == 0
    assert output.exists()


def test_an_owner_without_createrole_gets_a_register_of_its_own_and_roles_later(
    postgres_server, capsys
):
    owner = _unique("eigenaar")
    postgres_server.sql(f'CREATE ROLE "{owner}" LOGIN')
    url = postgres_server.new_database()
    name = postgres_server.name_of(url)
    postgres_server.sql(f'ALTER DATABASE "{name}" OWNER TO "{owner}"')
    owner_url = postgres_server.url(name, user=owner)
    try:
        assert main(["server", "init", "--db", owner_url]) == 0
        capsys.readouterr()
        assert _users(owner_url, capsys) == []
        login = _unique("jdevries")
        add = ["server", "add-user", login, "--role", "reader", "--locations", "Grave"]
        assert main([*add, "--db", owner_url]) == 2
        assert "met het recht CREATEROLE" in _one_dutch_line(capsys)
        assert not _role_exists(postgres_server, login)
        postgres_server.sql(f'ALTER ROLE "{owner}" CREATEROLE')
        assert main([*add, "--db", owner_url]) == 0
        capsys.readouterr()
        assert [row["name"] for row in _users(owner_url, capsys)] == [login]
        with raw_session(postgres_server, owner_url, login) as conn:
            assert "permission denied" in refused(conn, "SELECT * FROM cases")
        assert main(["server", "remove-user", login, "--db", owner_url]) == 0
    finally:
        postgres_server.drop(url)
        for group in ("officer", "reader", "incidents"):
            postgres_server.sql(f'DROP ROLE IF EXISTS "{name}_{group}"')
        postgres_server.sql(f'DROP ROLE IF EXISTS "{owner}"')


def test_an_overview_of_a_location_the_seat_does_not_see_is_refused_and_says_so(
    postgres_server, register, capsys, tmp_path, today
):
    from datetime import timedelta

    url, _ = register
    reader = as_seat(postgres_server, url, new_seat(url, ("reader",), ("Grave",)))
    incidents = as_seat(postgres_server, url, new_seat(url, ("incidents",), ("Grave",)))
    output = tmp_path / "overzicht Cuijk.pdf"
    args = ["report", "consent", "--location", "Cuijk", "-o", str(output), "--db", reader]
    assert main(args) == 2
    line = _one_dutch_line(capsys)
    assert "ziet alleen Grave; het overzicht voor Cuijk kan deze gebruiker niet maken" in line
    assert not output.exists()
    period = ["--from", f"{today - timedelta(days=60):%d-%m-%Y}", "--to", f"{today:%d-%m-%Y}"]
    args = ["report", "cases", "--location", "Cuijk", *period, "-o", str(output)]
    assert main([*args, "--db", incidents]) == 2
    assert "het overzicht voor Cuijk" in _one_dutch_line(capsys)
    assert not output.exists()
    # Their own location's case overview works, with their cases only.
    grave = tmp_path / "overzicht Grave.pdf"
    args = ["report", "cases", "--location", "Grave", *period, "-o", str(grave)]
    assert main([*args, "--db", incidents]) == 0
    assert grave.exists()


def test_each_overview_needs_the_rows_it_shows(postgres_server, register, capsys, tmp_path, today):
    """An incidents seat has no consent overview (it cannot read decisions), an officer
    without incidents no case overview: exit 2, one line, no file."""
    from datetime import timedelta

    url, _ = register
    incidents = as_seat(postgres_server, url, new_seat(url, ("incidents",), ("Grave",)))
    officer = as_seat(postgres_server, url, new_seat(url, ("officer",)))
    output = tmp_path / "overzicht Grave.pdf"
    args = ["report", "consent", "--location", "Grave", "-o", str(output), "--db", incidents]
    assert main(args) == 2
    assert "geen recht op de tabel" in _one_dutch_line(capsys)
    assert not output.exists()
    period = ["--from", f"{today - timedelta(days=60):%d-%m-%Y}", "--to", f"{today:%d-%m-%Y}"]
    args = ["report", "cases", "--location", "Grave", *period, "-o", str(output)]
    assert main([*args, "--db", officer]) == 2
    assert "ziet geen incidenten (daarvoor is de rol incidents nodig)" in _one_dutch_line(capsys)
    assert not output.exists()


def test_a_grave_readers_consent_overview_is_the_officers_for_grave_page_for_page(
    postgres_server, register, capsys, tmp_path
):
    from tests.helpers.pdf import page_texts

    url, _ = register
    reader = as_seat(postgres_server, url, new_seat(url, ("reader",), ("Grave",)))
    officer = as_seat(postgres_server, url, new_seat(url, ("officer",)))
    texts = {}
    for who, seat in (("reader", reader), ("officer", officer)):
        output = tmp_path / f"{who}.pdf"
        args = ["report", "consent", "--location", "Grave", "-o", str(output), "--db", seat]
        assert main(args) == 0, capsys.readouterr().err
        texts[who] = page_texts(output)
    assert texts["reader"] == texts["officer"]
    everything = "".join(texts["reader"])
    assert "Öztürk" in everything and "Łęcka" in everything  # Grave's two pupils
    assert "Broek" not in everything and "Boujdaini" not in everything  # Cuijk's, Mill's
