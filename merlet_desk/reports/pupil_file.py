"""A pupil's file for an access request (GDPR art. 15): what the register holds about them.

The pupil's own data, the current status per purpose, the full history of every decision (who
gave it, when, how, who recorded it, and the scanned form it came from), the photos and videos
they are in, the scanned paper forms themselves, and the changes to their record. Nothing about other
pupils: every query here is keyed on this one pupil. A pupil who turned 16 and was told so (the
marks of `store.informed`) sees when.
"""

from __future__ import annotations

import os
from collections import defaultdict
from datetime import date, datetime

from reportlab.platypus import Flowable

from merlet_desk import clock
from merlet_desk.domain import consent as rules
from merlet_desk.reports.common import (
    data_table,
    heading,
    key_value_table,
    para,
    spacer,
    symbol_cell,
)
from merlet_desk.reports.letterhead import (
    PARENT_FACING_ROLE,
    build_pdf,
    format_date,
    format_datetime,
)
from merlet_desk.store import consent_settings as settings_store
from merlet_desk.store import decisions as store
from merlet_desk.store import items as item_store
from merlet_desk.store import paper_forms, publications
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store import purposes as purpose_store
from merlet_desk.store.audit_query import record_history
from merlet_desk.store.informed import AUDIT_ACTIONS, informed_marks, standing_mark
from merlet_desk.store.sqlite_utils_import import Database

TITLE = "Inzage persoonsgegevens (AVG art. 15)"
# The file goes to a pupil or parent: who recorded something is named by role.
RECORDER_ROLE = PARENT_FACING_ROLE

FIELD_LABELS = {
    "number": "Leerlingnummer",
    "first_name": "Voornaam",
    "prefix": "Tussenvoegsel",
    "last_name": "Achternaam",
    "birth_date": "Geboortedatum",
    "class_name": "Klas",
    "location": "Locatie",
    "left_on": "Uitgeschreven op",
}
ACTION_LABELS = {"create": "Ingeschreven", "update": "Gewijzigd", "delete": "Verwijderd"}


def _record_changes(db: Database, pupil: pupil_store.Pupil) -> list[list[str]]:
    """Audit entries of this pupil's own record (keyed on the pupil number)."""
    result = []
    for entry in record_history(db, "pupil", pupil.number):
        if entry.action in AUDIT_ACTIONS.values():
            continue  # the marks "geïnformeerd (16 geworden)" have a section of their own
        at, action, old, new = entry.at, entry.action, entry.old, entry.new
        changes = []
        for key, label in FIELD_LABELS.items():
            before, after = old.get(key), new.get(key)
            if key not in new or before == after:
                continue
            if key in ("birth_date", "left_on"):
                before, after = format_date(before), format_date(after)
            changes.append(f"{label}: {before or '—'} → {after or '—'}" if old else label)
        what = ", ".join(changes) if old else "leerling ingeschreven in het register"
        result.append([format_datetime(at), ACTION_LABELS.get(action, action), what])
    return result


def _publication_story(db: Database, pupil: pupil_store.Pupil) -> list[Flowable]:
    """The photos and videos the pupil is in, and where each went."""
    items = item_store.items_of_pupil(db, pupil.number)
    story: list[Flowable] = [
        heading(f"Foto's en video's waarop de leerling staat ({len(items)})", 2)
    ]
    if not items:
        story.append(
            para("De leerling staat in geen enkel item van het publicatieregister.", "muted")
        )
        return story
    published: dict[int, list[publications.Publication]] = defaultdict(list)
    for item, publication in publications.publications_of_pupil(db, pupil.number):
        published[item.id].append(publication)
    rows = []
    for item in items:
        where = []
        for publication in published[item.id]:
            text = (
                f"{publication.purpose_label}, {format_date(publication.published_on)}: "
                f"{publication.link}"
            )
            hidden = publication.hidden_pupil(pupil.number)
            if hidden is not None:
                # Only this pupil's own box: the file is theirs, not the others' in the photo.
                regions = publication.file.regions if publication.file else ()
                text += f" (onherkenbaar gemaakt: {hidden.label(regions)})"
            if publication.file is not None:
                text += f" — bestand: {publication.file.name} ({publication.file.kind_label})"
            if publication.taken_down_on:
                text += f" — verwijderd op {format_date(publication.taken_down_on)}"
            where.append(text)
        rows.append(
            [
                item.title,
                item.media_label,
                format_date(item.taken_on) if item.taken_on else "",
                "\n".join(where) or "niet gepubliceerd",
            ]
        )
    story.append(
        data_table(["Item", "Soort", "Opname", "Gepubliceerd"], rows, [0.3, 0.1, 0.12, 0.48])
    )
    return story


def _scan_story(db: Database, pupil: pupil_store.Pupil) -> list[Flowable]:
    """The scanned paper forms kept as proof: a list, then each page's image."""
    from io import BytesIO

    from reportlab.platypus import CondPageBreak, Image, KeepTogether

    from merlet_desk.reports.letterhead import CONTENT_HEIGHT, CONTENT_WIDTH

    scans = paper_forms.scans_of_pupil(db, pupil.number)
    story: list[Flowable] = [heading(f"Gescande formulieren ({len(scans)})", 2)]
    if not scans:
        story.append(para("Er zijn geen gescande formulieren bewaard.", "muted"))
        return story
    story.append(
        para(
            "Het ondertekende papieren formulier is het bewijs van de besluiten die ermee zijn "
            "vastgelegd. De scans volgen hieronder.",
            "body",
        )
    )
    story.append(
        data_table(
            ["Formulier", "Ontvangen", "Gescand", "Bestand", "Besluiten", "Vastgelegd op"],
            [
                [
                    scan.form_label,
                    format_date(scan.received_on),
                    format_date(scan.scanned_on),
                    scan.source,
                    str(len(scan.decision_ids)),
                    format_datetime(scan.recorded_at),
                ]
                for scan in scans
            ],
            [0.15, 0.12, 0.12, 0.25, 0.1, 0.26],
        )
    )
    story.append(para(f"Vastgelegd door de {RECORDER_ROLE} van de school.", "muted"))
    for scan in scans:
        image = paper_forms.scan_image(db, scan.id)
        height = CONTENT_HEIGHT - 40
        width = height * image.width / image.height
        if width > CONTENT_WIDTH:
            width, height = CONTENT_WIDTH, CONTENT_WIDTH * image.height / image.width
        story.append(CondPageBreak(height + 30))
        story.append(
            KeepTogether(
                [
                    heading(
                        f"Scan van formulier {scan.form_label}, ontvangen "
                        f"{format_date(scan.received_on)}",
                        3,
                    ),
                    Image(BytesIO(image.data), width=width, height=height),
                ]
            )
        )
    return story


def pupil_story(db: Database, pupil: pupil_store.Pupil, on: date) -> list[Flowable]:
    purposes = purpose_store.list_purposes(db, include_retired=True)
    labels = {purpose.code: purpose.label for purpose in purposes}
    settings = settings_store.consent_settings(db)
    decisions = store.decisions_for(db, pupil.number)
    story: list[Flowable] = [heading(pupil.name, 1)]
    story.append(
        para(
            "Dit overzicht bevat wat Merlet College in het toestemmingsregister voor "
            "beeldmateriaal over deze leerling bewaart: de persoonsgegevens, de huidige stand "
            "per doel en de volledige geschiedenis van alle besluiten.",
            "body",
        )
    )
    story.append(heading("Persoonsgegevens", 2))
    story.append(
        key_value_table(
            [
                ("Leerlingnummer", pupil.number),
                ("Naam", pupil.name),
                ("Voornaam", pupil.first_name),
                ("Tussenvoegsel", pupil.prefix or "—"),
                ("Achternaam", pupil.last_name),
                ("Geboortedatum", format_date(pupil.birth_date)),
                ("Leeftijd op " + format_date(on), str(rules.age_on(pupil.birth_date, on))),
                ("Klas", pupil.class_name),
                ("Locatie", pupil.location),
                ("Uitgeschreven op", format_date(pupil.left_on) or "— (op school)"),
            ]
        )
    )

    story.append(heading(f"Huidige stand op {format_date(on)}", 2))
    informed_on = standing_mark(db, pupil)
    rows = []
    for purpose in purposes:
        own = [d for d in decisions if d.purpose == purpose.code]
        if purpose.retired and not own:
            continue
        status = rules.status_on(pupil.birth_date, own, on, settings, informed_on)
        label = purpose.label + (" (vervallen doel)" if purpose.retired else "")
        rows.append(
            [
                symbol_cell(status.symbol),
                label,
                status.label,
                # Only a consent is valid until a date; a refusal or withdrawal has no end.
                format_date(status.valid_until) if status.allowed and status.valid_until else "",
            ]
        )
    story.append(
        data_table(
            ["", "Doel", "Stand", "Geldig tot"],
            rows,
            [0.06, 0.40, 0.38, 0.16],
            center_columns=(0,),
        )
    )

    story.append(heading(f"Geschiedenis van alle besluiten ({len(decisions)})", 2))
    sources = paper_forms.scan_ids_by_decision(db, [d.id for d in decisions if d.id])
    scan_labels = {
        scan.id: scan.form_label for scan in paper_forms.scans_of_pupil(db, pupil.number)
    }

    def how(decision: rules.Decision) -> str:
        text = rules.METHOD_LABELS.get(decision.method, decision.method)
        scan_id = sources.get(decision.id) if decision.id else None
        return f"{text} (scan {scan_labels[scan_id]})" if scan_id in scan_labels else text

    if decisions:
        story.append(
            data_table(
                ["Ontvangen", "Doel", "Besluit", "Gegeven door", "Hoe", "Vastgelegd op"],
                [
                    [
                        format_date(d.received_on),
                        labels.get(d.purpose, d.purpose),
                        rules.DECISION_LABELS.get(d.decision, d.decision),
                        f"{rules.GIVER_LABELS.get(d.given_by, d.given_by)}: {d.giver_name}",
                        how(d),
                        format_datetime(d.recorded_at),
                    ]
                    for d in decisions
                ],
                [0.115, 0.225, 0.14, 0.19, 0.14, 0.19],
            )
        )
        story.append(para(f"Vastgelegd door de {RECORDER_ROLE} van de school.", "muted"))
    else:
        story.append(para("Er zijn geen besluiten vastgelegd.", "muted"))

    marks = informed_marks(db, pupil.number)
    if marks:
        story.append(heading("16 geworden: leerling geïnformeerd", 2))
        story.append(
            data_table(
                ["Wat", "Toelichting", "Vastgelegd op"],
                [[mark.text, mark.note, format_datetime(mark.recorded_at)] for mark in marks],
                [0.5, 0.3, 0.2],
            )
        )
    story.extend(_publication_story(db, pupil))
    story.extend(_scan_story(db, pupil))

    changes = _record_changes(db, pupil)
    story.append(heading("Wijzigingen in de leerlinggegevens", 2))
    if changes:
        story.append(data_table(["Wanneer", "Actie", "Wat"], changes, [0.2, 0.16, 0.64]))
        story.append(para(f"Vastgelegd door de {RECORDER_ROLE} van de school.", "muted"))
    else:
        story.append(para("Geen wijzigingen vastgelegd.", "muted"))
    story.append(spacer(8))
    story.append(
        para(
            "Een besluit kan altijd worden ingetrokken; een intrekking geldt direct. Vragen "
            "over dit overzicht kunt u richten aan de school.",
            "muted",
        )
    )
    return story


def build_pupil_file(
    db: Database,
    path: str | os.PathLike[str],
    *,
    pupil: str,
    on: date | None = None,
    made_by: str | None = None,
    made_at: datetime | None = None,
) -> int:
    """Write the art. 15 file of the pupil with number `pupil`; InputError if unknown."""
    record = pupil_store.get_pupil(db, pupil)
    on = on or clock.today()
    return build_pdf(
        path,
        TITLE,
        pupil_story(db, record, on),
        location=record.location,
        made_by=made_by or RECORDER_ROLE,
        made_at=made_at,
        subject=f"Inzage {record.number}",
    )
