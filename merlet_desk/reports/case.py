"""A single case of the incident log: every field, the timeline, the agreements concerned with
their text from the current policy, and thumbnails of image evidence.
"""

from __future__ import annotations

import io
import os
from datetime import date, datetime

from reportlab.platypus import Flowable, Image, KeepTogether, Table, TableStyle

from merlet_desk.domain import cases as rules
from merlet_desk.errors import InputError
from merlet_desk.reports.common import (
    data_table,
    heading,
    key_value_table,
    para,
    spacer,
)
from merlet_desk.reports.letterhead import CONTENT_WIDTH, build_pdf, format_date, format_datetime
from merlet_desk.reports.policy import agreement_flowables
from merlet_desk.store import cases as store
from merlet_desk.store.policy_store import current_policy
from merlet_desk.store.sqlite_utils_import import Database

TITLE = "Incident"
THUMBS_PER_ROW = 4
THUMB_BOX = 100.0  # points; the stored thumbnails are at most 160 px


def _informed(flag: bool, on: date | None, timeline: list[rules.TimelineEntry], kind: str) -> str:
    """ "Ja, op 04-11-2026", or the timeline's date when only a step says so: the field and
    the timeline below it tell one story."""
    informed, day, from_timeline = rules.informed_on(
        flag, on, [entry.entry_date for entry in timeline if entry.kind == kind]
    )
    if not informed:
        return "Nee"
    text = f"Ja, op {format_date(day)}" if day else "Ja"
    return f"{text} (stap in de tijdlijn)" if from_timeline else text


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024))} kB"


def _people_lines(case: rules.Case) -> list[str]:
    lines = []
    for person in case.people:
        role = rules.ROLE_LABELS.get(person.role, person.role)
        extra = f" (leerlingnummer {person.pupil_number})" if person.pupil_number else ""
        lines.append(f"{role}: {person.description}{extra}")
    return lines


def _thumbnails(evidence: list[rules.EvidenceInfo]) -> Flowable | None:
    cells: list[list[Flowable]] = []
    for item in evidence:
        if not (item.is_image and item.thumbnail):
            continue
        image = Image(io.BytesIO(item.thumbnail))
        scale = min(THUMB_BOX / image.imageWidth, THUMB_BOX / image.imageHeight, 1.0)
        image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
        cells.append([image, para(item.file_name, "small")])
    if not cells:
        return None
    width = CONTENT_WIDTH / THUMBS_PER_ROW
    rows = []
    for start in range(0, len(cells), THUMBS_PER_ROW):
        chunk = cells[start : start + THUMBS_PER_ROW]
        chunk += [["", ""]] * (THUMBS_PER_ROW - len(chunk))
        rows.append([c[0] for c in chunk])
        rows.append([c[1] for c in chunk])
    table = Table(rows, colWidths=[width] * THUMBS_PER_ROW, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def case_story(db: Database, case: rules.Case) -> list[Flowable]:
    if case.id is None:
        raise InputError("Deze zaak is nog niet opgeslagen; er is geen rapport van te maken.")
    categories = store.category_labels(db)
    platforms = store.platform_labels(db)
    story: list[Flowable] = [heading(f"Incident {case.reference}: {case.summary}", 1)]
    measures = case.measure_lines()
    people = _people_lines(case)
    timeline = store.list_timeline(db, case.id)
    story.append(
        key_value_table(
            [
                ("Kenmerk", case.reference),
                ("Status", rules.STATUS_LABELS.get(case.status, case.status)),
                ("Datum incident", format_date(case.incident_date)),
                ("Datum melding", format_date(case.report_date)),
                ("Locatie", case.location),
                ("Categorie", categories.get(case.category, case.category)),
                ("Platform", platforms.get(case.platform, case.platform)),
                ("Samenvatting", case.summary),
                ("Beschrijving", case.description or "—"),
                ("Betrokkenen", "\n".join(people) or "—"),
                (
                    "Betrokken afspraken",
                    ", ".join(f"afspraak {n}" for n in case.agreements) or "—",
                ),
                ("Maatregelen en sancties", "\n".join(measures) or "—"),
                (
                    "Ouders geïnformeerd",
                    _informed(
                        case.parents_informed,
                        case.parents_informed_on,
                        timeline,
                        "parents_informed",
                    ),
                ),
                (
                    "Politie geïnformeerd",
                    _informed(
                        case.police_informed, case.police_informed_on, timeline, "police_informed"
                    ),
                ),
                ("Contact met de pers", case.press_contact or "—"),
                ("Zorg voor het slachtoffer", case.victim_care or "—"),
                ("Gesloten op", format_date(case.closed_on) or "—"),
                (
                    "Vastgelegd",
                    f"{format_datetime(case.created_at)} door {case.created_by or 'onbekend'}",
                ),
                (
                    "Laatst gewijzigd",
                    f"{format_datetime(case.updated_at)} door {case.updated_by or 'onbekend'}"
                    if case.updated_at
                    else "—",
                ),
            ]
        )
    )

    story.append(heading(f"Tijdlijn ({len(timeline)})", 2))
    if timeline:
        story.append(
            data_table(
                ["Datum", "Stap", "Toelichting", "Door"],
                [
                    [format_date(e.entry_date), e.kind_label, e.text or "—", e.author]
                    for e in timeline
                ],
                [0.13, 0.19, 0.53, 0.15],
            )
        )
    else:
        story.append(para("Nog geen stappen vastgelegd.", "muted"))

    evidence = store.list_evidence(db, case.id)
    story.append(heading(f"Bewijsstukken ({len(evidence)})", 2))
    if evidence:
        story.append(
            data_table(
                ["Bestand", "Soort", "Grootte", "Toegevoegd", "Controlegetal (SHA-256)"],
                [
                    [
                        e.file_name,
                        e.mime_type,
                        _size(e.size),
                        f"{format_datetime(e.added_at)}, {e.added_by}",
                        e.sha256[:16] + "…",
                    ]
                    for e in evidence
                ],
                [0.27, 0.15, 0.1, 0.25, 0.23],
            )
        )
        thumbs = _thumbnails(evidence)
        if thumbs is not None:
            story.append(KeepTogether([spacer(6), para("Afbeeldingen", "h3"), spacer(2), thumbs]))
    else:
        story.append(para("Geen bewijsstukken.", "muted"))

    if case.agreements:
        story.append(heading("Betrokken afspraken uit het beleid", 2))
        try:
            policy = current_policy(db)
        except LookupError:
            story.append(para("De database bevat geen beleidstekst.", "muted"))
        else:
            story += agreement_flowables(policy, case.agreements)
    return story


def build_case_report(
    db: Database,
    path: str | os.PathLike[str],
    *,
    reference: str,
    made_by: str | None = None,
    made_at: datetime | None = None,
) -> int:
    """Write the case with `reference` (e.g. 2026-0007) to `path`; InputError if unknown."""
    case = store.get_case(db, reference)
    return build_pdf(
        path,
        f"{TITLE} {case.reference}",
        case_story(db, case),
        location=case.location,
        made_by=made_by,
        made_at=made_at,
        subject=f"Incident {case.reference}",
    )
