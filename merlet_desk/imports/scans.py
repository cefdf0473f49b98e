"""Scanned consent forms back into the register: read a stack, report per page, record.

The one core behind `merlet-desk import-scans` and the window "Gescande formulieren
verwerken":

- `read_stack` reads every page of the files (any order, any orientation), looks each form
  code up in the database and reports per page: the form and pupil or why not, per purpose
  ja/nee/leeg/beide/twijfel with a confidence, and whether the signature rectangle holds ink.
  It writes nothing. A form that appears twice in one stack with the same reading is reported
  the second time; two copies that read differently both go to a person.
  Pages are read one at a time and none keeps its pixels: a page keeps its reading, the proof
  JPEG and the review crop; an unrecognised page a person may still name is read again from
  its file when named (`name_form`).
- Which date the decisions get (`set_received`): the date of receipt a person gave, else the
  scan's own date, but only when a form could have been received that day: not before it was
  printed and not after today. Otherwise the page waits for a person to give the date.
- `record_page` records one page through `store.paper_forms.record_scan` (the decision
  dialog's rules; the scan kept as proof), with the marks as read or as a person corrected
  them. `record_certain` does that for every page that is certain and signed: nothing else is
  ever recorded without a person. A form recorded meanwhile by another window or command
  becomes a `duplicate` page, and the run goes on.

The database is only used through the store; the vision work is `imaging.omr`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from merlet_desk import clock
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
    forms_store.FORM_PUPIL_MISMATCH: "andere leerling",
    IN_BATCH: "dubbel in deze stapel",
    RECORDED: "vastgelegd",
}
# What an outcome means once recorded, where that is not plain from the word.
OUTCOME_MEANING = {layout.LEEG: "leeg (geen toestemming)"}
LEGACY_CODE = (
    "oud formulier: de QR-code noemt de leerling niet; kijk of de naam op het papier klopt"
)


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
    pupil_on_form: str | None = None  # the pupil number in the page's code
    checks: list[str] = field(default_factory=list)  # why a person must look (Dutch)
    received_given: date | None = None  # a date of receipt a person gave for the stack
    received_on: date | None = None  # the date its decisions get (None: a person must say)
    date_problem: str | None = None  # why the scan's date (or the given one) cannot be it

    @property
    def can_be_named(self) -> bool:
        """Not recognised, but its corner marks were found: a person may say whose it is."""
        return self.status == NOT_RECOGNISED and self.reading.found and self.origin is not None

    @property
    def certain(self) -> bool:
        """Recognised, every mark certain and clearly signed, nothing for a person to check
        and a possible date: may be recorded without review."""
        return (
            self.status == forms_store.FORM_OK
            and not self.corrected
            and self.reading.certain
            and len(self.reading.marks) == len(self.form.purposes if self.form else ())
            and not self.checks
            and self.date_problem is None
        )

    def needs_person(self, reason: str) -> None:
        """A reason why this page is not certain, added to its message."""
        self.checks.append(reason)
        self.message = "; ".join(part for part in (self.message, reason) if part)

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
        message = self.message
        if self.date_problem and self.status == forms_store.FORM_OK and self.scan_id is None:
            message = "; ".join(part for part in (message, date_hint(self, "--received")) if part)
        return {
            "page": self.number,
            "source": self.source,
            "status": self.status,
            "message": message,
            "form": form.label if form else None,
            "pupil": form.pupil.number if form else None,
            "pupil_on_form": self.pupil_on_form,
            "name": form.pupil.name if form else None,
            "class": form.pupil.class_name if form else None,
            "marks": marks,
            "signature": {
                "ink": self.reading.signed,
                "certain": self.reading.signature_certain,
            },
            "certain": self.certain,
            "scanned_on": self.scanned_on.isoformat(),
            "received_on": self.received_on.isoformat() if self.received_on else None,
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
    received: date | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[ScannedPage]:
    """Read every page of `paths` (checked first: InputError before any page is read).

    `received` is the date of receipt a person gave (see `set_received`). `progress(done,
    total)` is called after each page; when `cancelled()` turns true the pages read so far are
    returned. Writes nothing.
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

    def finish() -> list[ScannedPage]:
        _compare_copies(pages)
        set_received(pages, received)
        return pages

    for path in paths:
        for source_page in iter_pages(path):
            if cancelled is not None and cancelled():
                return finish()
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
                page.pupil_on_form = reading.code.pupil_number
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
                    _what_a_person_must_see(page)
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
    return finish()


def _what_a_person_must_see(page: ScannedPage) -> None:
    """The reasons a recognised form of this register is not certain beyond its marks."""
    if page.pupil_on_form is None:
        # Printed when form numbers could be given out twice (after a restore or a purge):
        # only the name on the paper tells whose it is.
        page.needs_person(LEGACY_CODE)
    _explain_marks(page)


def _explain_marks(page: ScannedPage) -> None:
    """Say which rows hold writing beside them or a mark too small to be a choice."""
    if page.form is None:
        return
    for row, mark in zip(page.form.purposes, page.reading.marks, strict=False):
        if mark.beside:
            page.needs_person(f"naast de regel {row.label} staat iets geschreven")
        if mark.small:
            page.needs_person(f"bij {row.label} staat alleen een stip of een heel klein teken")


def _compare_copies(pages: Sequence[ScannedPage]) -> None:
    """Copies of one form in one stack that read differently (one ja, one nee) both go to a
    person: neither is certain, each names the other's page and the rows that differ. Copies
    that read the same stay as they were: the first counts, the others are `IN_BATCH`."""
    copies: dict[int, list[ScannedPage]] = {}
    for page in pages:
        if page.form is not None and page.status in (forms_store.FORM_OK, IN_BATCH):
            copies.setdefault(page.form.id, []).append(page)
    for group in copies.values():
        if len(group) < 2:
            continue
        readings = {(tuple(page.outcomes), page.signed) for page in group}
        if len(readings) == 1:
            continue
        for page in group:
            if page.status == IN_BATCH:
                page.status, page.message = forms_store.FORM_OK, ""
                _what_a_person_must_see(page)
            for other in group:
                if other is not page:
                    page.needs_person(_difference(page, other))


def _difference(page: ScannedPage, other: ScannedPage) -> str:
    assert page.form is not None
    rows = [
        f"{row.label}: hier {mine}, daar {theirs}"
        for row, mine, theirs in zip(
            page.form.purposes, page.outcomes, other.outcomes, strict=False
        )
        if mine != theirs
    ]
    if page.signed != other.signed:
        rows.append(
            f"handtekening: hier {'ja' if page.signed else 'nee'}, "
            f"daar {'ja' if other.signed else 'nee'}"
        )
    return (
        f"dit formulier staat ook op pagina {other.number} met andere keuzes "
        f"({'; '.join(rows)}); kijk beide na en leg er één vast"
    )


def set_received(pages: Sequence[ScannedPage], received: date | None) -> None:
    """Which date each page's decisions get: `received` when a person gave one, else the
    date of the scan. A form cannot be received before it was printed, nor after today: a date
    outside that span is never used; the page then waits (`date_problem`) until a person gives
    a possible date."""
    today = clock.today()
    for page in pages:
        page.received_given, page.received_on, page.date_problem = received, None, None
        if page.form is None:
            continue
        if received is not None:
            problem = layout.receipt_problem(
                received, page.form.issued_on, today, "de datum van ontvangst"
            )
            chosen = received
        else:
            problem = layout.receipt_problem(
                page.scanned_on, page.form.issued_on, today, "de datum van de scan"
            )
            chosen = page.scanned_on
        if problem:
            page.date_problem = problem
        else:
            page.received_on = chosen


def date_hint(page: ScannedPage, how: str) -> str:
    """The page's date problem with what to do about it (`how`: the option or the field)."""
    return f"{page.date_problem}; geef de datum van ontvangst op ({how})"


def impossible_received(pages: Sequence[ScannedPage]) -> InputError | None:
    """With a date of receipt given: the first recognised form that cannot have been
    received on it, as the error that refuses the whole run (None when every form can)."""
    for page in pages:
        if page.status == forms_store.FORM_OK and page.date_problem and page.form is not None:
            return InputError(
                f"--received: {page.date_problem} (formulier {page.form.label}, {page.source})."
            )
    return None


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
    page.checks = []
    page.outcomes = [mark.outcome for mark in page.reading.marks]
    page.signed = page.reading.signed
    page.corrected = True  # a person chose the form: never "certain" by itself
    page.crop_jpeg = _crop_jpeg(page.reading)
    if lookup.status == forms_store.FORM_OK:
        _explain_marks(page)
    set_received([page], page.received_given)
    reading.straight = None


def record_page(db: Database, page: ScannedPage, received_on: date | None = None) -> int:
    """Record one page as it now stands (read or corrected); returns the scan id.

    `received_on` is a date of receipt a person gave now; without it the page's own
    (`set_received`). InputError (nothing written) when it is not recognised, not decided,
    not signed, has no possible date, is a duplicate (then its status becomes FORM_DUPLICATE,
    also when another window or command recorded it a moment ago), or is refused by the
    consent rules.
    """
    if page.scan_id is not None:
        raise InputError(f"Pagina {page.number} is al vastgelegd.")
    if page.form is None or page.proof is None:
        raise InputError(f"Pagina {page.number}: {page.message or 'niet herkend'}.")
    if page.status != forms_store.FORM_OK:
        raise InputError(f"Pagina {page.number}: {page.message}.")
    received = received_on or page.received_on
    if received is None:
        raise InputError(f"Pagina {page.number}: {page.date_problem}.")
    reading = page.reading.as_dict()
    reading["outcomes"] = list(page.outcomes)
    reading["signed"] = page.signed
    reading["checked_by_person"] = page.corrected
    try:
        record = forms_store.record_scan(
            db,
            page.form,
            page.outcomes,
            signed=page.signed,
            image=page.proof,
            source=page.source,
            scanned_on=page.scanned_on,
            received_on=received,
            reading=reading,
        )
    except InputError as exc:
        if forms_store.FORM_DUPLICATE in exc.codes:
            page.status = forms_store.FORM_DUPLICATE
            page.message = forms_store.look_up_form(db, page.form.code).message
        raise
    page.scan_id = record.id
    page.status = RECORDED
    page.error = None
    return record.id


def record_certain(
    db: Database, pages: Sequence[ScannedPage], received_on: date | None = None
) -> tuple[int, int]:
    """Record every certain page (each on its own, all-or-nothing per form). A page the rules
    refuse keeps its message in `error`; a page recorded meanwhile elsewhere becomes a
    duplicate. Returns (forms recorded, decisions recorded)."""
    recorded = decisions = 0
    for page in pages:
        if not page.certain or page.scan_id is not None:
            continue
        try:
            record_page(db, page, received_on)
        except InputError as exc:
            if page.status != forms_store.FORM_DUPLICATE:
                page.error = str(exc)
            continue
        recorded += 1
        decisions += sum(1 for o in page.outcomes if o in forms_store.DECISION_FOR_OUTCOME)
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
        outcome = OUTCOME_MEANING.get(outcome, outcome)
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
        reasons = [page.message] if page.message else []
        if page.date_problem:
            reasons.append(date_hint(page, "met --received DATUM"))
        lines.append("    → nakijken" + (f": {'; '.join(reasons)}" if reasons else ""))
    return lines
