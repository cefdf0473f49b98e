"""What `merlet-desk anonymise` writes, and where it refuses (issue 23, part 7): never another
photo overwritten without being asked, the format the name says, sound an MP4 holds, the truth
about the sound, and nothing half-written left behind when the run is stopped."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys

import av
import pytest

from merlet_desk.cli import main
from merlet_desk.imaging import photo
from tests.helpers import hostile
from tests.helpers.photos import photo_with_metadata, video_with_face
from tests.helpers.processes import wait_for


@pytest.fixture
def original(tmp_path):
    return photo_with_metadata(tmp_path / "Musical <Grease> & repetitie.jpg")


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_another_existing_photo_is_not_overwritten_unless_asked(original, tmp_path, capsys):
    other = photo_with_metadata(tmp_path / "sportdag.jpg")
    before = _sha(other)
    assert main(["anonymise", str(original), "-o", str(other), "--all-faces"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "sportdag.jpg bestaat al" in err and "--overwrite" in err
    assert _sha(other) == before
    assert main(["anonymise", str(original), "-o", str(other), "--all-faces", "--overwrite"]) == 0
    assert _sha(other) != before and photo.metadata_segments(other.read_bytes()) == ["JFIF"]
    # the original itself stays refused, --overwrite or not
    assert main(["anonymise", str(original), "-o", str(original), "--overwrite"]) == 2
    assert "het origineel" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["uit.png", "uit.webp", "uit"])
def test_a_name_for_another_format_is_refused_not_filled_with_jpeg(
    original, tmp_path, name, capsys
):
    out = tmp_path / name
    assert main(["anonymise", str(original), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "JPEG" in err and ".jpg" in err and name in err
    assert not out.exists()


def test_a_jpeg_name_in_capitals_is_fine(original, tmp_path):
    out = tmp_path / "UIT.JPEG"
    assert main(["anonymise", str(original), "-o", str(out)]) == 0
    assert out.read_bytes()[:3] == b"\xff\xd8\xff"


def _sound(path):
    with av.open(str(path)) as container:
        return [stream.codec_context.name for stream in container.streams.audio]


@pytest.mark.parametrize(
    ("container", "codec", "name"),
    [("mov", "pcm_s16le", "camera.mov"), ("matroska", "vorbis", "web.mkv")],
)
def test_sound_mp4_cannot_hold_is_encoded_as_aac(tmp_path, capsys, container, codec, name):
    clip = hostile.clip(tmp_path / name, container=container, sound=codec)
    out = tmp_path / "uit.mp4"
    assert main(["anonymise", str(clip), "-o", str(out), "--all-faces"]) == 0
    said = capsys.readouterr().out
    assert "geluid omgezet naar AAC" in said and "overgenomen" not in said
    assert _sound(out) == ["aac"]
    with av.open(str(out)) as result:
        assert result.duration / 1_000_000 == pytest.approx(2.0, abs=0.15)


def test_aac_sound_is_copied_and_said_so(tmp_path, capsys):
    clip = video_with_face(tmp_path / "sportdag.mp4")
    assert main(["anonymise", str(clip), "-o", str(tmp_path / "uit.mp4"), "--all-faces"]) == 0
    assert "geluid overgenomen" in capsys.readouterr().out


def test_a_video_without_sound_is_not_said_to_keep_its_sound(tmp_path, capsys):
    clip = hostile.clip(tmp_path / "stil.mp4", sound=None)
    out = tmp_path / "uit.mp4"
    assert main(["anonymise", str(clip), "-o", str(out), "--all-faces"]) == 0
    said = capsys.readouterr().out
    assert "geluid" not in said.replace("zonder geluid", "") and "zonder geluid" in said
    assert _sound(out) == []


def test_a_video_stopped_by_sigterm_leaves_nothing_behind(tmp_path):
    clip = hostile.clip(tmp_path / "lang.mp4", seconds=40, fps=25, size=(640, 480))
    out = tmp_path / "uit.mp4"
    child = subprocess.Popen(
        [sys.executable, "-m", "merlet_desk", "anonymise", str(clip), "-o", str(out)]
        + ["--all-faces"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_for(
        lambda: bool(list(tmp_path.glob(".merlet-*"))) or child.poll() is not None,
        60,
        "the video was never started",
    )
    assert child.poll() is None, "the video was done before it could be stopped"
    child.send_signal(signal.SIGTERM)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 128 + signal.SIGTERM
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lang.mp4"]
    assert (
        "Traceback" not in err and err.strip().splitlines()[-1] == "merlet-desk: gestopt (SIGTERM)."
    )
