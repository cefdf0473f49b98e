"""The reader keeps the promises printed on the form: "Vergist? Schrijf uw keuze duidelijk naast
de regel; de school kijkt het formulier dan met de hand na." Words written beside a row, or a
mark too small to be a choice, are never certain; the other rows of the form still are."""

from __future__ import annotations

import pytest

from merlet_desk import clock
from merlet_desk.domain import paper_form as layout
from merlet_desk.imaging import omr
from merlet_desk.imaging import synthetic as syn
from merlet_desk.imports import scans
from tests.helpers import PAPER_TODAY, paper_school
from tests.helpers import issue_forms as issue
from tests.helpers import scan_form as scan_to


@pytest.fixture(autouse=True)
def _today():
    with clock.fixed(PAPER_TODAY):
        yield


@pytest.fixture
def printed(db, tmp_path):
    paper_school(db)
    _, pdf = issue(db, ["1001"], tmp_path)
    return pdf


def read_one(db, path):
    [page] = scans.read_stack(db, [path])
    assert page.status == "ok"
    return page


def test_nee_written_beside_a_ticked_ja_is_not_certain(db, printed, tmp_path):
    path = scan_to(
        tmp_path / "nee.png", printed, 0, [layout.JA, layout.NEE, layout.JA], notes={0: "NEE!"}
    )
    page = read_one(db, path)
    first, second, third = page.reading.marks
    assert not first.certain and first.outcome == layout.TWIJFEL
    assert (second.outcome, second.certain) == (layout.NEE, True)
    assert (third.outcome, third.certain) == (layout.JA, True)
    assert not page.certain
    assert "naast" in page.message  # the officer is told why


@pytest.mark.parametrize(
    ("where", "left_mm", "text", "height_mm"),
    [
        ("between the boxes", 168.5, "nee", 3.5),
        ("in the left margin", 2.5, "nee", 4.0),
        ("just left of the Ja box", 155.6, "x", 3.0),
    ],
)
def test_writing_elsewhere_beside_the_row_is_not_certain(
    db, printed, tmp_path, where, left_mm, text, height_mm
):
    import random

    from PIL import Image

    page = syn.render_pdf_page(str(printed), 0, 150)
    rng = random.Random(3)
    syn.fill_form(
        page,
        [layout.NEE, layout.JA, layout.LEEG],
        rng,
        150,
        pen=syn.PENS["ballpoint"],
        style="tick",
    )
    syn.draw_writing(
        page, 1, text, syn.PENS["ballpoint"], 150, left_mm=left_mm, height_mm=height_mm
    )
    path = tmp_path / "scan.png"
    Image.fromarray(
        syn.scan(page, syn.ScanSettings(angle=1, blur=0.6, paper=235, noise=3), rng)
    ).save(path)
    marks = read_one(db, path).reading.marks
    assert [m.certain for m in marks] == [True, False, True], where
    assert marks[1].outcome == layout.TWIJFEL


def test_a_pen_dot_in_a_box_is_not_a_choice(db, printed, tmp_path):
    path = scan_to(tmp_path / "stip.png", printed, 0, [syn.DOT, layout.NEE, layout.JA])
    page = read_one(db, path)
    dot = page.reading.marks[0]
    assert dot.outcome == layout.TWIJFEL and not dot.certain
    assert [m.certain for m in page.reading.marks[1:]] == [True, True]
    assert not page.certain


@pytest.mark.parametrize("pen", ["pencil", "ballpoint", "fineliner", "marker"])
def test_a_small_tick_of_any_pen_still_reads(db, printed, tmp_path, pen):
    """The size rule must not cost the small but real ticks of a light pen."""
    import random

    from PIL import Image

    page = syn.render_pdf_page(str(printed), 0, 150)
    rng = random.Random(11)
    for box in (layout.row_boxes(0)[0], layout.row_boxes(1)[1]):
        cx, cy = box.center
        # A tick 3.5 mm wide, half the box: the smallest a hand makes on purpose.
        syn.stroke(
            page,
            [(cx - 1.6, cy), (cx - 0.6, cy + 1.3), (cx + 1.9, cy - 1.8)],
            syn.PENS[pen],
            150,
        )
    syn.draw_signature(page, syn.PENS["ballpoint"], rng, 150)
    path = tmp_path / "klein.png"
    Image.fromarray(syn.scan(page, syn.ScanSettings(blur=0.8, paper=230, noise=4), rng)).save(path)
    marks = read_one(db, path).reading.marks
    assert [(m.outcome, m.certain) for m in marks] == [
        (layout.JA, True),
        (layout.NEE, True),
        (layout.LEEG, True),
    ]


def test_a_tick_that_only_just_enters_a_box_is_not_a_certain_empty_box(db, printed, tmp_path):
    """A tick drawn beside the Nee box whose tip just reaches into it: too little ink to be a
    mark, too much to call the box empty. Before, it read as a certain `leeg` (no consent)."""
    import random

    from PIL import Image

    page = syn.render_pdf_page(str(printed), 0, 150)
    rng = random.Random(5)
    _, nee = layout.row_boxes(0)
    cx, cy = nee.center
    right = nee.x + nee.size
    syn.stroke(
        page,
        [(right + 3.5, cy + 1.0), (right + 2.0, cy + 2.5), (right - 0.9, cy - 0.6)],
        syn.PENS["ballpoint"],
        150,
    )
    syn.fill_form(page, [layout.LEEG, layout.JA], rng, 150, pen=syn.PENS["ballpoint"], style="tick")
    path = tmp_path / "rand.png"
    Image.fromarray(syn.scan(page, syn.ScanSettings(blur=0.7, paper=232, noise=4), rng)).save(path)
    first, second, third = read_one(db, path).reading.marks
    assert 0 < first.nee <= omr.EMPTY_MAX  # below the "empty" limit ...
    assert not first.certain and first.outcome == layout.TWIJFEL  # ... but not empty
    assert (second.outcome, second.certain) == (layout.JA, True)
    assert (third.outcome, third.certain) == (layout.LEEG, True)
