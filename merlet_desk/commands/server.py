"""`merlet-desk server init | copy | add-user | users | remove-user`: a register on a
PostgreSQL server and who may use it.

    merlet-desk server init --db URL                 # a new, empty register in an empty database
    merlet-desk server copy FILE.sqlite --db URL     # a whole register file onto the server
    merlet-desk server add-user NAME --role reader --locations Grave --db URL
    merlet-desk server users --db URL [--json]
    merlet-desk server remove-user NAME --db URL

The users are the server's own login roles in the register's group roles
(`store.engine.access`): the server enforces what each may see and do.

`restore FILE --db URL` (commands/safety.py) is `copy_file_to_server` too.

Both refuse a database that is not empty (`store.engine.schema.ServerNotEmptyError`) and
write nothing then. Exit codes: 0 done, 2 bad input or a server that cannot be reached.
"""

from __future__ import annotations

import argparse
import json
import re
import secrets
import sys
from collections.abc import Callable
from typing import TypeVar

from merlet_desk.commands.common import database_target, refuse_in_read_only
from merlet_desk.errors import InputError
from merlet_desk.store.server_url import EXAMPLE, ServerUrl
from merlet_desk.store.sqlite_utils_import import Database

T = TypeVar("T")


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `server` and its subcommands."""
    server = subparsers.add_parser(
        "server",
        help="een register op een PostgreSQL-server (meerdere werkplekken)",
        description=(
            "Een register op een PostgreSQL-server, voor meerdere werkplekken: --db is dan een "
            f"URL, bijvoorbeeld {EXAMPLE}"
        ),
    )
    actions = server.add_subparsers(dest="server_command", metavar="ACTIE", required=True)
    init = actions.add_parser(
        "init",
        parents=[common],
        help="maak een nieuw, leeg register in een lege serverdatabase",
        description=(
            "Maak het schema van een nieuw register (met het beleid en de standaarddoelen) in "
            "een lege database op de server. Een database die niet leeg is, wordt geweigerd."
        ),
    )
    init.set_defaults(func=run_init)

    copy = actions.add_parser(
        "copy",
        parents=[common],
        help="zet een heel registerbestand over naar een lege serverdatabase",
        description=(
            "Kopieer het hele register in BESTAND (alle tabellen, met hun nummers) in één "
            "transactie naar een lege database op de server, en controleer de kopie: het aantal "
            "rijen per tabel en een controlegetal van elk besluit, elke scan en elk bewijsstuk."
        ),
    )
    copy.add_argument("file", metavar="BESTAND", help="het registerbestand (.sqlite)")
    copy.set_defaults(func=run_copy)

    add = actions.add_parser(
        "add-user",
        parents=[common],
        help="maak een gebruiker (een inlognaam op de server) met een rol",
        description=(
            "Maak een inlognaam op de server met een rol: officer (communicatie: leest en "
            "schrijft alles behalve incidenten), reader (locatieleider: leest en drukt af voor "
            "de eigen locaties, schrijft niets), incidents (het incidentenlogboek van de eigen "
            "locaties). Meer rollen met komma's: officer,incidents. Het wachtwoord komt van "
            "stdin met --password-stdin, anders wordt er een gemaakt en eenmaal getoond."
        ),
    )
    add.add_argument("name", metavar="NAAM", help="de inlognaam (kleine letters, cijfers, _ . -)")
    add.add_argument("--role", required=True, help="officer, reader of incidents (of samen)")
    add.add_argument(
        "--locations",
        default="",
        metavar="LOCATIES",
        help="de locaties van een reader of incidents, met komma's: Cuijk,Grave",
    )
    add.add_argument("--password-stdin", action="store_true", help="lees het wachtwoord van stdin")
    add.set_defaults(func=run_add_user)

    users = actions.add_parser(
        "users",
        parents=[common],
        help="toon de gebruikers met hun rollen en locaties",
        description="Toon de gebruikers van het register met hun rollen en locaties.",
    )
    users.add_argument("--json", action="store_true", help="uitvoer als JSON")
    users.set_defaults(func=run_users)

    remove = actions.add_parser(
        "remove-user",
        parents=[common],
        help="verwijder een gebruiker; wat die vastlegde, blijft op diens naam staan",
        description=(
            "Verwijder een gebruiker (de inlognaam op de server). Wat die vastlegde, blijft in "
            "de geschiedenis en het auditlogboek op diens naam staan."
        ),
    )
    remove.add_argument("name", metavar="NAAM")
    remove.set_defaults(func=run_remove_user)


def server_target(args: argparse.Namespace) -> ServerUrl:
    """`--db` (or `MERLET_DESK_DB`, the ini file) as a server URL; a file is refused."""
    target = database_target(args)
    if not isinstance(target, ServerUrl):
        raise InputError(
            f"'merlet-desk server {args.server_command}' werkt op een PostgreSQL-server; "
            f"geef --db als URL, bijvoorbeeld {EXAMPLE} (niet het bestand {target})."
        )
    return target


def on_server_register(
    args: argparse.Namespace, work: Callable[[Database], T], *, write: bool
) -> tuple[ServerUrl, T]:
    """Run `work` on the register of `--db` on a server (a file is refused), opened for
    writing (refused in read-only mode) or read-only, and closed after it; the URL and what
    `work` gave. Every failure is one line and exit 2 (the CLI's `StoreError`/`InputError`)."""
    from merlet_desk.store import open_database

    if write:
        refuse_in_read_only(args)
    target = server_target(args)
    db = open_database(target, read_only=not write)
    try:
        return target, work(db)
    finally:
        db.close()


def run_init(args: argparse.Namespace) -> int:
    from merlet_desk.store import open_database
    from merlet_desk.store.engine.schema import create_register

    refuse_in_read_only(args)
    target = server_target(args)
    db = open_database(target, empty_server=True)
    try:
        with db.atomic():
            applied = create_register(db)
    finally:
        db.close()
    print(f"Register aangemaakt op {target} (schemaversie {applied[-1]}).")
    return 0


def copy_file_to_server(path: str, target: ServerUrl, *, verb: str = "Gekopieerd") -> int:
    """Copy the register file `path` into the empty server database `target`, verified, in
    one transaction; print what was copied. The file is opened (and refused) as every command
    opens one; it is only read."""
    from pathlib import Path

    from merlet_desk.store import open_database
    from merlet_desk.store.engine.schema import create_register
    from merlet_desk.store.engine.transfer import copy_register
    from merlet_desk.store.errors import SchemaOutdatedError

    file = Path(path).expanduser()
    try:
        source = open_database(file, read_only=True, create=False)
    except SchemaOutdatedError:
        open_database(file, create=False).close()  # the schema update, after its backup
        source = open_database(file, read_only=True, create=False)
    try:
        db = open_database(target, empty_server=True)
        try:
            with db.atomic():
                create_register(db)
                report = copy_register(source, db)
        finally:
            db.close()
    finally:
        source.close()
    print(f"{verb}: {file} naar {target}, {report.total} rijen in {len(report.rows)} tabellen:")
    print("\n".join(report.lines()))
    print("Gecontroleerd: elke tabel heeft evenveel rijen met dezelfde inhoud als het bestand.")
    return 0


def run_copy(args: argparse.Namespace) -> int:
    refuse_in_read_only(args)
    return copy_file_to_server(args.file, server_target(args))


LOGIN_NAME = re.compile(r"[a-z_][a-z0-9_.-]{0,62}")
ROLE_NAMES = {"officer": "officer", "reader": "reader", "incidents": "incidents"}


def parse_roles(text: str) -> tuple[str, ...]:
    """`--role`: one or more of officer, reader, incidents (reader stands alone)."""
    roles = tuple(dict.fromkeys(part.strip().lower() for part in text.split(",") if part.strip()))
    unknown = [role for role in roles if role not in ROLE_NAMES]
    if not roles or unknown:
        raise InputError(
            f"--role {text}: kies officer, reader of incidents (of officer,incidents)."
        )
    if "reader" in roles and len(roles) > 1:
        raise InputError(
            f"--role {text}: reader schrijft niets en gaat niet samen met een andere rol."
        )
    return roles


def parse_locations(text: str, roles: tuple[str, ...]) -> tuple[str, ...]:
    """`--locations`: required for a reader or incidents seat, which see only those."""
    locations = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    if not locations and ("reader" in roles or "incidents" in roles):
        raise InputError(
            "--locations ontbreekt: een reader of incidents ziet alleen de eigen locaties; "
            "geef ze met komma's, bijvoorbeeld --locations Cuijk,Grave."
        )
    if locations and roles == ("officer",):
        raise InputError("--locations: een officer werkt voor alle locaties; laat --locations weg.")
    return locations


def _password(args: argparse.Namespace) -> tuple[str, bool]:
    """(password, generated): from stdin with --password-stdin, else a new one."""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if len(password) < 12:
            raise InputError(
                "Het wachtwoord van stdin is korter dan 12 tekens (of leeg); er is niets "
                "aangemaakt."
            )
        return password, False
    return secrets.token_urlsafe(18), True


def run_add_user(args: argparse.Namespace) -> int:
    from merlet_desk.store.engine.access import add_seat

    refuse_in_read_only(args)
    server_target(args)  # a file is refused before the password is asked
    name = args.name
    if not LOGIN_NAME.fullmatch(name):
        raise InputError(
            f"{name!r} kan geen inlognaam zijn: gebruik kleine letters, cijfers, _ . of - "
            "(hoogstens 63 tekens, niet met een cijfer vooraan)."
        )
    roles = parse_roles(args.role)
    locations = parse_locations(args.locations, roles)
    password, generated = _password(args)
    on_server_register(args, lambda db: add_seat(db, name, roles, locations, password), write=True)
    where = f", locaties {', '.join(locations)}" if locations else ", alle locaties"
    print(f"Gebruiker {name} aangemaakt: {', '.join(roles)}{where}.")
    if generated:
        print(f"Wachtwoord (wordt niet bewaard en niet nog eens getoond): {password}")
    return 0


def run_users(args: argparse.Namespace) -> int:
    from merlet_desk.store.engine.access import seats

    _target, found = on_server_register(args, seats, write=False)
    if args.json:
        rows = [
            {
                "name": seat.login,
                "roles": list(seat.roles),
                "locations": list(seat.locations),
                "added_at": seat.added_at,
                "added_by": seat.added_by,
            }
            for seat in found
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not found:
        print("Nog geen gebruikers; maak er een met: merlet-desk server add-user NAAM --role ...")
    for seat in found:
        where = ", ".join(seat.locations) or "alle locaties"
        print(f"{seat.login}\t{', '.join(seat.roles)}\t{where}")
    return 0


def run_remove_user(args: argparse.Namespace) -> int:
    from merlet_desk.store.engine.access import remove_seat

    on_server_register(args, lambda db: remove_seat(db, args.name), write=True)
    print(
        f"Gebruiker {args.name} verwijderd; wat die vastlegde, blijft in de geschiedenis op "
        "diens naam staan."
    )
    return 0
