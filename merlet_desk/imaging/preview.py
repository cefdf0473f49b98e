"""What a screen needs to show a photo or a video: a copy small enough to draw, the full size,
the faces found (in full-size pixels) and, for a video, its length. No Qt: the GUI turns the
pixels into an image and runs this in a worker thread (a 12-MP photo takes about half a
second, most of it the detection).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from merlet_desk.imaging.faces import DETECT_SIDE, Face, detect_faces
from merlet_desk.imaging.photo import full_size, read_photo, reduction_for

VIEW_SIDE = DETECT_SIDE  # one copy serves the screen and the detector


@dataclass(frozen=True)
class Preview:
    """`pixels`: BGR, at most VIEW_SIDE on the longest side; `full` the original's (width,
    height); `faces` in the original's pixels; `seconds` the length of a video, else None."""

    pixels: np.ndarray
    full: tuple[int, int]
    faces: tuple[Face, ...]
    seconds: float | None = None

    @property
    def scale(self) -> float:
        """Screen copy pixels per original pixel."""
        return self.pixels.shape[1] / self.full[0]


def _shrink(pixels: np.ndarray, side: int) -> np.ndarray:
    height, width = pixels.shape[:2]
    factor = side / max(width, height)
    if factor >= 1:
        return pixels
    size = (max(1, round(width * factor)), max(1, round(height * factor)))
    return cv2.resize(pixels, size, interpolation=cv2.INTER_AREA)


def load_preview(path: Path, *, video: bool = False, detect: bool = True) -> Preview:
    """The preview of the photo (or with `video`, a frame of the video) at `path`."""
    path = Path(path)
    seconds = None
    if video:
        from merlet_desk.imaging.video import frame_at, probe

        info = probe(path)
        full_pixels, seconds = frame_at(path), info.seconds
        full = (full_pixels.shape[1], full_pixels.shape[0])
        reduce = 1
    else:
        reduce = reduction_for(path, VIEW_SIDE)
        full_pixels = read_photo(path, reduce=reduce)
        full = full_size(path, full_pixels, reduce)
    small = _shrink(full_pixels, VIEW_SIDE)
    faces: tuple[Face, ...] = ()
    if detect:
        faces = tuple(detect_faces(small, scale=small.shape[1] / full[0]))
    return Preview(np.ascontiguousarray(small), full, faces, seconds)
