"""The paper consent form as data: where everything is on the page, in millimetres.

One definition serves both sides: the PDF writer (`reports.consent_forms`) draws the form from
it and the reader (`imaging.omr`) measures a scan with it, so print and read cannot drift.
Coordinates are millimetres on an A4 portrait page with the origin at the top-left corner and
y running down (as a scan is stored); the PDF writer flips y itself.

Also here: the form's QR payload (the database's own id, the form number and the pupil's
number) and the outcomes of reading one purpose's pair of boxes. Pure: no Qt, no SQL, no
OpenCV.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0

# Four corner marks, solid squares, for straightening the scan. The bottom-right one has a
# white centre: it tells which way up the page was fed.
MARK_SIZE_MM = 7.0
MARK_HOLE_MM = 3.0
MARK_CENTERS_MM: tuple[tuple[float, float], ...] = (
    (10.0, 10.0),  # top-left
    (200.0, 10.0),  # top-right
    (200.0, 287.0),  # bottom-right (hollow)
    (10.0, 287.0),  # bottom-left
)
HOLLOW_MARK = 2  # index into MARK_CENTERS_MM

# The QR code with the form id: its modules are drawn inside this square (top-left x, y, size).
QR_BOX_MM = (166.0, 39.0, 24.0)
QR_QUIET_MM = 4.0  # white around it, kept free by the layout

# The pupil block and the texts, left of the QR code.
TEXT_LEFT_MM = 18.0
TEXT_RIGHT_MM = 192.0
PUPIL_TOP_MM = 40.0
INTRO_TOP_MM = 70.0
INTRO_BOTTOM_MM = 112.0

# One row per purpose: label and examples on the left, Ja and Nee boxes on the right.
TABLE_HEADER_MM = 116.0
ROWS_TOP_MM = 118.0
ROW_HEIGHT_MM = 13.0
MAX_PURPOSES = 8
BOX_SIZE_MM = 7.0
BOX_LINE_MM = 0.4
JA_CENTER_X_MM = 163.0
NEE_CENTER_X_MM = 182.0
ROW_TEXT_RIGHT_MM = 155.0

# The signature rectangle, with name and date lines beside it.
SIGNATURE_TITLE_MM = 227.0
SIGNATURE_RECT_MM = (18.0, 230.0, 92.0, 26.0)  # x, y, width, height
SIGNATURE_LINES_X_MM = (116.0, 192.0)
SIGNATURE_NAME_Y_MM = 241.0
SIGNATURE_DATE_Y_MM = 254.0

# Who signs the form.
SIGNER_PARENT = "parent"
SIGNER_PUPIL = "pupil"
SIGNERS = (SIGNER_PARENT, SIGNER_PUPIL)

# What one purpose's pair of boxes reads as.
JA = "ja"
NEE = "nee"
LEEG = "leeg"
BEIDE = "beide"
TWIJFEL = "twijfel"
OUTCOMES = (JA, NEE, LEEG, BEIDE, TWIJFEL)
OUTCOME_LABELS = {
    JA: "Ja",
    NEE: "Nee",
    LEEG: "Niets aangekruist: geen toestemming",
    BEIDE: "Beide aangekruist",
    TWIJFEL: "Twijfel — nakijken",
}


def receipt_problem(received: date, printed: date, today: date, what: str) -> str | None:
    """Why a form cannot have been received on `received` (None when it can): not before it
    was printed, and not after today. `what` names the date ("de datum van ontvangst")."""

    def shown(day: date) -> str:
        return f"{day.day:02d}-{day.month:02d}-{day.year:04d}"

    if received < printed:
        return (
            f"{what} {shown(received)} ligt vóór {shown(printed)}, de dag waarop het formulier "
            "is afgedrukt"
        )
    if received > today:
        return f"{what} {shown(received)} ligt in de toekomst"
    return None


@dataclass(frozen=True)
class Box:
    """A tick box: its outer square in mm (top-left x, y and size)."""

    x: float
    y: float
    size: float = BOX_SIZE_MM

    @property
    def center(self) -> tuple[float, float]:
        return self.x + self.size / 2, self.y + self.size / 2


def row_top(index: int) -> float:
    """The top of purpose row `index` (0-based), in mm."""
    return ROWS_TOP_MM + index * ROW_HEIGHT_MM


def row_boxes(index: int) -> tuple[Box, Box]:
    """The Ja box and the Nee box of purpose row `index`."""
    cy = row_top(index) + ROW_HEIGHT_MM / 2
    half = BOX_SIZE_MM / 2
    return Box(JA_CENTER_X_MM - half, cy - half), Box(NEE_CENTER_X_MM - half, cy - half)


def signature_rect() -> tuple[float, float, float, float]:
    return SIGNATURE_RECT_MM


# --------------------------------------------------------------------------- the QR payload

# Form numbers are drawn at random from nine digits, so that no number is ever given out twice:
# not after a restore (which would roll a counter back), not after a purge (which would free
# the highest numbers). Forms printed before that were numbered 1, 2, 3, ...: always below
# FORM_ID_MIN, so a new number never meets an old form still on paper.
FORM_ID_MIN = 100_000_000
FORM_ID_MAX = 999_999_999

QR_PREFIX = "MD2"
LEGACY_QR_PREFIX = "MD1"  # database id and form number only: forms printed before MD2
_PAYLOAD = re.compile(r"^MD2:([0-9A-F]{8}):([0-9]{1,9}):([0-9]{1,12})$")
_LEGACY_PAYLOAD = re.compile(r"^MD1:([0-9A-F]{8}):([0-9]{1,9})$")


@dataclass(frozen=True)
class FormCode:
    """What the QR code of a form says: which database issued it, the form's number and the
    number of the pupil it was printed for (None on a form printed before codes named it)."""

    database_id: str
    form_id: int
    pupil_number: str | None = None

    @property
    def payload(self) -> str:
        # QR alphanumeric mode (digits, capitals, ':'): at most 36 characters, a version-2 code.
        if self.pupil_number is None:
            return f"{LEGACY_QR_PREFIX}:{self.database_id}:{self.form_id}"
        return f"{QR_PREFIX}:{self.database_id}:{self.form_id}:{self.pupil_number}"

    @property
    def label(self) -> str:
        """The form number as printed under the code and shown to the officer."""
        return form_label(self.form_id)


def form_label(form_id: int) -> str:
    return f"F{form_id:06d}"


def parse_payload(text: str | None) -> FormCode | None:
    """The form code in a QR text, or None when it is not one of our forms."""
    text = (text or "").strip().upper()
    match = _PAYLOAD.match(text)
    if match is not None:
        pupil = match.group(3).lstrip("0") or "0"  # as stored: no leading zeros
        return FormCode(match.group(1), int(match.group(2)), pupil)
    match = _LEGACY_PAYLOAD.match(text)
    if match is None:
        return None
    return FormCode(match.group(1), int(match.group(2)))
