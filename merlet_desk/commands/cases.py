"""`merlet-desk cases`: list the case log, filtered by location, status and period.

Exit codes: 0 the list was printed (also when it is empty), 2 bad input (unknown location or
status, a bad date, a period whose start lies after its end) or a database that cannot be opened.
"""

from __future__ import annotations

import argparse
import json

from merlet_desk.commands.common import open_db, parse_date_option
from merlet_desk.domain.cases import STATUS_LABELS, STATUSES
from merlet_desk.domain.dates import format_date
from merlet_desk.domain.text import count_text
from merlet_desk.errors import InputError
from merlet_desk.letterhead import location_names
from merlet_desk.store.cases import CaseFilter, CaseRow, list_cases


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `cases`."""
    parser = subparsers.add_parser(
        "cases",
        parents=[common],
        help="toon de incidenten, gefilterd op locatie, status en periode",
        description="Toon de vastgelegde incidenten, nieuwste eerst.",
    )
    parser.add_argument("--location", metavar="NAAM", help="Cuijk, Grave of Mill")
    parser.add_argument("--status", metavar="STATUS", help="open, in_progress of closed")
    parser.add_argument(
        "--from", dest="date_from", metavar="DATUM", help="incidenten vanaf deze datum"
    )
    parser.add_argument("--to", dest="date_to", metavar="DATUM", help="incidenten tot en met")
    parser.add_argument("--json", action="store_true", help="uitvoer als JSON")
    parser.set_defaults(func=run)


def _location(name: str | None) -> str | None:
    if name is None:
        return None
    for known in location_names():
        if known.casefold() == name.strip().casefold():
            return known
    raise InputError(f"Onbekende locatie {name!r}; kies uit {', '.join(location_names())}.")


def _status(value: str | None) -> str | None:
    if value is None:
        return None
    if value not in STATUSES:
        raise InputError(f"Onbekende status {value!r}; kies uit {', '.join(STATUSES)}.")
    return value


def build_filter(args: argparse.Namespace) -> CaseFilter:
    """The filter the options describe; InputError for anything it cannot use."""
    date_from = parse_date_option(args.date_from, "--from", bounded=False)
    date_to = parse_date_option(args.date_to, "--to", bounded=False)
    if date_from and date_to and date_from > date_to:
        raise InputError(
            f"--from ({format_date(date_from)}) ligt na --to ({format_date(date_to)})."
        )
    return CaseFilter(
        location=_location(args.location),
        status=_status(args.status),
        date_from=date_from,
        date_to=date_to,
    )


def row_as_dict(row: CaseRow) -> dict[str, object]:
    return {
        "reference": row.reference,
        "incident_date": row.incident_date.isoformat(),
        "report_date": row.report_date.isoformat(),
        "location": row.location,
        "category": row.category,
        "category_label": row.category_label,
        "platform": row.platform,
        "platform_label": row.platform_label,
        "status": row.status,
        "closed_on": row.closed_on.isoformat() if row.closed_on else None,
        "agreements": list(row.agreements),
    }


def run(args: argparse.Namespace) -> int:
    case_filter = build_filter(args)
    db = open_db(args, write=False)
    try:
        rows = list_cases(db, case_filter)
    finally:
        db.close()
    if args.json:
        print(json.dumps([row_as_dict(row) for row in rows], ensure_ascii=False, indent=2))
        return 0
    header = (
        "Kenmerk",
        "Incident",
        "Melding",
        "Locatie",
        "Categorie",
        "Platform",
        "Status",
        "Afspraken",
    )
    lines = [
        (
            row.reference,
            format_date(row.incident_date),
            format_date(row.report_date),
            row.location,
            row.category_label,
            row.platform_label,
            STATUS_LABELS[row.status],
            ", ".join(str(n) for n in row.agreements),
        )
        for row in rows
    ]
    widths = [max(len(str(v)) for v in column) for column in zip(header, *lines, strict=False)]
    for line in (header, *lines):
        print("  ".join(str(v).ljust(w) for v, w in zip(line, widths, strict=True)).rstrip())
    print(count_text(len(rows), "1 incident", "%1 incidenten"))
    return 0
