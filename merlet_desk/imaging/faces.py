"""Face detection: where the faces are in a photo, never who they are.

CenterFace (the ONNX model in `models/`, see its README) runs through OpenCV's DNN module on
the CPU. A large photo is detected on a copy whose longest side is `DETECT_SIDE` pixels, and
the boxes are mapped back to the photo's own pixels: a 12-megapixel photo then takes about
half a second on two cores, and faces from about 60 pixels wide (in the 12-MP photo) are
found. The comparison with dlib's HOG detector that led to this choice is in
`benchmarks/faces.md`.

Only boxes and a score leave this module. The network's five facial landmarks are dropped,
no face template (embedding) is computed, nothing is compared with anyone, and nothing of a
face is stored: identifying people by their face is special-category data under the GDPR, and
the school does not need it to blur a face.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

MODEL_PATH = Path(__file__).resolve().parent / "models" / "centerface.onnx"
DETECT_SIDE = 1600
THRESHOLD = 0.4  # chosen on the generated group pictures (benchmarks/faces.md)
_NMS_OVERLAP = 0.3
_OUTPUTS = ("537", "538", "539", "540")  # heatmap, scale, offset, landmarks (unused)


@dataclass(frozen=True)
class Face:
    """A detected face: a box in the photo's pixels (x, y, width, height) and a score 0-1."""

    x: int
    y: int
    w: int
    h: int
    score: float

    @property
    def box(self) -> tuple[int, int, int, int]:
        return (self.x, self.y, self.w, self.h)

    def as_json(self) -> dict[str, float | int]:
        return {"x": self.x, "y": self.y, "w": self.w, "h": self.h, "score": round(self.score, 3)}


_lock = threading.Lock()  # one cv2.dnn.Net is not safe to run from two threads at once


@lru_cache(maxsize=1)
def _network() -> cv2.dnn.Net:
    return cv2.dnn.readNetFromONNX(str(MODEL_PATH))


def detection_scale(width: int, height: int, side: int = DETECT_SIDE) -> float:
    """The factor that brings the longest side down to `side` (1.0 for a smaller photo)."""
    return min(1.0, side / max(width, height))


def detect_faces(
    pixels: np.ndarray,
    *,
    side: int = DETECT_SIDE,
    threshold: float = THRESHOLD,
    scale: float = 1.0,
) -> list[Face]:
    """The faces in BGR `pixels`, best first, in the coordinates of the full photo.

    `scale` says how `pixels` relate to the full photo when the caller already has a
    smaller copy (0.5 for a copy read with `read_photo(path, reduce=2)`).
    """
    height, width = pixels.shape[:2]
    factor = detection_scale(width, height, side)
    # The network wants sides that are multiples of 32.
    net_w = max(32, int(np.ceil(width * factor / 32)) * 32)
    net_h = max(32, int(np.ceil(height * factor / 32)) * 32)
    small = cv2.resize(pixels, (net_w, net_h), interpolation=cv2.INTER_AREA)
    blob = cv2.dnn.blobFromImage(small, 1.0, (net_w, net_h), (0, 0, 0), swapRB=True, crop=False)
    with _lock:
        net = _network()
        net.setInput(blob)
        heatmap, box_scale, offset, _landmarks = net.forward(list(_OUTPUTS))
    boxes = _decode(heatmap, box_scale, offset, (net_h, net_w), threshold)
    # from network pixels to the full photo's pixels
    fx = width / net_w / scale
    fy = height / net_h / scale
    faces = [
        Face(
            x=int(round(x1 * fx)),
            y=int(round(y1 * fy)),
            w=max(1, int(round((x2 - x1) * fx))),
            h=max(1, int(round((y2 - y1) * fy))),
            score=float(score),
        )
        for x1, y1, x2, y2, score in boxes
    ]
    return sorted(faces, key=lambda face: -face.score)


def detect_faces_in_file(path: Path) -> tuple[list[Face], tuple[int, int]]:
    """The faces in the photo at `path` and its size (width, height) in pixels.

    A large JPEG is decoded at a half, a quarter or an eighth of its size (libjpeg then skips
    the fine detail; the JPEG header says how large it is), which is several times faster than
    decoding it whole and downscaling.
    """
    from merlet_desk.imaging.photo import full_size, read_photo, reduction_for

    reduce = reduction_for(path, DETECT_SIDE)
    pixels = read_photo(path, reduce=reduce)
    size = full_size(path, pixels, reduce)
    return detect_faces(pixels, scale=pixels.shape[1] / size[0]), size


def _decode(
    heatmap: np.ndarray,
    scale: np.ndarray,
    offset: np.ndarray,
    size: tuple[int, int],
    threshold: float,
) -> list[tuple[float, float, float, float, float]]:
    """CenterFace's output maps to boxes (x1, y1, x2, y2, score) in network pixels, after
    non-maximum suppression. The landmark map is not read."""
    heat = heatmap[0, 0]
    rows, cols = np.nonzero(heat > threshold)
    if rows.size == 0:
        return []
    h_side = np.exp(scale[0, 0, rows, cols]) * 4
    w_side = np.exp(scale[0, 1, rows, cols]) * 4
    cy = (rows + offset[0, 0, rows, cols] + 0.5) * 4
    cx = (cols + offset[0, 1, rows, cols] + 0.5) * 4
    x1 = np.clip(cx - w_side / 2, 0, size[1])
    y1 = np.clip(cy - h_side / 2, 0, size[0])
    x2 = np.clip(x1 + w_side, 0, size[1])
    y2 = np.clip(y1 + h_side, 0, size[0])
    scores = heat[rows, cols]
    keep = cv2.dnn.NMSBoxes(
        [
            [float(a), float(b), float(c - a), float(d - b)]
            for a, b, c, d in zip(x1, y1, x2, y2, strict=True)
        ],
        [float(s) for s in scores],
        threshold,
        _NMS_OVERLAP,
    )
    return [
        (float(x1[i]), float(y1[i]), float(x2[i]), float(y2[i]), float(scores[i]))
        for i in np.asarray(keep).reshape(-1)
    ]
