"""`merlet-desk import-scans`: scanned consent forms back into the register.

    merlet-desk import-scans FILE... --db PATH [--json] [--confirm-certain] [--received DATUM]

Reads PDFs and images (PNG, JPEG, TIFF, multi-page TIFF), in any order and orientation, and
reports per page the form and pupil (or why not), per purpose ja/nee/leeg/beide/twijfel with a
confidence, and whether the signature rectangle holds ink. Without `--confirm-certain` nothing
is written (the database is opened read-only); with it, in read-only mode, the run is refused.
With it, a backup is made first (as `import-consents` does), then every form whose marks are
all certain and that is signed is recorded: decisions by the decision dialog's rules (an empty
row is no consent, as the form says), method paper, with the scan kept as proof. Other pages
are never recorded without a person (the GUI's "Gescande formulieren verwerken").

The date of the decisions: `--received`, else the date of the scan (the PDF's creation date,
an image's EXIF date, else the file's date), but only when the form could have been received
that day: not before it was printed, not after today. A scan dated otherwise (a copier with
its clock wrong) waits for a person; a `--received` that is impossible for any form in the
stack is refused before anything is recorded.

Exit 0 when every page was certain (and, with `--confirm-certain`, recorded); 1 when a page
needs a person (not recognised, twijfel, unsigned, duplicate, another pupil, no possible date,
refused by the rules); 2 for bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from merlet_desk import clock
from merlet_desk.commands.common import open_db, parse_date_option
from merlet_desk.domain.paper_form import receipt_problem
from merlet_desk.domain.text import count_text, number_text
from merlet_desk.errors import InputError


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `import-scans`."""
    parser = subparsers.add_parser(
        "import-scans",
        parents=[common],
        help="gescande toestemmingsformulieren lezen (en met --confirm-certain vastleggen)",
        description=(
            "Lees gescande toestemmingsformulieren (pdf, png, jpeg, tiff) en meld per pagina "
            "wat er staat. Zonder --confirm-certain wordt niets vastgelegd. De besluiten "
            "krijgen de datum van --received, anders de datum van de scan, maar alleen als een "
            "formulier op die dag ontvangen kan zijn (niet vóór het afdrukken, niet na "
            "vandaag); een scan met een andere datum wordt niet vastgelegd maar nagekeken. Een "
            "lege regel op een ondertekend formulier is geen toestemming."
        ),
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="pdf- of afbeeldingsbestanden")
    parser.add_argument("--json", action="store_true", help="uitvoer als JSON")
    parser.add_argument(
        "--confirm-certain",
        action="store_true",
        help=(
            "maak eerst een back-up en leg dan de formulieren vast waarvan elk kruisje zeker "
            "is en die ondertekend zijn"
        ),
    )
    parser.add_argument(
        "--received",
        metavar="DATUM",
        help=(
            "datum van ontvangst voor de besluiten (standaard de datum van de scan, als die "
            "kan: niet vóór het afdrukken van het formulier en niet na vandaag)"
        ),
    )
    parser.set_defaults(func=run_import_scans)


def run_import_scans(args: argparse.Namespace) -> int:
    from merlet_desk.imports import scans

    received = parse_date_option(args.received, "--received")
    if received is not None:
        future = receipt_problem(received, received, clock.today(), "de datum van ontvangst")
        if future:
            raise InputError(f"--received: {future}.")
    paths = [Path(name).expanduser() for name in args.files]
    scans.total_pages(paths)  # every file checked before the database is opened
    write = bool(args.confirm_certain)
    db = open_db(args, write=write)  # without --confirm-certain: read-only, nothing written
    try:
        pages = scans.read_stack(db, paths, received=received)
        recorded = decisions = 0
        if received is not None:
            impossible = scans.impossible_received(pages)
            if impossible is not None:
                raise impossible
        if write and any(page.certain for page in pages):
            from merlet_desk.store.backup import backup_before

            backup_before(db, "voor-import")  # so a wrong but certain stack can be undone
            recorded, decisions = scans.record_certain(db, pages, received)
    finally:
        db.close()
    attention = sum(
        1 for page in pages if page.scan_id is None and not (page.certain and not write)
    )
    if args.json:
        document = {
            "pages": len(pages),
            "recognised": sum(1 for page in pages if page.form is not None),
            "certain": sum(1 for page in pages if page.certain or page.scan_id is not None),
            "recorded": recorded,
            "decisions": decisions,
            "results": [page.as_json() for page in pages],
        }
        json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        for page in pages:
            print("\n".join(scans.describe(page)))
        certain = sum(1 for page in pages if page.certain or page.scan_id is not None)
        recognised = sum(1 for page in pages if page.form is not None)
        print()
        print(
            count_text(len(pages), "1 pagina", "%1 pagina's")
            + f": {number_text(recognised)} herkend, {number_text(certain)} zeker."
        )
        if write:
            print(
                count_text(recorded, "1 formulier vastgelegd", "%1 formulieren vastgelegd")
                + f" ({count_text(decisions, '1 besluit', '%1 besluiten')})."
            )
        else:
            print(
                "Niets vastgelegd (met --confirm-certain worden de zekere formulieren vastgelegd)."
            )
    return 1 if attention else 0
