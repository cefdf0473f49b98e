"""Hostile photos and videos (issue 23, part 5): the size is read from the file's header and an
impossible picture is refused before a pixel is decoded, with one Dutch line naming the file;
the memory a refusal costs stays that of the program itself."""

from __future__ import annotations

import warnings

import pytest

from merlet_desk.cli import main
from merlet_desk.imaging import photo, video
from tests.helpers import hostile
from tests.helpers.processes import needs_proc, one_line_error, run_cli, run_cli_with_peak


def _one_line(result) -> str:
    message = one_line_error(result)
    assert "\n" not in message, message
    return message


def test_a_40000_pixel_square_png_given_to_faces_is_refused_in_one_line(tmp_path):
    bomb = hostile.png_header_only(tmp_path / "groep <2B> & ouders.png", 40000, 40000)
    result = run_cli("faces", bomb)
    assert result.returncode == 2, result.stderr
    message = _one_line(result)
    assert "groep <2B> & ouders.png" in message and "te veel beeldpunten" in message


@needs_proc
def test_too_many_pixels_are_refused_from_the_header_before_decoding(tmp_path):
    """A valid PNG of 11000 × 11000 black pixels: 600 kB on disk, 363 MB as BGR pixels."""
    big = hostile.png_of_zeros(tmp_path / "panorama.png", 11000, 11000)
    result, peak = run_cli_with_peak("faces", big, folder=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "panorama.png heeft te veel beeldpunten" in _one_line(result)
    decoded = 11000 * 11000 * 3 / 2**20
    assert peak < decoded / 2, f"{peak:.0f} MiB peak: the picture was decoded"


@pytest.mark.parametrize("size", [(20000, 2), (2, 3000), (8, 8)])
def test_a_picture_of_no_photo_shape_is_refused(tmp_path, capsys, size):
    import cv2
    import numpy as np

    path = tmp_path / "streep.png"
    cv2.imwrite(str(path), np.full((size[1], size[0], 3), 200, np.uint8))
    out = tmp_path / "uit.jpg"
    for args in (["faces", str(path)], ["anonymise", str(path), "-o", str(out)]):
        assert main(args) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "streep.png" in err and f"{size[0]} × {size[1]}" in err
    assert not out.exists()


def test_pillow_says_nothing_of_its_own(tmp_path):
    """Between 89 and 179 million pixels Pillow warns of a decompression bomb; the header is
    read with Pillow, and its warning must not reach the user."""
    bomb = hostile.png_header_only(tmp_path / "groot.png", 12000, 11000)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning left to the user fails the test
        with pytest.raises(photo.NotAPicture, match="groot.png heeft te veel beeldpunten"):
            photo.read_photo(bomb)


def test_the_publications_path_refuses_the_same_picture(tmp_path):
    """The preview the window shows reads the photo the same way: the same refusal."""
    from merlet_desk.imaging.preview import load_preview

    bomb = hostile.png_header_only(tmp_path / "bom.png", 40000, 40000)
    with pytest.raises(photo.NotAPicture, match="bom.png heeft te veel beeldpunten"):
        load_preview(bomb)


def test_a_video_whose_frames_are_too_large_is_refused_from_its_header(tmp_path):
    clip = hostile.video_header_only(tmp_path / "sportdag.mkv", 12000, 12000)
    with pytest.raises(video.NotAVideo, match="sportdag.mkv heeft te grote beelden"):
        video.probe(clip)
    result = run_cli("anonymise", clip, "-o", tmp_path / "uit.mp4", "--all-faces")
    assert result.returncode == 2, result.stderr
    assert "12000 × 12000" in _one_line(result)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sportdag.mkv"]
