"""`merlet-desk server init | copy`: a register on a PostgreSQL server.

    merlet-desk server init --db URL                 # a new, empty register in an empty database
    merlet-desk server copy FILE.sqlite --db URL     # a whole register file onto the server

`restore FILE --db URL` (commands/safety.py) is `copy_file_to_server` too.

Both refuse a database that is not empty (`store.engine.schema.ServerNotEmptyError`) and
write nothing then. Exit codes: 0 done, 2 bad input or a server that cannot be reached.
"""

from __future__ import annotations

import argparse

from merlet_desk.commands.common import database_target, refuse_in_read_only
from merlet_desk.errors import InputError
from merlet_desk.store.server_url import EXAMPLE, ServerUrl


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


def server_target(args: argparse.Namespace) -> ServerUrl:
    """`--db` (or `MERLET_DESK_DB`, the ini file) as a server URL; a file is refused."""
    target = database_target(args)
    if not isinstance(target, ServerUrl):
        raise InputError(
            f"'merlet-desk server {args.server_command}' werkt op een PostgreSQL-server; "
            f"geef --db als URL, bijvoorbeeld {EXAMPLE} (niet het bestand {target})."
        )
    return target


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
