"""Generated group pictures with known faces, for the face-detector comparison and the tests.

The faces come from the photos that scikit-image ships inside its wheel (nothing is
downloaded): the astronaut Eileen Collins (`skimage.data.astronaut()`, frontal) and the
cameraman (`skimage.data.camera()`, half profile, grey). Each picture pastes several heads at
different sizes, flipped, lit differently and slightly turned, onto a busy background made of
the other sample photos (a cat, coffee, a rocket, bricks, grass, gravel, text) plus coloured
shapes. The ground truth is the face box of each pasted head, mapped through the same scaling.

Deterministic: picture `n` of a given size is the same on every run (a seeded generator).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

# Face sizes (width of the face box, in pixels of the generated picture) used in every picture.
FACE_SIZES = (40, 60, 80, 120, 180, 260, 400)

# A head crop of each source photo and the face box inside that crop (x, y, w, h), by eye.
_SOURCES = {
    # astronaut: crop x 128..320, y 0..240; face 178..270 x 62..176 in the full photo
    "astronaut": ((128, 0, 192, 240), (50, 62, 92, 114)),
    # cameraman: crop x 150..300, y 60..240; face 200..260 x 115..200
    "camera": ((150, 60, 150, 180), (50, 55, 60, 85)),
}


@dataclass(frozen=True)
class GroupPhoto:
    """A generated picture (BGR, uint8) and its faces as (x, y, w, h, kind)."""

    pixels: np.ndarray
    faces: tuple[tuple[int, int, int, int, str], ...]


@lru_cache(maxsize=1)
def _sources() -> dict[str, tuple[np.ndarray, tuple[int, int, int, int]]]:
    from skimage import data

    photos = {
        "astronaut": cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR),
        "camera": cv2.cvtColor(data.camera(), cv2.COLOR_GRAY2BGR),
    }
    heads = {}
    for name, ((x, y, w, h), face) in _SOURCES.items():
        heads[name] = (photos[name][y : y + h, x : x + w].copy(), face)
    return heads


@lru_cache(maxsize=1)
def _textures() -> tuple[np.ndarray, ...]:
    from skimage import data

    def bgr(image: np.ndarray) -> np.ndarray:
        if image.ndim == 2:
            return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
        return cv2.cvtColor(image[..., :3], cv2.COLOR_RGB2BGR)

    return tuple(
        bgr(image)
        for image in (
            data.chelsea(),
            data.coffee(),
            data.rocket(),
            data.brick(),
            data.grass(),
            data.gravel(),
            data.text(),
            data.coins(),
        )
    )


def _background(rng: np.random.Generator, width: int, height: int) -> np.ndarray:
    """A busy collage: sample photos tiled at random scales, then coloured shapes."""
    canvas = np.zeros((height, width, 3), np.uint8)
    textures = _textures()
    tile = max(width, height) // 6
    for y in range(0, height, tile):
        for x in range(0, width, tile):
            texture = textures[rng.integers(len(textures))]
            scale = tile / min(texture.shape[:2]) * rng.uniform(1.0, 1.6)
            resized = cv2.resize(texture, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
            th, tw = min(tile, height - y), min(tile, width - x)
            canvas[y : y + th, x : x + tw] = resized[:th, :tw]
    for _ in range(40):
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        x, y = int(rng.integers(width)), int(rng.integers(height))
        r = int(rng.integers(tile // 20, tile // 4))
        if rng.random() < 0.5:
            cv2.circle(canvas, (x, y), r, colour, -1 if rng.random() < 0.6 else 6, cv2.LINE_AA)
        else:
            cv2.rectangle(canvas, (x, y), (x + r, y + r // 2), colour, -1)
    return canvas


def _vary(head: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The same head, differently lit and coloured (not another person: a variation)."""
    out = head.astype(np.float32)
    out = out * rng.uniform(0.7, 1.25) + rng.uniform(-25, 25)
    out = out * rng.uniform(0.85, 1.15, size=3)  # white balance
    return np.clip(out, 0, 255).astype(np.uint8)


def _paste(canvas: np.ndarray, head: np.ndarray, x: int, y: int) -> None:
    """Paste with an elliptical, feathered edge, so no rectangle of the crop shows."""
    h, w = head.shape[:2]
    mask = np.zeros((h, w), np.float32)
    cv2.ellipse(mask, (w // 2, h // 2), (w // 2 - 1, h // 2 - 1), 0, 0, 360, 1.0, -1)
    k = max(3, (min(w, h) // 10) | 1)
    mask = cv2.GaussianBlur(mask, (k, k), 0)[..., None]
    region = canvas[y : y + h, x : x + w].astype(np.float32)
    canvas[y : y + h, x : x + w] = (head * mask + region * (1 - mask)).astype(np.uint8)


def group_photo(index: int, width: int = 4032, height: int = 3024) -> GroupPhoto:
    """Picture `index`: one face of every size in FACE_SIZES (scaled to this picture's
    width relative to 4032), most of them the astronaut, one in four the cameraman."""
    rng = np.random.default_rng(1000 + index)
    canvas = _background(rng, width, height)
    factor = width / 4032
    heads = _sources()
    taken: list[tuple[int, int, int, int]] = []
    faces = []
    for size in sorted(FACE_SIZES, reverse=True):
        kind = "camera" if rng.random() < 0.25 else "astronaut"
        head, (fx, fy, fw, fh) = heads[kind]
        scale = size * factor / fw
        angle = rng.uniform(-12, 12)
        resized = cv2.resize(
            _vary(head, rng),
            None,
            fx=scale,
            fy=scale,
            interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC,
        )
        flip = rng.random() < 0.5
        if flip:
            resized = resized[:, ::-1].copy()
        h, w = resized.shape[:2]
        centre = (w / 2, h / 2)
        turn = cv2.getRotationMatrix2D(centre, angle, 1.0)
        resized = cv2.warpAffine(resized, turn, (w, h), borderMode=cv2.BORDER_REFLECT)
        # the face box after scaling, flipping and turning (its centre turns; size kept)
        bx, by, bw, bh = fx * scale, fy * scale, fw * scale, fh * scale
        if flip:
            bx = w - bx - bw
        cx, cy = turn @ np.array([bx + bw / 2, by + bh / 2, 1.0])
        for _attempt in range(200):
            x = int(rng.integers(0, max(1, width - w)))
            y = int(rng.integers(0, max(1, height - h)))
            if all(
                x + w <= tx or tx + tw <= x or y + h <= ty or ty + th <= y
                for tx, ty, tw, th in taken
            ):
                break
        else:  # no free place: skip this face rather than overlap
            continue
        _paste(canvas, resized, x, y)
        taken.append((x, y, w, h))
        faces.append(
            (int(x + cx - bw / 2), int(y + cy - bh / 2), int(round(bw)), int(round(bh)), kind)
        )
    return GroupPhoto(canvas, tuple(faces))


def matches(found: tuple[int, int, int, int], truth: tuple[int, int, int, int]) -> bool:
    """A found box counts for a true face when its centre lies inside the face and its width is
    between half and twice the face's: fair to detectors whose boxes are tighter (dlib) or
    looser (CenterFace) than our hand-drawn ones."""
    x, y, w, h = found
    tx, ty, tw, th = truth
    cx, cy = x + w / 2, y + h / 2
    return tx <= cx <= tx + tw and ty <= cy <= ty + th and 0.5 <= w / tw <= 2.0
