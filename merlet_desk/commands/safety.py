"""`merlet-desk backup | restore | verify | purge`: keeping the register safe from the shell.

Exit codes: 0 done / healthy, 1 damaged (verify) or something to purge (purge --dry-run),
2 bad input (missing or empty file, not a SQLite file, another program's file, unusable backup).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from merlet_desk import sqlite_driver
from merlet_desk.commands.common import (
    database_path,
    database_target,
    open_db,
    output_path,
    refuse_in_read_only,
)
from merlet_desk.errors import InputError
from merlet_desk.store.server_url import ServerUrl
from merlet_desk.store.sqlite_utils_import import Database


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add this module's subcommands."""
    backup = subparsers.add_parser(
        "backup",
        parents=[common],
        help="maak een back-up van de database (met de back-up-API van SQLite)",
        description=(
            "Maak een back-up in de back-upmap naast de database, of naar -o BESTAND. Van een "
            "register op een server (--db URL): altijd naar -o BESTAND.sqlite, een gewoon "
            "registerbestand uit één momentopname."
        ),
    )
    backup.add_argument("-o", "--output", metavar="FILE", help="schrijf de back-up naar FILE")
    backup.set_defaults(func=run_backup)

    restore = subparsers.add_parser(
        "restore",
        parents=[common],
        help="zet een back-up terug (het huidige bestand wordt eerst bewaard)",
        description=(
            "Controleer BACKUP, bewaar de huidige database en zet BACKUP terug. Zonder BACKUP: "
            "de nieuwste back-up van dit register in de back-upmap die de controle doorstaat. "
            "Een back-up van een ander register wordt alleen met --other-register teruggezet. "
            "Met --db URL: BACKUP gaat, net als bij server copy, in een lege serverdatabase."
        ),
    )
    restore.add_argument(
        "backup", metavar="BACKUP", nargs="?", help="het back-upbestand (standaard: nieuwste goede)"
    )
    restore.add_argument(
        "--other-register",
        action="store_true",
        help="zet BACKUP ook terug als het een back-up van een ander register is",
    )
    restore.set_defaults(func=run_restore)

    verify = subparsers.add_parser(
        "verify",
        parents=[common],
        help="controleer de database (integriteit, verwijzingen, schemaversie)",
        description=(
            "Controleer de database zonder te schrijven. Exitcode 0 in orde, 1 beschadigd, "
            "2 geen (Merlet Desk-)database of niet te lezen."
        ),
    )
    verify.set_defaults(func=run_verify)

    purge = subparsers.add_parser(
        "purge",
        parents=[common],
        help="verwijder leerlingen die langer dan de bewaartermijn weg zijn",
        description=(
            "Verwijder de persoonsgegevens en besluiten van leerlingen die langer dan de "
            "bewaartermijn (instelling, standaard 2 jaar) van school zijn."
        ),
    )
    purge.add_argument(
        "--dry-run", action="store_true", help="toon alleen wie verwijderd zou worden"
    )
    purge.add_argument(
        "--years",
        type=int,
        metavar="N",
        help="bewaartermijn in jaren voor deze keer (standaard de instelling, 2 jaar)",
    )
    purge.set_defaults(func=run_purge)


def _existing_path(args: argparse.Namespace) -> Path:
    from merlet_desk.store.connection import missing_message, refuse_special_file
    from merlet_desk.store.errors import MissingDatabaseError

    path = database_path(
        args,
        "Een server bewaakt zijn eigen bestanden; IT controleert ze met de hulpmiddelen van "
        "PostgreSQL (pg_amcheck).",
    )
    refuse_special_file(path)
    if not path.exists():
        raise MissingDatabaseError(missing_message(path))
    return path


def run_backup(args: argparse.Namespace) -> int:
    from merlet_desk.store.backup import REASON_MANUAL, backup_folder, backup_to, make_backup
    from merlet_desk.store.connection import check_database_file, open_raw
    from merlet_desk.store.identity import check_ours
    from merlet_desk.store.integrity import (
        DamagedDatabaseError,
        damaged_message,
        explain_sqlite_error,
        quick_check,
    )

    refuse_in_read_only(args)
    target = database_target(args)
    if isinstance(target, ServerUrl):
        return _backup_server(args, target)
    path = database_path(args)
    check_database_file(path)
    conn = open_raw(path, read_only=True)
    try:
        try:
            check_ours(conn, path)
        except sqlite_driver.DatabaseError as exc:
            raise explain_sqlite_error(exc, path) from exc
        if quick_check(conn, path=path):
            raise DamagedDatabaseError(damaged_message(path), path)
        if args.output:
            target = backup_to(conn, args.output, db_path=path)
        else:
            target = make_backup(
                conn, path, REASON_MANUAL, folder=backup_folder(path, Database(conn))
            )
    finally:
        conn.close()
    print(f"Back-up gemaakt: {target}")
    return 0


def _backup_server(args: argparse.Namespace, target: ServerUrl) -> int:
    """`backup --db URL -o FILE`: the server's register as an ordinary register file, from
    one consistent snapshot."""
    from merlet_desk.store import open_database
    from merlet_desk.store.engine.access import require_owner
    from merlet_desk.store.engine.transfer import backup_to_file
    from merlet_desk.store.errors import UnsafeOutputError

    if not args.output:
        raise InputError(
            f"{target} is een register op een server: noem het back-upbestand met -o "
            "BESTAND.sqlite (de server bewaart zelf geen back-upmap)."
        )
    output = output_path(args, target)
    if output.exists() or output.is_symlink():
        raise UnsafeOutputError(
            f"{output} bestaat al; kies een nieuwe bestandsnaam. Er is niets geschreven."
        )
    db = open_database(target, read_only=True)
    try:
        # A seat sees part of the register: its backup would not be the register.
        require_owner(db, "Een back-up van het hele register")
        report = backup_to_file(db, output)
    finally:
        db.close()
    print(f"Back-up gemaakt: {output} ({report.total} rijen uit één momentopname van {target}).")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from merlet_desk.store.backup import (
        OtherRegisterError,
        backup_folders,
        backup_summary,
        newest_good_backup,
        restore,
    )
    from merlet_desk.store.backup_contents import file_facts
    from merlet_desk.store.connection import refuse_special_file
    from merlet_desk.store.errors import StoreError
    from merlet_desk.store.lock import LockedError, read_lock

    refuse_in_read_only(args)
    target = database_target(args)
    if isinstance(target, ServerUrl):
        if args.backup is None:
            raise InputError(
                f"{target} is een register op een server: noem de back-up die terug moet, "
                "merlet-desk restore BACKUP.sqlite --db URL, in een lege serverdatabase."
            )
        from merlet_desk.commands.server import copy_file_to_server

        return copy_file_to_server(args.backup, target, verb="Teruggezet")
    path = database_path(args)
    refuse_special_file(path)
    holder = read_lock(path)
    if holder is not None and holder.alive():
        raise LockedError(
            f"{path} is geopend door {holder.describe()}; sluit Merlet Desk daar eerst.", holder
        )
    backup = args.backup
    if backup is None:
        backup = newest_good_backup(path)
        if backup is None:
            searched = " en ".join(str(folder) for folder in backup_folders(path))
            raise InputError(
                f"Er is geen goede back-up van dit register ({path}) gevonden in {searched}; "
                "noem de back-up zelf: merlet-desk restore BACKUP --db PAD."
            )
    summary = backup_summary(backup)
    if summary.verify is not None and summary.verify.ok:
        try:
            print(f"Nu in {path.name}: {file_facts(path).describe()}.")
        except StoreError:
            pass  # missing or unreadable: it is kept aside (or not there) either way
        print(
            f"Back-up van {summary.made_at:%d-%m-%Y %H:%M}, schemaversie "
            f"{summary.schema_version}: {summary.describe()}."
        )
    try:
        result = restore(backup, path, other_register=args.other_register)
    except OtherRegisterError as exc:
        raise InputError(
            f"{exc} Is dat de bedoeling, geef dan --other-register mee: merlet-desk restore "
            f'"{backup}" --db "{path}" --other-register.'
        ) from exc
    print(f"Teruggezet uit {result.restored_from}.")
    if result.previous is not None:
        print(f"Het vorige bestand is bewaard als {result.previous}.")
    print(result.result.summary())
    return 0 if result.result.ok else 1


def run_verify(args: argparse.Namespace) -> int:
    from merlet_desk.store.netshare import network_warning
    from merlet_desk.store.verification import verify

    path = _existing_path(args)
    result = verify(path)
    print(result.summary(), file=sys.stdout if result.ok else sys.stderr)
    warning = network_warning(path)
    if warning:
        print(f"Let op: {warning}", file=sys.stderr)
    if result.bad_input:  # the wrong file was named: not a damaged register
        return 2
    return 0 if result.ok else 1


def run_purge(args: argparse.Namespace) -> int:
    from merlet_desk.store.engine.access import require_owner
    from merlet_desk.store.retention import (
        MAX_YEARS,
        MIN_YEARS,
        describe_candidates,
        describe_purge,
        purge,
        purge_candidates,
    )

    if args.years is not None and not MIN_YEARS <= args.years <= MAX_YEARS:
        raise InputError(
            f"--years moet tussen {MIN_YEARS} en {MAX_YEARS} liggen, niet {args.years}."
        )
    db = open_db(args, write=not args.dry_run)
    try:
        if not args.dry_run:
            require_owner(db, "Het opschonen na de bewaartermijn")
        candidates = purge_candidates(db, years=args.years)
        print(describe_candidates(db, candidates, args.years))
        if args.dry_run or not candidates:
            return 1 if candidates and args.dry_run else 0
        counts = purge(db, [c.pupil_id for c in candidates], years=args.years)
    finally:
        db.close()
    print(describe_purge(counts))
    return 0
