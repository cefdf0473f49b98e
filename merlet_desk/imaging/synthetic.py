"""A synthetic pen and a synthetic scanner, for the tests, the benchmark and the demo scans.

`fill_form` draws what a parent does on a printed form (a tick, a cross, a filled box, a
scribble, with a light or heavy pen, slightly outside the box; a correction: one box crossed
out and the other ticked; a pen dot too small to be a choice; words written beside a row, as
the form asks of a parent who changes their mind; a signature), on a clean page rendered at
the scan's resolution.
`scan` then does what a school copier does to it: scale, rotate, turn it upside down, blur, a
grey paper tone, noise and JPEG compression. Everything is driven by a `random.Random`, so a
seed gives the same page every time. No Qt, no SQL.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from merlet_desk.domain import paper_form as layout

if TYPE_CHECKING:
    import numpy as np

SCAN_MARGIN_MM = 6.0
CORRECTION = "correction"  # one box crossed out, the other ticked: must read as twijfel
DOT = "dot"  # a pen dot in the Ja box, nothing else: too small to be a choice, twijfel
DOT_MM = 0.7
STYLES = ("tick", "cross", "fill", "scribble")


@dataclass(frozen=True)
class Pen:
    """Grey level of the ink (0 black .. 255 white) and the stroke width in mm."""

    grey: int
    width_mm: float


PENS = {
    "pencil": Pen(165, 0.35),
    "ballpoint": Pen(70, 0.45),
    "fineliner": Pen(35, 0.4),
    "marker": Pen(25, 1.1),
}


def render_pdf_page(path: str, index: int, dpi: float) -> np.ndarray:
    """Page `index` of a PDF as grey pixels at `dpi`."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        bitmap = pdf[index].render(scale=dpi / 72, grayscale=True)
        pixels = bitmap.to_numpy().copy()
    finally:
        pdf.close()
    return pixels[..., 0] if pixels.ndim == 3 else pixels


def stroke(page: np.ndarray, points_mm: list[tuple[float, float]], pen: Pen, dpi: float) -> None:
    """One pen line through `points_mm` (page millimetres), drawn on a page at `dpi`."""
    import cv2
    import numpy as np

    scale = dpi / 25.4
    points = np.array([[x * scale * 16, y * scale * 16] for x, y in points_mm], dtype=np.int32)
    thickness = max(1, round(pen.width_mm * scale))
    cv2.polylines(page, [points], False, int(pen.grey), thickness, lineType=cv2.LINE_AA, shift=4)


def _darken_polygon(
    page: np.ndarray, points_mm: list[tuple[float, float]], pen: Pen, dpi: float
) -> None:
    import cv2
    import numpy as np

    scale = dpi / 25.4
    points = np.array([[x * scale * 16, y * scale * 16] for x, y in points_mm], dtype=np.int32)
    cv2.fillPoly(page, [points], int(pen.grey), lineType=cv2.LINE_AA, shift=4)


def draw_mark(
    page: np.ndarray, box: layout.Box, style: str, pen: Pen, rng: random.Random, dpi: float
) -> None:
    """One mark in (or around) `box`: its size and place vary like a hand's."""
    cx, cy = box.center
    cx += rng.uniform(-1.2, 1.2)
    cy += rng.uniform(-1.2, 1.2)
    size = box.size * rng.uniform(0.55, 1.25)
    half = size / 2
    if style == "tick":
        points = [
            (cx - half * 0.8, cy + rng.uniform(-0.1, 0.2) * half),
            (cx - half * 0.2, cy + half * rng.uniform(0.6, 0.9)),
            (cx + half * rng.uniform(0.7, 1.1), cy - half * rng.uniform(0.8, 1.2)),
        ]
        stroke(page, points, pen, dpi)
    elif style == "cross":
        wobble = [rng.uniform(-0.15, 0.15) * half for _ in range(4)]
        stroke(
            page, [(cx - half, cy - half + wobble[0]), (cx + half, cy + half + wobble[1])], pen, dpi
        )
        stroke(
            page, [(cx + half, cy - half + wobble[2]), (cx - half, cy + half + wobble[3])], pen, dpi
        )
    elif style == "fill":
        inner = box.size / 2 - rng.uniform(0.2, 0.8)
        bx, by = box.center
        corners = [
            (bx - inner, by - inner),
            (bx + inner, by - inner),
            (bx + inner, by + inner),
            (bx - inner, by + inner),
        ]
        _darken_polygon(
            page,
            [(x + rng.uniform(-0.4, 0.4), y + rng.uniform(-0.4, 0.4)) for x, y in corners],
            pen,
            dpi,
        )
    elif style == "scribble":
        points = []
        for step in range(rng.randint(8, 16)):
            t = step / 15
            points.append(
                (cx - half + rng.uniform(0, size), cy - half + t * size * rng.uniform(0.7, 1.0))
            )
        stroke(page, points, pen, dpi)
    else:
        raise ValueError(style)


def draw_dot(page: np.ndarray, box: layout.Box, pen: Pen, dpi: float, diameter_mm: float) -> None:
    """A round pen dot of `diameter_mm` in the middle of `box` (a pen resting on the paper)."""
    import cv2

    scale = dpi / 25.4
    cx, cy = box.center
    cv2.circle(
        page,
        (round(cx * scale * 16), round(cy * scale * 16)),
        max(1, round(diameter_mm / 2 * scale * 16)),
        int(pen.grey),
        thickness=-1,
        lineType=cv2.LINE_AA,
        shift=4,
    )


def draw_writing(
    page: np.ndarray,
    row: int,
    text: str,
    pen: Pen,
    dpi: float,
    *,
    left_mm: float | None = None,
    height_mm: float = 5.0,
) -> None:
    """Handwritten-looking `text` beside purpose row `row`: by default right of its Nee box,
    where a parent writes "NEE!" after ticking the wrong box; `left_mm` puts it elsewhere."""
    import cv2

    scale = dpi / 25.4
    font = cv2.FONT_HERSHEY_SCRIPT_SIMPLEX
    thickness = max(1, round(pen.width_mm * scale))
    (_, text_height), _ = cv2.getTextSize(text, font, 1.0, thickness)
    font_scale = height_mm * scale / max(text_height, 1)
    _, nee_box = layout.row_boxes(row)
    x = nee_box.x + nee_box.size + 2.0 if left_mm is None else left_mm
    baseline = layout.row_top(row) + layout.ROW_HEIGHT_MM / 2 + height_mm / 2
    cv2.putText(
        page,
        text,
        (round(x * scale), round(baseline * scale)),
        font,
        font_scale,
        int(pen.grey),
        thickness,
        cv2.LINE_AA,
    )


def draw_signature(page: np.ndarray, pen: Pen, rng: random.Random, dpi: float) -> None:
    x, y, w, h = layout.signature_rect()
    left = x + rng.uniform(5, 25)
    right = left + rng.uniform(30, w - 35)
    base = y + h * rng.uniform(0.45, 0.7)
    points = []
    steps = rng.randint(25, 45)
    for step in range(steps + 1):
        t = step / steps
        px = left + (right - left) * t + 2.5 * math.sin(t * rng.uniform(15, 30))
        py = base - rng.uniform(2, 7) * abs(math.sin(t * rng.uniform(8, 16)))
        points.append((px, py))
    stroke(page, points, pen, dpi)


def fill_form(
    page: np.ndarray,
    answers: list[str],
    rng: random.Random,
    dpi: float,
    *,
    signed: bool = True,
    pen: Pen | None = None,
    style: str | None = None,
    notes: dict[int, str] | None = None,
) -> None:
    """Fill a clean page in place: per row `ja`, `nee`, `leeg`, `beide`, CORRECTION or DOT;
    `notes` maps a row index to words written beside that row."""
    pen = pen or PENS[rng.choice(list(PENS))]
    for index, answer in enumerate(answers):
        ja_box, nee_box = layout.row_boxes(index)
        chosen = style or rng.choice(STYLES)
        if answer == layout.JA:
            draw_mark(page, ja_box, chosen, pen, rng, dpi)
        elif answer == layout.NEE:
            draw_mark(page, nee_box, chosen, pen, rng, dpi)
        elif answer == layout.BEIDE:
            draw_mark(page, ja_box, chosen, pen, rng, dpi)
            draw_mark(page, nee_box, chosen, pen, rng, dpi)
        elif answer == CORRECTION:
            crossed, ticked = (ja_box, nee_box) if rng.random() < 0.5 else (nee_box, ja_box)
            draw_mark(page, crossed, "fill", pen, rng, dpi)
            draw_mark(page, ticked, rng.choice(("tick", "cross")), pen, rng, dpi)
        elif answer == DOT:
            draw_dot(page, ja_box, pen, dpi, DOT_MM)
        elif answer != layout.LEEG:
            raise ValueError(answer)
    for row, text in (notes or {}).items():
        draw_writing(page, row, text, pen, dpi)
    if signed:
        draw_signature(page, PENS["ballpoint"], rng, dpi)


@dataclass(frozen=True)
class ScanSettings:
    scale: float = 1.0
    angle: float = 0.0  # degrees
    quarter_turns: int = 0  # 2 = upside down
    blur: float = 0.0  # Gaussian sigma in pixels
    paper: int = 255  # grey of the paper
    noise: float = 0.0  # sigma of Gaussian noise
    jpeg_quality: int | None = None

    @classmethod
    def random(cls, rng: random.Random, upside_down: float = 0.25) -> ScanSettings:
        """Distortions as the issue lists them: 95-105 %, ±3°, blur, grey, noise, JPEG 40-70."""
        return cls(
            scale=rng.uniform(0.95, 1.05),
            angle=rng.uniform(-3, 3),
            quarter_turns=2 if rng.random() < upside_down else 0,
            blur=rng.uniform(0.3, 1.2),
            paper=rng.randint(200, 250),
            noise=rng.uniform(2, 8),
            jpeg_quality=rng.randint(40, 70),
        )


def scan(page: np.ndarray, settings: ScanSettings, rng: random.Random) -> np.ndarray:
    """What a copier makes of a filled page: a grey image of the glass, which is a little
    larger than A4 (SCAN_MARGIN_MM on each side), so a page scaled to 105 % and turned 3° is
    still whole, as it is on a real copier's glass."""
    import cv2
    import numpy as np

    margin = round(SCAN_MARGIN_MM * page.shape[1] / layout.PAGE_WIDTH_MM)
    page = cv2.copyMakeBorder(page, margin, margin, margin, margin, cv2.BORDER_CONSTANT, value=255)
    height, width = page.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), settings.angle, settings.scale)
    matrix[:, 2] += (rng.uniform(-0.01, 0.01) * width, rng.uniform(-0.01, 0.01) * height)
    image = cv2.warpAffine(page, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=255)
    image = image.astype(np.float32) * (settings.paper / 255.0)
    if settings.blur > 0:
        image = cv2.GaussianBlur(image, (0, 0), settings.blur)
    if settings.noise > 0:
        noise_rng = np.random.default_rng(rng.randrange(2**32))
        image += noise_rng.normal(0, settings.noise, image.shape).astype(np.float32)
    image = np.clip(image, 0, 255).astype(np.uint8)
    if settings.quarter_turns:
        image = np.ascontiguousarray(np.rot90(image, settings.quarter_turns))
    if settings.jpeg_quality:
        ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, settings.jpeg_quality])
        decoded = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
        assert ok and decoded is not None  # our own image, just encoded
        image = decoded
    return image


def expected_outcome(answer: str) -> str:
    """What a row filled with `answer` must read as."""
    return layout.TWIJFEL if answer in (CORRECTION, DOT) else answer
