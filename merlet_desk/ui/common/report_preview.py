"""Show a report's pages inside the application, and print exactly those pages.

Qt's own PDF module is not part of PySide6-Essentials, so pages are rasterised with pypdfium2
into QImages. The same renderer feeds the printer, so what is printed is what was previewed.
pdfium is not thread-safe: it is only called from the GUI thread (the export worker runs
reportlab only).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QRectF, Qt, QTimer
from PySide6.QtGui import QImage, QPainter, QPixmap, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from merlet_desk.domain.text import count_text
from merlet_desk.errors import OutputError
from merlet_desk.output_file import atomic_output
from merlet_desk.store.errors import StoreError
from merlet_desk.ui.common import dialogs
from merlet_desk.ui.common.screen import fit_to_screen

PREVIEW_DPI = 96.0
PRINT_DPI_MAX = 300.0


def _tr(text: str) -> str:
    return QCoreApplication.translate("report_preview", text)


def page_count(pdf_path: str | Path) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf_path))
    try:
        return len(document)
    finally:
        document.close()


def _render_page(document: Any, index: int, dpi: float) -> QImage:
    page = document[index]
    bitmap = page.render(scale=dpi / 72.0, rev_byteorder=True, prefer_bgrx=True)
    try:
        image = QImage(
            bytes(bitmap.buffer),
            bitmap.width,
            bitmap.height,
            bitmap.stride,
            QImage.Format.Format_RGBX8888,
        ).copy()  # own the pixels before pdfium frees its buffer
    finally:
        bitmap.close()
        page.close()
    image.setDotsPerMeterX(round(dpi / 0.0254))
    image.setDotsPerMeterY(round(dpi / 0.0254))
    return image


def render_pages(
    pdf_path: str | Path, dpi: float = PREVIEW_DPI, pages: range | None = None
) -> list[QImage]:
    """Rasterise pages of a PDF to QImages (RGB, white background) at `dpi`."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf_path))
    images: list[QImage] = []
    try:
        for index in pages if pages is not None else range(len(document)):
            images.append(_render_page(document, index, dpi))
    finally:
        document.close()
    return images


def print_pdf(parent: QWidget | None, pdf_path: str | Path, title: str) -> bool:
    """Ask for a printer (dialogs.choose_printer) and print every page of the PDF.

    Returns False when the user cancelled. Pages are drawn on the full sheet: the letterhead
    keeps margins of at least 15 mm, which every office printer can reach.
    """
    from PySide6.QtGui import QPageLayout, QPageSize
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)
    if not dialogs.choose_printer(parent, printer):
        return False
    dpi = min(float(printer.resolution()), PRINT_DPI_MAX)
    total = page_count(pdf_path)
    first, last = printer.fromPage(), printer.toPage()
    wanted = range(first - 1, last) if first > 0 and last >= first else range(total)
    wanted = range(max(wanted.start, 0), min(wanted.stop, total))
    painter = QPainter()
    if not painter.begin(printer):
        dialogs.show_error(parent, _tr("Afdrukken mislukt"), _tr("De printer is niet beschikbaar."))
        return False
    try:
        for n, index in enumerate(wanted):
            if n:
                printer.newPage()
            image = render_pages(pdf_path, dpi, range(index, index + 1))[0]
            paper = printer.paperRect(QPrinter.Unit.DevicePixel)
            scale = min(paper.width() / image.width(), paper.height() / image.height())
            width, height = image.width() * scale, image.height() * scale
            target = QRectF(
                paper.x() + (paper.width() - width) / 2,
                paper.y() + (paper.height() - height) / 2,
                width,
                height,
            )
            painter.drawImage(target, image)
    finally:
        painter.end()
    return True


class ReportPreviewDialog(QDialog):
    """The pages of a report, one under the other, with Print and Save buttons.

    Drive it in tests with `open()` (never `exec()`); `page_labels` holds one label per page.
    """

    def __init__(
        self,
        pdf_path: str | Path,
        title: str,
        suggested_name: str = "rapport.pdf",
        parent: QWidget | None = None,
    ) -> None:
        import pypdfium2

        super().__init__(parent)
        self.pdf_path = Path(pdf_path)
        self.suggested_name = suggested_name
        self.report_title = title
        self.setWindowTitle(_tr("Voorbeeld: %1").replace("%1", title))
        fit_to_screen(self, 880, 900)
        # Pages are rendered when they scroll into view and dropped when far away: a 40-page
        # overview would otherwise hold well over 100 MB of pixels.
        self._document = pypdfium2.PdfDocument(str(self.pdf_path))
        self._rendered: set[int] = set()
        self.finished.connect(self._close_document)
        total = len(self._document)

        column = QWidget()
        column.setStyleSheet("background:#7a7f87;")
        column_layout = QVBoxLayout(column)
        column_layout.setSpacing(14)
        column_layout.setContentsMargins(18, 18, 18, 18)
        self.page_labels: list[QLabel] = []
        for index in range(total):
            width_pt, height_pt = self._document[index].get_size()
            label = QLabel()
            label.setFixedSize(
                round(width_pt / 72 * PREVIEW_DPI), round(height_pt / 72 * PREVIEW_DPI)
            )
            label.setStyleSheet("background:#ffffff;")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setAccessibleName(
                _tr("Pagina %1 van %2").replace("%1", str(index + 1)).replace("%2", str(total))
            )
            column_layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(label)
        column_layout.addStretch(1)

        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(column)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setAlignment(Qt.AlignmentFlag.AlignHCenter)

        self.info = QLabel(count_text(total, _tr("1 pagina"), _tr("%1 pagina's")))
        self.print_button = QPushButton(_tr("Afdrukken…"))
        self.print_button.clicked.connect(self.print_report)
        self.save_button = QPushButton(_tr("Opslaan als pdf…"))
        self.save_button.clicked.connect(self.save_copy)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_tr("Sluiten"))

        row = QHBoxLayout()
        row.addWidget(self.info)
        row.addStretch(1)
        row.addWidget(self.save_button)
        row.addWidget(self.print_button)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll_area, 1)
        layout.addLayout(row)

        self.scroll_area.verticalScrollBar().valueChanged.connect(self.render_visible)

    def page_count(self) -> int:
        return len(self.page_labels)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        QTimer.singleShot(0, self.render_visible)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self.render_visible()

    def visible_pages(self) -> list[int]:
        """Indexes of the pages (partly) inside the scroll area's viewport."""
        viewport = self.scroll_area.viewport()
        top = self.scroll_area.verticalScrollBar().value()
        bottom = top + max(viewport.height(), 1)
        return [
            index
            for index, label in enumerate(self.page_labels)
            if label.y() < bottom and label.y() + label.height() > top
        ]

    def render_visible(self) -> None:
        """Render the pages in view (and one either side); forget those far away."""
        if self._document is None:
            return
        visible = self.visible_pages() or [0]
        wanted = set(range(max(visible[0] - 1, 0), min(visible[-1] + 2, len(self.page_labels))))
        for index in sorted(self._rendered - wanted):
            if abs(index - visible[0]) > 3:
                self.page_labels[index].setPixmap(QPixmap())
                self._rendered.discard(index)
        for index in sorted(wanted - self._rendered):
            image = _render_page(self._document, index, PREVIEW_DPI)
            self.page_labels[index].setPixmap(QPixmap.fromImage(image))
            self._rendered.add(index)

    def rendered_pages(self) -> set[int]:
        return set(self._rendered)

    def _close_document(self) -> None:
        if self._document is not None:
            self._document.close()
            self._document = None

    def print_report(self) -> bool:
        return print_pdf(self, self.pdf_path, self.report_title)

    def save_copy(self) -> Path | None:
        """Save the previewed PDF itself (no rebuild): what was seen is what is saved."""
        target = dialogs.choose_output_path(
            self,
            _tr("Rapport opslaan"),
            self.suggested_name,
            _tr("PDF-bestand (*.pdf)"),
            "report",
            suffix=".pdf",
        )
        if target is None:
            return None
        try:
            with atomic_output(target) as temporary:
                shutil.copyfile(self.pdf_path, temporary)
        except (OutputError, StoreError) as exc:
            dialogs.show_error(self, _tr("Opslaan mislukt"), str(exc))
            return None
        return target

    def make_instead(
        self, save: Callable[[], object], print_: Callable[[], object], note: str
    ) -> None:
        """For a preview that is not the document itself (paper forms, which are recorded
        only when written or printed): Save and Print make the real one with `save` and
        `print_`, and `note` says so beside the page count."""
        for button, action in ((self.save_button, save), (self.print_button, print_)):
            button.clicked.disconnect()
            button.clicked.connect(lambda _checked=False, act=action: self._then_close(act))
        self.info.setText(f"{self.info.text()} · {note}")
        self.info.setWordWrap(True)

    def _then_close(self, action: Callable[[], object]) -> None:
        if action():
            self.accept()
