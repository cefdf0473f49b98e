"""Building blocks shared by the reports: paragraph styles, tables, a legend.

Every piece of user text goes through `para()` (or `esc()` from letterhead) so it is escaped
before reportlab's mini-markup sees it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor, white
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from merlet_desk.reports.letterhead import (
    CONTENT_WIDTH,
    FONT,
    FONT_BOLD,
    INK,
    MUTED,
    NAVY,
    SYMBOL_FONT,
    esc,
    has_glyph,
    nfc,
    printable,
    register_fonts,
)

HEADER_FILL = HexColor("#d6dbe3")
ZEBRA_FILL = HexColor("#f0f0f0")
GRID = HexColor("#9a9a9a")

register_fonts()

STYLES: dict[str, ParagraphStyle] = {
    "body": ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, textColor=INK),
    "small": ParagraphStyle("small", fontName=FONT, fontSize=8, leading=10, textColor=INK),
    "muted": ParagraphStyle("muted", fontName=FONT, fontSize=8, leading=10, textColor=MUTED),
    "h1": ParagraphStyle(
        "h1", fontName=FONT_BOLD, fontSize=14, leading=18, textColor=NAVY, spaceAfter=6
    ),
    "h2": ParagraphStyle(
        "h2",
        fontName=FONT_BOLD,
        fontSize=11.5,
        leading=15,
        textColor=NAVY,
        spaceBefore=8,
        spaceAfter=4,
    ),
    "h3": ParagraphStyle(
        "h3", fontName=FONT_BOLD, fontSize=10, leading=13, textColor=INK, spaceBefore=6
    ),
    # embeddedHyphenation: break "Sociale-media-accounts" after a hyphen, not mid-word.
    "cell": ParagraphStyle(
        "cell", fontName=FONT, fontSize=8.5, leading=10.5, textColor=INK, embeddedHyphenation=1
    ),
    "cell_center": ParagraphStyle(
        "cell_center",
        fontName=FONT,
        fontSize=8.5,
        leading=10.5,
        textColor=INK,
        alignment=TA_CENTER,
    ),
    "head": ParagraphStyle("head", fontName=FONT_BOLD, fontSize=8, leading=10, textColor=INK),
    "head_center": ParagraphStyle(
        "head_center",
        fontName=FONT_BOLD,
        fontSize=7.5,
        leading=9,
        textColor=INK,
        alignment=TA_CENTER,
    ),
    "bullet": ParagraphStyle(
        "bullet",
        fontName=FONT,
        fontSize=9.5,
        leading=13,
        textColor=INK,
        leftIndent=12,
        bulletIndent=2,
    ),
}


def symbol_font(symbol: str) -> str:
    """The embedded font that draws every character of `symbol` (DejaVu first)."""
    symbol = nfc(symbol)
    return FONT if has_glyph(symbol) or not has_glyph(symbol, SYMBOL_FONT) else SYMBOL_FONT


def symbol_markup(symbol: str) -> str:
    """Escaped Paragraph markup for a register symbol, each character in a font that has it."""
    parts = []
    for ch in nfc(symbol):
        if has_glyph(ch) or not has_glyph(ch, SYMBOL_FONT):
            parts.append(esc(ch))
        else:
            parts.append(f'<font name="{SYMBOL_FONT}">{escape(ch)}</font>')
    return "".join(parts)


def symbol_cell(symbol: str, style: str = "cell_center") -> Paragraph:
    """A table cell holding a register symbol (see symbol_markup)."""
    return Paragraph(symbol_markup(symbol), STYLES[style])


MAX_LISTED_CHARS = 200  # a name in an overview row; the pupil's own file shows it whole


def clip(text: object, limit: int = MAX_LISTED_CHARS) -> str:
    """`text` cut to `limit` characters with "…", so one absurd value (a 10,000-character
    name) cannot make an overview's row taller than a page."""
    text = nfc(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def para(text: object, style: str = "body") -> Paragraph:
    """A paragraph of user text, escaped: `<b>Jan</b> & Zn` prints literally."""
    return Paragraph(esc(text), STYLES[style])


def markup(trusted: str, style: str = "body") -> Paragraph:
    """A paragraph of our own markup; every user part in it must already be `esc()`-ed."""
    return Paragraph(trusted, STYLES[style])


def spacer(height: float = 6) -> Spacer:
    return Spacer(1, height)


def heading(text: object, level: int = 2) -> Paragraph:
    return para(text, f"h{level}")


def _cell(value: object, style: str) -> Flowable | str:
    if isinstance(value, Flowable):
        return value
    return para(value, style)


CELL_PADDING = 3  # left and right, as in data_table's style


def wrapped_text(value: object, style: ParagraphStyle, width: float) -> str:
    """Plain text broken into lines that fit `width` in `style`'s font: at spaces, and a word
    too long for the column after its hyphens ("Sociale-media-accounts"), as the cell
    Paragraphs do with `embeddedHyphenation`, and a long link at its slashes and dots.

    A table draws a string cell as it is (no markup, so nothing to escape) and at a fraction of
    the cost of a Paragraph: a case overview of 1,700 cases spent most of its time building,
    wrapping and drawing 10,000 one-line Paragraphs.
    """
    return _wrap(printable(value), style.fontName, style.fontSize, width - 2 * CELL_PADDING)


@lru_cache(maxsize=8192)  # categories, platforms, statuses and labels repeat on every row
def _wrap(text: str, font: str, size: float, room: float) -> str:
    if "\n" not in text and "\r" not in text and stringWidth(text, font, size) <= room:
        return " ".join(text.split())
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").split("\n"):
        line = ""
        for word in paragraph.split():
            pieces = (
                [word] if stringWidth(word, font, size) <= room else _pieces(word, font, size, room)
            )
            for index, piece in enumerate(pieces):
                candidate = line + (" " if line and index == 0 else "") + piece
                if line and stringWidth(candidate, font, size) > room:
                    lines.append(line)
                    line = piece
                else:
                    line = candidate
        lines.append(line)
    return "\n".join(lines)


_HYPHEN = re.compile(r"(?<=-)(?=.)")
# Where a link may break: after a slash, ?, &, =, # or _, or before a dot.
_URL_BREAK = re.compile(r"(?<=[/?&=#_])(?=.)|(?<=.)(?=\.)")


def _pieces(word: str, font: str, size: float, room: float) -> list[str]:
    """A word too wide for the column in pieces that the line filler joins again where they
    fit: after its hyphens ("Sociale-media-accounts"), then at a link's separators, then, for
    a piece still too wide, at the last letter that fits."""
    pieces = []
    for part in _HYPHEN.split(word):
        for piece in _URL_BREAK.split(part) if stringWidth(part, font, size) > room else [part]:
            while stringWidth(piece, font, size) > room and len(piece) > 1:
                cut = len(piece) - 1
                while cut > 1 and stringWidth(piece[:cut], font, size) > room:
                    cut -= 1
                pieces.append(piece[:cut])
                piece = piece[cut:]
            pieces.append(piece)
    return pieces


def wrap_lines(text: object, font: str, size: float, width: float) -> list[str]:
    """`text` as lines that fit `width` (at spaces, long words after their hyphens)."""
    return _wrap(printable(text), font, size, width).split("\n")


def data_table(
    header: Sequence[object],
    rows: Sequence[Sequence[object]],
    col_widths: Sequence[float] | None = None,
    *,
    center_columns: Sequence[int] = (),
    zebra: bool = True,
) -> Table:
    """A table whose header row repeats on every page it spans.

    Cells are escaped paragraphs (so long text wraps); pass a Flowable to place it as is.
    With `col_widths` the body cells are plain text wrapped to the column instead (the same
    lines, drawn literally, much faster). `col_widths` may be fractions of the content width
    (they then sum to 1).
    """
    if col_widths is not None and abs(sum(col_widths) - 1.0) < 0.01:
        col_widths = [CONTENT_WIDTH * w for w in col_widths]
    center = set(center_columns)
    cell_style, center_style = STYLES["cell"], STYLES["cell_center"]

    def body(i: int, value: object) -> Flowable | str:
        if col_widths is None or isinstance(value, Flowable):
            return _cell(value, "cell_center" if i in center else "cell")
        return wrapped_text(value, center_style if i in center else cell_style, col_widths[i])

    data = [
        [_cell(h, "head_center" if i in center else "head") for i, h in enumerate(header)],
        *[[body(i, v) for i, v in enumerate(row)] for row in rows],
    ]
    # splitInRow: a row taller than a page (a 10,000-character name) continues on the next
    # page instead of failing the whole report with a LayoutError.
    table = Table(data, colWidths=col_widths, repeatRows=1, hAlign="LEFT", splitInRow=1)
    commands: list[tuple] = [
        # Only for the plain-text cells; Paragraphs carry their own style.
        ("FONT", (0, 1), (-1, -1), cell_style.fontName, cell_style.fontSize, cell_style.leading),
        ("TEXTCOLOR", (0, 1), (-1, -1), cell_style.textColor),
        *[("ALIGN", (i, 1), (i, -1), "CENTER") for i in sorted(center)],
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if zebra:
        commands.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [white, ZEBRA_FILL]))
    table.setStyle(TableStyle(commands))
    return table


def key_value_table(pairs: Sequence[tuple[object, object]], key_width: float = 0.28) -> Table:
    """Two columns: a bold label and its value (escaped), for "every field" listings."""
    data = [[para(key, "head"), _cell(value, "cell")] for key, value in pairs]
    table = Table(
        data,
        colWidths=[CONTENT_WIDTH * key_width, CONTENT_WIDTH * (1 - key_width)],
        hAlign="LEFT",
        splitInRow=1,  # a value taller than a page continues on the next one
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, GRID),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def legend(items: Sequence[tuple[str, str]], title: str = "Legenda") -> Paragraph:
    """Symbol → meaning on one or two lines ("Legenda: ✓ Toestemming · ✗ Geweigerd · ...").

    Compact on purpose: above a class table it leaves room for a class of 30 on one page.
    """
    entries = " · ".join(
        f"<b>{symbol_markup(symbol)}</b>\u00a0{esc(meaning)}" for symbol, meaning in items
    )
    return markup(f"<b>{esc(title)}:</b> {entries}", "small")


def bullet_list(items: Sequence[object], style: str = "bullet") -> list[Paragraph]:
    return [Paragraph(esc(item), STYLES[style], bulletText="•") for item in items]
