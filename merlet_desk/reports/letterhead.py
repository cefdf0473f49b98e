"""The one letterhead every report is printed on (reportlab platypus).

`build_pdf(path, title, story, location=...)` lays the story out on A4 pages that each carry
the school's wordmark, the report's title, the location it concerns, when and by whom it was
made, "pagina N van M", and a footer with the postal address, the three locations, e-mail, IBAN
and BIC. Every fact of the letterhead comes from `data/letterhead.json`
(`merlet_desk.letterhead.load_letterhead`), never from this code.

The file is written to a temporary file in the same folder and renamed when complete, so a
failed build never leaves a partial PDF behind.
"""

from __future__ import annotations

import os
import unicodedata
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from functools import cache
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from merlet_desk import clock
from merlet_desk.errors import OutputError
from merlet_desk.letterhead import Letterhead, load_letterhead
from merlet_desk.output_file import atomic_output
from merlet_desk.paths import resource_path
from merlet_desk.store.audit import current_user

# Byte-identical output for the same input and timestamp (golden files, reproducible exports).
rl_config.invariant = 1

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
FONT_BOLD_ITALIC = "DejaVuSans-BoldOblique"
# Symbols DejaVu lacks (a purpose or a user text may hold one) come from Noto Sans Symbols 2.
SYMBOL_FONT = "NotoSansSymbols2"
_FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    FONT_ITALIC: "DejaVuSans-Oblique.ttf",
    FONT_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
    SYMBOL_FONT: "NotoSansSymbols2-Regular.ttf",
}

# Dark enough to read when printed in greyscale; the accent bar is only decoration.
INK = HexColor("#1a1a1a")
NAVY = HexColor("#1f3a5f")
MUTED = HexColor("#4d4d4d")
ACCENT = HexColor("#f2a900")
RULE = HexColor("#8c8c8c")

# Documents that go to pupils and parents (the personal consent forms, the art. 15 file) name
# who made them by role, not by the school's internal account names.
PARENT_FACING_ROLE = "communicatiemedewerker"

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 18 * mm
MARGIN_BOTTOM = 15 * mm  # office printers need at least ~5 mm; 15 mm is safe everywhere
HEADER_RULE_Y = PAGE_HEIGHT - MARGIN_TOP - 48
FOOTER_RULE_Y = MARGIN_BOTTOM + 48
FRAME_TOP = HEADER_RULE_Y - 8
FRAME_BOTTOM = FOOTER_RULE_Y + 8
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
CONTENT_HEIGHT = FRAME_TOP - FRAME_BOTTOM


@cache
def register_fonts() -> None:
    """Register DejaVu Sans (shipped in resources/fonts with its licence) as a family.

    DejaVu covers Dutch, Turkish (Ş ş Ğ ğ İ ı) and Polish (Ł ł ż) letters; reportlab's own
    Vera does not. Registering the family makes `<b>` and `<i>` in a Paragraph work.
    """
    for name, filename in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", filename))))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
    )


@cache
def _glyphs(font: str) -> frozenset[int]:
    register_fonts()
    return frozenset(pdfmetrics.getFont(font).face.charToGlyph)


def has_glyph(text: str, font: str = FONT) -> bool:
    """Whether `font` can draw every character of `text` (spaces always count)."""
    return all(ch.isspace() or ord(ch) in _glyphs(font) for ch in text)


def nfc(text: object) -> str:
    """Text as one canonical form, so "ë" is one character whether typed or pasted."""
    return unicodedata.normalize("NFC", "" if text is None else str(text))


REPLACEMENT = "\ufffd"  # � : visibly "a character that cannot be printed here"


def _can_draw(ch: str, font: str) -> bool:
    # reportlab's embedded TrueType subsets address 16-bit code points only: a character
    # beyond U+FFFF (every emoji) came out as another glyph ("😀" printed as "ὠ").
    return ch.isspace() or (ord(ch) <= 0xFFFF and ord(ch) in _glyphs(font))


def drawable(text: str, font: str = FONT) -> str:
    """`text` with each character the report font cannot draw shown as `REPLACEMENT`.

    An emoji with its skin tone, variation selector or zero-width joins ("👍🏽", "👨‍👩‍👧") is one
    replacement; an invisible formatting character the font lacks is left out.
    """
    if all(_can_draw(ch, font) for ch in text):
        return text
    out: list[str] = []
    for ch in text:
        if _can_draw(ch, font):
            out.append(ch)
            continue
        modifier = unicodedata.category(ch) in ("Mn", "Me", "Sk", "Cf")
        if modifier or 0x1F3FB <= ord(ch) <= 0x1F3FF:  # a skin tone
            if out and out[-1] == REPLACEMENT or unicodedata.category(ch) == "Cf":
                continue  # part of the symbol already replaced, or invisible anyway
        elif len(out) >= 2 and out[-2:] == [REPLACEMENT, "\u200d"]:
            out.pop()  # "👨‍👩": the joiner and the next person stay one replacement
            continue
        out.append(REPLACEMENT)
    return "".join(out)


def printable(text: object) -> str:
    """User text as the reports draw it: NFC, with undrawable characters replaced."""
    return drawable(nfc(text))


def esc(text: object) -> str:
    """User text made safe for a Paragraph: `<b>Jan</b> & Zn` prints literally.

    Normalised to NFC, undrawable characters replaced (`drawable`), XML-escaped; line breaks
    become `<br/>`.
    """
    return escape(printable(text)).replace("\r\n", "\n").replace("\n", "<br/>")


def _format(value: str | date | datetime | None, pattern: str) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value).strftime(pattern)
        except ValueError:
            return value
    return value.strftime(pattern)


def format_date(value: str | date | datetime | None) -> str:
    """A date as the school writes it: 24-11-2026 (accepts date, datetime or ISO text)."""
    if isinstance(value, date):  # also before the year 1000: 01-01-0001, not 01-01-1
        return f"{value.day:02d}-{value.month:02d}-{value.year:04d}"
    return _format(value, "%d-%m-%Y")


def format_datetime(value: str | date | datetime | None) -> str:
    """24-11-2026 14:05 (accepts datetime or ISO text)."""
    return _format(value, "%d-%m-%Y %H:%M")


def _fit(text: str, font: str, size: float, width: float, minimum: float = 6.0) -> float:
    """The largest font size <= size at which text fits the width (down to a minimum)."""
    while size > minimum and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.25
    return size


def _truncate(text: str, font: str, size: float, width: float) -> str:
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


class GroupMarker(Flowable):
    """Invisible marker: the pages from here on belong to `label` (e.g. "Klas 2A").

    The letterhead prints the label in the header, so a page handed to a mentor says which
    group it is, also on a continuation page. With `location`, the header's location line
    changes too (a stack of personal forms for pupils of several locations). With
    `own_pages`, the pages from here on are numbered on their own: a parent's form is
    "pagina 1 van 1", not page 37 of the stack it was printed in.
    """

    def __init__(self, label: str, location: str | None = None, *, own_pages: bool = False) -> None:
        super().__init__()
        self.label = printable(label)
        self.location = printable(location) if location else None
        self.own_pages = own_pages

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


class _NumberedCanvas(pdfcanvas.Canvas):
    """Defers finishing each page until the total is known ("pagina N van M"): of the whole
    document, or of the page's numbering group (`GroupMarker(own_pages=True)`), which the
    document notes on the canvas as `page_group` when it ends a page."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._page_states: list[dict] = []
        self.page_group = 0

    def showPage(self) -> None:  # noqa: N802 (reportlab API)
        self._page_states.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        groups = [state.get("page_group", 0) for state in self._page_states]
        totals = Counter(groups)
        numbers: Counter[int] = Counter()
        for state, group in zip(self._page_states, groups, strict=True):
            numbers[group] += 1
            self.__dict__.update(state)
            self._draw_page_number(numbers[group], totals[group])
            super().showPage()
        super().save()

    def _draw_page_number(self, number: int, total: int) -> None:
        self.saveState()
        self.setFont(FONT, 9)
        self.setFillColor(INK)
        text = f"pagina {number} van {total}"
        self.drawRightString(PAGE_WIDTH - MARGIN_X, PAGE_HEIGHT - MARGIN_TOP - 14, text)
        self.restoreState()


class LetterheadDocument(BaseDocTemplate):
    """A4 document whose every page carries the school's letterhead."""

    def __init__(
        self,
        filename: str,
        *,
        title: str,
        location: str | None,
        made_by: str,
        made_at: datetime,
        letterhead: Letterhead,
        subject: str = "",
    ) -> None:
        super().__init__(
            filename,
            pagesize=A4,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=PAGE_HEIGHT - FRAME_TOP,
            bottomMargin=FRAME_BOTTOM,
            title=nfc(title),
            author=letterhead.school,
            subject=nfc(subject),
            creator="Merlet Desk",
            invariant=1,
        )
        self.report_title = printable(title)
        self.location = printable(location) if location else None
        self.made_by = printable(made_by)
        self.made_at = made_at
        self.letterhead = letterhead
        self.group_label: str | None = None
        self.page_group = 0  # the numbering group of the page being laid out
        frame = Frame(
            MARGIN_X,
            FRAME_BOTTOM,
            CONTENT_WIDTH,
            CONTENT_HEIGHT,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        # Drawn at the end of the page so the header knows the group the page belongs to.
        self.addPageTemplates([PageTemplate(id="letterhead", frames=[frame], onPageEnd=self._draw)])

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (reportlab API)
        if isinstance(flowable, GroupMarker):
            self.group_label = flowable.label
            if flowable.location:
                self.location = flowable.location
            if flowable.own_pages:
                self.page_group += 1

    # -- drawing ------------------------------------------------------------------------------

    def _location_line(self) -> str:
        if not self.location:
            return "Alle locaties"
        for loc in self.letterhead.locations:
            if loc.name == self.location:
                return f"Locatie {loc.name} · {loc.street}, {loc.postcode_city}"
        return f"Locatie {self.location}"

    def _header_line(self, width: float) -> str:
        """The location line with the group ("— Yasmina el Amrani — klas 2A"): the group is
        what tells pages apart, so when both do not fit the address gives way first."""
        line = self._location_line()
        if not self.group_label:
            return line
        full = f"{line} — {self.group_label}"
        if self.location and pdfmetrics.stringWidth(full, FONT, 7.5) > width:
            return f"Locatie {self.location} — {self.group_label}"
        return full

    def _draw(self, canvas: pdfcanvas.Canvas, doc: BaseDocTemplate) -> None:
        canvas.page_group = self.page_group  # read by _NumberedCanvas when the page is shown
        canvas.saveState()
        self._draw_header(canvas)
        self._draw_footer(canvas)
        canvas.restoreState()

    def _draw_header(self, canvas: pdfcanvas.Canvas) -> None:
        top = PAGE_HEIGHT - MARGIN_TOP
        left, right = MARGIN_X, PAGE_WIDTH - MARGIN_X
        # Wordmark with an accent bar underneath.
        canvas.setFillColor(NAVY)
        canvas.setFont(FONT_BOLD, 17)
        wordmark = printable(self.letterhead.wordmark)
        canvas.drawString(left, top - 14, wordmark)
        canvas.setFillColor(ACCENT)
        canvas.rect(left, top - 19, pdfmetrics.stringWidth(wordmark, FONT_BOLD, 17), 2, 0, 1)

        right_column = 150
        title_width = CONTENT_WIDTH - right_column - 10
        canvas.setFillColor(INK)
        size = _fit(self.report_title, FONT_BOLD, 12, title_width, minimum=9)
        canvas.setFont(FONT_BOLD, size)
        canvas.drawString(
            left, top - 32, _truncate(self.report_title, FONT_BOLD, size, title_width)
        )
        location = self._header_line(title_width)
        size = _fit(location, FONT, 9, title_width, minimum=7.5)
        canvas.setFont(FONT, size)
        canvas.setFillColor(MUTED)
        canvas.drawString(left, top - 42, _truncate(location, FONT, size, title_width))

        # "pagina N van M" is drawn by the canvas at top - 14 once the total is known.
        canvas.setFont(FONT, 8)
        canvas.drawRightString(right, top - 30, f"Gemaakt op {format_datetime(self.made_at)}")
        made_by = _truncate(f"door {self.made_by}", FONT, 8, right_column)
        canvas.drawRightString(right, top - 40, made_by)

        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(left, HEADER_RULE_Y, right, HEADER_RULE_Y)

    def _draw_footer(self, canvas: pdfcanvas.Canvas) -> None:
        lh = self.letterhead
        left, right = MARGIN_X, PAGE_WIDTH - MARGIN_X
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(left, FOOTER_RULE_Y, right, FOOTER_RULE_Y)

        columns: list[list[str]] = [
            [lh.school, ", ".join(lh.postal_address), f"T {lh.phone}", f"E {lh.email}"]
        ]
        for loc in lh.locations:
            columns.append([f"Locatie {loc.name}", loc.street, loc.postcode_city, f"T {loc.phone}"])
        column_width = CONTENT_WIDTH / len(columns)
        leading = 8.5
        first_baseline = FOOTER_RULE_Y - 10
        for index, lines in enumerate(columns):
            x = left + index * column_width
            for row, text in enumerate(lines):
                font = FONT_BOLD if row == 0 else FONT
                text = printable(text)
                size = _fit(text, font, 7, column_width - 6, minimum=5)
                canvas.setFont(font, size)
                canvas.setFillColor(NAVY if row == 0 else INK)
                canvas.drawString(x, first_baseline - row * leading, text)
        bank = f"IBAN {lh.iban} · BIC {lh.bic}"
        canvas.setFont(FONT, 7)
        canvas.setFillColor(INK)
        canvas.drawString(left, first_baseline - 4 * leading - 2, printable(bank))


def build_pdf(
    path: str | os.PathLike[str],
    title: str,
    story: Sequence[Flowable],
    *,
    location: str | None = None,
    made_by: str | None = None,
    made_at: datetime | None = None,
    subject: str = "",
) -> int:
    """Lay `story` out on the letterhead and write the PDF to `path`; returns the page count.

    `location` is the location the report concerns (None: all locations). `made_by` defaults
    to the OS user, `made_at` to now. The file appears only when the build succeeded; like the
    database it is readable by its owner only (mkstemp's 0600): reports hold data about minors.
    """
    from reportlab.platypus.doctemplate import LayoutError

    register_fonts()
    letterhead = load_letterhead()
    try:
        # The callers check `path` against their database; this checks any SQLite file too.
        with atomic_output(path) as temporary:
            doc = LetterheadDocument(
                str(temporary),
                title=title,
                location=location,
                made_by=made_by or current_user(),
                made_at=made_at or clock.now().replace(second=0, microsecond=0),
                letterhead=letterhead,
                subject=subject,
            )
            doc.build(list(story), canvasmaker=_NumberedCanvas)
            pages = doc.page
    except LayoutError as exc:
        raise OutputError(
            f"Het rapport '{nfc(title)}' kon niet opgemaakt worden: een tekst of tabelrij is te "
            "groot voor één pagina. Er is niets geschreven."
        ) from exc
    return pages
