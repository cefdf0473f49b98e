"""The chart of `make bench`: how each figure's cost grows from 2,000 to 20,000 pupils.

One pair of horizontal bars per figure: the cost at 20,000 pupils divided by the cost at
2,000, for Merlet Desk and (where the figure has one) for the bare baseline, on a logarithmic
axis with lines at 1× (does not grow) and 10× (grows like the data). A bar past the 10× line
grows faster than the data.

Drawn with Qt's QPainter, which the program already needs: a plotting library would bring
numpy, which sqlite-utils then imports at start-up and so slows the start-up figure itself.
"""

from __future__ import annotations

import math
from pathlib import Path

from common import Row, by_figure, growth

WIDTH, ROW_HEIGHT, LABEL_WIDTH, MARGIN = 1100, 34, 430, 24
OURS, BARE, DATA_LINE = "#1f5f8b", "#b8b8b8", "#c0392b"


def growth_pairs(rows: list[Row], sizes: list) -> list[tuple[str, float, float | None]]:
    """(figure, our growth, the baseline's growth or None) for each figure at both sizes."""
    small, large = sizes[0], sizes[-1]
    pairs = []
    for figure, per_size in by_figure(rows).items():
        ours = growth(per_size.get(small), per_size.get(large))
        if ours is None or ours <= 0:
            continue
        a, b = per_size[small], per_size[large]
        bare = b.baseline / a.baseline if a.baseline and b.baseline else None
        pairs.append((figure, ours, bare))
    return pairs


def write_chart(rows: list[Row], sizes: list, path: Path) -> None:
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QFontMetrics, QGuiApplication, QImage, QPainter, QPen

    _app = QGuiApplication.instance() or QGuiApplication(["bench-chart"])
    pairs = growth_pairs(rows, sizes)
    data_growth = sizes[-1].pupils / sizes[0].pupils
    values = [v for _, ours, bare in pairs for v in (ours, bare) if v]
    low = 10 ** math.floor(math.log10(min([*values, 1.0]) * 0.9))
    high = 10 ** math.ceil(math.log10(max([*values, data_growth]) * 1.1))
    top = MARGIN + 40
    height = top + ROW_HEIGHT * len(pairs) + 90
    plot_left, plot_right = LABEL_WIDTH, WIDTH - MARGIN - 50

    def x_of(value: float) -> float:
        share = (math.log10(value) - math.log10(low)) / (math.log10(high) - math.log10(low))
        return plot_left + share * (plot_right - plot_left)

    image = QImage(WIDTH, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont("DejaVu Sans", 9)
    painter.setFont(font)
    title = QFont(font)
    title.setPointSize(11)
    title.setBold(True)
    painter.setFont(title)
    painter.drawText(
        QRectF(MARGIN, MARGIN - 6, WIDTH - 2 * MARGIN, 30),
        Qt.AlignmentFlag.AlignLeft,
        f"How each figure grows from {sizes[0].pupils:,} to {sizes[-1].pupils:,} pupils "
        "(make bench)",
    )
    painter.setFont(font)
    metrics = QFontMetrics(font)
    bottom = top + ROW_HEIGHT * len(pairs)
    # The axis: a grid line per power of ten, the 1x line, the data's own growth.
    decade = low
    while decade <= high:
        x = x_of(decade)
        painter.setPen(QPen(QColor("#dddddd"), 1))
        painter.drawLine(QPointF(x, top - 6), QPointF(x, bottom))
        painter.setPen(QColor("#333333"))
        painter.drawText(QRectF(x - 40, bottom + 4, 80, 18), Qt.AlignmentFlag.AlignCenter,
                         f"{decade:g}×")  # fmt: skip
        decade *= 10
    painter.setPen(QPen(QColor("#555555"), 1.2))
    painter.drawLine(QPointF(x_of(1), top - 6), QPointF(x_of(1), bottom))
    painter.setPen(QPen(QColor(DATA_LINE), 1.6, Qt.PenStyle.DashLine))
    painter.drawLine(QPointF(x_of(data_growth), top - 10), QPointF(x_of(data_growth), bottom))
    painter.setPen(QColor(DATA_LINE))
    painter.drawText(QPointF(x_of(data_growth) + 4, top - 12), f"{data_growth:g}× the data")
    bar = (ROW_HEIGHT - 10) / 2
    for index, (figure, ours, bare) in enumerate(pairs):
        y = top + index * ROW_HEIGHT
        painter.setPen(QColor("#1a1a1a"))
        label_width = plot_left - MARGIN - 8
        painter.drawText(
            QRectF(MARGIN, y, label_width, ROW_HEIGHT),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(figure, Qt.TextElideMode.ElideRight, int(label_width)),
        )
        start = x_of(low)
        painter.fillRect(QRectF(start, y + 4, x_of(ours) - start, bar), QColor(OURS))
        painter.drawText(QPointF(x_of(ours) + 4, y + 4 + bar - 3), f"{ours:.1f}×")
        if bare:
            painter.fillRect(QRectF(start, y + 4 + bar, x_of(bare) - start, bar), QColor(BARE))
    # Legend and axis label.
    legend_y = bottom + 34
    for offset, (colour, text) in enumerate(((OURS, "Merlet Desk"), (BARE, "bare baseline"))):
        x = plot_left + offset * 170
        painter.fillRect(QRectF(x, legend_y, 14, 12), QColor(colour))
        painter.setPen(QColor("#1a1a1a"))
        painter.drawText(QPointF(x + 20, legend_y + 11), text)
    painter.drawText(
        QRectF(plot_left, legend_y + 20, plot_right - plot_left, 18),
        Qt.AlignmentFlag.AlignCenter,
        f"cost at {sizes[-1].pupils:,} pupils ÷ cost at {sizes[0].pupils:,} pupils (logarithmic)",
    )
    painter.end()
    image.save(str(path))
