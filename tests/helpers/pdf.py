"""Reading the reports a test made: the text of each page, the letterhead on every page,
printing to a file."""

from __future__ import annotations


def page_texts(path) -> list[str]:
    """The text of each page of a PDF, as a reader's copy-paste would give it."""
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(str(path)).pages]


def flat(texts) -> str:
    """All pages as one line of words (table cells wrap names and phrases over lines)."""
    return " ".join("\n".join(texts).split())


def pdf_text(path) -> str:
    """A whole PDF as one line of words."""
    return flat(page_texts(path))


def assert_letterhead_on_every_page(texts: list[str]) -> None:
    """Every page: postal address, the three locations, IBAN, and "pagina N van M"."""
    from merlet_desk.letterhead import load_letterhead

    letterhead = load_letterhead()
    total = len(texts)
    for number, text in enumerate(texts, start=1):
        assert letterhead.wordmark in text
        for line in letterhead.postal_address:
            assert line in text, (number, line)
        for location in letterhead.locations:
            assert location.name in text
            assert location.street in text
            assert location.postcode_city in text
            assert f"T {location.phone}" in text
        assert letterhead.iban in text and letterhead.bic in text
        assert letterhead.email in text
        assert f"pagina {number} van {total}" in text, number


def print_to_file(monkeypatch, printed):
    """Patch the print dialog: "print" to a PDF file instead of a printer."""
    from merlet_desk.ui.common import dialogs

    def fake_printer(parent, printer):
        from PySide6.QtPrintSupport import QPrinter

        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return True

    monkeypatch.setattr(dialogs, "choose_printer", fake_printer)
    return printed
