"""Videos: a frame and the length to show, and every face made unrecognisable (issue 17).

PyAV (`av`) brings its own FFmpeg inside the wheel (with libx264 and AAC), so nothing needs
to be installed on the machine. A phone's "rotate 90°" is applied to the pixels, since the
new file carries no metadata to say it.

Making a video unrecognisable: faces are detected on every `every`-th frame (4: about seven
times a second; on a copy of at most `DETECT_SIDE` pixels); each frame in between is covered by
the boxes of the detections before and after it, widened and merged where they overlap, so a
face that moves between two detections stays covered. Fixed boxes (drawn by hand) are covered in every frame. The picture is encoded
again with H.264 into a new MP4; the sound is copied as it is, untouched. The new file holds no
metadata of the original (GPS of a phone video, camera, dates). `progress(fraction)` is called
after each chunk of frames; when it returns False the work stops and the partial file is
removed (Cancelled).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from merlet_desk.errors import InputError
from merlet_desk.imaging.anonymise import BLUR, Box, hide, refuse_original, widen

DETECT_SIDE = 960  # per frame; faces in a video are seldom as small as in a 12-MP photo
VIDEO_MARGIN = 0.35  # wider than for a photo: the face moves between detections


class NotAVideo(InputError):
    """The file cannot be read as a video."""


class Cancelled(Exception):
    """The officer stopped the work; nothing was written."""


@dataclass(frozen=True)
class VideoInfo:
    width: int
    height: int
    seconds: float
    fps: float
    has_audio: bool


def _open(path: Path):  # noqa: ANN202 (an av container)
    import av

    from merlet_desk.sqlite_files import refuse_database_input

    path = Path(path)
    if not path.is_file():
        raise NotAVideo(f"Bestand niet gevonden: {path}")
    try:
        refuse_database_input(path)  # the register named as a video: never read, never unlocked
    except InputError as exc:
        raise NotAVideo(str(exc)) from exc
    try:
        container = av.open(str(path))
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise NotAVideo(f"{path.name} is geen video die Merlet Desk kan lezen.") from exc
    if not container.streams.video:
        container.close()
        raise NotAVideo(f"{path.name} heeft geen beeld.")
    return container


def _rotated(frame) -> np.ndarray:  # noqa: ANN001 (an av.VideoFrame)
    pixels = frame.to_ndarray(format="bgr24")
    turns = {90: 1, -90: 3, 270: 3, 180: 2, -180: 2}.get(int(getattr(frame, "rotation", 0)), 0)
    return np.ascontiguousarray(np.rot90(pixels, turns)) if turns else pixels


def probe(path: Path) -> VideoInfo:
    """Size (after rotation), length, frame rate and whether there is sound."""
    container = _open(path)
    try:
        stream = container.streams.video[0]
        seconds = 0.0
        if container.duration:
            seconds = container.duration / 1_000_000
        elif stream.duration and stream.time_base:
            seconds = float(stream.duration * stream.time_base)
        fps = float(stream.average_rate or stream.guessed_rate or 25)
        first = next(container.decode(video=0), None)
        if first is None:
            raise NotAVideo(f"{Path(path).name} heeft geen beeld.")
        height, width = _rotated(first).shape[:2]
        return VideoInfo(width, height, seconds, fps, bool(container.streams.audio))
    finally:
        container.close()


def frame_at(path: Path, fraction: float = 0.1) -> np.ndarray:
    """A frame (BGR) from `fraction` of the way in: past the black first frames."""
    container = _open(path)
    try:
        stream = container.streams.video[0]
        if container.duration and fraction > 0:
            target = int(container.duration * fraction)  # in AV_TIME_BASE (µs)
            container.seek(target, any_frame=False, backward=True)
        for frame in container.decode(stream):
            return _rotated(frame)
        raise NotAVideo(f"{Path(path).name} heeft geen beeld.")
    finally:
        container.close()


def merge_overlapping(boxes: Sequence[Box]) -> list[Box]:
    """Boxes that overlap become their common bounding box: a face seen at two detections is
    one region (blurred once, covering the path between them)."""
    merged = [tuple(box) for box in boxes]
    changed = True
    while changed:
        changed = False
        for i in range(len(merged)):
            for j in range(i + 1, len(merged)):
                ax, ay, aw, ah = merged[i]
                bx, by, bw, bh = merged[j]
                if ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah:
                    x1, y1 = min(ax, bx), min(ay, by)
                    x2, y2 = max(ax + aw, bx + bw), max(ay + ah, by + bh)
                    merged[i] = (x1, y1, x2 - x1, y2 - y1)
                    del merged[j]
                    changed = True
                    break
            if changed:
                break
    return [(int(x), int(y), int(w), int(h)) for x, y, w, h in merged]


def length_text(seconds: float) -> str:
    """ "0:42", "12:05", "1:02:03"."""
    total = int(round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def anonymise_video(
    source: Path,
    target: Path,
    *,
    all_faces: bool = True,
    boxes: Sequence[Box] = (),
    style: str = BLUR,
    every: int = 4,
    progress: Callable[[float], bool] | None = None,
) -> tuple[int, int]:
    """Write `target` (MP4, H.264, the sound copied) with faces hidden in every frame.
    Returns (frames written, frames in which something was hidden)."""
    import av

    from merlet_desk.imaging.faces import detect_faces

    refuse_original(source, target)
    source, target = Path(source), Path(target)
    info = probe(source)
    container = _open(source)
    handle, temporary = tempfile.mkstemp(prefix=".merlet-", suffix=".mp4", dir=target.parent)
    os.close(handle)
    written = hidden = 0
    try:
        in_video = container.streams.video[0]
        in_audio = container.streams.audio[0] if container.streams.audio else None
        total = in_video.frames or 0
        rate = in_video.average_rate or in_video.guessed_rate or 25
        with av.open(temporary, "w", format="mp4") as out:
            out_video = out.add_stream("libx264", rate=rate)
            out_video.width, out_video.height = (
                info.width - info.width % 2,
                info.height - info.height % 2,
            )
            out_video.pix_fmt = "yuv420p"
            out_video.options = {"crf": "20", "preset": "veryfast"}
            out_audio = out.add_stream_from_template(in_audio) if in_audio is not None else None
            chunk: list[tuple[np.ndarray, int | None]] = []
            previous: list[Box] | None = None  # None until the first detection

            def flush(final: bool) -> None:
                nonlocal previous, written, hidden
                if not chunk:
                    return
                height, width = chunk[-1][0].shape[:2]

                def found(pixels: np.ndarray) -> list[Box]:
                    if not all_faces:
                        return []
                    return [
                        widen(face.box, width, height, VIDEO_MARGIN)
                        for face in detect_faces(pixels, side=DETECT_SIDE)
                    ]

                if previous is None:  # the very first frames: detect at their start too
                    previous = found(chunk[0][0])
                current = found(chunk[-1][0])
                cover = merge_overlapping([*previous, *current, *boxes])
                for pixels, _pts in chunk:
                    done = hide(pixels, cover, style) if cover else pixels
                    hidden += bool(cover)
                    frame = av.VideoFrame.from_ndarray(
                        np.ascontiguousarray(done[: out_video.height, : out_video.width]),
                        format="bgr24",
                    )
                    for packet in out_video.encode(frame):
                        out.mux(packet)
                    written += 1
                previous = current
                chunk.clear()
                if progress is not None and total:
                    if not progress(min(1.0, written / total)) and not final:
                        raise Cancelled

            streams = [in_video] + ([in_audio] if in_audio is not None else [])
            for packet in container.demux(*streams):
                if packet.stream is in_audio:
                    if packet.dts is not None and out_audio is not None:
                        packet.stream = out_audio
                        out.mux(packet)
                    continue
                for frame in packet.decode():
                    chunk.append((_rotated(frame), frame.pts))
                    if len(chunk) >= every:
                        flush(final=False)
            flush(final=True)
            for packet in out_video.encode():
                out.mux(packet)
        if written == 0:
            raise NotAVideo(f"{source.name} heeft geen beeld.")
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    finally:
        container.close()
    if progress is not None:
        progress(1.0)
    return written, hidden
