"""Hostile pictures, scans and videos, made by the test in its tmp_path (never committed):
headers that promise billions of pixels, pages of 70 metres, a TIFF whose tags make Pillow warn,
clips whose sound MP4 cannot hold. Each is small on disk; only a program that believes the
header and decodes it pays the memory."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png_header_only(path: Path, width: int, height: int) -> Path:
    """A PNG whose header says `width` × `height` (RGB) but whose data holds four rows."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\0" * (1 + width * 3) * 4)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", rows)
        + _chunk(b"IEND", b"")
    )
    return path


def png_of_zeros(path: Path, width: int, height: int) -> Path:
    """A complete, valid grey PNG of `width` × `height` black pixels: a few hundred kB that
    decode to width × height × 3 bytes in a BGR reader."""
    row = b"\0" * (1 + width)
    compressor = zlib.compressobj(9)
    per_block = max(1, (4 << 20) // len(row))
    parts, done = [], 0
    while done < height:
        count = min(per_block, height - done)
        parts.append(compressor.compress(row * count))
        done += count
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", b"".join(parts))
        + _chunk(b"IEND", b"")
    )
    return path


def jpeg_header_only(width: int, height: int) -> bytes:
    """A baseline grey JPEG that declares `width` × `height` and holds almost no data."""
    quant = b"\x00" + bytes([1] * 64)
    sof = struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00"
    dht = b"\x00" + bytes([0, 1] + [0] * 14) + b"\x00"  # DC table 0: one code, category 0
    dht += b"\x10" + bytes([0, 1] + [0] * 14) + b"\x00"  # AC table 0: one code, end of block
    sos = b"\x01\x01\x00\x00\x3f\x00"

    def segment(marker: int, body: bytes) -> bytes:
        return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body

    return (
        b"\xff\xd8"
        + segment(0xDB, quant)
        + segment(0xC0, sof)
        + segment(0xC4, dht)
        + segment(0xDA, sos)
        + b"\x00" * 64
        + b"\xff\xd9"
    )


def pdf_pages(path: Path, sizes: list[tuple[float, float]]) -> Path:
    """A PDF with empty pages of these sizes in points (72 to the inch)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    for width, height in sizes:
        pdf.new_page(width, height)
    pdf.save(str(path))
    pdf.close()
    return path


def pdf_with_jpeg(path: Path, jpeg: bytes) -> Path:
    """An A4 PDF whose only content is `jpeg` filling the page, as a copier writes it."""
    import io

    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(595, 842)
    image = pdfium.PdfImage.new(pdf)
    image.load_jpeg(io.BytesIO(jpeg), inline=False)
    image.set_matrix(pdfium.PdfMatrix().scale(595, 842))
    page.insert_obj(image)
    page.gen_content()
    pdf.save(str(path))
    pdf.close()
    return path


def tiff(path: Path, width: int = 600, height: int = 800, *, odd_tag: bool = True) -> Path:
    """An uncompressed grey TIFF of a light page. With `odd_tag` its ResolutionUnit has two
    values where one belongs: Pillow reads the page and warns ("Metadata Warning")."""
    pixels = b"\xf0" * (width * height)
    entries = [
        (256, 4, 1, width),
        (257, 4, 1, height),
        (258, 3, 1, 8),
        (259, 3, 1, 1),
        (262, 3, 1, 1),
        (273, 4, 1, 0),  # the strip's offset, filled in below
        (278, 4, 1, height),
        (279, 4, 1, len(pixels)),
    ]
    if odd_tag:
        entries.append((296, 3, 2, 2))
    entries.sort()
    data_at = 8 + 2 + 12 * len(entries) + 4
    out = b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        value = data_at if tag == 273 else value
        if kind == 3:
            out += struct.pack("<HHIHH", tag, kind, count, value, value if count == 2 else 0)
        else:
            out += struct.pack("<HHII", tag, kind, count, value)
    path.write_bytes(out + struct.pack("<I", 0) + pixels)
    return path


def clip(
    path: Path,
    *,
    container: str = "mp4",
    sound: str | None = "aac",
    seconds: float = 2.0,
    fps: int = 12,
    size: tuple[int, int] = (320, 240),
) -> Path:
    """A grey H.264 clip with a 440 Hz tone in `sound` (an FFmpeg encoder name, None for a
    silent clip), in `container` (mp4, mov, matroska)."""
    import av

    width, height = size
    rate = 22050
    with av.open(str(path), "w", format=container) as out:
        video = out.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        audio = None
        if sound is not None:
            audio = out.add_stream(sound, rate=rate)
            if sound == "vorbis":  # FFmpeg's own Vorbis encoder is marked experimental
                audio.codec_context.options = {"strict": "-2"}
        for index in range(int(seconds * fps)):
            canvas = np.full((height, width, 3), 90 + index % 40, np.uint8)
            for packet in video.encode(av.VideoFrame.from_ndarray(canvas, format="bgr24")):
                out.mux(packet)
        if audio is not None:
            samples = int(seconds * rate)
            tone = (0.3 * np.sin(2 * np.pi * 440 * np.arange(samples) / rate)).astype(np.float32)
            for start in range(0, samples, 1024):
                frame = av.AudioFrame.from_ndarray(
                    tone[None, start : start + 1024], format="flt", layout="mono"
                )
                frame.sample_rate, frame.pts = rate, start
                for packet in audio.encode(frame):
                    out.mux(packet)
        for stream in [video] + ([audio] if audio is not None else []):
            for packet in stream.encode():
                out.mux(packet)
    return path


def video_header_only(path: Path, width: int, height: int) -> Path:
    """A Matroska file whose one video stream (Motion JPEG) declares `width` × `height`, with a
    single frame that is nothing but a JPEG header of that size."""
    import av

    with av.open(str(path), "w", format="matroska") as out:
        stream = out.add_stream("mjpeg", rate=1)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuvj420p"
        packet = av.Packet(jpeg_header_only(width, height))
        packet.stream, packet.pts, packet.dts = stream, 0, 0
        out.mux(packet)
    return path


def pdf_with_picture(path: Path, width: int, height: int) -> Path:
    """An A4 PDF drawing one grey picture that declares `width` × `height` pixels (Flate
    compressed, four rows of data): written by hand, as no library makes such a file."""
    data = zlib.compress(b"\0" * (width * 4))
    content = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]"
        b"/Resources<</XObject<</Im0 5 0 R>>>>/Contents 4 0 R>>",
        b"<</Length %d>>stream\n%s\nendstream" % (len(content), content),
        b"<</Type/XObject/Subtype/Image/Width %d/Height %d/ColorSpace/DeviceGray"
        b"/BitsPerComponent 8/Filter/FlateDecode/Length %d>>stream\n%s\nendstream"
        % (width, height, len(data), data),
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(out)
    return path
