"""Making faces unrecognisable, and copies of a photo without metadata.

Three styles, each meant to leave nothing of the face to recover (a light Gaussian blur can
be partly undone, and a face behind it can still be recognised):

- "blur": the box is shrunk to six samples across (all detail is gone at that point), blown
  up again, smoothed and given a little random noise, so that no deconvolution can bring
  anything back;
- "pixelate": blocks of at least a seventh of the box's longest side, each one flat colour;
- "bar": a solid dark bar.

The result is always written to a new JPEG (`photo.write_jpeg`), so it carries no metadata;
the original is never opened for writing, and a target that is the original itself is refused.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from merlet_desk.errors import InputError
from merlet_desk.imaging.photo import read_photo, write_jpeg

BLUR, PIXELATE, BAR = "blur", "pixelate", "bar"
STYLES = (BLUR, PIXELATE, BAR)
STYLE_LABELS = {BLUR: "vervagen", PIXELATE: "blokjes", BAR: "balk"}
METHOD = "vervaagd in Merlet Desk"  # how the register names a face hidden here
UNRECOGNISABLE_SUFFIX = "-onherkenbaar"
CLEAN_SUFFIX = "-zonder-metadata"
FACE_MARGIN = 0.2  # a detected box is widened by this much on every side: hair, ears, chin
BAR_COLOUR = (32, 32, 32)

Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class Written:
    """A file this module wrote: where, how big, its SHA-256, the boxes it hid."""

    path: Path
    size: int
    sha256: str
    regions: tuple[Box, ...] = ()
    style: str = ""


def parse_box(text: str) -> Box:
    """ "x,y,w,h" (pixels) to a box; InputError with the text otherwise."""
    parts = [p.strip() for p in text.split(",")]
    try:
        x, y, w, h = (int(p) for p in parts)
    except ValueError:
        raise InputError(
            f"Vak '{text}' is niet goed: schrijf x,y,breedte,hoogte in beeldpunten, "
            "bijvoorbeeld 120,80,60,60."
        ) from None
    if w <= 0 or h <= 0 or x < 0 or y < 0:
        raise InputError(f"Vak '{text}' is niet goed: breedte en hoogte moeten groter dan 0 zijn.")
    return (x, y, w, h)


def widen(box: Box, width: int, height: int, margin: float = FACE_MARGIN) -> Box:
    """A detected face box widened by `margin` on every side, kept inside the photo."""
    x, y, w, h = box
    dx, dy = int(round(w * margin)), int(round(h * margin))
    return clip((x - dx, y - dy, w + 2 * dx, h + 2 * dy), width, height)


def clip(box: Box, width: int, height: int) -> Box:
    """The part of `box` inside a photo of `width` × `height` (w or h 0 when outside)."""
    x, y, w, h = box
    x1, y1 = max(0, x), max(0, y)
    x2, y2 = min(width, x + w), min(height, y + h)
    return (x1, y1, max(0, x2 - x1), max(0, y2 - y1))


def hide(pixels: np.ndarray, boxes: Iterable[Box], style: str = BLUR) -> np.ndarray:
    """A copy of BGR `pixels` with every box made unrecognisable in `style`."""
    if style not in STYLES:
        raise InputError(f"Onbekende stijl '{style}': kies blur, pixelate of bar.")
    out = pixels.copy()
    height, width = out.shape[:2]
    rng = np.random.default_rng()
    for box in boxes:
        x, y, w, h = clip(box, width, height)
        if w == 0 or h == 0:
            continue
        region = out[y : y + h, x : x + w]
        if style == BAR:
            region[:] = BAR_COLOUR
        elif style == PIXELATE:
            block = max(4, max(w, h) // 7)
            small = cv2.resize(
                region,
                (max(1, -(-w // block)), max(1, -(-h // block))),
                interpolation=cv2.INTER_AREA,
            )
            region[:] = cv2.resize(small, (w, h), interpolation=cv2.INTER_NEAREST)
        else:
            # Six samples across: nothing of the face is left. Smoothing those happens on a
            # copy of 48 px across, then it is scaled up: the same look as a Gaussian blur at
            # full size, at a fraction of the cost (a video blurs every face in every frame).
            small = cv2.resize(region, _across(w, h, 6), interpolation=cv2.INTER_AREA)
            medium = cv2.resize(small, _across(w, h, 48), interpolation=cv2.INTER_LINEAR)
            medium = cv2.GaussianBlur(medium, (0, 0), sigmaX=4, sigmaY=4)
            smooth = cv2.resize(medium, (w, h), interpolation=cv2.INTER_LINEAR)
            noise = rng.integers(-7, 8, smooth.shape, dtype=np.int16)
            region[:] = np.clip(smooth.astype(np.int16) + noise, 0, 255).astype(np.uint8)
    return out


def _across(w: int, h: int, samples: int) -> tuple[int, int]:
    """A size with `samples` pixels along the longest side, keeping the aspect ratio."""
    longest = max(w, h)
    return max(1, round(samples * w / longest)), max(1, round(samples * h / longest))


def target_beside(
    source: Path, suffix: str = UNRECOGNISABLE_SUFFIX, extension: str = ".jpg"
) -> Path:
    """`foto-onherkenbaar.jpg` beside `foto.jpg` (a video: `extension=".mp4"`); `-2`, `-3` …
    when that name is taken."""
    source = Path(source)
    candidate = source.with_name(f"{source.stem}{suffix}{extension}")
    number = 2
    while candidate.exists():
        candidate = source.with_name(f"{source.stem}{suffix}-{number}{extension}")
        number += 1
    return candidate


def refuse_original(source: Path, target: Path) -> None:
    """InputError when `target` is the original photo itself (by path or by file). The callers
    also refuse the register and any SQLite file (`store.outputs.refuse_unsafe_output`)."""
    source, target = Path(source), Path(target)
    same = source.resolve() == target.resolve()
    if not same and target.exists():
        try:
            same = target.samefile(source)
        except OSError:
            same = False
    if same:
        raise InputError(
            f"{target.name} is het origineel; kies een ander bestand voor de nieuwe foto "
            "(het origineel wordt nooit overschreven)."
        )
    if not target.parent.is_dir():
        raise InputError(f"Map {target.parent} bestaat niet.")


def _write(pixels: np.ndarray, target: Path) -> tuple[int, str]:
    data = write_jpeg(pixels, target)
    return len(data), hashlib.sha256(data).hexdigest()


def make_unrecognisable(
    source: Path,
    target: Path,
    boxes: Sequence[Box],
    style: str = BLUR,
) -> Written:
    """Read `source`, hide `boxes` in `style`, write a new JPEG without metadata to `target`."""
    refuse_original(source, target)
    pixels = read_photo(source)
    height, width = pixels.shape[:2]
    regions = tuple(b for b in (clip(box, width, height) for box in boxes) if b[2] and b[3])
    if len(regions) < len(boxes):
        raise InputError(f"Een vak valt buiten de foto ({width} × {height} beeldpunten).")
    size, digest = _write(hide(pixels, regions, style), target)
    return Written(Path(target), size, digest, regions, style)


def clean_copy(source: Path, target: Path) -> Written:
    """A copy of `source` as a new JPEG with the same pixels and no metadata at all."""
    refuse_original(source, target)
    size, digest = _write(read_photo(source), target)
    return Written(Path(target), size, digest)
