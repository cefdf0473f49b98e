"""`merlet-desk faces` and `merlet-desk anonymise`: what an officer or a script sees (issue 17)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pytest
from PIL import Image

from merlet_desk.cli import main
from merlet_desk.imaging import photo
from tests.helpers.photos import photo_with_metadata


@pytest.fixture
def original(tmp_path):
    return photo_with_metadata(tmp_path / "Musical <Grease> & repetitie.jpg")


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_faces_json_gives_boxes_with_a_score(original, capsys):
    assert main(["faces", str(original), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert (document["width"], document["height"]) == (512, 512)
    [face] = document["faces"]
    assert set(face) == {"x", "y", "w", "h", "score"}
    assert 170 < face["x"] + face["w"] / 2 < 275 and 0.4 < face["score"] <= 1


def test_faces_text_counts_in_dutch(original, capsys):
    assert main(["faces", str(original)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1 gezicht gevonden op Musical <Grease> & repetitie.jpg (512 × 512")
    assert "score 0," in out


def test_anonymise_all_faces_writes_a_clean_new_file(original, tmp_path, capsys):
    before = _sha(original)
    out = tmp_path / "uit.jpg"
    assert main(["anonymise", str(original), "-o", str(out), "--all-faces", "--style", "bar"]) == 0
    assert "1 vak (balk), zonder metadata" in capsys.readouterr().out
    assert _sha(original) == before
    assert photo.metadata_segments(out.read_bytes()) == ["JFIF"]
    assert len(Image.open(out).getexif()) == 0
    # the bar covers the astronaut's face
    assert photo.read_photo(out)[120, 224].tolist() == pytest.approx([32, 32, 32], abs=6)


def test_anonymise_boxes_by_hand(original, tmp_path, capsys):
    out = tmp_path / "uit.jpg"
    args = ["anonymise", str(original), "-o", str(out), "--box", "0,0,40,40", "--box", "50,50,9,9"]
    assert main([*args, "--style", "pixelate"]) == 0
    assert "2 vakken (blokjes)" in capsys.readouterr().out


def test_anonymise_without_boxes_is_a_clean_copy(original, tmp_path, capsys):
    out = tmp_path / "uit.jpg"
    assert main(["anonymise", str(original), "-o", str(out)]) == 0
    assert "kopie zonder metadata" in capsys.readouterr().out
    assert photo.metadata_segments(out.read_bytes()) == ["JFIF"]


def test_not_a_picture_exits_2_with_one_line_and_writes_nothing(tmp_path, capsys):
    notes = tmp_path / "notulen.pdf"
    notes.write_bytes("%PDF-1.7 <Joëlle> & co".encode())
    out = tmp_path / "uit.jpg"
    assert main(["anonymise", str(notes), "-o", str(out), "--all-faces"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "notulen.pdf is geen foto" in err
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["notulen.pdf"]
    assert main(["faces", str(notes)]) == 2


def test_output_may_never_be_the_original(original, capsys):
    before = _sha(original)
    assert main(["anonymise", str(original), "-o", str(original), "--all-faces"]) == 2
    assert "het origineel" in capsys.readouterr().err
    assert _sha(original) == before


@pytest.mark.sqlite_only("an output onto the register's file; a server has none")
def test_output_may_never_be_a_database(original, db, db_path, capsys):
    before = _sha(db_path)
    assert main(["anonymise", str(original), "-o", str(db_path), "--all-faces"]) == 2
    assert "is een SQLite-database" in capsys.readouterr().err
    assert _sha(db_path) == before


def test_output_may_not_be_a_device(original, capsys):
    assert main(["anonymise", str(original), "-o", "/dev/null", "--all-faces"]) == 2
    assert "geen gewoon bestand" in capsys.readouterr().err


def test_bad_box_exits_2(original, tmp_path, capsys):
    out = tmp_path / "uit.jpg"
    assert main(["anonymise", str(original), "-o", str(out), "--box", "10,10,60"]) == 2
    assert "x,y,breedte,hoogte" in capsys.readouterr().err
    assert not out.exists()


def test_start_up_does_not_import_opencv():
    """OpenCV and numpy load when a photo is handled, not when the program starts."""
    code = (
        "import sys; from merlet_desk.cli import build_parser; build_parser(); "
        "import merlet_desk.ui.main_window; "
        "print(sorted(m for m in ('cv2', 'numpy') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr
