"""Reading a scanned consent form: find it, straighten it, read its code, measure its boxes.

The steps, for one grey page (numpy uint8, any orientation, 150-300 dpi):

1. **Working resolution.** A page scanned above ~150 dpi is reduced to 150 dpi (area
   averaging), which is plenty for 7 mm boxes and keeps a stack of 1,000 pages fast.
2. **Corner marks.** On a 2 px/mm copy, dark square blobs of the mark's size are looked for
   near each corner of the image; their centres are then refined on the working image. The
   bottom-right mark has a white centre: it says which way up the page was fed (any multiple of
   90°). When that cannot be seen, each way up is tried until the QR code reads.
3. **Straighten.** The perspective transform from the four centres to their printed positions
   (`domain.paper_form`) gives a canonical page of `PX_PER_MM` pixels per millimetre.
4. **QR code** with the form id, read with zxing-cpp (OpenCV's detector as the fallback) on
   the straightened code area.
5. **Boxes.** Each box's interior (1 mm inside its printed edge) is compared with the paper
   around the box and the ink of the corner marks: the *coverage* is the share of interior
   pixels that are dark relative to that paper and ink, so a pale pencil tick and a heavy
   marker cross both read, on white or grey paper. The empty printed box reads about 0.
   A box whose ink spans less than `SMALL_MARK_MM` away from its edges (a pen dot, a speck)
   is *unsure* however dark: too small to be a choice; so is a box with a trace of real ink
   below the "empty" limit (a tick drawn mostly outside it).
6. **Per sheet thresholds.** The sheet's own noise floor (box-sized patches of the empty
   margin beside the rows, measured like the boxes) raises the "empty" and "marked" limits on
   a dirty or noisy scan. A box between the two limits is *unsure*; a row with an unsure box
   reads `twijfel`. Both boxes marked reads `beide`, unless one is much heavier (crossed out
   or filled) and the other a normal mark: that is a correction, read as `twijfel`. Only
   `ja`, `nee` and `leeg` rows with every box clearly on one side are *certain*.
7. **Writing beside a row.** The form says "Vergist? Schrijf uw keuze duidelijk naast de
   regel; de school kijkt het formulier dan met de hand na". Ink in the row's free zones (the
   left margin, between the text column and the Ja box, between the boxes, right of the Nee
   box up to the paper's edge) that is not joined to a mark in a box makes the row `twijfel`,
   whatever its boxes say. The printed text column itself is not measured.
8. **Signature**: the coverage inside the signature rectangle.

`debug_view` draws the straightened page with each box's coverage and verdict on it (and
"naast" or "stip" where a row has writing beside it or a dot): how the thresholds are set
honestly and how a wrong read is explained.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from merlet_desk.domain import paper_form as layout
from merlet_desk.domain.paper_form import FormCode

if TYPE_CHECKING:
    import numpy as np

WORK_DPI = 150.0
PX_PER_MM = 6.0  # the straightened page: 1260 x 1782 pixels
FIND_PX_PER_MM = 2.0  # the copy the corner marks are looked for on

# Limits on a box's ink (mean darkness of its interior, 0..1), before the sheet's noise floor.
# Set from the benchmark's gallery of synthetic marks (see `debug_view`): empty boxes read
# below 0.0001, the faintest pencil tick about 0.015.
EMPTY_MAX = 0.004
MARKED_MIN = 0.010
NOISY_FLOOR = 0.01  # a sheet whose emptier boxes read above this is not trusted at all
HEAVY_MIN = 0.25  # a filled or crossed-out box
CORRECTION_RATIO = 3.0  # heavier box / lighter box, both marked: a correction
ALIGNED_MIN = 0.3  # mean darkness on the printed box edges of a well-aligned page
DEAD_ZONE = 0.1  # darkness below this share of paper-to-ink is paper (noise, grain)
INTERIOR_INSET_MM = 1.0
SIGNED_MIN = 0.003
UNSIGNED_MAX = 0.0008
# The shape of the ink in a box: pieces of pixels at least MARK_DARK dark and MARK_PIECE_PX
# large. A box with no such piece is empty; one whose pieces all lie away from the interior's
# edge and span less than SMALL_MARK_MM is a dot, not a choice. On the benchmark's gallery
# every pen dot (0.7 mm) spans under 1 mm and every real mark reaches 2 mm or the edge.
MARK_DARK = 0.2
MARK_PIECE_PX = 3
SMALL_MARK_MM = 2.0
# Writing beside a row: pixels darker than BESIDE_DARK, in pieces of at least BESIDE_PIECE_MM2
# not joined to a box, together at least BESIDE_MIN_MM2 (a 3 mm "x" is about 3 mm²).
BESIDE_DARK = 0.25
BESIDE_PIECE_MM2 = 0.15
BESIDE_MIN_MM2 = 0.8
BESIDE_INSET_MM = 1.5  # off the row's top and bottom (the rules between rows)
BESIDE_LEFT_MM = 2.5  # from the paper's left edge ...
BESIDE_RIGHT_MM = 206.0  # ... to near its right edge
BOX_REACH_MM = 1.0  # ink this close to a box's printed edge belongs to that box's mark

NOT_FOUND = "geen formulier herkend (hoekmarkeringen niet gevonden)"
MISALIGNED = "de scan ligt niet goed over het formulier; alle vakjes nakijken"
NOISY = "te veel vlekken of ruis op de scan; alle vakjes nakijken"
NO_CODE = "QR-code niet leesbaar"
FOREIGN_CODE = "QR-code is geen Merlet Desk-formulier"


@dataclass(frozen=True)
class MarkReading:
    """One purpose row: what it reads as, whether that is certain, and the two coverages;
    `beside`: writing beside the row; `small`: a box holds only a dot."""

    outcome: str
    certain: bool
    confidence: float
    ja: float
    nee: float
    beside: bool = False
    small: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "certain": self.certain,
            "confidence": round(self.confidence, 3),
            "ja": round(self.ja, 4),
            "nee": round(self.nee, 4),
            "beside": self.beside,
            "small": self.small,
        }


@dataclass
class PageReading:
    """Everything read from one page. `problem` is a Dutch reason when it was not recognised."""

    found: bool = False
    payload: str | None = None
    code: FormCode | None = None
    rotation: int = 0  # quarter turns (counter-clockwise) that make the scan upright
    marks: list[MarkReading] = field(default_factory=list)
    signature: float = 0.0
    signed: bool = False
    signature_certain: bool = False
    thresholds: tuple[float, float] = (EMPTY_MAX, MARKED_MIN)
    problem: str | None = None
    straight: np.ndarray | None = None  # the canonical page (for crops and the debug view)
    paper: float = 255.0
    ink: float = 0.0

    @property
    def recognised(self) -> bool:
        return self.code is not None

    @property
    def certain(self) -> bool:
        """Every mark certain and the form certainly signed."""
        return (
            self.recognised
            and bool(self.marks)
            and all(m.certain for m in self.marks)
            and self.signed
            and self.signature_certain
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "form": self.code.label if self.code else None,
            "rotation": self.rotation * 90,
            "marks": [m.as_dict() for m in self.marks],
            "signature": round(self.signature, 4),
            "signed": self.signed,
            "signature_certain": self.signature_certain,
            "thresholds": [round(t, 4) for t in self.thresholds],
            "problem": self.problem,
        }


# --------------------------------------------------------------------------- helpers


def to_work_resolution(grey: np.ndarray) -> np.ndarray:
    """The page at about WORK_DPI (pages at or below it are kept as they are)."""
    import cv2

    long_side = max(grey.shape[:2])
    target = layout.PAGE_HEIGHT_MM / 25.4 * WORK_DPI
    if long_side <= target * 1.1:
        return grey
    factor = target / long_side
    size = (round(grey.shape[1] * factor), round(grey.shape[0] * factor))
    return cv2.resize(grey, size, interpolation=cv2.INTER_AREA)


@dataclass(frozen=True)
class _Blob:
    x: float
    y: float
    size: float


def _find_mark_candidates(work: np.ndarray) -> tuple[list[_Blob], float]:
    """Dark squares of about the mark's size, on a 2 px/mm copy; and the working px/mm."""
    import cv2

    px_per_mm = max(work.shape) / layout.PAGE_HEIGHT_MM
    factor = FIND_PX_PER_MM / px_per_mm
    small = cv2.resize(
        work,
        (max(1, round(work.shape[1] * factor)), max(1, round(work.shape[0] * factor))),
        interpolation=cv2.INTER_AREA,
    )
    _, binary = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    count, _, stats, centroids = cv2.connectedComponentsWithStats(binary, connectivity=8)
    expected = layout.MARK_SIZE_MM * FIND_PX_PER_MM
    blobs = []
    for index in range(1, count):
        x, y, w, h, area = stats[index]
        if not (0.55 * expected <= w <= 1.7 * expected and 0.55 * expected <= h <= 1.7 * expected):
            continue
        if abs(w - h) > 0.4 * max(w, h) or area < 0.5 * w * h:
            continue
        cx, cy = centroids[index]
        blobs.append(_Blob(cx / factor, cy / factor, max(w, h) / factor))
    return blobs, px_per_mm


def _pick_corners(blobs: list[_Blob], shape: tuple[int, ...]) -> list[_Blob] | None:
    """The candidate nearest to each corner of the image, in clockwise order from top-left."""
    height, width = shape[:2]
    reach = 0.3 * math.hypot(width, height)
    corners = [(0, 0), (width, 0), (width, height), (0, height)]
    chosen = []
    for cx, cy in corners:
        best = min(blobs, key=lambda b: math.hypot(b.x - cx, b.y - cy), default=None)
        if best is None or math.hypot(best.x - cx, best.y - cy) > reach or best in chosen:
            return None
        chosen.append(best)
    return chosen


def _refine(work: np.ndarray, blob: _Blob) -> tuple[float, float, float]:
    """A mark's centre to sub-pixel precision, and the brightness at its middle (0..1 from
    ink to paper)."""
    import numpy as np

    half = int(blob.size * 0.9) + 2
    x0, y0 = max(0, int(blob.x) - half), max(0, int(blob.y) - half)
    patch = work[y0 : int(blob.y) + half + 1, x0 : int(blob.x) + half + 1].astype(np.float32)
    if patch.size == 0:
        return blob.x, blob.y, 0.0
    low, high = float(np.percentile(patch, 5)), float(np.percentile(patch, 95))
    if high - low < 20:
        return blob.x, blob.y, 0.0
    dark = patch < (low + high) / 2
    ys, xs = np.nonzero(dark)
    if len(xs) == 0:
        return blob.x, blob.y, 0.0
    cx, cy = float(xs.mean()), float(ys.mean())
    hole = max(1, int(blob.size * layout.MARK_HOLE_MM / layout.MARK_SIZE_MM * 0.3))
    middle = patch[
        max(0, int(cy) - hole) : int(cy) + hole + 1, max(0, int(cx) - hole) : int(cx) + hole + 1
    ]
    brightness = (float(middle.mean()) - low) / (high - low) if middle.size else 0.0
    return x0 + cx, y0 + cy, brightness


def _homography(points: list[tuple[float, float]]) -> np.ndarray:
    import cv2
    import numpy as np

    src = np.array(points, dtype=np.float32)
    dst = np.array(
        [(x * PX_PER_MM, y * PX_PER_MM) for x, y in layout.MARK_CENTERS_MM], dtype=np.float32
    )
    return cv2.getPerspectiveTransform(src, dst)


def _straighten(work: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    import cv2

    size = (round(layout.PAGE_WIDTH_MM * PX_PER_MM), round(layout.PAGE_HEIGHT_MM * PX_PER_MM))
    return cv2.warpPerspective(
        work, matrix, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )


def _px(mm: float) -> int:
    return round(mm * PX_PER_MM)


def read_code(straight: np.ndarray) -> str | None:
    """The text of the QR code in its printed place on a straightened page, or None.

    zxing-cpp first: on the benchmark's 1,000 scans it read every code in 0.3 ms each, where
    OpenCV's detector missed 2 clean codes and took 10 ms. OpenCV stays as the fallback.
    """
    import cv2
    import zxingcpp

    x, y, size = layout.QR_BOX_MM
    margin = layout.QR_QUIET_MM - 1
    crop = straight[
        _px(y - margin) : _px(y + size + margin), _px(x - margin) : _px(x + size + margin)
    ]
    for found in zxingcpp.read_barcodes(
        crop, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    ):
        if found.text:
            return found.text
    detector = cv2.QRCodeDetector()
    for attempt in (crop, cv2.resize(crop, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)):
        try:
            text, _, _ = detector.detectAndDecode(attempt)
        except cv2.error:
            text = ""
        if text:
            return text
    return None


def _levels(straight: np.ndarray) -> tuple[float, float]:
    """(paper, ink) grey levels of the sheet: paper from the text-free margin band left of the
    boxes' column, ink from the middle of the three solid corner marks."""
    import numpy as np

    inks = []
    for index, (cx, cy) in enumerate(layout.MARK_CENTERS_MM):
        if index == layout.HOLLOW_MARK:
            continue
        r = _px(layout.MARK_HOLE_MM / 2)
        inks.append(
            float(np.median(straight[_px(cy) - r : _px(cy) + r, _px(cx) - r : _px(cx) + r]))
        )
    band = straight[
        _px(layout.ROWS_TOP_MM) : _px(layout.row_top(layout.MAX_PURPOSES)), _px(5) : _px(14)
    ]
    paper = float(np.percentile(band, 75))
    ink = float(np.median(inks))
    return paper, min(ink, paper - 40)


def _darkness(
    straight: np.ndarray,
    x: float,
    y: float,
    w: float,
    h: float,
    paper: float,
    ink: float,
    inset: float,
) -> np.ndarray:
    """The darkness of the rectangle's interior (`inset` mm inside its edge), per pixel: 0 for
    paper and 1 for ink as dark as the corner marks, against the local paper level (the
    brighter part of a ring around it)."""
    import numpy as np

    x0, y0, x1, y1 = _px(x + inset), _px(y + inset), _px(x + w - inset), _px(y + h - inset)
    interior = straight[y0:y1, x0:x1].astype(np.float32)
    if not interior.size:
        return interior
    ring = 1.5
    outer = straight[
        max(0, _px(y - ring)) : _px(y + h + ring), max(0, _px(x - ring)) : _px(x + w + ring)
    ]
    local_paper = min(max(float(np.percentile(outer, 85)), ink + 40), paper + 30)
    return (local_paper - interior) / max(local_paper - ink, 1.0)


def _coverage(darkness: np.ndarray) -> float:
    """How much ink lies in an interior: its mean darkness. A mean keeps the amount of ink of a
    thin line that the scanner blurred; a small dead zone keeps paper noise out."""
    import numpy as np

    if not darkness.size:
        return 0.0
    return float(np.clip((darkness - DEAD_ZONE) / (1 - DEAD_ZONE), 0, 1).mean())


def _ink_shape(darkness: np.ndarray) -> tuple[bool, bool]:
    """(any ink, only a dot) in a box's interior: pieces of dark pixels; a dot is ink that
    spans less than SMALL_MARK_MM and does not reach the interior's edge (a tick drawn mostly
    outside the box enters from the edge)."""
    import cv2
    import numpy as np

    if not darkness.size:
        return False, False
    mask = (darkness >= MARK_DARK).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    pieces = [stats[i] for i in range(1, count) if stats[i][cv2.CC_STAT_AREA] >= MARK_PIECE_PX]
    if not pieces:
        return False, False
    height, width = darkness.shape
    left = min(int(p[cv2.CC_STAT_LEFT]) for p in pieces)
    top = min(int(p[cv2.CC_STAT_TOP]) for p in pieces)
    right = max(int(p[cv2.CC_STAT_LEFT] + p[cv2.CC_STAT_WIDTH]) for p in pieces)
    bottom = max(int(p[cv2.CC_STAT_TOP] + p[cv2.CC_STAT_HEIGHT]) for p in pieces)
    at_edge = left <= 0 or top <= 0 or right >= width or bottom >= height
    span = max(right - left, bottom - top) / PX_PER_MM
    return True, not at_edge and span < SMALL_MARK_MM


def _beside(straight: np.ndarray, index: int, paper: float, ink: float) -> float:
    """mm² of ink beside purpose row `index`, outside the printed text column and not joined
    to a mark in (or over the edge of) one of its boxes."""
    import cv2
    import numpy as np

    top = layout.row_top(index) + BESIDE_INSET_MM
    bottom = layout.row_top(index) + layout.ROW_HEIGHT_MM - BESIDE_INSET_MM
    x0, y0 = _px(BESIDE_LEFT_MM), _px(top)
    strip = straight[y0 : _px(bottom), x0 : _px(BESIDE_RIGHT_MM)].astype(np.float32)
    if not strip.size:
        return 0.0
    local_paper = min(max(float(np.percentile(strip, 85)), ink + 40), paper + 30)
    darkness = (local_paper - strip) / max(local_paper - ink, 1.0)
    mask = (darkness >= BESIDE_DARK).astype(np.uint8)
    # The printed label and examples: not measured (a hand's word there cannot be told from
    # the print without the page as printed).
    mask[:, _px(layout.TEXT_LEFT_MM - 2) - x0 : _px(layout.ROW_TEXT_RIGHT_MM + 0.5) - x0] = 0
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if count <= 1:
        return 0.0
    near_box = np.zeros(count, dtype=bool)
    for box in layout.row_boxes(index):
        reach = BOX_REACH_MM
        region = labels[
            max(0, _px(box.y - reach) - y0) : max(0, _px(box.y + box.size + reach) - y0),
            max(0, _px(box.x - reach) - x0) : max(0, _px(box.x + box.size + reach) - x0),
        ]
        near_box[np.unique(region)] = True
    areas = stats[:, cv2.CC_STAT_AREA]
    piece = BESIDE_PIECE_MM2 * PX_PER_MM**2
    loose = [i for i in range(1, count) if not near_box[i] and areas[i] >= piece]
    return float(sum(areas[i] for i in loose)) / PX_PER_MM**2


def _frame_darkness(straight: np.ndarray, box: layout.Box, paper: float, ink: float) -> float:
    """Mean darkness on the printed edge of a box: high when the page is well aligned."""
    import numpy as np

    x0, y0 = _px(box.x), _px(box.y)
    x1, y1 = _px(box.x + box.size), _px(box.y + box.size)
    edge = max(1, _px(layout.BOX_LINE_MM + 0.2))
    region = straight[y0:y1, x0:x1].astype(np.float32)
    mask = np.ones(region.shape, dtype=bool)
    mask[edge:-edge, edge:-edge] = False
    darkness = (paper - region[mask]) / max(paper - ink, 1.0)
    return float(np.clip(darkness, 0, 1).mean())


def _classify(
    ja: float,
    nee: float,
    empty_max: float,
    marked_min: float,
    shapes: tuple[tuple[bool, bool], tuple[bool, bool]] = ((True, False), (True, False)),
) -> MarkReading:
    """A row from its two boxes' coverage and (any ink, only a dot) shapes."""

    def state(value: float, shape: tuple[bool, bool]) -> str:
        inked, dot = shape
        if dot:
            return "unsure"  # ink, but too small to be a choice
        if value <= empty_max:
            # A trace of real ink (a mark mostly outside the box) is not "clearly empty".
            return "unsure" if inked else "empty"
        if value >= marked_min:
            return "marked"
        return "unsure"

    def margin(value: float) -> float:
        if value <= empty_max:
            return min(1.0, (empty_max - value) / empty_max)
        return min(1.0, (value - marked_min) / (4 * marked_min))

    heavy, light = max(ja, nee), min(ja, nee)
    states = (state(ja, shapes[0]), state(nee, shapes[1]))
    if "unsure" in states or (heavy >= HEAVY_MIN and light > empty_max / 2):
        # A trace beside a filled box may be a correction whose tick is faint: never certain.
        if heavy >= HEAVY_MIN and heavy >= CORRECTION_RATIO * light:
            return MarkReading(layout.TWIJFEL, False, 0.25, ja, nee)
        if "unsure" in states:
            middle = (empty_max + marked_min) / 2
            nearest = min(abs(v - middle) for v in (ja, nee))
            return MarkReading(
                layout.TWIJFEL, False, 0.5 * nearest / (marked_min - empty_max), ja, nee
            )
    confidence = 0.5 + 0.5 * min(margin(ja), margin(nee))
    if states == ("empty", "empty"):
        return MarkReading(layout.LEEG, True, confidence, ja, nee)
    if states == ("marked", "empty"):
        return MarkReading(layout.JA, True, confidence, ja, nee)
    if states == ("empty", "marked"):
        return MarkReading(layout.NEE, True, confidence, ja, nee)
    if heavy >= HEAVY_MIN and heavy >= CORRECTION_RATIO * light:
        return MarkReading(layout.TWIJFEL, False, 0.25, ja, nee)
    return MarkReading(layout.BEIDE, False, 0.5, ja, nee)


def measure_marks(
    straight: np.ndarray, rows: int, paper: float, ink: float
) -> tuple[list[MarkReading], tuple[float, float], str | None]:
    """Read `rows` purpose rows: the readings, the sheet's (empty, marked) limits, and a
    Dutch problem when the sheet as a whole cannot be trusted (every row then reads twijfel)."""
    import numpy as np

    pairs = []
    shapes = []
    frames = []
    beside = []
    for index in range(rows):
        fills = []
        box_shapes = []
        for box in layout.row_boxes(index):
            darkness = _darkness(
                straight, box.x, box.y, box.size, box.size, paper, ink, INTERIOR_INSET_MM
            )
            fills.append(_coverage(darkness))
            box_shapes.append(_ink_shape(darkness))
            frames.append(_frame_darkness(straight, box, paper, ink))
        pairs.append((fills[0], fills[1]))
        shapes.append((box_shapes[0], box_shapes[1]))
        beside.append(_beside(straight, index, paper, ink) >= BESIDE_MIN_MM2)
    # The sheet's noise floor: box-sized patches of the margin beside the rows, where nobody
    # writes, measured the same way as the boxes.
    size = layout.BOX_SIZE_MM
    patches = [
        _coverage(
            _darkness(
                straight,
                4.5,
                layout.row_top(i) + (layout.ROW_HEIGHT_MM - size) / 2,
                size,
                size,
                paper,
                ink,
                INTERIOR_INSET_MM,
            )
        )
        for i in range(max(rows, 3))
    ]
    floor = float(np.median(patches))
    empty_max = EMPTY_MAX + floor
    marked_min = MARKED_MIN + 1.5 * floor
    readings = []
    for (ja, nee), row_shapes, written in zip(pairs, shapes, beside, strict=True):
        reading = _classify(ja, nee, empty_max, marked_min, row_shapes)
        small = any(dot for _, dot in row_shapes)
        if written:
            # "Vergist? Schrijf uw keuze duidelijk naast de regel": a person reads it.
            reading = MarkReading(layout.TWIJFEL, False, 0.0, ja, nee, beside=True, small=small)
        elif small:
            reading = MarkReading(
                reading.outcome, reading.certain, reading.confidence, ja, nee, small=True
            )
        readings.append(reading)
    problem = None
    if frames and float(np.mean(frames)) < ALIGNED_MIN:
        problem = MISALIGNED
    elif floor > NOISY_FLOOR:
        problem = NOISY
    if problem:
        readings = [
            MarkReading(layout.TWIJFEL, False, 0.0, m.ja, m.nee, m.beside, m.small)
            if m.certain
            else m
            for m in readings
        ]
    return readings, (empty_max, marked_min), problem


def measure_signature(straight: np.ndarray, paper: float, ink: float) -> tuple[float, bool, bool]:
    """(coverage, signed, certain) of the signature rectangle."""
    x, y, w, h = layout.signature_rect()
    value = _coverage(_darkness(straight, x, y, w, h, paper, ink, 1.5))
    if value >= SIGNED_MIN:
        return value, True, True
    if value <= UNSIGNED_MAX:
        return value, False, True
    return value, False, False


def _orientations(corners: list[tuple[float, float, float]]) -> list[int]:
    """Cyclic shifts of the corners (in image clockwise order from the image's top-left) to
    try, most likely first: the one that puts the hollow mark bottom-right, if it is clear."""
    brightness = [c[2] for c in corners]
    order = sorted(range(4), key=lambda i: -brightness[i])
    first = order[0]
    clear = brightness[first] > 0.5 and brightness[order[1]] < 0.35
    # Shift s makes points[(i + s) % 4] the page's corner i; the hollow one must be corner 2.
    likely = (first - layout.HOLLOW_MARK) % 4
    if clear:
        return [likely]
    return [likely] + [s for s in range(4) if s != likely]


def read_page(grey: np.ndarray, rows_for: Callable[[FormCode], int | None]) -> PageReading:
    """Read one page. `rows_for(code)` says how many purposes that form has (None: unknown
    form, measured with none)."""
    import numpy as np

    work = to_work_resolution(np.ascontiguousarray(grey))
    reading = PageReading()
    blobs, _ = _find_mark_candidates(work)
    picked = _pick_corners(blobs, work.shape)
    if picked is None:
        reading.problem = NOT_FOUND
        return reading
    corners = [_refine(work, blob) for blob in picked]
    reading.found = True
    straight = None
    for shift in _orientations(corners):
        points = [(corners[(i + shift) % 4][0], corners[(i + shift) % 4][1]) for i in range(4)]
        candidate = _straighten(work, _homography(points))
        text = read_code(candidate)
        if straight is None or text:
            straight, reading.rotation = candidate, shift
            reading.payload = text
        if text:
            break
    assert straight is not None
    reading.straight = straight
    reading.paper, reading.ink = _levels(straight)
    reading.signature, reading.signed, reading.signature_certain = measure_signature(
        straight, reading.paper, reading.ink
    )
    if reading.payload is None:
        reading.problem = NO_CODE
        return reading
    reading.code = layout.parse_payload(reading.payload)
    if reading.code is None:
        reading.problem = FOREIGN_CODE
        return reading
    rows = rows_for(reading.code)
    if rows:
        remeasure(reading, rows)
    return reading


def remeasure(reading: PageReading, rows: int) -> None:
    """Measure `rows` purpose rows (also for a page whose form a person named by hand)."""
    if reading.straight is None:
        return
    reading.marks, reading.thresholds, problem = measure_marks(
        reading.straight, rows, reading.paper, reading.ink
    )
    if problem:
        reading.problem = problem


# --------------------------------------------------------------------------- output images


def upright(grey: np.ndarray, rotation: int) -> np.ndarray:
    """The scan turned upright (the page's top at the top)."""
    import numpy as np

    return np.rot90(grey, k=rotation) if rotation % 4 else grey


def proof_jpeg(
    grey: np.ndarray, rotation: int, dpi: float = 150.0, quality: int = 60
) -> tuple[bytes, int, int]:
    """The page as kept for proof: upright, about `dpi`, grey JPEG. (bytes, width, height)"""
    import cv2
    import numpy as np

    page = np.ascontiguousarray(upright(grey, rotation))
    target = layout.PAGE_HEIGHT_MM / 25.4 * dpi
    factor = target / max(page.shape[:2])
    if factor < 0.95:
        page = cv2.resize(page, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    ok, data = cv2.imencode(".jpg", page, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return data.tobytes(), int(page.shape[1]), int(page.shape[0])


def crop_rows(reading: PageReading) -> np.ndarray | None:
    """The straightened page from the pupil block to below the signature (the review crop),
    margins included: what a parent wrote beside a row must be seen where it is read."""
    if reading.straight is None:
        return None
    bottom = layout.SIGNATURE_RECT_MM[1] + layout.SIGNATURE_RECT_MM[3] + 2
    left, right = BESIDE_LEFT_MM, BESIDE_RIGHT_MM
    return reading.straight[_px(layout.PUPIL_TOP_MM - 2) : _px(bottom), _px(left) : _px(right)]


def debug_view(reading: PageReading) -> np.ndarray | None:
    """The straightened page in colour with each box's coverage and verdict drawn on it."""
    import cv2

    if reading.straight is None:
        return None
    view = cv2.cvtColor(reading.straight, cv2.COLOR_GRAY2BGR)
    empty_max, marked_min = reading.thresholds
    for index, mark in enumerate(reading.marks):
        colour = (0, 150, 0) if mark.certain else (0, 0, 230)
        for box, value in zip(layout.row_boxes(index), (mark.ja, mark.nee), strict=True):
            top_left = (_px(box.x), _px(box.y))
            bottom_right = (_px(box.x + box.size), _px(box.y + box.size))
            clear = value <= empty_max or (value >= marked_min and not mark.small)
            box_colour = (0, 150, 0) if clear else (0, 0, 230)
            cv2.rectangle(view, top_left, bottom_right, box_colour, 2)
            cv2.putText(
                view,
                f"{value * 100:.1f}",
                (_px(box.x), _px(box.y - 0.6)),
                cv2.FONT_HERSHEY_SIMPLEX,
                0.4,
                box_colour,
                1,
                cv2.LINE_AA,
            )
        notes = [text for flag, text in ((mark.beside, "naast"), (mark.small, "stip")) if flag]
        if notes:
            cv2.putText(
                view,
                " ".join(notes),
                (_px(layout.NEE_CENTER_X_MM + 5), _px(layout.row_top(index) + 12)),
                cv2.FONT_HERSHEY_SIMPLEX,
                0.45,
                (0, 0, 230),
                1,
                cv2.LINE_AA,
            )
        cv2.putText(
            view,
            mark.outcome,
            (_px(layout.ROW_TEXT_RIGHT_MM - 14), _px(layout.row_top(index) + 8)),
            cv2.FONT_HERSHEY_SIMPLEX,
            0.6,
            colour,
            2,
            cv2.LINE_AA,
        )
    x, y, w, h = layout.signature_rect()
    colour = (0, 150, 0) if reading.signature_certain else (0, 0, 230)
    cv2.rectangle(view, (_px(x), _px(y)), (_px(x + w), _px(y + h)), colour, 2)
    cv2.putText(
        view,
        f"handtekening {reading.signature * 100:.2f}%",
        (_px(x + 2), _px(y + h - 2)),
        cv2.FONT_HERSHEY_SIMPLEX,
        0.5,
        colour,
        1,
        cv2.LINE_AA,
    )
    cv2.putText(
        view,
        f"leeg <= {empty_max * 100:.1f}%  gemarkeerd >= {marked_min * 100:.1f}%",
        (_px(18), _px(layout.TABLE_HEADER_MM - 0.5)),
        cv2.FONT_HERSHEY_SIMPLEX,
        0.45,
        (120, 60, 0),
        1,
        cv2.LINE_AA,
    )
    return view
