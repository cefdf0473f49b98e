"""Scanned consent forms back into the register: read a stack, report per page, record.

The one core behind `merlet-desk import-scans` and the window "Gescande formulieren
verwerken":

- `read_stack` reads every page of the files (any order, any orientation), looks each form
  code up in the database and reports per page: the form and pupil or why not, per purpose
  ja/nee/leeg/beide/twijfel with a confidence, and whether the signature rectangle holds ink.
  It writes nothing. A form that appears twice in one stack is reported the second time.
  Pages are read one at a time and none keeps its pixels: a page keeps its reading, the proof
  JPEG and the review crop; an unrecognised page a person may still name is read again from
  its file when named (`name_form`).
- `record_page` records one page through `store.paper_forms.record_scan` (the decision
  dialog's rules; the scan kept as proof), with the marks as read or as a person corrected
  them. `record_certain` does that for every page that is certain and signed: nothing else is
  ever recorded without a person.

The database is only used through the store; the vision work is `imaging.omr`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from merlet_desk.domain import paper_form as layout
from merlet_desk.errors import InputError
from merlet_desk.imaging import omr
from merlet_desk.imaging.pages import PageRef, check_files, count_pages, iter_pages, read_again
from merlet_desk.store import paper_forms as forms_store
from merlet_desk.store.paper_forms import IssuedForm, ScanImage
from merlet_desk.store.sqlite_utils_import import Database

NOT_RECOGNISED = "not_recognised"
IN_BATCH = "duplicate_in_batch"
RECORDED = "recorded"

STATUS_LABELS = {
    forms_store.FORM_OK: "herkend",
    NOT_RECOGNISED: "niet herkend",
    forms_store.FORM_FOREIGN: "andere database",
    forms_store.FORM_UNKNOWN: "onbekend formulier",
    forms_store.FORM_LEFT: "leerling vertrokken",
    forms_store.FORM_DUPLICATE: "al verwerkt",
    IN_BATCH: "dubbel in deze stapel",
    RECORDED: "vastgelegd",
}


@dataclass
class ScannedPage:
    """One page of the stack: what was read, what it refers to, and what became of it."""

    number: int  # 1-based in the stack
    source: str
    scanned_on: date
    reading: omr.PageReading
    status: str
    message: str = ""
    form: IssuedForm | None = None
    proof: ScanImage | None = None
    crop_jpeg: bytes | None = None  # the straightened rows and signature, for the review list
    outcomes: list[str] = field(default_factory=list)  # as read, or as corrected by a person
    signed: bool = False
    corrected: bool = False
    scan_id: int | None = None
    error: str | None = None
    origin: PageRef | None = None  # where to read an unrecognised page again (`name_form`)

    @property
    def can_be_named(self) -> bool:
        """Not recognised, but its corner marks were found: a person may say whose it is."""
        return self.status == NOT_RECOGNISED and self.reading.found and self.origin is not None

    @property
    def certain(self) -> bool:
        """Recognised, every mark certain and clearly signed: may be recorded without review."""
        return (
            self.status == forms_store.FORM_OK
            and not self.corrected
            and self.reading.certain
            and len(self.reading.marks) == len(self.form.purposes if self.form else ())
        )

    @property
    def decided(self) -> bool:
        """Every row is ja, nee or leeg and the form is signed (as read or corrected)."""
        return (
            self.form is not None
            and self.signed
            and len(self.outcomes) == len(self.form.purposes)
            and all(o in (layout.JA, layout.NEE, layout.LEEG) for o in self.outcomes)
        )

    def as_json(self) -> dict[str, Any]:
        form = self.form
        marks = []
        if form is not None:
            for index, row in enumerate(form.purposes):
                mark = self.reading.marks[index] if index < len(self.reading.marks) else None
                marks.append(
                    {
                        "purpose": row.code,
                        "label": row.label,
                        "outcome": self.outcomes[index] if index < len(self.outcomes) else None,
                        "certain": bool(mark and mark.certain),
                        "confidence": round(mark.confidence, 3) if mark else 0.0,
                    }
                )
        return {
            "page": self.number,
            "source": self.source,
            "status": self.status,
            "message": self.message,
            "form": form.label if form else None,
            "pupil": form.pupil.number if form else None,
            "name": form.pupil.name if form else None,
            "class": form.pupil.class_name if form else None,
            "marks": marks,
            "signature": {
                "ink": self.reading.signed,
                "certain": self.reading.signature_certain,
            },
            "certain": self.certain,
            "scanned_on": self.scanned_on.isoformat(),
            "recorded": self.scan_id is not None,
            "error": self.error,
        }


def _crop_jpeg(reading: omr.PageReading) -> bytes | None:
    import cv2

    crop = omr.crop_rows(reading)
    if crop is None:
        return None
    crop = cv2.resize(crop, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    ok, data = cv2.imencode(".jpg", crop, [cv2.IMWRITE_JPEG_QUALITY, 75])
    return data.tobytes() if ok else None


def total_pages(paths: Sequence[Path]) -> int:
    check_files(list(paths))
    return sum(count_pages(path) for path in paths)


def read_stack(
    db: Database,
    paths: Sequence[Path],
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[ScannedPage]:
    """Read every page of `paths` (checked first: InputError before any page is read).

    `progress(done, total)` is called after each page; when `cancelled()` turns true the pages
    read so far are returned. Writes nothing.
    """
    paths = [Path(p) for p in paths]
    total = total_pages(paths)
    lookups: dict[tuple[str, int], forms_store.FormLookup] = {}
    seen: dict[int, int] = {}  # form id -> page number in this stack
    pages: list[ScannedPage] = []

    def rows_for(code: layout.FormCode) -> int | None:
        key = (code.database_id, code.form_id)
        if key not in lookups:
            lookups[key] = forms_store.look_up_form(db, code)
        form = lookups[key].form
        return len(form.purposes) if form else None

    for path in paths:
        for source_page in iter_pages(path):
            if cancelled is not None and cancelled():
                return pages
            reading = omr.read_page(source_page.grey, rows_for)
            page = ScannedPage(
                number=len(pages) + 1,
                source=source_page.source,
                scanned_on=source_page.scanned_on,
                reading=reading,
                status=NOT_RECOGNISED,
                message=reading.problem or "",
            )
            if reading.code is not None:
                lookup = lookups[(reading.code.database_id, reading.code.form_id)]
                page.form = lookup.form
                page.status = lookup.status
                if lookup.status != forms_store.FORM_OK:
                    page.message = lookup.message
                elif reading.code.form_id in seen:
                    page.status = IN_BATCH
                    page.message = (
                        f"dit formulier staat al eerder in deze stapel "
                        f"(pagina {seen[reading.code.form_id]})"
                    )
                else:
                    seen[reading.code.form_id] = page.number
            page.outcomes = [mark.outcome for mark in reading.marks]
            page.signed = reading.signed
            if reading.found:
                data, width, height = omr.proof_jpeg(source_page.grey, reading.rotation)
                page.proof = ScanImage(data, "image/jpeg", width, height)
                page.crop_jpeg = _crop_jpeg(reading)
                if page.status == NOT_RECOGNISED:
                    page.origin = source_page.ref()
            # The straightened page is 2.2 MB: a page a person names is read again instead.
            reading.straight = None
            pages.append(page)
            if progress is not None:
                progress(len(pages), total)
    return pages


def name_form(db: Database, page: ScannedPage, pupil_number: str) -> None:
    """A person says whose form an unrecognised page is: read it again from its file and
    measure it with that pupil's latest printed form. InputError when the pupil has none, the
    page cannot be measured, or its file has changed since it was read."""
    if not page.can_be_named or page.origin is None:
        raise InputError(f"Pagina {page.number}: op deze scan is geen formulier te vinden.")
    form = forms_store.latest_form_of(db, pupil_number)
    if form is None:
        raise InputError(f"Voor leerling {pupil_number} is nog geen formulier afgedrukt.")
    lookup = forms_store.look_up_form(db, form.code)
    reading = omr.read_page(read_again(page.origin).grey, lambda code: None)
    if reading.straight is None:  # cannot happen for the same pixels; said, not assumed
        raise InputError(f"Pagina {page.number}: op deze scan is geen formulier te vinden.")
    omr.remeasure(reading, len(form.purposes))
    page.reading = reading
    page.form = form
    page.status = lookup.status
    page.message = lookup.message if lookup.status != forms_store.FORM_OK else ""
    page.outcomes = [mark.outcome for mark in page.reading.marks]
    page.signed = page.reading.signed
    page.corrected = True  # a person chose the form: never "certain" by itself
    page.crop_jpeg = _crop_jpeg(page.reading)
    reading.straight = None


def record_page(db: Database, page: ScannedPage, received_on: date | None = None) -> int:
    """Record one page as it now stands (read or corrected); returns the scan id.

    InputError (nothing written) when it is not recognised, not decided, not signed, a
    duplicate, or refused by the consent rules.
    """
    if page.scan_id is not None:
        raise InputError(f"Pagina {page.number} is al vastgelegd.")
    if page.form is None or page.proof is None:
        raise InputError(f"Pagina {page.number}: {page.message or 'niet herkend'}.")
    if page.status != forms_store.FORM_OK:
        raise InputError(f"Pagina {page.number}: {page.message}.")
    reading = page.reading.as_dict()
    reading["outcomes"] = list(page.outcomes)
    reading["signed"] = page.signed
    reading["checked_by_person"] = page.corrected
    record = forms_store.record_scan(
        db,
        page.form,
        page.outcomes,
        signed=page.signed,
        image=page.proof,
        source=page.source,
        scanned_on=page.scanned_on,
        received_on=received_on or page.scanned_on,
        reading=reading,
    )
    page.scan_id = record.id
    page.status = RECORDED
    page.error = None
    return record.id


def record_certain(
    db: Database, pages: Sequence[ScannedPage], received_on: date | None = None
) -> tuple[int, int]:
    """Record every certain page (each on its own, all-or-nothing per form). A page the rules
    refuse keeps its message in `error`. Returns (forms recorded, decisions recorded)."""
    recorded = decisions = 0
    for page in pages:
        if not page.certain or page.scan_id is not None:
            continue
        try:
            record_page(db, page, received_on)
        except InputError as exc:
            page.error = str(exc)
            continue
        recorded += 1
        decisions += sum(1 for o in page.outcomes if o in (layout.JA, layout.NEE))
    return recorded, decisions


def describe(page: ScannedPage) -> list[str]:
    """Dutch lines for the command line's per-page report."""
    head = f"Pagina {page.number} ({page.source}): "
    if page.form is None:
        return [head + f"niet herkend — {page.message or 'geen formulier'}"]
    pupil = page.form.pupil
    lines = [head + f"{page.form.label} — {pupil.number} {pupil.name} ({pupil.class_name})"]
    parts = []
    for index, row in enumerate(page.form.purposes):
        mark = page.reading.marks[index] if index < len(page.reading.marks) else None
        outcome = page.outcomes[index] if index < len(page.outcomes) else "?"
        confidence = f" {mark.confidence:.2f}".replace(".", ",") if mark else ""
        parts.append(f"{row.label}: {outcome}{confidence}")
    lines += [f"    {part}" for part in parts]
    ink = "ja" if page.reading.signed else "nee"
    if not page.reading.signature_certain:
        ink += " (twijfel)"
    lines.append(f"    handtekening: {ink}")
    if page.scan_id is not None:
        lines.append("    → vastgelegd")
    elif page.error:
        lines.append(f"    → niet vastgelegd: {page.error}")
    elif page.status != forms_store.FORM_OK:
        lines.append(f"    → {page.message}")
    elif page.certain:
        lines.append("    → zeker")
    else:
        lines.append("    → nakijken" + (f": {page.message}" if page.message else ""))
    return lines
