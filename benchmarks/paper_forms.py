"""The paper consent round's benchmark (issue 16): 1,000 synthetic filled forms, scanned.

`stack()` prints 1,000 personal forms (7 purposes each) from a database of 1,000 pupils, fills
each with the synthetic pen (`merlet_desk.imaging.synthetic`: ticks, crosses, filled boxes,
scribbles, pencil to marker, slightly outside the box; 5 % of rows marked twice, 4 %
corrected: one box filled, the other ticked; 1 % a pen dot in the Ja box and nothing else; on
3 % of forms "NEE!" or "nee" written beside a row, right of the boxes, between them or in the
left margin; 5 % of forms unsigned), "scans" it at 150, 200, 250
or 300 dpi (one resolution per copier batch of 100 pages), scaled 95-105 %, turned up to ±3°,
a quarter of them upside down, blurred, on grey paper, with noise and JPEG quality 40-70, and
writes ten PDFs of 100 pages with those JPEGs as they are (what a copier produces). The truth
per form goes into `truth.json`. All of it is cached in `.cache/` under a hash of the code that
makes it and of the migrations, so a rerun starts at once.

`evaluate()` reads the ten PDFs with the program's own core (`imports.scans.read_stack`, as
`import-scans` does; the PDFs are dated the day the stack was made, after the forms' print
date of 01-09-2026), timing the whole stack, and compares every mark with the truth: a dot or
writing beside a row must read `twijfel`.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import shutil
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from common import CACHE, ROOT

FORMS = 1000
BATCH = 100
SEED = 16
DPIS = (150, 200, 250, 300)
BESIDE = "beside"  # the truth of a row with writing beside it: twijfel
# Where a parent writes beside a row: (text, left edge in mm or None for right of the boxes,
# letter height in mm).
WRITING = (("NEE!", None, 5.0), ("nee", 168.5, 3.5), ("nee", 2.5, 4.0))
SOURCES = (
    "benchmarks/paper_forms.py",
    "merlet_desk/imaging/synthetic.py",
    "merlet_desk/domain/paper_form.py",
    "merlet_desk/reports/consent_forms.py",
)


def _key() -> str:
    """A hash of the code that makes the stack, and of the schema its database was made with
    (a cached database from another schema would be refused as foreign)."""
    digest = hashlib.sha256()
    migrations = sorted((ROOT / "merlet_desk" / "store" / "migrations").glob("m*.py"))
    for path in [*(ROOT / name for name in SOURCES), *migrations]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _answer(rng: random.Random) -> str:
    from merlet_desk.domain import paper_form as layout
    from merlet_desk.imaging import synthetic as syn

    roll = rng.random()
    if roll < 0.45:
        return layout.JA
    if roll < 0.80:
        return layout.NEE
    if roll < 0.90:
        return layout.LEEG
    if roll < 0.95:
        return layout.BEIDE
    if roll < 0.99:
        return syn.CORRECTION
    return syn.DOT


def _jpeg_pdf(pages: list[tuple[bytes, int, int]], dpi: int, path: Path) -> None:
    """A PDF whose pages are these JPEGs as they are (no re-encoding), at `dpi`."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    for data, width, height in pages:
        w_pt, h_pt = width / dpi * 72, height / dpi * 72
        page = pdf.new_page(w_pt, h_pt)
        image = pdfium.PdfImage.new(pdf)
        image.load_jpeg(io.BytesIO(data), inline=False)
        image.set_matrix(pdfium.PdfMatrix().scale(w_pt, h_pt))
        page.insert_obj(image)
        page.gen_content()
    pdf.save(str(path))
    pdf.close()


def stack() -> Path:
    """The folder with the database, the ten scanned PDFs and truth.json (made once)."""
    folder = CACHE / f"paper-forms-{_key()}"
    if (folder / "truth.json").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    import cv2

    from merlet_desk import clock
    from merlet_desk.imaging import synthetic as syn
    from merlet_desk.reports.consent_forms import build_consent_forms
    from merlet_desk.store import open_database, paper_forms
    from merlet_desk.store import pupils as store

    started = time.perf_counter()
    rng = random.Random(SEED)
    db = open_database(folder / "forms.sqlite")
    with clock.fixed(datetime(2026, 9, 1, 9, 0)):
        with db.atomic():
            for index in range(FORMS):
                year = 2008 + index % 6  # some pupils sign themselves, most parents
                store.save_pupil(
                    db,
                    f"{500000 + index}",
                    rng.choice(["Joëlle", "Berkay", "Zofia", "Meryem", "Daan", "Sanne"]),
                    rng.choice(["", "van den", "de"]),
                    rng.choice(["Broek", "Öztürk", "Łęcka", "Boujdaini", "Jansen"]),
                    f"{year}-{1 + index % 12:02d}-{1 + index % 28:02d}",
                    f"{1 + index % 6}{'ABCD'[index % 4]}",
                    ("Cuijk", "Grave", "Mill")[index % 3],
                )
        pupils = store.list_pupils(db)
        forms = paper_forms.issue_forms(
            db, pupils, paper_forms.form_purposes(db, None), clock.today()
        )
        printed = folder / "formulieren.pdf"
        build_consent_forms(db, printed, forms)
    db.close()
    truth = {}
    for batch in range(FORMS // BATCH):
        dpi = DPIS[batch % len(DPIS)]
        pages = []
        for index in range(batch * BATCH, (batch + 1) * BATCH):
            form = forms[index]
            answers = [_answer(rng) for _ in form.purposes]
            signed = rng.random() >= 0.05
            page = syn.render_pdf_page(str(printed), index, dpi)
            syn.fill_form(page, answers, rng, dpi, signed=signed)
            if rng.random() < 0.03:
                row = rng.randrange(len(answers))
                text, left, height = rng.choice(WRITING)
                pen = syn.PENS[rng.choice(["ballpoint", "fineliner", "marker"])]
                syn.draw_writing(page, row, text, pen, dpi, left_mm=left, height_mm=height)
                answers[row] = f"{BESIDE}:{answers[row]}"
            settings = syn.ScanSettings.random(rng, upside_down=0.25)
            image = syn.scan(page, settings, rng)
            ok, data = cv2.imencode(
                ".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, settings.jpeg_quality or 60]
            )
            assert ok
            pages.append((data.tobytes(), image.shape[1], image.shape[0]))
            truth[str(form.id)] = {
                "answers": answers,
                "signed": signed,
                "dpi": dpi,
                "upside_down": settings.quarter_turns == 2,
            }
        _jpeg_pdf(pages, dpi, folder / f"stapel-{batch + 1:02d}-{dpi}dpi.pdf")
        print(f"  scanned batch {batch + 1}/{FORMS // BATCH} ({dpi} dpi)", flush=True)
    (folder / "truth.json").write_text(json.dumps(truth), encoding="utf-8")
    print(f"  made {FORMS} scanned forms in {time.perf_counter() - started:.0f} s", flush=True)
    return folder


@dataclass
class Result:
    pages: int
    seconds: float
    cpu_seconds: float
    recognised: int
    marks: int
    correct: int
    certain: int
    certain_correct: int
    wrongly_certain: int
    forms_certain: int
    forms_wrongly_certain: int
    signature_wrong_certain: int
    upside_down_recognised: int
    upside_down: int
    by_truth: dict[str, tuple[int, int, int]]  # truth -> (marks, read right, certain)
    wrong_examples: list[str]


def evaluate(folder: Path) -> Result:
    from merlet_desk.domain import paper_form as layout
    from merlet_desk.imaging import synthetic as syn
    from merlet_desk.imports import scans
    from merlet_desk.store import open_database

    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    files = sorted(folder.glob("stapel-*.pdf"))
    db = open_database(folder / "forms.sqlite", read_only=True)
    try:
        cpu = time.process_time()
        started = time.perf_counter()
        pages = scans.read_stack(db, files)
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu
    finally:
        db.close()
    marks = correct = certain = certain_correct = wrong = 0
    forms_certain = forms_wrong = signature_wrong = upside_ok = 0
    by_truth: dict[str, list[int]] = {}
    examples = []
    for page in pages:
        if page.form is None:
            continue
        expected = truth[str(page.form.id)]
        upside_ok += expected["upside_down"]
        form_wrong = False
        for answer, mark in zip(expected["answers"], page.reading.marks, strict=True):
            if answer.startswith(f"{BESIDE}:"):
                answer, want = BESIDE, layout.TWIJFEL
            else:
                want = syn.expected_outcome(answer)
            counts = by_truth.setdefault(answer, [0, 0, 0])
            marks += 1
            counts[0] += 1
            right = mark.outcome == want
            correct += right
            counts[1] += right
            if mark.certain:
                certain += 1
                counts[2] += 1
                certain_correct += right
                if not right:
                    wrong += 1
                    form_wrong = True
                    if len(examples) < 10:
                        examples.append(
                            f"{page.source}: {answer} read as {mark.outcome} "
                            f"(ja {mark.ja:.4f}, nee {mark.nee:.4f})"
                        )
        if page.reading.signature_certain and page.reading.signed != expected["signed"]:
            signature_wrong += 1
            form_wrong = True
        if page.certain:
            forms_certain += 1
            forms_wrong += form_wrong
    # Pages that were upside down but not recognised count against the upside-down figure.
    upside_total = sum(1 for t in truth.values() if t["upside_down"])
    return Result(
        pages=len(pages),
        seconds=seconds,
        cpu_seconds=cpu_seconds,
        recognised=sum(1 for p in pages if p.form is not None),
        marks=marks,
        correct=correct,
        certain=certain,
        certain_correct=certain_correct,
        wrongly_certain=wrong,
        forms_certain=forms_certain,
        forms_wrongly_certain=forms_wrong,
        signature_wrong_certain=signature_wrong,
        upside_down_recognised=upside_ok,
        upside_down=upside_total,
        by_truth={k: tuple(v) for k, v in by_truth.items()},
        wrong_examples=examples,
    )


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(ROOT))
    result = evaluate(stack())
    print(result)
