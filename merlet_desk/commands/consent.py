"""Consent subcommands: `import-pupils`, `import-consents` and `check` (stable for IT scripts).

`check` exits 0 when everyone may appear, 1 when someone may not, 2 for bad input (an unknown
purpose, class or pupil, a bad date). `--json` prints
`{"purpose", "date", "allowed": [{"pupil", "name", "flags"}], "blocked": [{"pupil", "name",
"reason"}]}`.

`import-consents` exits 0 when the file was imported (or, with `--dry-run`, could be), 1 when
answers conflict with newer decisions in the register (the rest is imported; a person
decides those), 2 for bad input (nothing changed). `--json` prints `{"file", "shape",
"dry_run", "received", "sheet", "mapping", "columns": [{"header", "target"}], "counts":
{"granted", "refused", "withdrawn", "unchanged", "conflicts", "unknown_pupils",
"not_answered"}, "conflicts": [{"row", "pupil", "purpose", "file", "file_date", "register",
"register_date", "register_method"}], "unknown_pupils": [{"row", "pupil"}], "takedowns":
[{"publication", "item", "channel", "link", "pupils"}]}`, pupils by number only.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from merlet_desk import clock
from merlet_desk.commands.common import (
    open_db,
    parse_date_option,
    replace_unencodable_output,
    stdout_is_unicode,
)
from merlet_desk.errors import InputError

if TYPE_CHECKING:
    from merlet_desk.imports.consents import ImportOptions
    from merlet_desk.store.sqlite_utils_import import Database


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
    pupils.add_argument("--sheet", metavar="NAAM", default=None, help="blad van een .xlsx")
    pupils.set_defaults(func=run_import_pupils)

    consents = subparsers.add_parser(
        "import-consents",
        parents=[common],
        help="importeer toestemmingen: eigen formaat of een export uit het ouderportaal",
        description=(
            "Importeer toestemmingen (CSV of .xlsx). Twee vormen: één rij per besluit "
            "(kolommen leerlingnummer, doel, besluit, gegeven_door, naam_gever, datum, wijze), "
            "of een export uit het ouderportaal van Magister of SOMtoday: één rij per "
            "leerling, één kolom per doel (Ja/Nee, Akkoord/Niet akkoord, ✓/✗, 1/0; leeg = niet "
            "beantwoord). Het ouderportaal is de huidige stand: wat gelijk is aan het register "
            "legt niets vast, een gewijzigd antwoord legt een nieuw besluit vast, een lege cel "
            "trekt niets in, en een besluit in het register van na de datum van het bestand "
            "wordt niet overschreven maar als conflict gemeld. Alles of niets. Exitcode 0: "
            "gelukt; 1: er zijn conflicten voor u om op te lossen; 2: foute invoer (er is niets "
            "veranderd)."
        ),
    )
    consents.add_argument("file", metavar="BESTAND", help="het bestand met toestemmingen")
    consents.add_argument(
        "--map",
        dest="mappings",
        action="append",
        default=[],
        metavar="KOLOM=DOEL",
        help="lees de kolom KOLOM als dit doel (code, naam of andere naam); herhaalbaar",
    )
    consents.add_argument(
        "--ignore",
        dest="ignored",
        action="append",
        default=[],
        metavar="KOLOM",
        help="sla deze kolom over; herhaalbaar",
    )
    consents.add_argument("--sheet", metavar="NAAM", default=None, help="blad van een .xlsx")
    consents.add_argument(
        "--received",
        metavar="DATUM",
        default=None,
        help="datum van de antwoorden zonder kolom 'laatst gewijzigd' (standaard vandaag)",
    )
    consents.add_argument(
        "--dry-run",
        action="store_true",
        help="alleen laten zien wat er zou veranderen (en wat offline moet); niets opslaan",
    )
    consents.add_argument("--json", action="store_true", help="uitvoer als JSON")
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
        options = {"location": args.location, "sheet": args.sheet}
        import_pupils(db, args.file, dry_run=True, **options)  # check first
        backup_before(db, "voor-import")  # so a wrong but valid file can be undone
        result = import_pupils(db, args.file, **options)
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


def _consent_options(db: Database, args: argparse.Namespace) -> ImportOptions:
    from merlet_desk.imports.consents import ImportOptions, target_of_option

    mapping = {}
    for text in args.mappings:
        header, sep, target = text.partition("=")
        if not sep or not header.strip() or not target.strip():
            raise InputError(f"--map '{text}': schrijf het als \"KOLOM=DOEL\".")
        mapping[header.strip()] = target_of_option(db, target.strip())
    received = parse_date_option(args.received or None, "--received")
    if received is not None and received > clock.today():
        raise InputError(f"--received: {received:%d-%m-%Y} ligt in de toekomst.")
    return ImportOptions(
        mapping=mapping,
        ignore=tuple(h.strip() for h in args.ignored),
        sheet=args.sheet,
        received=received,
    )


def run_import_consents(args: argparse.Namespace) -> int:
    from merlet_desk.imports import import_consents
    from merlet_desk.store.backup import backup_before

    db = open_db(args, write=not args.dry_run)
    try:
        options = _consent_options(db, args)
        result = import_consents(db, args.file, dry_run=True, options=options)  # check first
        if not args.dry_run:
            backup_before(db, "voor-import")  # so a wrong but valid file can be undone
            result = import_consents(db, args.file, options=options)
    finally:
        db.close()
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=not stdout_is_unicode(), indent=2))
    else:
        replace_unencodable_output()
        print("\n".join(result.report_lines()))
    return 1 if result.conflicts else 0


def run_check(args: argparse.Namespace) -> int:
    from merlet_desk.store import pupils as pupil_store
    from merlet_desk.store import purposes as purpose_store
    from merlet_desk.store import statuses as store

    on = parse_date_option(args.on or None, "--on") or clock.today()
    db = open_db(args, write=False)
    try:
        purpose = purpose_store.get_purpose(db, args.purpose)
        if args.class_name is not None:
            numbers = pupil_store.class_numbers(db, args.class_name)
            if not numbers:
                known = ", ".join(pupil_store.list_classes(db)) or "geen"
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
        plain = not stdout_is_unicode()
        print(json.dumps(result.as_json(), ensure_ascii=plain, indent=2))
    else:
        replace_unencodable_output()
        print(result.as_text())
    return 0 if result.all_allowed else 1
