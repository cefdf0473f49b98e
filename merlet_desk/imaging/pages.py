"""Pages of scanned files as grey pixels: PDFs (what a school copier makes) and images.

A PDF page that is nothing but one grey or colour JPEG (what a copier makes of a scanned page)
gives that JPEG as it is, decoded by OpenCV at about the reader's working resolution: six times
faster than rendering it, which was three quarters of the time of a stack. Any other PDF page
is rendered with pypdfium2 at the working resolution. PNG, JPEG and (multi-page) TIFF are read
with Pillow. Each page comes with the date the scan was made, as far as the file
says: the PDF's creation date, the image's EXIF/TIFF date, else the file's modification date.
No Qt, no SQL; pypdfium2, Pillow and numpy are imported when a file is read.
"""

from __future__ import annotations

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

PDF_SUFFIXES = (".pdf",)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
RENDER_DPI = 150.0
_PDF_DATE = re.compile(r"^D?:?(\d{4})(\d{2})(\d{2})")
_EXIF_DATE = re.compile(r"^(\d{4})[:-](\d{2})[:-](\d{2})")
_EXIF_DATE_TAGS = (36867, 306)  # DateTimeOriginal, DateTime


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
        if self.pages_in_file == 1 and self.path.suffix.lower() not in PDF_SUFFIXES:
            return self.path.name
        return f"{self.path.name}, pagina {self.index + 1}"


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


def _file_date(path: Path) -> date:
    return datetime.fromtimestamp(path.stat().st_mtime).date()


def _date_from(match: re.Match[str] | None) -> date | None:
    if match is None:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def count_pages(path: Path) -> int:
    """How many pages a file has (InputError when it cannot be read)."""
    if path.suffix.lower() in PDF_SUFFIXES:
        import pypdfium2 as pdfium

        def count() -> int:
            pdf = pdfium.PdfDocument(str(path))
            try:
                return len(pdf)
            finally:
                pdf.close()

    else:
        from PIL import Image

        def count() -> int:
            with Image.open(path) as image:
                return int(getattr(image, "n_frames", 1))

    try:
        return count()
    except Exception as exc:  # noqa: BLE001 - any decoder error is a bad file to the user
        raise InputError(f"{path}: kan niet gelezen worden ({exc}).") from exc


def iter_pages(path: Path) -> Iterator[SourcePage]:
    """Every page of `path`, in order, as grey pixels (InputError when it cannot be read)."""
    if path.suffix.lower() in PDF_SUFFIXES:
        yield from _pdf_pages(path)
    else:
        yield from _image_pages(path)


def _pdf_pages(path: Path) -> Iterator[SourcePage]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception as exc:  # noqa: BLE001
        raise InputError(f"{path}: geen leesbare pdf ({exc}).") from exc
    try:
        metadata = pdf.get_metadata_dict()
        scanned = _date_from(_PDF_DATE.match(metadata.get("CreationDate", "") or ""))
        scanned = scanned or _file_date(path)
        total = len(pdf)
        for index in range(total):
            page = pdf[index]
            try:
                grey = _embedded_scan(page)
                if grey is None:
                    bitmap = page.render(scale=RENDER_DPI / 72, grayscale=True)
                    pixels = bitmap.to_numpy().copy()
                    grey = pixels[..., 0] if pixels.ndim == 3 else pixels
            finally:
                page.close()
            yield SourcePage(path, index, total, grey, scanned)
    finally:
        pdf.close()


_PLAIN_COLOURS = (1, 2)  # FPDF_COLORSPACE_DEVICEGRAY, FPDF_COLORSPACE_DEVICERGB


def _embedded_scan(page: pypdfium2.PdfPage) -> np.ndarray | None:
    """The page's only content when that is one plain JPEG filling the page, decoded at about
    RENDER_DPI (OpenCV decodes a JPEG at 1/2, 1/4 or 1/8 directly); None otherwise."""
    import cv2
    import numpy as np
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

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
    dpi = metadata.width / (matrix.a / 72)
    flag = cv2.IMREAD_GRAYSCALE
    for factor, reduced in (
        (8, cv2.IMREAD_REDUCED_GRAYSCALE_8),
        (4, cv2.IMREAD_REDUCED_GRAYSCALE_4),
        (2, cv2.IMREAD_REDUCED_GRAYSCALE_2),
    ):
        if dpi / factor >= 0.95 * RENDER_DPI:
            flag = reduced
            break
    data = np.frombuffer(bytes(image.get_data(decode_simple=False)), dtype=np.uint8)
    grey = cv2.imdecode(data, flag)
    return grey if grey is not None and grey.ndim == 2 else None


def _image_pages(path: Path) -> Iterator[SourcePage]:
    import numpy as np
    from PIL import Image, ImageSequence

    try:
        image = Image.open(path)
    except Exception as exc:  # noqa: BLE001
        raise InputError(f"{path}: geen leesbare afbeelding ({exc}).") from exc
    with image:
        exif = image.getexif()
        scanned = None
        for tag in _EXIF_DATE_TAGS:
            scanned = scanned or _date_from(_EXIF_DATE.match(str(exif.get(tag, ""))))
        scanned = scanned or _file_date(path)
        total = int(getattr(image, "n_frames", 1))
        for index, frame in enumerate(ImageSequence.Iterator(image)):
            try:
                grey = np.asarray(frame.convert("L"))
            except Exception as exc:  # noqa: BLE001
                raise InputError(f"{path}, pagina {index + 1}: niet te lezen ({exc}).") from exc
            yield SourcePage(path, index, total, grey, scanned)
