"""Videos (issue 17, second part): a frame and the length, and every face made unrecognisable
in a new MP4 with the sound kept and no metadata of the original."""

from __future__ import annotations

import hashlib

import av
import numpy as np
import pytest

from merlet_desk.cli import main
from merlet_desk.imaging import faces, video
from tests.helpers.photos import video_with_face


@pytest.fixture
def clip(tmp_path):
    return video_with_face(tmp_path / "sportdag.mp4")


def _frames(path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="bgr24") for f in container.decode(video=0)]


def test_probe_and_a_frame(clip):
    info = video.probe(clip)
    assert (info.width, info.height, info.fps, info.has_audio) == (480, 360, 12.0, True)
    assert info.seconds == pytest.approx(2.0, abs=0.1)
    assert video.length_text(info.seconds) == "0:02"
    assert video.length_text(3723) == "1:02:03"
    frame = video.frame_at(clip)
    assert frame.shape == (360, 480, 3)
    assert len(faces.detect_faces(frame)) == 1


def test_every_face_in_every_frame_is_hidden_and_the_sound_kept(clip, tmp_path):
    before = hashlib.sha256(clip.read_bytes()).hexdigest()
    target = tmp_path / "sportdag-onherkenbaar.mp4"
    seen = []
    frames, hidden = video.anonymise_video(clip, target, progress=lambda f: seen.append(f) or True)
    assert frames == hidden == 24
    assert seen[-1] == 1.0 and seen == sorted(seen)
    originals = _frames(clip)
    assert sum(bool(faces.detect_faces(f, threshold=0.3)) for f in originals) >= 20
    for frame in _frames(target):
        assert faces.detect_faces(frame, threshold=0.3) == []
    with av.open(str(target)) as out:
        assert [s.type for s in out.streams] == ["video", "audio"]
        assert out.streams.audio[0].codec_context.name == "aac"
        assert out.duration / 1_000_000 == pytest.approx(2.0, abs=0.15)
        # none of the original's metadata: no artist, comment or location
        assert not {"artist", "comment", "location", "location-eng"} & set(out.metadata)
    assert hashlib.sha256(clip.read_bytes()).hexdigest() == before


def test_cancel_writes_nothing(clip, tmp_path):
    target = tmp_path / "uit.mp4"
    with pytest.raises(video.Cancelled):
        video.anonymise_video(clip, target, progress=lambda fraction: fraction < 0.3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sportdag.mp4"]


def test_cli_video_and_bad_input(clip, tmp_path, capsys):
    out = tmp_path / "uit.mp4"
    assert main(["anonymise", str(clip), "-o", str(out), "--all-faces"]) == 0
    assert "geluid overgenomen, zonder metadata" in capsys.readouterr().out
    assert main(["anonymise", str(clip), "-o", str(tmp_path / "uit.jpg"), "--all-faces"]) == 2
    assert "MP4" in capsys.readouterr().err
    broken = tmp_path / "kapot.mp4"
    broken.write_bytes(b"geen video <b>&</b>")
    assert main(["anonymise", str(broken), "-o", str(tmp_path / "b.mp4"), "--all-faces"]) == 2
    assert "kapot.mp4 is geen video" in capsys.readouterr().err
    assert not (tmp_path / "b.mp4").exists()


def test_boxes_of_one_face_at_two_detections_become_one_region():
    assert video.merge_overlapping([(10, 10, 50, 50), (40, 20, 50, 50), (200, 200, 9, 9)]) == [
        (10, 10, 80, 60),
        (200, 200, 9, 9),
    ]
