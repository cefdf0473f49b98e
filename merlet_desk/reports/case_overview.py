"""Case overview of a location, or of all locations, over a period: counts per category and per
month (tables and a bar chart drawn with reportlab.graphics), then the list of cases. The period
is on the incident date, both ends included. For all locations the counts are the totals, with a
table per location and status first, and the list of cases comes location by location.
"""

from __future__ import annotations

import os
from datetime import date, datetime

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Table, TableStyle

from merlet_desk.domain import cases as rules
from merlet_desk.domain.text import count_text, number_text
from merlet_desk.errors import InputError
from merlet_desk.letterhead import location_names
from merlet_desk.reports.common import data_table, heading, markup, para, spacer
from merlet_desk.reports.consent_overview import resolve_location
from merlet_desk.reports.letterhead import (
    CONTENT_WIDTH,
    FONT,
    INK,
    NAVY,
    GroupMarker,
    build_pdf,
    esc,
    format_date,
)
from merlet_desk.store import cases as store
from merlet_desk.store.sqlite_utils_import import Database

TITLE = "Overzicht incidenten"
MONTHS_NL = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
BAR_FILL = HexColor("#4a6a8f")  # mid-dark: prints as a clear grey


def months_between(first: date, last: date) -> list[str]:
    """Every month "2026-03" from the month of `first` to that of `last`."""
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


MAX_MONTHS = 120  # ten years of months in the tables and the chart


def report_months(
    date_from: date, date_to: date, per_month: dict[str, int]
) -> tuple[list[str], str | None]:
    """The months the tables and the chart show, and a note when the period was bounded.

    A period of at most `MAX_MONTHS` months shows every month. A longer one (`--from
    0001-01-01 --to 9999-12-31`: 120,000 months) shows only the months from the first to the
    last month with a case, and at most the last `MAX_MONTHS` of those; the note says so.
    """
    span = (date_to.year - date_from.year) * 12 + date_to.month - date_from.month + 1
    if span <= MAX_MONTHS:
        return months_between(date_from, date_to), None
    count = f"{span:,}".replace(",", ".")
    if not per_month:
        return [], f"De periode beslaat {count} maanden; er zijn geen maanden met incidenten."
    first, last = min(per_month), max(per_month)
    months = months_between(
        date(int(first[:4]), int(first[5:]), 1), date(int(last[:4]), int(last[5:]), 1)
    )
    note = (
        f"De periode beslaat {count} maanden; de aantallen per maand en de grafiek zijn "
        f"begrensd tot {month_label(first)} t/m {month_label(last)}, de maanden met incidenten"
    )
    if len(months) > MAX_MONTHS:
        months = months[-MAX_MONTHS:]
        note += f", en daarvan de laatste {MAX_MONTHS}"
    return months, note + "."


def month_label(month: str) -> str:
    year, number = month.split("-")
    return f"{MONTHS_NL[int(number) - 1]} {year}"


def month_chart(months: list[str], counts: dict[str, int]) -> Drawing:
    """Bars of the number of cases per month."""
    width, height = CONTENT_WIDTH, 170
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 30, 38
    chart.width, chart.height = width - 40, height - 60
    values = [counts.get(month, 0) for month in months]
    chart.data = [values or [0]]
    chart.bars[0].fillColor = BAR_FILL
    chart.bars[0].strokeColor = INK
    chart.bars[0].strokeWidth = 0.3
    top = max(values, default=0)
    step = max(1, -(-top // 5))
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(step * 5, 1)
    chart.valueAxis.valueStep = step
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = HexColor("#c8c8c8")
    chart.valueAxis.gridStrokeWidth = 0.3
    every = max(1, -(-len(months) // 18))  # keep labels legible for long periods
    chart.categoryAxis.categoryNames = [
        month_label(m) if i % every == 0 else "" for i, m in enumerate(months)
    ] or [""]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 45 if len(months) > 8 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(months) > 8 else "n"
    chart.categoryAxis.labels.dy = -2
    chart.barLabelFormat = lambda v: str(int(v)) if v else ""
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    drawing.add(chart)
    drawing.add(
        String(
            0,
            height - 10,
            "Aantal incidenten per maand",
            fontName=FONT,
            fontSize=8.5,
            fillColor=NAVY,
        )
    )
    return drawing


def _counts_table(counts: list[tuple[str, int]], header: list[str], widths: list[float]) -> Table:
    """(label, count) rows and their total, the counts written as everywhere (2.083)."""
    rows = [[label, number_text(count)] for label, count in counts]
    total = number_text(sum(count for _label, count in counts))
    table = data_table(header, [*rows, ["Totaal", total]], widths, center_columns=(1,))
    table.setStyle(TableStyle([("LINEABOVE", (0, -1), (-1, -1), 0.8, INK)]))
    return table


def _case_table(cases: list[store.CaseRow]) -> Table:
    return data_table(
        ["Kenmerk", "Datum", "Categorie", "Platform", "Status", "Samenvatting"],
        [
            [
                c.reference,
                format_date(c.incident_date),
                c.category_label,
                c.platform_label,
                c.status_label,
                c.summary,
            ]
            for c in cases
        ],
        [0.115, 0.125, 0.22, 0.11, 0.12, 0.31],
    )


def _status_counts(cases: list[store.CaseRow]) -> dict[str, int]:
    statuses = {s: 0 for s in rules.STATUSES}
    for case in cases:
        statuses[case.status] = statuses.get(case.status, 0) + 1
    return statuses


def _location_table(cases: list[store.CaseRow], locations: list[str]) -> Table:
    """Per location the cases by status and in all; the totals under them."""
    header = ["Locatie", *[rules.STATUS_LABELS[s] for s in rules.STATUSES], "Totaal"]

    def row(label: str, chosen: list[store.CaseRow]) -> list[str]:
        counts = _status_counts(chosen)
        return [label, *[number_text(counts[s]) for s in rules.STATUSES], number_text(len(chosen))]

    rows = [row(name, [c for c in cases if c.location == name]) for name in locations]
    table = data_table(
        header,
        [*rows, row("Totaal", cases)],
        [0.32, 0.17, 0.17, 0.17, 0.17],
        center_columns=(1, 2, 3, 4),
    )
    table.setStyle(TableStyle([("LINEABOVE", (0, -1), (-1, -1), 0.8, INK)]))
    return table


def case_overview_story(
    db: Database, location: str | None, date_from: date, date_to: date
) -> list[Flowable]:
    """The flowables of the overview; `location` None: all locations."""
    labels = store.category_labels(db)
    per_category = store.count_by_category(db, location, date_from, date_to)
    per_month = store.count_by_month(db, location, date_from, date_to)
    cases = store.list_cases(
        db, store.CaseFilter(location=location, date_from=date_from, date_to=date_to)
    )
    cases.sort(key=lambda c: (c.incident_date, c.reference))
    months, bounded = report_months(date_from, date_to, per_month)
    where = location or "alle locaties"
    story: list[Flowable] = [heading(f"Incidenten {where}", 1)]
    story.append(
        markup(
            f"Periode <b>{esc(format_date(date_from))}</b> t/m <b>{esc(format_date(date_to))}</b>"
            " (datum van het incident) · " + count_text(len(cases), "1 incident", "%1 incidenten"),
            "body",
        )
    )
    statuses = _status_counts(cases)
    story.append(
        para(
            " · ".join(f"{rules.STATUS_LABELS[s]}: {number_text(n)}" for s, n in statuses.items()),
            "muted",
        )
    )
    if bounded:
        story.append(para(bounded, "muted"))
    story.append(spacer(8))
    known = list(location_names())
    locations = [*known, *sorted({c.location for c in cases} - set(known))]
    if location is None:
        story += [heading("Per locatie", 2), _location_table(cases, locations), spacer(6)]

    category_rows = [(labels.get(code, code), count) for code, count in per_category.items()]
    month_rows = [(month_label(m), per_month.get(m, 0)) for m in months]
    count_width = 48.0
    left_width, right_width = CONTENT_WIDTH * 0.6, CONTENT_WIDTH * 0.4
    left = _counts_table(
        category_rows, ["Categorie", "Aantal"], [left_width - count_width - 12, count_width]
    )
    right = _counts_table(
        month_rows, ["Maand", "Aantal"], [right_width - count_width - 12, count_width]
    )
    title = "Aantallen" if location else "Aantallen, alle locaties samen"
    if len(month_rows) <= 24:
        side = Table(
            [[left, right]],
            colWidths=[left_width, right_width],
            hAlign="LEFT",
        )
        side.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        story.append(KeepTogether([heading(title, 2), side]))
    else:
        story += [heading("Per categorie", 2), left, heading("Per maand", 2), right]
    story.append(spacer(10))
    story.append(month_chart(months, per_month))

    if location is not None or not cases:
        story.append(heading(f"Incidenten ({number_text(len(cases))})", 2))
        story.append(
            _case_table(cases) if cases else para("Geen incidenten in deze periode.", "muted")
        )
        return story
    # All locations: each location's list on pages of its own, its header naming it, so a
    # location manager can be handed theirs.
    for name in locations:
        chosen = [c for c in cases if c.location == name]
        story += [
            PageBreak(),
            GroupMarker("", name),
            heading(f"Incidenten locatie {name} ({number_text(len(chosen))})", 2),
            _case_table(chosen)
            if chosen
            else para("Geen incidenten op deze locatie in deze periode.", "muted"),
        ]
    return story


def build_case_overview(
    db: Database,
    path: str | os.PathLike[str],
    *,
    location: str | None,
    date_from: date,
    date_to: date,
    made_by: str | None = None,
    made_at: datetime | None = None,
) -> int:
    """Write the case overview of `location` (None: all locations) for the period to `path`;
    returns the page count.

    InputError (and no file) for an unknown location or a period that ends before it starts.
    """
    location = resolve_location(location) if location is not None else None
    if date_from > date_to:
        raise InputError("De periode eindigt voordat ze begint (van ligt na tot).")
    return build_pdf(
        path,
        f"{TITLE} {format_date(date_from)} t/m {format_date(date_to)}",
        case_overview_story(db, location, date_from, date_to),
        location=location,
        made_by=made_by,
        made_at=made_at,
        subject=f"Incidenten {location or 'alle locaties'}",
    )
