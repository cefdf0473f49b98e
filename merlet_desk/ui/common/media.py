"""Thumbnails of photos for the publication register, and small helpers to show them.

A thumbnail is read with QImageReader at a scaled size (a 24-megapixel photo is never decoded
at full size) and with the EXIF orientation applied, then stored as JPEG (PNG when the image has
transparency) in the database. A video's thumbnail is a frame from a tenth of the way in,
read with PyAV (`imaging.video`; Qt has no multimedia backend here); a file PyAV cannot read
gets none, and the register shows "Geen voorbeeld" instead.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QImageReader, QPixmap

from merlet_desk.domain.publications import VIDEO, media_kind_for

log = logging.getLogger(__name__)
JPEG_QUALITY = 85


def thumbnail_bytes(path: Path, max_side: int = 320) -> bytes | None:
    """A thumbnail of the image at `path`, at most `max_side` pixels on its longest side, as
    JPEG or PNG bytes; None for a video or a file Qt cannot read as an image."""
    path = Path(path)
    if not path.is_file():
        return None
    if media_kind_for(path.name) == VIDEO:
        return _video_thumbnail(path, max_side)
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid() and (size.width() > max_side or size.height() > max_side):
        reader.setScaledSize(size.scaled(max_side, max_side, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        return None
    if image.width() > max_side or image.height() > max_side:  # the size was not known up front
        image = image.scaled(
            QSize(max_side, max_side),
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    return image_bytes(image)


def _video_thumbnail(path: Path, max_side: int) -> bytes | None:
    from merlet_desk.errors import InputError
    from merlet_desk.imaging.video import frame_at
    from merlet_desk.ui.common.photo_view import qimage_from_bgr

    try:
        image = qimage_from_bgr(frame_at(path))
    except (InputError, OSError):
        return None
    except Exception:  # a damaged video gets no thumbnail, never a crash
        log.warning("no thumbnail for video %s", path.name, exc_info=True)
        return None
    return image_bytes(
        image.scaled(
            QSize(max_side, max_side),
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    )


def image_bytes(image: QImage) -> bytes:
    """`image` as JPEG bytes, or PNG when it has an alpha channel."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if image.hasAlphaChannel():
        # PySide takes the format as str here; its stubs say bytes (which it refuses).
        image.save(buffer, "PNG")  # type: ignore[call-overload]
    else:
        image.save(buffer, "JPEG", JPEG_QUALITY)  # type: ignore[call-overload]
    buffer.close()
    return bytes(data.data())


def pixmap_from_bytes(data: bytes | None) -> QPixmap | None:
    """A QPixmap of stored thumbnail bytes; None when there are none or they cannot be read."""
    if not data:
        return None
    pixmap = QPixmap()
    if not pixmap.loadFromData(data):
        return None
    return pixmap


def size_text(size: int | None) -> str:
    """A file size as people read it: "840 kB", "2,4 MB", "1,2 GB"."""
    if size is None:
        return ""
    if size >= 1024**3:
        return f"{size / 1024**3:.1f} GB".replace(".", ",")
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
    return f"{max(1, round(size / 1024))} kB"
