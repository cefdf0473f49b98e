"""`merlet-desk report ...`: letterhead PDF reports from the command line.

    report policy  --db PATH -o FILE.pdf
    report consent [--location NAME|alle] [--class CLASS] --db PATH -o FILE.pdf
    report check   --purpose CODE (--class CLASS | --pupils NUM,...) [--on DATE] ...
    report pupil   --pupil NUM ...
    report case    --ref REF ...
    report cases   [--location NAME|alle] --from DATE --to DATE ...
    report takedowns [--on DATE] ...
    report forms   (--class KLAS | --location NAAM | --pupils NUM,...) [--purposes CODE,...] ...

Unknown locations, classes, pupils or references exit 2 with one clear line, and no file is
written (the report builders write to a temporary file and rename it when complete).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from merlet_desk.commands.common import open_db, output_path, parse_date_option
from merlet_desk.errors import InputError
from merlet_desk.store.sqlite_utils_import import Database

# `--location alle` (or no --location) for the overviews: every location in one report.
ALL_LOCATIONS = ("alle", "alle locaties")
LOCATION_HELP = "Cuijk, Grave of Mill; alle (of weglaten): alle locaties in één rapport"


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `report` with one subcommand per report."""
    parser = subparsers.add_parser(
        "report",
        help="maak een rapport als pdf op briefpapier",
        description="Maak een rapport als pdf op het briefpapier van de school.",
    )
    reports = parser.add_subparsers(dest="report", metavar="RAPPORT", required=True)

    output = argparse.ArgumentParser(add_help=False)
    output.add_argument(
        "-o", "--output", required=True, metavar="FILE.pdf", help="het pdf-bestand om te maken"
    )
    parents = [common, output]

    p = reports.add_parser(
        "policy", parents=parents, help="het beleid als hand-out voor medewerkers"
    )
    p.set_defaults(func=run_policy)

    p = reports.add_parser(
        "consent",
        parents=parents,
        help="overzicht toestemmingen van een locatie of van alle locaties (per klas)",
    )
    p.add_argument("--location", metavar="NAAM", help=LOCATION_HELP)
    p.add_argument("--class", dest="class_name", metavar="KLAS", help="alleen deze klas")
    p.add_argument("--on", metavar="DATUM", help="stand op deze datum (standaard vandaag)")
    p.set_defaults(func=run_consent)

    p = reports.add_parser(
        "check", parents=parents, help="publicatiecheck: wie mag in beeld, wie niet en waarom"
    )
    p.add_argument("--purpose", required=True, metavar="CODE", help="doel, bv. website")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--class", dest="class_name", metavar="KLAS", help="een hele klas")
    who.add_argument("--pupils", metavar="NUM,...", help="leerlingnummers, komma-gescheiden")
    p.add_argument("--on", metavar="DATUM", help="datum van publicatie (standaard vandaag)")
    p.set_defaults(func=run_check)

    p = reports.add_parser(
        "pupil", parents=parents, help="inzageverzoek (AVG art. 15): alles over één leerling"
    )
    p.add_argument("--pupil", required=True, metavar="NUM", help="leerlingnummer")
    p.set_defaults(func=run_pupil)

    p = reports.add_parser("case", parents=parents, help="één incident met tijdlijn en bewijs")
    p.add_argument("--ref", required=True, metavar="REF", help="kenmerk, bv. 2026-0007")
    p.set_defaults(func=run_case)

    p = reports.add_parser(
        "cases",
        parents=parents,
        help="overzicht incidenten van een locatie of van alle locaties over een periode",
    )
    p.add_argument("--location", metavar="NAAM", help=LOCATION_HELP)
    p.add_argument("--from", dest="date_from", required=True, metavar="DATUM", help="vanaf")
    p.add_argument("--to", dest="date_to", required=True, metavar="DATUM", help="tot en met")
    p.set_defaults(func=run_cases)

    p = reports.add_parser(
        "takedowns", parents=parents, help="te verwijderen publicaties (met reden en datum)"
    )
    p.add_argument("--on", metavar="DATUM", help="stand op deze datum (standaard vandaag)")
    p.set_defaults(func=run_takedowns)

    p = reports.add_parser(
        "forms",
        parents=parents,
        help="persoonlijke toestemmingsformulieren om af te drukken (één A4 per leerling)",
        description=(
            "Persoonlijke toestemmingsformulieren op briefpapier, één A4 per leerling, met "
            "QR-code en hoekmarkeringen zodat de ingevulde stapel gescand kan worden "
            "(import-scans). Elk formulier wordt in de database vastgelegd."
        ),
    )
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--class", dest="class_name", metavar="KLAS", help="een hele klas")
    who.add_argument("--location", metavar="NAAM", help="alle leerlingen van een locatie")
    who.add_argument("--pupils", metavar="NUM,...", help="leerlingnummers, komma-gescheiden")
    p.add_argument(
        "--purposes",
        metavar="CODE,...",
        help="alleen deze doelen, in deze volgorde (standaard alle actieve doelen)",
    )
    p.set_defaults(func=run_forms)


# -- helpers ------------------------------------------------------------------------------------


def _output(args: argparse.Namespace) -> Path:
    return output_path(args)


def _open(args: argparse.Namespace) -> Database:
    return open_db(args, write=False)


def _done(path: Path, pages: int) -> int:
    noun = "pagina" if pages == 1 else "pagina's"
    print(f"Rapport gemaakt: {path} ({pages} {noun})")
    return 0


def overview_location(name: str | None) -> str | None:
    """The location an overview is for: None (all locations) without --location or with
    "alle"; else as `check_location`."""
    from merlet_desk.letterhead import location_names

    if name is None or " ".join(name.split()).casefold() in ALL_LOCATIONS:
        return None
    try:
        return check_location(name)
    except InputError:
        names = ", ".join(location_names())
        raise InputError(f"Onbekende locatie '{name}'; kies uit: {names} of alle.") from None


def check_location(name: str) -> str:
    """The location as the letterhead spells it; InputError for an unknown one."""
    from merlet_desk.letterhead import location_names

    for known in location_names():
        if known.casefold() == name.strip().casefold():
            return known
    raise InputError(f"Onbekende locatie '{name}'; kies uit: {', '.join(location_names())}.")


# -- subcommands --------------------------------------------------------------------------------


def run_policy(args: argparse.Namespace) -> int:
    from merlet_desk.reports.policy import build_policy_report

    path = _output(args)
    db = _open(args)
    try:
        return _done(path, build_policy_report(db, path))
    finally:
        db.close()


def run_consent(args: argparse.Namespace) -> int:
    from merlet_desk.reports.consent_overview import build_consent_overview

    path = _output(args)
    location = overview_location(args.location)
    on = parse_date_option(args.on, "--on")
    db = _open(args)
    try:
        pages = build_consent_overview(
            db, path, location=location, class_name=args.class_name, on=on
        )
        return _done(path, pages)
    finally:
        db.close()


def run_check(args: argparse.Namespace) -> int:
    from merlet_desk.reports.publication_check import build_publication_check

    path = _output(args)
    on = parse_date_option(args.on, "--on")
    numbers = None
    if args.pupils is not None:
        numbers = [n.strip() for n in args.pupils.split(",") if n.strip()]
        if not numbers:
            raise InputError("--pupils: geef minstens één leerlingnummer.")
    db = _open(args)
    try:
        pages = build_publication_check(
            db, path, purpose=args.purpose, class_name=args.class_name, pupils=numbers, on=on
        )
        return _done(path, pages)
    finally:
        db.close()


def run_pupil(args: argparse.Namespace) -> int:
    from merlet_desk.reports.pupil_file import build_pupil_file

    path = _output(args)
    db = _open(args)
    try:
        return _done(path, build_pupil_file(db, path, pupil=args.pupil.strip()))
    finally:
        db.close()


def run_case(args: argparse.Namespace) -> int:
    from merlet_desk.reports.case import build_case_report

    path = _output(args)
    db = _open(args)
    try:
        return _done(path, build_case_report(db, path, reference=args.ref.strip()))
    finally:
        db.close()


def run_cases(args: argparse.Namespace) -> int:
    from merlet_desk.reports.case_overview import build_case_overview

    path = _output(args)
    location = overview_location(args.location)
    date_from = parse_date_option(args.date_from, "--from", bounded=False)
    date_to = parse_date_option(args.date_to, "--to", bounded=False)
    assert date_from is not None and date_to is not None  # both options are required
    if date_from > date_to:
        raise InputError("--from ligt na --to.")
    db = _open(args)
    try:
        pages = build_case_overview(
            db, path, location=location, date_from=date_from, date_to=date_to
        )
        return _done(path, pages)
    finally:
        db.close()


def run_takedowns(args: argparse.Namespace) -> int:
    from merlet_desk.reports.takedowns import build_takedowns_report

    path = _output(args)
    on = parse_date_option(args.on, "--on")
    db = _open(args)
    try:
        return _done(path, build_takedowns_report(db, path, on=on))
    finally:
        db.close()


def _numbers(text: str, option: str) -> list[str]:
    numbers = [n.strip() for n in text.split(",") if n.strip()]
    if not numbers:
        raise InputError(f"{option}: geef minstens één waarde.")
    return numbers


def run_forms(args: argparse.Namespace) -> int:
    from merlet_desk import clock
    from merlet_desk.reports.consent_forms import build_consent_forms
    from merlet_desk.reports.consent_overview import resolve_class
    from merlet_desk.store import paper_forms
    from merlet_desk.store import pupils as store

    path = _output(args)
    location = check_location(args.location) if args.location else None
    codes = _numbers(args.purposes, "--purposes") if args.purposes is not None else None
    numbers = _numbers(args.pupils, "--pupils") if args.pupils is not None else None
    db = open_db(args, write=True)  # each printed form is recorded
    try:
        if numbers is not None:
            pupils = store.resolve_pupils(db, numbers)
        elif location is not None:
            pupils = store.list_pupils(db, location=location)
        else:
            pupils = store.list_pupils(db, class_name=resolve_class(db, args.class_name))
        if not pupils:
            raise InputError(f"Locatie {location}: geen leerlingen op school.")
        purposes = paper_forms.form_purposes(db, codes)
        # The forms are recorded only when the PDF was written, and the other way round.
        with db.atomic():
            forms = paper_forms.issue_forms(db, pupils, purposes, clock.today())
            pages = build_consent_forms(db, path, forms)
        print(f"{len(forms)} formulier{'' if len(forms) == 1 else 'en'} vastgelegd.")
        return _done(path, pages)
    finally:
        db.close()
