"""Pages of scanned files as grey pixels: PDFs (what a school copier makes) and images.

A PDF page that is nothing but one grey or colour JPEG (what a copier makes of a scanned page)
gives that JPEG as it is, decoded by OpenCV at about the reader's working resolution: six times
faster than rendering it, which was three quarters of the time of a stack. Any other PDF page
is rendered with pypdfium2 at the working resolution. PNG, JPEG and (multi-page) TIFF are read
with Pillow. Each page comes with the date the scan was made, as far as the file
says: the PDF's creation date, the image's EXIF/TIFF date, else the file's modification date.

Hostile files: `count_pages` reads every page's size from the file (the PDF's page boxes, the
image's header) before any page is decoded, and refuses a page no copier makes, naming the file
and the page: larger than `MAX_PAGE_MM` or smaller than `MIN_PAGE_MM`, longer than
`MAX_RATIO` times its width, an image of more than `MAX_PIXELS` or a short side under
`MIN_SIDE` pixels. A picture on a PDF page is checked the same way before the page is drawn
(PDFium decodes all of it to draw it). The libraries' own words (PDFium's "Success", Pillow's
warnings) never reach the user: each failure is said in Dutch.

Pages come one at a time (`iter_pages`), so a reader can drop a page's pixels before the next;
`PageRef` names a page so that it can be read again (`read_again`) instead of kept.
No Qt, no SQL; pypdfium2, Pillow and numpy are imported when a file is read.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from merlet_desk.errors import InputError

if TYPE_CHECKING:
    import numpy as np
    import pypdfium2
    from PIL import Image

PDF_SUFFIXES = (".pdf",)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
RENDER_DPI = 150.0
MAX_PAGE_MM = 600.0  # the longest side: A2; a copier's glass is at most A3 (420 mm)
MIN_PAGE_MM = 50.0  # the shortest side; the form is A4 (210 mm)
MAX_RATIO = 3.0  # A4 is 1.41, legal paper 1.65
MAX_PIXELS = 100_000_000  # A3 at 600 dpi is 70 million; the reader works at 150 dpi
MIN_SIDE = 300  # pixels on the short side: A4 at 36 dpi
SCAN_ADVICE = "scan het formulier op A4, 150–300 dpi"
_PDF_DATE = re.compile(r"^D?:?(\d{4})(\d{2})(\d{2})")
_EXIF_DATE = re.compile(r"^(\d{4})[:-](\d{2})[:-](\d{2})")
_EXIF_DATE_TAGS = (36867, 306)  # DateTimeOriginal, DateTime


@dataclass(frozen=True)
class PageRef:
    """Where a page was read, and a digest of its pixels: enough to read it again later and to
    know that it is still the same page."""

    path: Path
    index: int
    digest: str


@dataclass
class SourcePage:
    """One page of one file."""

    path: Path
    index: int  # 0-based page number in its file
    pages_in_file: int
    grey: np.ndarray
    scanned_on: date

    @property
    def source(self) -> str:
        """ "stapel.pdf, pagina 3" (or just the name for a one-page image)."""
        return _where(self.path, self.index, self.pages_in_file)

    def ref(self) -> PageRef:
        """This page's reference, to read it again with `read_again`."""
        return PageRef(self.path, self.index, _digest(self.grey))


def _where(path: Path, index: int, pages_in_file: int) -> str:
    if pages_in_file == 1 and path.suffix.lower() not in PDF_SUFFIXES:
        return path.name
    return f"{path.name}, pagina {index + 1}"


def _digest(grey: np.ndarray) -> str:
    return hashlib.blake2b(grey.tobytes(), digest_size=16).hexdigest()


def check_files(paths: list[Path]) -> None:
    """InputError naming the first file that does not exist or is not a PDF or image."""
    if not paths:
        raise InputError("Geef minstens één pdf- of afbeeldingsbestand.")
    from merlet_desk.sqlite_files import refuse_database_input

    for path in paths:
        if not path.is_file():
            raise InputError(f"{path}: bestand bestaat niet.")
        refuse_database_input(path)  # the register named as a scan: never read, never unlocked
        if path.suffix.lower() not in PDF_SUFFIXES + IMAGE_SUFFIXES:
            raise InputError(f"{path}: onbekend soort bestand (gebruik pdf, png, jpeg of tiff).")


# --------------------------------------------------------------------------- limits


def check_page_mm(where: str, width_mm: float, height_mm: float) -> None:
    """InputError for a PDF page no copier makes (`where`: "stapel.pdf, pagina 3")."""
    size = f"{width_mm:.0f} × {height_mm:.0f} mm"
    long, short = max(width_mm, height_mm), min(width_mm, height_mm)
    if long > MAX_PAGE_MM:
        raise InputError(
            f"{where}: de pagina is {size}, te groot voor een gescand formulier ({SCAN_ADVICE})."
        )
    if short < MIN_PAGE_MM or long > MAX_RATIO * short:
        raise InputError(f"{where}: een pagina van {size} is geen gescande pagina ({SCAN_ADVICE}).")


def check_image_size(where: str, width: int, height: int, what: str = "de afbeelding") -> None:
    """InputError for an image (a scan file, or a picture on a PDF page) whose header declares
    a size no scan of a form has; said before a pixel is decoded."""
    size = f"{width} × {height} beeldpunten"
    if width * height > MAX_PIXELS:
        raise InputError(
            f"{where}: {what} heeft te veel beeldpunten ({size}; hoogstens "
            f"{MAX_PIXELS // 1_000_000} miljoen, {SCAN_ADVICE})."
        )
    long, short = max(width, height), min(width, height)
    if long > MAX_RATIO * short:
        raise InputError(f"{where}: {size} is geen gescande pagina ({SCAN_ADVICE}).")
    if short < MIN_SIDE:
        raise InputError(f"{where}: {size} is te klein voor een gescand formulier ({SCAN_ADVICE}).")


def _file_date(path: Path) -> date:
    return datetime.fromtimestamp(path.stat().st_mtime).date()


def _date_from(match: re.Match[str] | None) -> date | None:
    if match is None:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


_PDF_ERRORS = {
    0: "de pdf bevat geen pagina's",  # PDFium loads no document without pages: "Success"
    2: "het bestand kan niet geopend worden",
    3: "geen pdf of een beschadigde pdf",
    4: "de pdf is met een wachtwoord beveiligd",
    5: "de pdf is beveiligd",
    6: "een pagina van de pdf is beschadigd",
}


def _unreadable(path: Path, reason: str) -> InputError:
    return InputError(f"{path.name}: kan niet gelezen worden: {reason}.")


def _open_pdf(path: Path) -> pypdfium2.PdfDocument:
    """The PDF, or InputError with PDFium's error code said in Dutch (its own text would say
    "Failed to load document (PDFium: Success)" for a PDF without pages)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        reason = _PDF_ERRORS.get(code if isinstance(code, int) else -1)
        raise _unreadable(path, reason or "geen pdf of een beschadigde pdf") from None
    except OSError as exc:
        raise _unreadable(path, exc.strerror or "het bestand kan niet geopend worden") from None
    if len(pdf) == 0:
        pdf.close()
        raise _unreadable(path, _PDF_ERRORS[0])
    return pdf


def _open_image(path: Path) -> Image.Image:
    """The image opened lazily (the header only), or InputError in Dutch."""
    from merlet_desk.imaging import headers

    try:
        return headers.open_lazily(path)
    except headers.TooManyPixels:
        raise InputError(
            f"{path.name}: de afbeelding heeft te veel beeldpunten (hoogstens "
            f"{MAX_PIXELS // 1_000_000} miljoen, {SCAN_ADVICE})."
        ) from None
    except headers.Unreadable:
        raise _unreadable(path, "geen afbeelding of een beschadigde afbeelding") from None


def count_pages(path: Path) -> int:
    """How many pages a file has, each page's size checked from the file before any page is
    decoded (`check_page_mm`, `check_image_size`); InputError, naming the file and the page,
    when it cannot be read or a page is no scan."""
    if path.suffix.lower() in PDF_SUFFIXES:
        pdf = _open_pdf(path)
        try:
            total = len(pdf)
            for index in range(total):
                width, height = pdf.get_page_size(index)
                check_page_mm(_where(path, index, total), width / 72 * 25.4, height / 72 * 25.4)
            return total
        finally:
            pdf.close()
    with _open_image(path) as image:
        total = int(getattr(image, "n_frames", 1))
        for index in range(total):
            try:
                image.seek(index)
            except (EOFError, OSError, ValueError):
                raise _unreadable(path, f"pagina {index + 1} is beschadigd") from None
            check_image_size(_where(path, index, total), *image.size)
        return total


def iter_pages(path: Path) -> Iterator[SourcePage]:
    """Every page of `path`, in order, as grey pixels, one at a time (InputError when it cannot
    be read). Checked by `count_pages` first, as `read_stack` does."""
    if path.suffix.lower() in PDF_SUFFIXES:
        yield from _pdf_pages(path)
    else:
        yield from _image_pages(path)


def read_again(ref: PageRef) -> SourcePage:
    """The page `ref` names, read again from its file; InputError when the file has gone or
    the page is no longer the page that was read (the file was replaced meanwhile)."""
    if not ref.path.is_file():
        raise InputError(f"{ref.path.name} is er niet meer; lees de stapel opnieuw.")
    pages = _pdf_pages(ref.path, ref.index) if ref.path.suffix.lower() in PDF_SUFFIXES else None
    page = next(pages if pages is not None else _image_pages(ref.path, ref.index), None)
    if page is None or page.ref() != ref:
        raise InputError(f"{ref.path.name} is veranderd sinds het lezen; lees de stapel opnieuw.")
    return page


def _indexes(total: int, only: int | None) -> list[int]:
    if only is None:
        return list(range(total))
    return [only] if 0 <= only < total else []


def _pdf_pages(path: Path, only: int | None = None) -> Iterator[SourcePage]:
    """The pages of a PDF (with `only`, just that page)."""
    pdf = _open_pdf(path)
    try:
        metadata = pdf.get_metadata_dict()
        scanned = _date_from(_PDF_DATE.match(metadata.get("CreationDate", "") or ""))
        scanned = scanned or _file_date(path)
        total = len(pdf)
        for index in _indexes(total, only):
            where = _where(path, index, total)
            width, height = pdf.get_page_size(index)
            check_page_mm(where, width / 72 * 25.4, height / 72 * 25.4)
            page = pdf[index]
            try:
                grey = _embedded_scan(page, where)
                if grey is None:
                    _check_pictures(page, where)
                    bitmap = page.render(scale=RENDER_DPI / 72, grayscale=True)
                    pixels = bitmap.to_numpy().copy()
                    grey = pixels[..., 0] if pixels.ndim == 3 else pixels
            finally:
                page.close()
            yield SourcePage(path, index, total, grey, scanned)
    finally:
        pdf.close()


def _check_pictures(page: pypdfium2.PdfPage, where: str) -> None:
    """InputError when a picture on the page declares more pixels than a scan has: PDFium
    decodes each picture whole to draw the page, whatever the page's size."""
    import pypdfium2.raw as pdfium_c

    for picture in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
        width, height = picture.get_px_size()
        if width * height > MAX_PIXELS:
            check_image_size(where, width, height, "een afbeelding op de pagina")


_PLAIN_COLOURS = (1, 2)  # FPDF_COLORSPACE_DEVICEGRAY, FPDF_COLORSPACE_DEVICERGB


def _embedded_scan(page: pypdfium2.PdfPage, where: str) -> np.ndarray | None:
    """The page's only content when that is one plain JPEG filling the page, decoded at about
    RENDER_DPI (OpenCV decodes a JPEG at 1/2, 1/4 or 1/8 directly); None otherwise. The size
    is taken from the JPEG's own header, which is what the decoder believes."""
    import cv2
    import numpy as np
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    from merlet_desk.imaging.photo import jpeg_size_of

    objects = list(page.get_objects(max_depth=1))
    if len(objects) != 1 or objects[0].type != pdfium_c.FPDF_PAGEOBJ_IMAGE:
        return None
    image = objects[0]
    try:
        if image.get_filters() != ["DCTDecode"]:
            return None
        metadata = image.get_metadata()
        matrix = image.get_matrix()
        width_pt, height_pt = page.get_size()
    except (pdfium.PdfiumError, ValueError):  # anything unusual: render the page instead
        return None
    if metadata.colorspace not in _PLAIN_COLOURS or metadata.bits_per_pixel not in (8, 24):
        return None
    if matrix.b or matrix.c or matrix.a <= 0 or matrix.d <= 0:
        return None
    if matrix.a < 0.95 * width_pt or matrix.d < 0.95 * height_pt:
        return None
    data = np.frombuffer(bytes(image.get_data(decode_simple=False)), dtype=np.uint8)
    size = jpeg_size_of(data[: 256 * 1024].tobytes())
    if size is None:
        return None  # PDFium may still make something of it
    check_image_size(where, *size, "de afbeelding op de pagina")
    dpi = size[0] / (matrix.a / 72)
    flag = cv2.IMREAD_GRAYSCALE
    for factor, reduced in (
        (8, cv2.IMREAD_REDUCED_GRAYSCALE_8),
        (4, cv2.IMREAD_REDUCED_GRAYSCALE_4),
        (2, cv2.IMREAD_REDUCED_GRAYSCALE_2),
    ):
        if dpi / factor >= 0.95 * RENDER_DPI:
            flag = reduced
            break
    try:
        grey = cv2.imdecode(data, flag)
    except cv2.error:
        return None
    return grey if grey is not None and grey.ndim == 2 else None


def _image_pages(path: Path, only: int | None = None) -> Iterator[SourcePage]:
    """The pages of an image file (with `only`, just that page), each checked from its header
    before it is decoded."""
    import numpy as np

    with _open_image(path) as image:
        exif = image.getexif()
        scanned = None
        for tag in _EXIF_DATE_TAGS:
            scanned = scanned or _date_from(_EXIF_DATE.match(str(exif.get(tag, ""))))
        scanned = scanned or _file_date(path)
        total = int(getattr(image, "n_frames", 1))
        for index in _indexes(total, only):
            where = _where(path, index, total)
            try:
                image.seek(index)
                check_image_size(where, *image.size)
                grey = np.asarray(image.convert("L"))
            except InputError:
                raise
            except Exception:  # noqa: BLE001 - Pillow's decoders raise many kinds on bad data
                raise InputError(
                    f"{where}: kan niet gelezen worden: de afbeelding is beschadigd of onvolledig."
                ) from None
            yield SourcePage(path, index, total, grey, scanned)
