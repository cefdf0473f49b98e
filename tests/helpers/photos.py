"""Sample photos for the imaging tests: the astronaut from scikit-image's wheel, saved as a JPEG
that carries every kind of metadata a phone or a photo editor writes.

The EXIF block is built by hand (a little-endian TIFF structure) so that it holds what matters
here: camera make and model, the photographer (Artist), the camera owner's name, GPS
coordinates, the orientation and an embedded JPEG thumbnail of the unblurred photo. XMP and
IPTC blocks and a JPEG comment are added as their own segments.
"""

from __future__ import annotations

import struct
from pathlib import Path

import cv2
import numpy as np

GPS_LATITUDE = ((51, 1), (43, 1), (2, 1))  # Cuijk
OWNER = "Joëlle van den Broek"


def astronaut() -> np.ndarray:
    from skimage import data

    return cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)


def _ifd(entries: list[tuple[int, int, int, bytes]], base: int, next_ifd: int = 0) -> bytes:
    """An IFD at offset `base` (from the TIFF header): entries (tag, type, count, value bytes);
    values longer than 4 bytes go after the IFD."""
    head = struct.pack("<H", len(entries))
    data_offset = base + 2 + 12 * len(entries) + 4
    table, extra = b"", b""
    for tag, kind, count, value in sorted(entries):
        if len(value) <= 4:
            table += struct.pack("<HHI", tag, kind, count) + value.ljust(4, b"\x00")
        else:
            table += struct.pack("<HHII", tag, kind, count, data_offset + len(extra))
            extra += value + (b"\x00" if len(value) % 2 else b"")
    return head + table + struct.pack("<I", next_ifd) + extra


def _ascii(text: str) -> tuple[int, int, bytes]:
    raw = text.encode("utf-8") + b"\x00"
    return 2, len(raw), raw


def _size_of(entries: list[tuple[int, int, int, bytes]]) -> int:
    return len(_ifd(entries, 0))


def exif_block(thumbnail: bytes, orientation: int = 1) -> bytes:
    """The APP1 body: "Exif\\0\\0" and a TIFF structure with IFD0, Exif IFD, GPS IFD and
    IFD1 (the thumbnail)."""
    ifd0_at = 8
    gps = [
        (0x0001, 2, 2, b"N\x00"),
        (0x0002, 5, 3, b"".join(struct.pack("<II", *v) for v in GPS_LATITUDE)),
        (0x0003, 2, 2, b"E\x00"),
        (0x0004, 5, 3, b"".join(struct.pack("<II", *v) for v in ((5, 1), (52, 1), (40, 1)))),
    ]
    exif = [(0xA430, *_ascii(OWNER))]  # CameraOwnerName
    ifd0 = [
        (0x010F, *_ascii("Apple")),
        (0x0110, *_ascii("iPhone 15")),
        (0x0112, 3, 1, struct.pack("<H", orientation)),
        (0x013B, *_ascii(OWNER)),  # Artist
        (0x8769, 4, 1, b"\x00\x00\x00\x00"),  # Exif IFD, filled in below
        (0x8825, 4, 1, b"\x00\x00\x00\x00"),  # GPS IFD
    ]
    exif_at = ifd0_at + _size_of(ifd0)
    gps_at = exif_at + _size_of(exif)
    ifd1_at = gps_at + _size_of(gps)
    ifd1 = [
        (0x0103, 3, 1, struct.pack("<H", 6)),  # compression: JPEG
        (0x0201, 4, 1, b"\x00\x00\x00\x00"),
        (0x0202, 4, 1, struct.pack("<I", len(thumbnail))),
    ]
    thumb_at = ifd1_at + _size_of(ifd1)
    ifd0 = [(t, k, c, struct.pack("<I", exif_at) if t == 0x8769 else v) for t, k, c, v in ifd0]
    ifd0 = [(t, k, c, struct.pack("<I", gps_at) if t == 0x8825 else v) for t, k, c, v in ifd0]
    ifd1 = [(t, k, c, struct.pack("<I", thumb_at) if t == 0x0201 else v) for t, k, c, v in ifd1]
    tiff = b"II*\x00" + struct.pack("<I", ifd0_at)
    tiff += _ifd(ifd0, ifd0_at, next_ifd=ifd1_at)
    tiff += _ifd(exif, exif_at)
    tiff += _ifd(gps, gps_at)
    tiff += _ifd(ifd1, ifd1_at)
    assert len(tiff) == thumb_at
    return b"Exif\x00\x00" + tiff + thumbnail


def _segment(marker: int, body: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body


XMP = (
    b"http://ns.adobe.com/xap/1.0/\x00"
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
    b'22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'dc:creator="Joelle van den Broek"/></rdf:RDF></x:xmpmeta>'
)
IPTC = (
    b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x12"
    b"\x1c\x02\x50\x00\x0eBerkay Ozturk \x00"  # By-line
)


def photo_with_metadata(path: Path, pixels: np.ndarray | None = None, orientation: int = 1) -> Path:
    """Write `pixels` (default: the astronaut) as a JPEG with EXIF (GPS, owner, thumbnail),
    XMP, IPTC and a comment."""
    pixels = astronaut() if pixels is None else pixels
    ok, thumb = cv2.imencode(".jpg", cv2.resize(pixels, (160, 160)))
    ok2, main = cv2.imencode(".jpg", pixels, [cv2.IMWRITE_JPEG_QUALITY, 95])
    assert ok and ok2
    main_bytes = main.tobytes()
    assert main_bytes[2:4] == b"\xff\xe0"  # SOI, then JFIF APP0
    app0_len = struct.unpack(">H", main_bytes[4:6])[0]
    split = 4 + app0_len
    extra = (
        _segment(0xE1, exif_block(thumb.tobytes(), orientation))
        + _segment(0xE1, XMP)
        + _segment(0xED, IPTC)
        + _segment(0xFE, b"Sportdag <groep 2B> & ouders")
    )
    path.write_bytes(main_bytes[:split] + extra + main_bytes[split:])
    return path


def video_with_face(path: Path, seconds: float = 2.0, fps: int = 12) -> Path:
    """A small MP4 (480 × 360, H.264, with a 440 Hz tone as sound) in which the astronaut's
    head moves from left to right over a grey background; with an artist, a comment and a
    location in the container's metadata, as a phone writes them."""
    import av

    head = astronaut()[0:240, 128:320]  # head and shoulders, face in the middle
    head = cv2.resize(head, (96, 120), interpolation=cv2.INTER_AREA)
    frames = int(seconds * fps)
    with av.open(str(path), "w", format="mp4") as out:
        out.metadata["artist"] = OWNER
        out.metadata["comment"] = "Sportdag <groep 2B> & ouders"
        out.metadata["location"] = "+51.7285+005.8780/"
        video = out.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = 480, 360, "yuv420p"
        audio = out.add_stream("aac", rate=22050)
        for index in range(frames):
            canvas = np.full((360, 480, 3), 120, np.uint8)
            x = 40 + index * (480 - 96 - 80) // max(1, frames - 1)
            canvas[120:240, x : x + 96] = head
            frame = av.VideoFrame.from_ndarray(canvas, format="bgr24")
            for packet in video.encode(frame):
                out.mux(packet)
        samples = int(seconds * 22050)
        tone = (0.3 * np.sin(2 * np.pi * 440 * np.arange(samples) / 22050)).astype(np.float32)
        for start in range(0, samples, 1024):
            block = tone[start : start + 1024]
            frame = av.AudioFrame.from_ndarray(block[None, :], format="flt", layout="mono")
            frame.sample_rate = 22050
            frame.pts = start
            for packet in audio.encode(frame):
                out.mux(packet)
        for stream in (video, audio):
            for packet in stream.encode():
                out.mux(packet)
    return path


# Where the heads of `class_photo` stand (left edge of each 192 × 240 crop, top 60), and the
# face inside each crop as `faces` finds it (about x + 50, y + 60, 90 × 118).
CLASS_PHOTO_HEADS = (40, 340, 640)


def class_photo(path: Path) -> Path:
    """A 900 × 360 "class photo": three heads side by side (the astronaut, the middle one
    mirrored and darker), each found by the face detector, saved with metadata like a phone
    photo. `face_left_to_right` orders the boxes found."""
    head = astronaut()[0:240, 128:320]
    canvas = np.full((360, 900, 3), 200, np.uint8)
    for index, x in enumerate(CLASS_PHOTO_HEADS):
        crop = head[:, ::-1] if index == 1 else head
        if index == 1:
            crop = (crop.astype(np.float32) * 0.8).astype(np.uint8)
        canvas[60:300, x : x + 192] = crop
    return photo_with_metadata(path, canvas)


def face_left_to_right(faces: list[tuple[int, int, int, int]]) -> list[int]:
    """The indexes of `faces` (boxes) from the leftmost to the rightmost."""
    return sorted(range(len(faces)), key=lambda index: faces[index][0])
