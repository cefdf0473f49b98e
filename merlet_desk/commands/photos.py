"""Photo subcommands: where are the faces, and make them unrecognisable.

    merlet-desk faces PHOTO [--json]
    merlet-desk anonymise PHOTO -o OUT [--box x,y,w,h ...] [--all-faces] [--style blur|pixelate|bar]
                          [--overwrite]

`faces` prints each detected face as a box (x, y, width, height in the photo's pixels) with a
score; it finds where faces are, never who. `anonymise` writes a new JPEG with the boxes (and
with `--all-faces` every detected face, widened a little) blurred, pixelated or covered, and
always without metadata (EXIF, GPS, XMP, IPTC, the embedded thumbnail); without boxes it is a
clean copy. A video (by its extension) becomes a new MP4 with every face hidden in every
frame (`--all-faces`) or the boxes, and the sound kept (as it is, or as AAC when MP4 cannot
hold it as it is). The original is never changed and `-o` may not name it; `-o` names a .jpg or
.jpeg for a photo and an .mp4 for a video (the format written), and a file that exists already
is only replaced with `--overwrite`. A file that is not a picture, a bad box or a bad target
exits 2 with one line, and nothing is written. Neither command needs the database.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from merlet_desk.errors import InputError


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `faces` and `anonymise`."""
    faces = subparsers.add_parser(
        "faces",
        help="waar staan gezichten op een foto? (vakken met een score)",
        description=(
            "Zoekt waar gezichten staan op een foto en drukt per gezicht een vak af "
            "(x, y, breedte, hoogte in beeldpunten) met een score. Herkent niemand: er wordt "
            "niets over een gezicht berekend of bewaard behalve het vak."
        ),
    )
    faces.add_argument("photo", metavar="FOTO", help="de foto (JPEG, PNG, TIFF, BMP, WebP)")
    faces.add_argument("--json", action="store_true", help="uitvoer als JSON")
    faces.set_defaults(func=run_faces)

    anonymise = subparsers.add_parser(
        "anonymise",
        help="maak gezichten onherkenbaar in een nieuwe foto zonder metadata",
        description=(
            "Schrijft een nieuwe JPEG waarin de gekozen vakken vervaagd, in blokjes of met een "
            "balk bedekt zijn, altijd zonder metadata (EXIF, GPS, XMP, IPTC, voorbeeldplaatje). "
            "Het origineel blijft onveranderd."
        ),
    )
    anonymise.add_argument(
        "photo", metavar="FOTO", help="de originele foto (of video: MP4, MOV, …; uitvoer .mp4)"
    )
    anonymise.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="UIT.jpg",
        help="de nieuwe foto (niet het origineel)",
    )
    anonymise.add_argument(
        "--box",
        action="append",
        default=[],
        metavar="x,y,w,h",
        help="een vak in beeldpunten; mag vaker",
    )
    anonymise.add_argument(
        "--all-faces", action="store_true", help="alle gevonden gezichten onherkenbaar maken"
    )
    anonymise.add_argument(
        "--style",
        choices=("blur", "pixelate", "bar"),
        default="blur",
        help="vervagen (blur, standaard), blokjes (pixelate) of een balk (bar)",
    )
    anonymise.add_argument(
        "--overwrite",
        action="store_true",
        help="vervang UIT als dat bestand al bestaat (nooit het origineel)",
    )
    anonymise.set_defaults(func=run_anonymise)


def run_faces(args: argparse.Namespace) -> int:
    from merlet_desk.imaging.faces import detect_faces_in_file

    path = Path(args.photo)
    faces, (width, height) = detect_faces_in_file(path)
    if args.json:
        document = {
            "photo": str(path),
            "width": width,
            "height": height,
            "faces": [face.as_json() for face in faces],
        }
        print(json.dumps(document, indent=2, ensure_ascii=False))
        return 0
    count = "1 gezicht" if len(faces) == 1 else f"{len(faces)} gezichten"
    print(f"{count} gevonden op {path.name} ({width} × {height} beeldpunten)")
    for number, face in enumerate(faces, start=1):
        score = f"{face.score:.2f}".replace(".", ",")
        print(f"  {number}. x={face.x} y={face.y} {face.w} × {face.h}  score {score}")
    return 0


def run_anonymise(args: argparse.Namespace) -> int:
    from merlet_desk.domain.publications import VIDEO, media_kind_for
    from merlet_desk.imaging import anonymise as imaging
    from merlet_desk.imaging.faces import detect_faces_in_file
    from merlet_desk.imaging.photo import JPEG_SUFFIXES
    from merlet_desk.store.outputs import refuse_unsafe_output

    source, target = Path(args.photo), Path(args.output)
    boxes = [imaging.parse_box(text) for text in args.box]
    imaging.refuse_original(source, target)
    # No database is open here: any SQLite file, its side files and devices are refused.
    refuse_unsafe_output(target, None)
    if target.exists() and not args.overwrite:
        raise InputError(
            f"{target.name} bestaat al; kies een andere naam, of vervang het bestand met "
            "--overwrite."
        )
    if media_kind_for(source.name) == VIDEO:
        return _anonymise_video(source, target, boxes, args)
    if target.suffix.lower() not in JPEG_SUFFIXES:
        raise InputError(
            f"Merlet Desk schrijft een foto als JPEG: kies een naam op .jpg of .jpeg, "
            f"niet {target.name}."
        )
    found = 0
    if args.all_faces:
        faces, (width, height) = detect_faces_in_file(source)
        found = len(faces)
        boxes += [imaging.widen(face.box, width, height) for face in faces]
    if boxes:
        written = imaging.make_unrecognisable(source, target, boxes, args.style)
        label = imaging.STYLE_LABELS[args.style]
        print(
            f"Geschreven: {target} — {len(written.regions)} "
            f"{'vak' if len(written.regions) == 1 else 'vakken'} ({label}), zonder metadata"
        )
    else:
        imaging.clean_copy(source, target)
        print(f"Geschreven: {target} — kopie zonder metadata")
    if args.all_faces and not found:
        print("Let op: er is geen gezicht gevonden; kijk de foto zelf na.")
    return 0


def _anonymise_video(source: Path, target: Path, boxes: list, args: argparse.Namespace) -> int:
    from merlet_desk.imaging import video

    if target.suffix.lower() != ".mp4":
        raise InputError(
            f"Een video wordt als MP4 geschreven: kies een naam op .mp4, niet {target.name}."
        )
    if not args.all_faces and not boxes:
        raise InputError("Kies --all-faces of minstens één --box voor een video.")
    shown = [-1]

    def progress(fraction: float) -> bool:
        percent = int(fraction * 100) // 10 * 10
        if percent > shown[0]:
            shown[0] = percent
            print(f"  {percent} %", file=sys.stderr, flush=True)
        return True

    sound = {
        video.COPY: "geluid overgenomen",
        video.AAC: "geluid omgezet naar AAC",
        None: "zonder geluid",
    }[video.sound_plan(video.probe(source))]
    frames, hidden = video.anonymise_video(
        source, target, all_faces=args.all_faces, boxes=boxes, style=args.style, progress=progress
    )
    print(
        f"Geschreven: {target} — {frames} beelden, in {hidden} iets onherkenbaar gemaakt; "
        f"{sound}, zonder metadata"
    )
    return 0
