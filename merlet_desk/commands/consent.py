"""Consent subcommands: `import-pupils`, `import-consents` and `check` (stable for IT scripts).

`check` exits 0 when everyone may appear, 1 when someone may not, 2 for bad input (an unknown
purpose, class or pupil, a bad date). `--json` prints
`{"purpose", "date", "allowed": [{"pupil", "name", "flags"}], "blocked": [{"pupil", "name",
"reason"}]}`.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from datetime import date

from merlet_desk import clock
from merlet_desk.commands.common import check_date_range, open_db
from merlet_desk.errors import InputError


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add this module's subcommands."""
    pupils = subparsers.add_parser(
        "import-pupils",
        parents=[common],
        help="importeer een leerlingenexport (CSV of .xlsx)",
        description=(
            "Importeer leerlingen uit een export van de leerlingadministratie (CSV met ; , of "
            "tab, UTF-8 of Windows-1252, of .xlsx). Bekende leerlingen worden bijgewerkt op "
            "leerlingnummer, nieuwe toegevoegd; er wordt niets verwijderd. Alles of niets: bij "
            "één fout wordt niets opgeslagen. Een leerlingnummer is 1 tot 12 cijfers; "
            "voorloopnullen tellen niet mee (00123 is leerling 123, want Excel laat ze weg)."
        ),
    )
    pupils.add_argument("file", metavar="BESTAND", help="het exportbestand")
    pupils.add_argument(
        "--location",
        metavar="NAAM",
        default=None,
        help="locatie (Cuijk, Grave, Mill) voor rijen zonder locatie",
    )
    pupils.set_defaults(func=run_import_pupils)

    consents = subparsers.add_parser(
        "import-consents",
        parents=[common],
        help="importeer toestemmingsbesluiten (CSV of .xlsx)",
        description=(
            "Importeer besluiten (kolommen leerlingnummer, doel, besluit, gegeven_door, "
            "naam_gever, datum, wijze). Alles of niets; een besluit dat er al precies zo in "
            "staat, wordt overgeslagen."
        ),
    )
    consents.add_argument("file", metavar="BESTAND", help="het bestand met besluiten")
    consents.set_defaults(func=run_import_consents)

    check = subparsers.add_parser(
        "check",
        parents=[common],
        help="mag deze foto online? (publicatiecheck)",
        description=(
            "Wie mag er op voor een doel, en wie niet (met de reden). Exitcode 0: iedereen mag; "
            "1: iemand mag niet; 2: foute invoer."
        ),
    )
    check.add_argument("--purpose", required=True, metavar="CODE", help="doel, bv. website")
    who = check.add_mutually_exclusive_group(required=True)
    who.add_argument("--class", dest="class_name", metavar="KLAS", help="een hele klas")
    who.add_argument("--pupils", metavar="NUM,NUM,...", help="leerlingnummers, met komma's")
    check.add_argument(
        "--on", metavar="JJJJ-MM-DD", default=None, help="datum van publicatie (standaard vandaag)"
    )
    check.add_argument("--json", action="store_true", help="uitvoer als JSON")
    check.set_defaults(func=run_check)


def run_import_pupils(args: argparse.Namespace) -> int:
    from merlet_desk.imports import import_pupils
    from merlet_desk.store.backup import backup_before

    db = open_db(args, write=True)
    try:
        import_pupils(db, args.file, location=args.location, dry_run=True)  # check first
        backup_before(db, "voor-import")  # so a wrong but valid file can be undone
        result = import_pupils(db, args.file, location=args.location)
    finally:
        db.close()
    print(result.summary())
    if result.absent_numbers:
        print(
            f"Niet in het bestand ({len(result.absent_numbers)}): "
            f"{', '.join(result.absent_numbers)}. Markeer ze in Merlet Desk als vertrokken "
            "als ze van school zijn."
        )
    return 0


def run_import_consents(args: argparse.Namespace) -> int:
    from merlet_desk.imports import import_consents
    from merlet_desk.store.backup import backup_before

    db = open_db(args, write=True)
    try:
        import_consents(db, args.file, dry_run=True)  # check first
        backup_before(db, "voor-import")  # so a wrong but valid file can be undone
        result = import_consents(db, args.file)
    finally:
        db.close()
    print(result.summary())
    return 0


def _parse_on(text: str | None) -> date:
    if not text:
        return clock.today()
    from merlet_desk.imports.tabular import parse_date

    try:
        value = parse_date(text)
    except ValueError as exc:
        raise InputError(f"--on: {exc}") from exc
    return check_date_range(value, "--on")


def _stdout_is_unicode() -> bool:
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    return encoding.startswith("utf")


def run_check(args: argparse.Namespace) -> int:
    from merlet_desk.store import consent as store

    on = _parse_on(args.on)
    db = open_db(args, write=False)
    try:
        purpose = store.get_purpose(db, args.purpose)
        if args.class_name is not None:
            numbers = store.class_numbers(db, args.class_name)
            if not numbers:
                known = ", ".join(store.list_classes(db)) or "geen"
                raise InputError(
                    f"Klas '{args.class_name}' heeft geen leerlingen (bekende klassen: {known})."
                )
        else:
            numbers = [n.strip() for n in args.pupils.split(",") if n.strip()]
            if not numbers:
                raise InputError("--pupils: geef minstens één leerlingnummer.")
        result = store.publication_check(db, purpose.code, numbers, on)
    finally:
        db.close()
    if args.json:
        # \u escapes where the output cannot carry the names (a Windows pipe in cp1252)
        plain = not _stdout_is_unicode()
        print(json.dumps(result.as_json(), ensure_ascii=plain, indent=2))
    else:
        if not _stdout_is_unicode() and isinstance(sys.stdout, io.TextIOWrapper):
            sys.stdout.reconfigure(errors="replace")
        print(result.as_text())
    return 0 if result.all_allowed else 1
