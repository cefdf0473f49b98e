"""Hostile scans for `import-scans` (issue 23, parts 5 and 7): every page's size is read from
the file before any page is decoded, an impossible page is refused with one Dutch line naming
the file and the page (exit 2, nothing read, nothing written), a library never speaks for
itself, and a stack is read page by page without keeping the pages' pixels."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import numpy as np
import pytest

from merlet_desk import clock
from merlet_desk.domain import paper_form as layout
from merlet_desk.errors import InputError
from merlet_desk.imports import scans
from merlet_desk.store import pupils as store
from tests.helpers import hide_qr_code, hostile, issue_forms, scan_form
from tests.helpers.processes import needs_proc, one_line_error, run_cli, run_cli_with_peak

TODAY = datetime(2026, 9, 20, 9, 0)


@pytest.fixture(autouse=True)
def _today():
    with clock.fixed(TODAY):
        yield


def _refused(db_path, *files) -> str:
    """Run `import-scans` as a user does; it must exit 2 with exactly one line."""
    result = run_cli("import-scans", *files, "--db", db_path, "--confirm-certain")
    assert result.returncode == 2, result.stdout + result.stderr
    message = one_line_error(result)
    assert "\n" not in message and result.stdout == "", result.stdout + result.stderr
    return message


def test_a_page_of_200000_points_is_refused_before_rendering(db, db_path, tmp_path):
    pdf = hostile.pdf_pages(tmp_path / "stapel <2B> & co.pdf", [(595, 842), (200000, 200000)])
    message = _refused(db_path, pdf)
    assert "stapel <2B> & co.pdf, pagina 2" in message and "te groot" in message


@needs_proc
def test_a_page_of_14400_points_costs_nothing_before_the_refusal(db, db_path, tmp_path):
    """The largest page PDF allows (200 inches): 30000 × 30000 pixels at the reader's 150 dpi."""
    pdf = hostile.pdf_pages(tmp_path / "poster.pdf", [(14400, 14400)])
    result, peak = run_cli_with_peak("import-scans", pdf, "--db", db_path, folder=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "poster.pdf, pagina 1" in one_line_error(result)
    assert peak < 300, f"{peak:.0f} MiB peak: the page was rendered"


@pytest.mark.parametrize(
    ("size", "why"), [((20000, 2), "geen gescande pagina"), ((200, 280), "te klein")]
)
def test_an_image_of_no_page_shape_is_refused(db, db_path, tmp_path, size, why):
    import cv2

    path = tmp_path / "streep.png"
    cv2.imwrite(str(path), np.full((size[1], size[0]), 255, np.uint8))
    message = _refused(db_path, path)
    assert "streep.png" in message and why in message and f"{size[0]} × {size[1]}" in message


def test_a_pdf_page_of_no_page_shape_is_refused(db, db_path, tmp_path):
    pdf = hostile.pdf_pages(tmp_path / "bon.pdf", [(595, 842), (595, 20)])
    message = _refused(db_path, pdf)
    assert "bon.pdf, pagina 2" in message and "geen gescande pagina" in message


def test_an_image_with_too_many_pixels_is_refused_without_pillows_warning(db, db_path, tmp_path):
    bomb = hostile.png_header_only(tmp_path / "bom.png", 12000, 11000)
    message = _refused(db_path, bomb)
    assert "bom.png" in message and "te veel beeldpunten" in message
    huge = hostile.png_header_only(tmp_path / "reus.png", 40000, 40000)  # Pillow refuses it
    message = _refused(db_path, huge)
    assert "reus.png" in message and "te veel beeldpunten" in message


def test_an_image_of_a_pdf_page_with_too_many_pixels_is_refused(db, db_path, tmp_path):
    """An A4 page holding a picture that says 40000 × 40000: PDFium would decode all of it
    (1.8 GB) to draw the page at 150 dpi."""
    pdf = hostile.pdf_with_picture(tmp_path / "kopie.pdf", 40000, 40000)
    message = _refused(db_path, pdf)
    assert "kopie.pdf, pagina 1" in message and "te veel beeldpunten" in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "de pdf bevat geen pagina's"),
        (b"%PDF-1.4 <Jo\xc3\xablle> & niets", "geen pdf of een beschadigde pdf"),
    ],
)
def test_pdfium_never_speaks_for_itself(db, db_path, tmp_path, content, expected):
    pdf = tmp_path / "leeg.pdf"
    if content is None:
        hostile.pdf_pages(pdf, [])
    else:
        pdf.write_bytes(content)
    message = _refused(db_path, pdf)
    assert f"leeg.pdf: kan niet gelezen worden: {expected}" in message
    assert "PDFium" not in message and "Success" not in message and "Failed" not in message


def test_a_tiff_that_makes_pillow_warn_reads_without_a_word_from_pillow(db, db_path, tmp_path):
    odd = hostile.tiff(tmp_path / "scan.tif")
    result = run_cli("import-scans", odd, "--db", db_path)
    assert result.returncode == 1  # read: one page, not a form
    assert "Pagina 1 (scan.tif): niet herkend" in result.stdout
    assert result.stderr == ""


def test_an_unreadable_image_is_said_in_dutch(db, db_path, tmp_path):
    broken = tmp_path / "kapot.tif"
    broken.write_bytes(hostile.tiff(tmp_path / "x.tif").read_bytes()[:60])
    message = _refused(db_path, broken)
    assert message == (
        "merlet-desk: kapot.tif: kan niet gelezen worden: geen afbeelding of een beschadigde "
        "afbeelding."
    )


# --------------------------------------------------------------------------- streaming


def _arrays(value, seen=None) -> list[str]:
    """The numpy arrays reachable from `value`'s dataclass fields, lists and dicts."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return []
    seen.add(id(value))
    if isinstance(value, np.ndarray):
        return [f"{value.shape}"]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        children = [getattr(value, f.name) for f in dataclasses.fields(value)]
    elif isinstance(value, (list, tuple)):
        children = list(value)
    elif isinstance(value, dict):
        children = list(value.values())
    else:
        return []
    return [found for child in children for found in _arrays(child, seen)]


def _school(db) -> None:
    store.save_pupil(db, "1001", "Joëlle", "van den", "Broek", "2013-05-01", "1A", "Cuijk")
    store.save_pupil(db, "1003", "Zofia", "", "Łęcka", "2013-02-03", "1A", "Cuijk")


def test_a_stack_keeps_no_page_pixels_and_an_unread_page_is_read_again_when_named(db, tmp_path):
    """An unrecognised page kept its straightened pixels (2.2 MB) until the end of the run, in
    case a person would name it: 1.3 GB for 500 such pages. It is read again instead."""
    _school(db)
    forms, pdf = issue_forms(db, ["1001", "1003"], tmp_path)
    known = scan_form(tmp_path / "a.png", pdf, 0, [layout.JA, layout.NEE, layout.JA])
    unread = hide_qr_code(scan_form(tmp_path / "b.png", pdf, 1, [layout.NEE, layout.JA, layout.JA]))
    pages = scans.read_stack(db, [known, unread])
    assert [page.status for page in pages] == ["ok", scans.NOT_RECOGNISED]
    assert _arrays(pages) == []
    assert pages[1].can_be_named and not pages[0].can_be_named

    scans.name_form(db, pages[1], "1003")
    assert pages[1].form.id == forms[1].id
    assert pages[1].outcomes == [layout.NEE, layout.JA, layout.JA]
    assert pages[1].crop_jpeg[:2] == b"\xff\xd8" and _arrays(pages) == []


def test_a_page_changed_after_reading_is_not_named_from_the_new_file(db, tmp_path):
    _school(db)
    forms, pdf = issue_forms(db, ["1001", "1003"], tmp_path)
    unread = hide_qr_code(scan_form(tmp_path / "b.png", pdf, 1, [layout.NEE, layout.JA, layout.JA]))
    [page] = scans.read_stack(db, [unread])
    scan_form(unread, pdf, 0, [layout.JA, layout.JA, layout.JA])  # another scan, same name
    with pytest.raises(InputError, match="b.png is veranderd sinds het lezen"):
        scans.name_form(db, page, "1003")
    assert page.form is None
