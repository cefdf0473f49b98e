"""`merlet-desk init`: create a database (optionally filled with demo data)."""

from __future__ import annotations

import argparse

from merlet_desk.commands.common import database_path, refuse_in_read_only
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
    parser.set_defaults(func=run)


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
    db = open_database(path)
    try:
        if args.demo:
            fill_demo(db, args.pupils or DEFAULT_PUPILS)
    finally:
        db.close()
    what = "bijgewerkt" if existed else "aangemaakt"
    extra = " met demogegevens" if args.demo else ""
    print(f"Database {what}{extra}: {path}")
    return 0
