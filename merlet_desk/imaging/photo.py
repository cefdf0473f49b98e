"""Reading a picture and writing fresh pixels to a new JPEG without any metadata.

A photo from a phone carries EXIF (camera, owner, date), GPS (where it was taken: a school
trip, a home), XMP and IPTC blocks, and an embedded EXIF thumbnail that still shows the faces
as they were before any blurring. Copying or editing the file keeps all of that. Here the
picture is decoded to pixels (with its EXIF orientation applied, so nothing depends on a tag
any more) and encoded again by OpenCV, which writes only the image: SOI, the JFIF APP0 header,
quantisation and Huffman tables, the frame and the scan. `metadata_segments` reads a JPEG's
segments so tests and callers can check that.

Files are read with `numpy.fromfile` + `cv2.imdecode` (cv2.imread cannot open non-ASCII paths
on Windows) and written to a temporary file beside the target, renamed when complete.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import cv2
import numpy as np

from merlet_desk.errors import InputError

JPEG_QUALITY = 92
MAX_FILE_BYTES = 300 * 1024 * 1024
MAX_PIXELS = 120_000_000  # 120 MP; a phone photo is 12-50 MP
MIN_SIDE = 16  # smaller than a face the detector can find
MAX_RATIO = 20  # a wide panorama is 10:1; a strip of 20000 × 2 pixels is no photo
JPEG_SUFFIXES = (".jpg", ".jpeg")
READABLE = "JPEG, PNG, TIFF, BMP of WebP"


class NotAPicture(InputError):
    """The file cannot be read as a photo (a PDF, a video, a damaged file, a HEIC photo)."""


def check_photo_size(name: str, width: int, height: int) -> None:
    """NotAPicture, naming the file, for a size no photo has: more than MAX_PIXELS (checked
    from the header, before the pixels would take width × height × 3 bytes), a side under
    MIN_SIDE, or a strip longer than MAX_RATIO times its width."""
    if width * height > MAX_PIXELS:
        raise NotAPicture(
            f"{name} heeft te veel beeldpunten voor een foto: {width} × {height} "
            f"(hoogstens {MAX_PIXELS // 1_000_000} miljoen)."
        )
    if min(width, height) < MIN_SIDE or max(width, height) > MAX_RATIO * min(width, height):
        raise NotAPicture(f"{name} is geen foto: {width} × {height} beeldpunten.")


def read_photo(path: Path, *, reduce: int = 1) -> np.ndarray:
    """The picture at `path` as BGR pixels (uint8, 3 channels), EXIF orientation applied.

    `reduce` 2, 4 or 8 lets the JPEG decoder skip detail (a quarter, a sixteenth … of the
    pixels), which is much faster when only a downscaled copy is needed. The size is checked
    from the file's header first (`check_photo_size`). Raises NotAPicture with one Dutch line
    for anything that is not a readable picture.
    """
    from merlet_desk.imaging import headers
    from merlet_desk.sqlite_files import refuse_database_input

    path = Path(path)
    if not path.is_file():
        raise NotAPicture(f"Bestand niet gevonden: {path}")
    try:
        refuse_database_input(path)  # the register named as a photo: never read, never unlocked
    except InputError as exc:
        raise NotAPicture(str(exc)) from exc
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise NotAPicture(f"{path.name} is te groot voor een foto ({size // 2**20} MB).")
    unreadable = f"{path.name} is geen foto die Merlet Desk kan lezen ({READABLE})."
    try:
        width, height = headers.picture_size(path)
    except headers.TooManyPixels:
        raise NotAPicture(
            f"{path.name} heeft te veel beeldpunten voor een foto "
            f"(hoogstens {MAX_PIXELS // 1_000_000} miljoen)."
        ) from None
    except headers.Unreadable:
        raise NotAPicture(unreadable) from None
    check_photo_size(path.name, width, height)
    try:
        data = np.fromfile(str(path), dtype=np.uint8)
    except OSError as exc:
        raise NotAPicture(f"{path.name} kan niet gelezen worden: {exc.strerror}") from exc
    flags = {
        1: cv2.IMREAD_COLOR,
        2: cv2.IMREAD_REDUCED_COLOR_2,
        4: cv2.IMREAD_REDUCED_COLOR_4,
        8: cv2.IMREAD_REDUCED_COLOR_8,
    }[reduce]
    try:
        pixels = cv2.imdecode(data, flags) if data.size else None
    except cv2.error:  # e.g. a header OpenCV reads differently from Pillow
        pixels = None
    if pixels is None or pixels.ndim != 3 or pixels.shape[2] != 3:
        raise NotAPicture(unreadable)
    if pixels.shape[0] * pixels.shape[1] * reduce * reduce > MAX_PIXELS:
        raise NotAPicture(f"{path.name} heeft te veel beeldpunten voor een foto.")
    return pixels


def is_jpeg(path: Path) -> bool:
    """Whether the file starts like a JPEG (its extension does not matter)."""
    from merlet_desk.sqlite_files import is_sqlite_file

    if is_sqlite_file(path):  # never opened: it may be the register (see sqlite_files)
        return False
    try:
        with Path(path).open("rb") as handle:
            return handle.read(3) == b"\xff\xd8\xff"
    except OSError:
        return False


def encode_jpeg(pixels: np.ndarray, quality: int = JPEG_QUALITY) -> bytes:
    """Fresh JPEG bytes of `pixels`: no EXIF, GPS, XMP, IPTC, comment or thumbnail."""
    ok, encoded = cv2.imencode(".jpg", pixels, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:  # pragma: no cover - OpenCV encodes any 8-bit BGR array
        raise InputError("De foto kon niet als JPEG opgeslagen worden.")
    data = encoded.tobytes()
    leftovers = [name for name in metadata_segments(data) if name != "JFIF"]
    if leftovers:  # pragma: no cover - a guard should OpenCV's encoder ever change
        raise InputError(f"De nieuwe foto bevat nog metadata ({', '.join(leftovers)}).")
    return data


def write_jpeg(pixels: np.ndarray, target: Path, quality: int = JPEG_QUALITY) -> bytes:
    """Write `pixels` as a new JPEG at `target` (temporary file, then rename); returns the
    bytes written, so the caller can hash exactly what is on disk."""
    target = Path(target)
    data = encode_jpeg(pixels, quality)
    handle, temporary = tempfile.mkstemp(prefix=".merlet-", suffix=".jpg", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return data


# --------------------------------------------------------------------------- JPEG segments

_APP_NAMES = (
    (b"JFIF\x00", "JFIF"),
    (b"JFXX\x00", "JFIF-thumbnail"),
    (b"Exif\x00", "EXIF"),
    (b"http://ns.adobe.com/xap/1.0/", "XMP"),
    (b"http://ns.adobe.com/xmp/extension/", "XMP"),
    (b"Photoshop 3.0", "IPTC"),
    (b"ICC_PROFILE", "ICC"),
    (b"MPF", "MPF"),
    (b"Adobe", "Adobe"),
    (b"Ducky", "Ducky"),
)


_SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def jpeg_size(path: Path) -> tuple[int, int] | None:
    """A JPEG's (width, height) from its frame header, without decoding it (before any EXIF
    rotation, which does not change the longest side); None when it cannot be found."""
    from merlet_desk.sqlite_files import is_sqlite_file

    if is_sqlite_file(path):  # never opened: it may be the register (see sqlite_files)
        return None
    try:
        with Path(path).open("rb") as handle:
            return jpeg_size_of(handle.read(256 * 1024))  # the frame header follows metadata
    except OSError:
        return None


def jpeg_size_of(data: bytes) -> tuple[int, int] | None:
    """(width, height) from the frame header at the start of JPEG `data` (the first 256 kB
    are enough); None when it is not there."""
    pos = 2
    while data[:2] == b"\xff\xd8" and pos + 9 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        if marker in _SOF_MARKERS:
            height = int.from_bytes(data[pos + 5 : pos + 7], "big")
            width = int.from_bytes(data[pos + 7 : pos + 9], "big")
            return (width, height) if width and height else None
        if marker == 0xDA:
            return None
        pos += 2 + length
    return None


def reduction_for(path: Path, side: int) -> int:
    """How much a JPEG can be reduced while decoding (1, 2, 4 or 8) and still have its longest
    side at least `side` pixels; 1 for anything else."""
    size = jpeg_size(path) if is_jpeg(path) else None
    if size is None:
        return 1
    longest = max(size)
    return next((r for r in (8, 4, 2) if longest // r >= side), 1)


def full_size(path: Path, pixels: np.ndarray, reduce: int) -> tuple[int, int]:
    """The (width, height) of the whole photo, upright, when `pixels` were decoded from it at
    1/`reduce`: exact from the JPEG header (turned when EXIF turned the pixels)."""
    height, width = pixels.shape[:2]
    header = jpeg_size(path) if reduce > 1 else None
    if header is None:
        return width * reduce, height * reduce
    if abs(-(-header[0] // reduce) - width) <= 1:
        return header
    return header[1], header[0]


def metadata_segments(data: bytes) -> list[str]:
    """The metadata segments before the image data of a JPEG, by name: "JFIF", "EXIF"
    (which holds GPS and the embedded thumbnail), "XMP", "IPTC", "ICC", "COM" (a comment),
    "APP<n>" for another application block. Raises ValueError when `data` is not a JPEG."""
    if data[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG")
    found = []
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise ValueError(f"broken JPEG segment at byte {pos}")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0xD9, 0xDA):  # end of image, start of scan: no metadata after this
            break
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        body = data[pos + 4 : pos + 2 + length]
        if 0xE0 <= marker <= 0xEF:
            name = next((n for prefix, n in _APP_NAMES if body.startswith(prefix)), None)
            found.append(name or f"APP{marker - 0xE0}")
        elif marker == 0xFE:
            found.append("COM")
        pos += 2 + length
    return found
