"""Videos: a frame and the length to show, and every face made unrecognisable.

PyAV (`av`) brings its own FFmpeg inside the wheel (with libx264 and AAC), so nothing needs
to be installed on the machine. A phone's "rotate 90°" is applied to the pixels, since the
new file carries no metadata to say it.

Making a video unrecognisable: faces are detected on every `every`-th frame (4: about seven
times a second; on a copy of at most `DETECT_SIDE` pixels); each frame in between is covered by
the boxes of the detections before and after it, widened and merged where they overlap, so a
face that moves between two detections stays covered. Fixed boxes (drawn by hand) are covered
in every frame. The picture is encoded again with H.264 into a new MP4. The sound is copied as
it is when MP4 holds it as every player expects (AAC, MP3); other sound (PCM from a camera,
Vorbis or Opus from the web) is encoded again as AAC, since an MP4 with PCM or Vorbis in it does
not play everywhere. The new file holds no metadata of the original (GPS of a phone video,
camera, dates). `progress(fraction)` is called after each chunk of frames; when it returns
False the work stops and the partial file is removed (Cancelled).

The frame size is read from the container's header before a frame is decoded: a video larger
than 8K (`MAX_FRAME_PIXELS`) is refused with one line, as a damaged one is.
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
MAX_FRAME_PIXELS = 7680 * 4320  # 8K, the most a phone records; a frame is kept 4 times over
MIN_SIDE, MAX_RATIO = 16, 20
SOUND_COPIED = ("aac", "mp3")  # what an MP4 holds as every player expects: copied untouched
COPY, AAC = "copy", "aac"  # what becomes of the sound (`sound_plan`)


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
    audio_codec: str | None = None  # FFmpeg's name of the first sound stream ("aac", "pcm_s16le")


def sound_plan(info: VideoInfo) -> str | None:
    """What `anonymise_video` does with the sound: COPY it, encode it again as AAC, or None
    when the video has no sound."""
    if not info.has_audio:
        return None
    return COPY if info.audio_codec in SOUND_COPIED else AAC


def _open(path: Path):  # an av container
    """The container with its frame size checked from the header (NotAVideo otherwise)."""
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
    try:
        if not container.streams.video:
            raise NotAVideo(f"{path.name} heeft geen beeld.")
        context = container.streams.video[0].codec_context
        check_frame_size(path.name, int(context.width or 0), int(context.height or 0))
    except BaseException:
        container.close()
        raise
    return container


def check_frame_size(name: str, width: int, height: int) -> None:
    """NotAVideo, naming the file, for frames larger than MAX_FRAME_PIXELS or of no picture's
    shape (a size of 0 is unknown until the first frame: not refused here)."""
    if width * height > MAX_FRAME_PIXELS:
        raise NotAVideo(
            f"{name} heeft te grote beelden: {width} × {height} beeldpunten "
            "(hoogstens 8K, 7680 × 4320)."
        )
    if width and height:
        if min(width, height) < MIN_SIDE or max(width, height) > MAX_RATIO * min(width, height):
            raise NotAVideo(f"{name} is geen video: beelden van {width} × {height} beeldpunten.")


def _damaged(path: Path) -> NotAVideo:
    return NotAVideo(f"{Path(path).name} is beschadigd: de beelden kunnen niet gelezen worden.")


def _rotated(frame) -> np.ndarray:  # noqa: ANN001 (an av.VideoFrame)
    pixels = frame.to_ndarray(format="bgr24")
    turns = {90: 1, -90: 3, 270: 3, 180: 2, -180: 2}.get(int(getattr(frame, "rotation", 0)), 0)
    return np.ascontiguousarray(np.rot90(pixels, turns)) if turns else pixels


def probe(path: Path) -> VideoInfo:
    """Size (after rotation), length, frame rate and the sound."""
    import av

    container = _open(path)
    try:
        stream = container.streams.video[0]
        seconds = 0.0
        if container.duration:
            seconds = container.duration / 1_000_000
        elif stream.duration and stream.time_base:
            seconds = float(stream.duration * stream.time_base)
        fps = float(stream.average_rate or stream.guessed_rate or 25)
        try:
            first = next(container.decode(video=0), None)
        except av.error.InvalidDataError as exc:
            raise _damaged(path) from exc
        if first is None:
            raise NotAVideo(f"{Path(path).name} heeft geen beeld.")
        height, width = _rotated(first).shape[:2]
        check_frame_size(Path(path).name, width, height)
        audio = container.streams.audio
        codec = audio[0].codec_context.name if audio else None
        return VideoInfo(width, height, seconds, fps, bool(audio), codec)
    finally:
        container.close()


def frame_at(path: Path, fraction: float = 0.1) -> np.ndarray:
    """A frame (BGR) from `fraction` of the way in: past the black first frames."""
    import av

    container = _open(path)
    try:
        stream = container.streams.video[0]
        if container.duration and fraction > 0:
            target = int(container.duration * fraction)  # in AV_TIME_BASE (µs)
            container.seek(target, any_frame=False, backward=True)
        for frame in container.decode(stream):
            check_frame_size(Path(path).name, frame.width, frame.height)
            return _rotated(frame)
        raise NotAVideo(f"{Path(path).name} heeft geen beeld.")
    except av.error.InvalidDataError as exc:
        raise _damaged(path) from exc
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
    """Write `target` (MP4, H.264, the sound copied or encoded as AAC: `sound_plan`) with
    faces hidden in every frame. Returns (frames written, frames in which something was
    hidden)."""
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
            plan = sound_plan(info)
            out_audio = None
            if in_audio is not None and plan == COPY:
                out_audio = out.add_stream_from_template(in_audio)
            elif in_audio is not None:
                channels = in_audio.codec_context.channels
                out_audio = out.add_stream(
                    "aac",
                    rate=in_audio.codec_context.sample_rate or 48000,
                    layout="mono" if channels == 1 else "stereo",
                )
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
            try:
                for packet in container.demux(*streams):
                    if packet.stream is in_audio:
                        if out_audio is None:
                            continue
                        if plan == COPY:
                            if packet.dts is not None:  # not the demuxer's closing packet
                                packet.stream = out_audio
                                out.mux(packet)
                        else:  # the closing packet flushes the decoder
                            for sound in packet.decode():
                                sound.pts = None  # the encoder counts its own samples
                                for encoded in out_audio.encode(sound):
                                    out.mux(encoded)
                        continue
                    for frame in packet.decode():
                        check_frame_size(source.name, frame.width, frame.height)
                        chunk.append((_rotated(frame), frame.pts))
                        if len(chunk) >= every:
                            flush(final=False)
            except av.error.InvalidDataError as exc:
                raise _damaged(source) from exc
            flush(final=True)
            for packet in out_video.encode():
                out.mux(packet)
            if out_audio is not None and plan == AAC:
                for encoded in out_audio.encode(None):
                    out.mux(encoded)
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
