"""The result of a publication check: for one purpose and date, who may appear and who may not
(with the reason), and a line for a signature, to keep with the photo or video.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date, datetime

from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from merlet_desk import clock
from merlet_desk.domain import consent as rules
from merlet_desk.domain.text import count_text
from merlet_desk.errors import InputError
from merlet_desk.reports.common import (
    data_table,
    heading,
    key_value_table,
    markup,
    para,
    spacer,
    symbol_cell,
)
from merlet_desk.reports.consent_overview import resolve_class
from merlet_desk.reports.letterhead import CONTENT_WIDTH, INK, build_pdf, format_date
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store import statuses as store
from merlet_desk.store.sqlite_utils_import import Database

TITLE = "Publicatiecheck beeldmateriaal"


def decided_on(decision: rules.Decision | None) -> str:
    """The date of the decision the verdict rests on ("—" without one). Not who gave it nor
    how: the check goes to a photographer or a teacher, who need the verdict, not the
    parents' names."""
    return format_date(decision.received_on) if decision is not None else "—"


def _signature_block() -> Flowable:
    line = "_" * 34
    rows = [
        [para("Gecontroleerd door", "head"), para(line, "cell")],
        [para("Datum", "head"), para(line, "cell")],
        [para("Handtekening", "head"), para(line, "cell")],
    ]
    table = Table(
        rows, colWidths=[CONTENT_WIDTH * 0.3, CONTENT_WIDTH * 0.7], hAlign="LEFT", splitInRow=1
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("TOPPADDING", (0, 0), (-1, -1), 12),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TEXTCOLOR", (0, 0), (-1, -1), INK),
            ]
        )
    )
    return KeepTogether([heading("Voor akkoord", 2), table])


def check_story(result: store.CheckResult, scope: str) -> list[Flowable]:
    """The flowables of a check result; `scope` says what was checked ("klas 2A", ...)."""
    allowed, blocked = result.allowed, result.blocked
    story: list[Flowable] = [heading(f"Publicatiecheck: {result.purpose.label}", 1)]
    story.append(
        key_value_table(
            [
                ("Doel", f"{result.purpose.label} ({result.purpose.code})"),
                ("Datum van publicatie", format_date(result.on)),
                ("Gecontroleerd", scope),
                ("Uitkomst", f"in beeld: {len(allowed)} · niet in beeld: {len(blocked)}"),
            ]
        )
    )
    story.append(spacer(6))
    if blocked:
        story.append(
            markup(
                count_text(
                    len(blocked),
                    "<b>Let op:</b> 1 leerling mag <b>niet</b> herkenbaar in beeld. Laat hem of "
                    "haar weg, maak hem of haar onherkenbaar of vraag eerst toestemming.",
                    "<b>Let op:</b> %1 leerlingen mogen <b>niet</b> herkenbaar in beeld. Laat ze "
                    "weg, maak ze onherkenbaar of vraag eerst toestemming.",
                ),
                "body",
            )
        )
    else:
        story.append(para("Alle gecontroleerde leerlingen mogen in beeld.", "body"))

    story.append(heading(f"Mogen niet in beeld ({len(blocked)})", 2))
    if blocked:
        story.append(
            data_table(
                ["", "Nr.", "Leerling", "Klas", "Reden", "Besluit van"],
                [
                    [
                        symbol_cell(status.symbol),
                        pupil.number,
                        pupil.name,
                        pupil.class_name,
                        rules.REASON_LABELS.get(status.state, status.label),
                        decided_on(status.decision),
                    ]
                    for pupil, status in blocked
                ],
                [0.05, 0.10, 0.28, 0.07, 0.35, 0.15],
                center_columns=(0,),
            )
        )
    else:
        story.append(para("Niemand.", "muted"))

    story.append(heading(f"Mogen in beeld ({len(allowed)})", 2))
    if allowed:
        story.append(
            data_table(
                ["", "Nr.", "Leerling", "Klas", "Toestemming van", "Geldig tot", "Let op"],
                [
                    [
                        symbol_cell(status.symbol),
                        pupil.number,
                        pupil.name,
                        pupil.class_name,
                        decided_on(status.decision),
                        format_date(status.valid_until) or "tot intrekking",
                        "; ".join(rules.FLAG_LABELS.get(flag, flag) for flag in status.flags),
                    ]
                    for pupil, status in allowed
                ],
                [0.05, 0.10, 0.30, 0.08, 0.15, 0.14, 0.18],
                center_columns=(0,),
            )
        )
    else:
        story.append(para("Niemand.", "muted"))
    story.append(spacer(10))
    story.append(_signature_block())
    return story


def build_publication_check(
    db: Database,
    path: str | os.PathLike[str],
    *,
    purpose: str,
    class_name: str | None = None,
    pupils: Sequence[str] | None = None,
    on: date | None = None,
    made_by: str | None = None,
    made_at: datetime | None = None,
) -> int:
    """Check `purpose` for a class or a list of pupil numbers on `on` and write the result.

    InputError (and no file) for an unknown purpose, class or pupil.
    """
    on = on or clock.today()
    if class_name:
        class_name = resolve_class(db, class_name)
        numbers = pupil_store.class_numbers(db, class_name)
        scope = f"klas {class_name} ({count_text(len(numbers), '1 leerling', '%1 leerlingen')})"
    elif pupils:
        numbers = list(pupils)
        scope = count_text(len(numbers), "1 gekozen leerling", "%1 gekozen leerlingen")
    else:
        raise InputError("Kies een klas of leerlingen om te controleren.")
    result = store.publication_check(db, purpose, numbers, on)
    return write_check_result(result, path, scope=scope, made_by=made_by, made_at=made_at)


def write_check_result(
    result: store.CheckResult,
    path: str | os.PathLike[str],
    *,
    scope: str = "",
    made_by: str | None = None,
    made_at: datetime | None = None,
) -> int:
    """Write an already computed check (e.g. from the GUI's check dialog) as a PDF."""
    everyone = [pupil for pupil, _ in (*result.allowed, *result.blocked)]
    locations = {pupil.location for pupil in everyone}
    location = locations.pop() if len(locations) == 1 else None
    scope = scope or count_text(len(everyone), "1 leerling", "%1 leerlingen")
    return build_pdf(
        path,
        f"Publicatiecheck — {result.purpose.label}",
        check_story(result, scope),
        location=location,
        made_by=made_by,
        made_at=made_at,
        subject=result.purpose.label,
    )
