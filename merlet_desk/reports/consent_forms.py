"""Personal paper consent forms: one A4 page per pupil, on the letterhead, to print and hand out.

Each page names the pupil, says who signs (a parent or guardian while the pupil is under 16 on
the day of printing, otherwise the pupil, and the wording follows), has one row per purpose with
its label, its examples and two empty boxes (Ja left, Nee right), the texts a valid consent form
needs, a signature rectangle with name and date lines, a QR code (the register's id, the form's
number and the pupil's number, so that the reader can tell whose paper it is) and four corner
marks for the scanner. Every position comes from `domain.paper_form`, the same layout
the reader (`imaging.omr`) measures with. A pupil with a decision on record sees it as
information in small print; the boxes are always empty.

A preview (`preview=True`, forms from `store.paper_forms.draft_forms`) is not recorded: it has
no QR code but the word VOORBEELD in its place and across the page, so that it cannot be
handed out and scanned back. Each form is numbered on its own ("pagina 1 van 1").
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date, datetime

from reportlab.lib.colors import HexColor, black, white
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreak, Paragraph

from merlet_desk import clock
from merlet_desk.domain import consent as rules
from merlet_desk.domain import paper_form as layout
from merlet_desk.letterhead import load_letterhead
from merlet_desk.reports.letterhead import (
    FONT,
    FONT_BOLD,
    FONT_ITALIC,
    FRAME_BOTTOM,
    INK,
    MARGIN_X,
    MUTED,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    PARENT_FACING_ROLE,
    GroupMarker,
    build_pdf,
    esc,
    format_date,
    nfc,
)
from merlet_desk.store import consent_settings as settings_store
from merlet_desk.store import decisions as store
from merlet_desk.store import purposes as purpose_store
from merlet_desk.store.informed import standing_marks_of
from merlet_desk.store.paper_forms import IssuedForm
from merlet_desk.store.sqlite_utils_import import Database

TITLE = "Toestemmingsformulier foto's en video's"
ROW_RULE = HexColor("#b0b0b0")
PREVIEW_INK = HexColor("#e3e3e3")  # light: the form stays readable under it


def _y(top_mm: float) -> float:
    """Page y (points, up from the bottom) of a layout y (mm, down from the top)."""
    return PAGE_HEIGHT - top_mm * mm


def intro_texts(form: IssuedForm, email: str) -> tuple[str, list[str]]:
    """Who signs (one paragraph) and the points a valid form needs, as trusted markup."""
    name = esc(form.pupil.first_name)
    if form.signer == layout.SIGNER_PUPIL:
        who = (
            "Je bent 16 jaar of ouder, daarom beslis je zelf en onderteken je dit formulier "
            "zelf. Mag Merlet College foto's en video's waarop jij herkenbaar in beeld bent "
            "gebruiken? Zet per doel één kruisje: in het vakje <b>Ja</b> of in het vakje "
            "<b>Nee</b>."
        )
        points = [
            "Toestemming geven is vrijwillig. Je inschrijving op school hangt er niet van af.",
            "Elk doel is een aparte keuze: je kunt voor het ene doel ja zeggen en voor het "
            "andere nee. Geen kruisje betekent geen toestemming.",
            "Je kunt je toestemming altijd intrekken, ook voor één doel: stuur een e-mail aan "
            f"{esc(email)}, geef het door aan je mentor of de administratie, of via de "
            "ouderapp. Het intrekken geldt meteen.",
            "Vergist? Schrijf je keuze duidelijk naast de regel; de school kijkt het formulier "
            "dan met de hand na.",
        ]
    else:
        who = (
            f"{name} is jonger dan 16 jaar. Daarom vragen wij een ouder of voogd dit "
            f"formulier in te vullen en te ondertekenen. Mag Merlet College foto's en video's "
            f"waarop {name} herkenbaar in beeld is gebruiken? Zet per doel één kruisje: in het "
            f"vakje <b>Ja</b> of in het vakje <b>Nee</b>."
        )
        points = [
            "Toestemming geven is vrijwillig. De inschrijving van uw kind hangt er niet van af.",
            "Elk doel is een aparte keuze: u kunt voor het ene doel ja zeggen en voor het "
            "andere nee. Geen kruisje betekent geen toestemming.",
            "U kunt uw toestemming altijd intrekken, ook voor één doel: stuur een e-mail aan "
            f"{esc(email)}, meld het bij de administratie, of via de ouderapp. Het intrekken "
            "geldt meteen.",
            "Vergist? Schrijf uw keuze duidelijk naast de regel; de school kijkt het formulier "
            "dan met de hand na.",
        ]
    return who, points


class FormPage(Flowable):
    """The whole form, drawn at the layout's absolute positions (it fills the frame)."""

    def __init__(
        self,
        form: IssuedForm,
        current: Sequence[rules.Status | None],
        email: str,
        school_year: str,
        examples: dict[str, str | None],
        preview: bool = False,
    ) -> None:
        super().__init__()
        self.form = form
        self.preview = preview
        self.examples = examples
        self.current = list(current)
        self.email = email
        self.school_year = school_year

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return available_width, available_height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        # From the frame's origin to the page's: every position below is absolute.
        canvas.translate(-MARGIN_X, -FRAME_BOTTOM)
        self._marks(canvas)
        if self.preview:
            self._preview_mark(canvas)
        else:
            self._qr(canvas)
        self._pupil(canvas)
        self._intro(canvas)
        self._rows(canvas)
        self._signature(canvas)
        canvas.restoreState()

    # -- machine-readable parts -----------------------------------------------------------

    def _marks(self, canvas: Canvas) -> None:
        size = layout.MARK_SIZE_MM * mm
        for index, (cx, cy) in enumerate(layout.MARK_CENTERS_MM):
            canvas.setFillColor(black)
            canvas.rect(cx * mm - size / 2, _y(cy) - size / 2, size, size, stroke=0, fill=1)
            if index == layout.HOLLOW_MARK:
                hole = layout.MARK_HOLE_MM * mm
                canvas.setFillColor(white)
                canvas.rect(cx * mm - hole / 2, _y(cy) - hole / 2, hole, hole, stroke=0, fill=1)

    def _qr(self, canvas: Canvas) -> None:
        from reportlab.graphics.barcode import qrencoder

        code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        code.addData(self.form.code.payload)
        code.make()
        count = code.getModuleCount()
        x0, y0, size = layout.QR_BOX_MM
        module = size / count
        canvas.setFillColor(black)
        for row in range(count):
            for col in range(count):
                if code.isDark(row, col):
                    canvas.rect(
                        (x0 + col * module) * mm,
                        _y(y0 + (row + 1) * module),
                        module * mm,
                        module * mm,
                        stroke=0,
                        fill=1,
                    )
        canvas.setFont(FONT, 7)
        canvas.setFillColor(MUTED)
        canvas.drawCentredString((x0 + size / 2) * mm, _y(y0 + size + 3.2), self.form.label)

    def _preview_mark(self, canvas: Canvas) -> None:
        """VOORBEELD where the QR code goes and across the page: a preview is not a form."""
        x0, y0, size = layout.QR_BOX_MM
        canvas.setStrokeColor(MUTED)
        canvas.setLineWidth(0.6)
        canvas.setDash(2, 2)
        canvas.rect(x0 * mm, _y(y0 + size), size * mm, size * mm, stroke=1, fill=0)
        canvas.setDash()
        canvas.setFillColor(MUTED)
        canvas.setFont(FONT_BOLD, 7)
        canvas.drawCentredString((x0 + size / 2) * mm, _y(y0 + size / 2), "VOORBEELD")
        canvas.setFont(FONT, 6)
        canvas.drawCentredString((x0 + size / 2) * mm, _y(y0 + size / 2 + 3), "niet vastgelegd")
        canvas.saveState()
        canvas.setFillColor(PREVIEW_INK)
        canvas.setFont(FONT_BOLD, 64)
        canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
        canvas.rotate(50)
        canvas.drawCentredString(0, 0, "VOORBEELD")
        canvas.restoreState()

    # -- for people ---------------------------------------------------------------------------

    def _pupil(self, canvas: Canvas) -> None:
        pupil = self.form.pupil
        left = layout.TEXT_LEFT_MM * mm
        canvas.setFillColor(INK)
        canvas.setFont(FONT_BOLD, 13)
        canvas.drawString(left, _y(layout.PUPIL_TOP_MM + 4), nfc(f"Schooljaar {self.school_year}"))
        canvas.setFont(FONT_BOLD, 12)
        canvas.drawString(left, _y(layout.PUPIL_TOP_MM + 11), nfc(pupil.name)[:60])
        canvas.setFont(FONT, 9.5)
        lines = [
            f"Leerlingnummer {pupil.number} · klas {pupil.class_name} · locatie {pupil.location}",
            f"Geboortedatum {format_date(pupil.birth_date)}",
        ]
        for index, line in enumerate(lines):
            canvas.drawString(left, _y(layout.PUPIL_TOP_MM + 17 + index * 5), nfc(line))
        signer = (
            "Ondertekening door: de leerling zelf (16 jaar of ouder)"
            if self.form.signer == layout.SIGNER_PUPIL
            else "Ondertekening door: een ouder of voogd (leerling jonger dan 16)"
        )
        canvas.setFont(FONT_BOLD, 9.5)
        canvas.drawString(left, _y(layout.PUPIL_TOP_MM + 27), signer)

    def _intro(self, canvas: Canvas) -> None:
        who, points = intro_texts(self.form, self.email)
        width = (layout.TEXT_RIGHT_MM - layout.TEXT_LEFT_MM) * mm
        room = (layout.INTRO_BOTTOM_MM - layout.INTRO_TOP_MM) * mm
        size = 9.0
        while True:
            body = ParagraphStyle("f", fontName=FONT, fontSize=size, leading=size * 1.3)
            bullet = ParagraphStyle(
                "fb", parent=body, leftIndent=10, bulletIndent=1, spaceBefore=size * 0.25
            )
            paragraphs = [Paragraph(who, body)] + [
                Paragraph(point, bullet, bulletText="•") for point in points
            ]
            heights = [p.wrapOn(canvas, width, room)[1] for p in paragraphs]
            total = sum(heights) + sum(p.style.spaceBefore for p in paragraphs[1:])
            if total <= room or size <= 7:
                break
            size -= 0.25
        y = _y(layout.INTRO_TOP_MM)
        for paragraph, height in zip(paragraphs, heights, strict=True):
            y -= paragraph.style.spaceBefore if paragraph is not paragraphs[0] else 0
            paragraph.drawOn(canvas, layout.TEXT_LEFT_MM * mm, y - height)
            y -= height

    def _rows(self, canvas: Canvas) -> None:
        left, right = layout.TEXT_LEFT_MM * mm, layout.TEXT_RIGHT_MM * mm
        header_y = _y(layout.TABLE_HEADER_MM)
        canvas.setFont(FONT_BOLD, 9.5)
        canvas.setFillColor(INK)
        canvas.drawString(left, header_y, "Doel")
        canvas.drawCentredString(layout.JA_CENTER_X_MM * mm, header_y, "Ja")
        canvas.drawCentredString(layout.NEE_CENTER_X_MM * mm, header_y, "Nee")
        text_width = (layout.ROW_TEXT_RIGHT_MM - layout.TEXT_LEFT_MM) * mm
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.8)
        canvas.line(left, _y(layout.ROWS_TOP_MM), right, _y(layout.ROWS_TOP_MM))
        for index, row in enumerate(self.form.purposes):
            top = layout.row_top(index)
            canvas.setFillColor(INK)
            canvas.setFont(FONT_BOLD, 9.5)
            canvas.drawString(left, _y(top + 4.3), _fit(row.label, FONT_BOLD, 9.5, text_width))
            examples = self.examples.get(row.code)
            if examples:
                canvas.setFont(FONT, 8)
                canvas.setFillColor(MUTED)
                canvas.drawString(
                    left, _y(top + 8.1), _fit(f"bijvoorbeeld {examples}", FONT, 8, text_width)
                )
            status = self.current[index] if index < len(self.current) else None
            if status is not None and status.state != rules.NO_RECORD:
                note = f"Nu vastgelegd: {status.label}"
                if status.decision is not None:
                    note += f" (ontvangen {format_date(status.decision.received_on)})"
                canvas.setFont(FONT_ITALIC, 7)
                canvas.setFillColor(MUTED)
                canvas.drawString(left, _y(top + 11.6), _fit(note, FONT_ITALIC, 7, text_width))
            canvas.setStrokeColor(black)
            canvas.setLineWidth(layout.BOX_LINE_MM * mm)
            for box in layout.row_boxes(index):
                inset = layout.BOX_LINE_MM / 2
                canvas.rect(
                    (box.x + inset) * mm,
                    _y(box.y + box.size - inset),
                    (box.size - 2 * inset) * mm,
                    (box.size - 2 * inset) * mm,
                    stroke=1,
                    fill=0,
                )
            canvas.setStrokeColor(ROW_RULE)
            canvas.setLineWidth(0.3)
            bottom = _y(top + layout.ROW_HEIGHT_MM)
            canvas.line(left, bottom, right, bottom)

    def _signature(self, canvas: Canvas) -> None:
        x, y, width, height = layout.signature_rect()
        pupil_signs = self.form.signer == layout.SIGNER_PUPIL
        canvas.setFillColor(INK)
        canvas.setFont(FONT_BOLD, 9.5)
        canvas.drawString(
            x * mm,
            _y(layout.SIGNATURE_TITLE_MM),
            "Handtekening van de leerling" if pupil_signs else "Handtekening van ouder of voogd",
        )
        canvas.setStrokeColor(black)
        canvas.setLineWidth(0.5)
        canvas.rect(x * mm, _y(y + height), width * mm, height * mm, stroke=1, fill=0)
        left, right = layout.SIGNATURE_LINES_X_MM
        canvas.setFont(FONT, 9)
        for label, line_y in (
            ("Naam", layout.SIGNATURE_NAME_Y_MM),
            ("Datum", layout.SIGNATURE_DATE_Y_MM),
        ):
            canvas.drawString(left * mm, _y(line_y) + 1.5, label)
            canvas.setLineWidth(0.4)
            canvas.line((left + 12) * mm, _y(line_y), right * mm, _y(line_y))
        canvas.setFont(FONT, 7)
        canvas.setFillColor(MUTED)
        canvas.drawString(
            left * mm,
            _y(layout.SIGNATURE_NAME_Y_MM - 6),
            "Alleen de leerling zelf" if pupil_signs else "Ouder of voogd",
        )


def _fit(text: str, font: str, size: float, width: float) -> str:
    text = nfc(text)
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _current_statuses(
    db: Database,
    form: IssuedForm,
    on: date,
    settings: rules.ConsentSettings,
    informed_on: date | None,
) -> list[rules.Status | None]:
    decisions = store.decisions_for(db, form.pupil.number)
    return [
        rules.status_on(
            form.pupil.birth_date,
            [d for d in decisions if d.purpose == row.code],
            on,
            settings,
            informed_on,
        )
        for row in form.purposes
    ]


def forms_story(
    db: Database, forms: Sequence[IssuedForm], on: date, *, preview: bool = False
) -> list[Flowable]:
    """One page per form, each numbered on its own."""
    letterhead = load_letterhead()
    settings = settings_store.consent_settings(db)
    examples = {p.code: p.examples for p in purpose_store.list_purposes(db, include_retired=True)}
    year = rules.school_year_label(on, settings)
    told = standing_marks_of(db, [form.pupil.id for form in forms])
    story: list[Flowable] = []
    for index, form in enumerate(forms):
        if index:
            story.append(PageBreak())
        story.append(
            GroupMarker(
                f"{form.pupil.name} — klas {form.pupil.class_name}",
                form.pupil.location,
                own_pages=True,  # a parent's form is page 1 of 1, not of the stack
            )
        )
        current = _current_statuses(db, form, on, settings, told.get(form.pupil.id))
        story.append(FormPage(form, current, letterhead.email, year, examples, preview))
    return story


def build_consent_forms(
    db: Database,
    path: str | os.PathLike[str],
    forms: Sequence[IssuedForm],
    *,
    made_by: str | None = None,
    made_at: datetime | None = None,
    preview: bool = False,
) -> int:
    """Write the pages of these issued forms (`preview`: of these draft forms, marked
    VOORBEELD, without QR code) to `path`; returns the page count."""
    on = forms[0].issued_on if forms else clock.today()
    locations = {form.pupil.location for form in forms}
    return build_pdf(
        path,
        f"{TITLE} (voorbeeld)" if preview else TITLE,
        forms_story(db, forms, on, preview=preview),
        location=locations.pop() if len(locations) == 1 else None,
        made_by=made_by or PARENT_FACING_ROLE,  # the forms go to parents: a role, no account
        made_at=made_at,
        subject="Toestemmingsformulieren",
    )
