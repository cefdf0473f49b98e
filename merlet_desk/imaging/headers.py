"""A picture's size from its header, before any pixel is decoded, and Pillow kept quiet.

A PNG of 600 kB can declare 30000 × 30000 pixels and decode to 2.7 GB; a decoder that is given
the file finds out only after it has taken the memory. Pillow's `Image.open` is lazy: it reads
the header and stops, so the size is known for the price of a few bytes, and the callers
(`photo.read_photo`, `pages`) refuse an impossible picture before anything is decoded.

Pillow speaks for itself through Python's warnings: a `DecompressionBombWarning` above 89
million pixels, a `UserWarning` for an odd TIFF tag. Those lines would reach the user in English
between the program's own Dutch ones; the program checks sizes itself and says what matters, so
they are silenced for good (`quiet_pillow`). No Qt, no SQL; Pillow is imported when used.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image


class TooManyPixels(Exception):
    """Pillow itself refused the header: more than twice its own limit (179 million pixels)."""


class Unreadable(Exception):
    """Pillow cannot make a picture of the file (not a picture, or damaged)."""


def quiet_pillow() -> None:
    """Silence Pillow's warnings in this process (idempotent: the filter is not added twice).

    A filter for good rather than `warnings.catch_warnings()` around each call: that context
    manager swaps the process-wide filter list and is not safe while the scan reader or a
    photo preview runs in a worker thread."""
    from PIL import Image

    warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)
    warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL\.")


def open_lazily(path: Path) -> Image.Image:
    """The picture at `path` opened by Pillow without decoding it (its `size`, `n_frames`,
    `format` are known; the pixels are read on `load()`/`convert()`). The caller closes it.

    Raises TooManyPixels when Pillow refuses the size itself, Unreadable for anything else
    (no picture, damaged, unreadable file), each without Pillow's English text."""
    from PIL import Image

    quiet_pillow()
    try:
        return Image.open(path)
    except Image.DecompressionBombError:
        raise TooManyPixels from None
    except Exception:  # noqa: BLE001 - Pillow's openers raise many kinds on bad data
        raise Unreadable from None


def picture_size(path: Path) -> tuple[int, int]:
    """(width, height) as the header of the picture at `path` declares it (before any EXIF
    turn, which does not change the number of pixels or the proportions)."""
    with open_lazily(path) as image:
        return image.size
