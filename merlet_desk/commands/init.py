"""`merlet-desk init`: create a database (optionally encrypted, optionally with demo data)."""

from __future__ import annotations

import argparse
from pathlib import Path

from merlet_desk.commands.common import database_path, output_path, refuse_in_read_only
from merlet_desk.errors import InputError
from merlet_desk.store import open_database


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "init",
        parents=[common],
        help="maak een database aan (met het beleid en de standaarddoelen)",
        description="Maak een nieuwe database aan, of werk een bestaande bij naar dit schema.",
    )
    parser.add_argument(
        "--demo", action="store_true", help="vul een nieuwe database met fictieve demogegevens"
    )
    parser.add_argument(
        "--pupils",
        type=int,
        default=None,
        metavar="N",
        help="aantal fictieve leerlingen bij --demo (standaard 600)",
    )
    add_encryption_options(parser)
    parser.set_defaults(func=run)


def add_encryption_options(parser: argparse.ArgumentParser, *, always: bool = False) -> None:
    """`--encrypt` (init only) and `--recovery-sheet OUT.pdf`."""
    if not always:
        parser.add_argument(
            "--encrypt",
            action="store_true",
            help="versleutel de nieuwe database (SQLCipher, AES-256); de sleutel gaat in de "
            "sleutelkluis, of in een nieuw --key-file",
        )
    parser.add_argument(
        "--recovery-sheet",
        metavar="OUT.pdf",
        dest="output",
        default=None,
        help="schrijf het blad Herstelsleutel (briefpapier, PDF) naar dit bestand; zonder "
        "wordt de herstelsleutel op het scherm gezet",
    )


def sheet_path(args: argparse.Namespace, db_path: Path) -> Path | None:
    """`--recovery-sheet`, checked like every output (never onto the register's data)."""
    if not args.output:
        return None
    return output_path(args, db_path, option="--recovery-sheet")


def run(args: argparse.Namespace) -> int:
    from merlet_desk.demo import DEFAULT_PUPILS, fill_demo

    refuse_in_read_only(args)
    path = database_path(
        args,
        "Maak daar een leeg register met: merlet-desk server init --db URL, of zet een "
        "bestand over met: merlet-desk server copy BESTAND --db URL.",
    )
    existed = path.exists() and path.stat().st_size > 0
    if args.pupils is not None and not args.demo:
        raise InputError("--pupils hoort bij --demo.")
    if args.pupils is not None and not 1 <= args.pupils <= 100_000:
        raise InputError(f"--pupils moet tussen 1 en 100000 liggen, niet {args.pupils}.")
    if args.demo and existed:
        raise InputError(f"{path} bestaat al; demogegevens gaan alleen in een nieuwe database.")
    if args.output and not args.encrypt:
        raise InputError("--recovery-sheet hoort bij --encrypt.")
    lines: list[str] = []
    if args.encrypt:
        from merlet_desk.encryption import init_encrypted

        if existed:
            raise InputError(
                f"{path} bestaat al; versleutel een bestaand register met: "
                f'merlet-desk encrypt --db "{path}"'
            )
        outcome, db = init_encrypted(path, sheet=sheet_path(args, path))
        lines = outcome.lines
    else:
        db = open_database(path)
    try:
        if args.demo:
            fill_demo(db, args.pupils or DEFAULT_PUPILS)
    finally:
        db.close()
    what = "bijgewerkt" if existed else "aangemaakt"
    extra = " met demogegevens" if args.demo else ""
    encrypted = " (versleuteld)" if args.encrypt else ""
    print(f"Database {what}{encrypted}{extra}: {path}")
    for line in lines:
        print(line)
    return 0
