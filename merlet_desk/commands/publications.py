"""Publication subcommands: `takedowns`, the open takedown list (stable for IT scripts).

    merlet-desk takedowns --db PATH [--json] [--date DATUM]

Exit 0 when nothing has to come down, 1 when something does, 2 for bad input (a bad date, a
missing or damaged database). The database is opened read-only. `--json` prints
`{"date", "count", "publications", "open": [Takedown.as_json(), ...]}`; neither the text nor
the JSON names a pupil, only the pupil number (the output may land in logs). Both say which
box of the file that went out hid which pupil ("vak 1 (x 170, y 50, 110 × 140): leerling
1003"; JSON `file_boxes` and `hidden`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from merlet_desk import clock
from merlet_desk.commands.common import (
    open_db,
    parse_date_option,
    replace_unencodable_output,
    stdout_is_unicode,
)

if TYPE_CHECKING:
    from merlet_desk.store.takedowns import Takedown


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add this module's subcommands."""
    takedowns = subparsers.add_parser(
        "takedowns",
        parents=[common],
        help="welke publicaties moeten offline? (te verwijderen)",
        description=(
            "Publicaties waarop een leerling staat die er niet (meer) op mag: item, doel, "
            "link, leerlingnummer, reden en sinds wanneer. Exitcode 0: niets te verwijderen; "
            "1: er staat iets open; 2: foute invoer."
        ),
    )
    takedowns.add_argument(
        "--date",
        "--on",
        dest="date",
        metavar="DATUM",
        default=None,
        help="stand op deze datum, 24-11-2026 of 2026-11-24 (standaard vandaag)",
    )
    takedowns.add_argument("--json", action="store_true", help="uitvoer als JSON")
    takedowns.set_defaults(func=run_takedowns)


def takedowns_json(takedowns: Sequence[Takedown], on: date) -> dict[str, Any]:
    """The JSON document of `takedowns --json`."""
    return {
        "date": on.isoformat(),
        "count": len(takedowns),
        "publications": len({t.publication_id for t in takedowns}),
        "open": [t.as_json() for t in takedowns],
    }


def takedowns_text(takedowns: Sequence[Takedown], on: date) -> str:
    """Plain Dutch text: one block per publication, one line per pupil in it."""
    day = on.strftime("%d-%m-%Y")
    if not takedowns:
        return f"Er hoeft niets verwijderd te worden (stand op {day})."
    publications: dict[int, list[Takedown]] = {}
    for takedown in takedowns:
        publications.setdefault(takedown.publication_id, []).append(takedown)
    lines = [
        f"Te verwijderen publicaties op {day}: {len(takedowns)} open "
        f"({len(publications)} publicatie{'' if len(publications) == 1 else 's'})"
    ]
    for group in publications.values():
        first = group[0]
        lines += [
            "",
            f"{first.item_title} — {first.purpose_label} ({first.purpose_code}), "
            f"gepubliceerd {first.published_on:%d-%m-%Y}",
            f"  link: {first.link}",
        ]
        if first.file_name:
            lines.append(f"  bestand: {first.file_name}")
        # Which box of that file hid whom: the pupils already unrecognisable in it.
        lines += [f"  {line}" for line in first.faces.lines(names=False)]
        for takedown in group:
            lines.append(
                f"  - leerling {takedown.pupil.number}: {takedown.reason_label}"
                f" (sinds {takedown.since:%d-%m-%Y})"
            )
    return "\n".join(lines)


def run_takedowns(args: argparse.Namespace) -> int:
    from merlet_desk.store import takedowns as store

    on = parse_date_option(args.date, "--date") or clock.today()
    db = open_db(args, write=False)
    try:
        takedowns = store.open_takedowns(db, on)
    finally:
        db.close()
    if args.json:
        # \u escapes where the output cannot carry the titles (a Windows pipe in cp1252)
        plain = not stdout_is_unicode()
        text = json.dumps(takedowns_json(takedowns, on), ensure_ascii=plain, indent=2)
    else:
        replace_unencodable_output()
        text = takedowns_text(takedowns, on)
    try:
        print(text)
        sys.stdout.flush()
    except BrokenPipeError:  # `takedowns | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 1 if takedowns else 0
