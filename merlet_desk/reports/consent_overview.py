"""Consent overview of a location or of all locations (optionally one class): pupils ×
purposes, per class.

Each class starts on a new page, so a mentor can be handed the pages of their class; the page
header names the class, and the table header (with the purposes) repeats on every page. The
symbols are the register's own (`STATE_SYMBOLS`), explained in a legend above each class table.
Below a class table, the sources: the scanned paper forms its current statuses rest on. For all
locations, a first page counts per location (pupils, and who may appear per purpose) with the
totals, and the classes follow location by location, each page's header naming its location.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date, datetime
from itertools import groupby

from reportlab.platypus import Flowable, PageBreak, Table, TableStyle

from merlet_desk import clock
from merlet_desk.domain import consent as rules
from merlet_desk.domain.text import count_text, number_text
from merlet_desk.errors import InputError
from merlet_desk.reports.common import (
    GRID,
    HEADER_FILL,
    STYLES,
    ZEBRA_FILL,
    clip,
    data_table,
    heading,
    legend,
    markup,
    para,
    spacer,
    symbol_font,
    wrap_lines,
    wrapped_text,
)
from merlet_desk.reports.letterhead import (
    CONTENT_WIDTH,
    FONT,
    FONT_BOLD,
    INK,
    GroupMarker,
    build_pdf,
    esc,
    format_date,
    nfc,
)
from merlet_desk.store import consent_settings as settings_store
from merlet_desk.store import paper_forms
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store import purposes as purpose_store
from merlet_desk.store import statuses as store
from merlet_desk.store.engine import dialect
from merlet_desk.store.sqlite_utils_import import Database

TITLE = "Overzicht toestemmingen beeldmateriaal"
HEADER_FONT_SIZE = 7.0
HEADER_LEADING = 8.5
HEADER_MAX_HEIGHT = 92.0  # long purpose labels wrap onto up to three rotated lines


class RotatedLabel(Flowable):
    """A column heading written bottom-to-top, so many purposes fit across an A4 page."""

    def __init__(self, text: str, max_length: float = HEADER_MAX_HEIGHT) -> None:
        super().__init__()
        self.lines = wrap_lines(text, FONT_BOLD, HEADER_FONT_SIZE, max_length)[:3]
        self.length = max(
            (pdf_width(line) for line in self.lines),
            default=0.0,
        )

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return len(self.lines) * HEADER_LEADING, self.length

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFont(FONT_BOLD, HEADER_FONT_SIZE)
        canvas.setFillColor(INK)
        canvas.rotate(90)
        for index, line in enumerate(self.lines):
            # After rotating, x runs up the page and y runs to the left.
            canvas.drawString(0, -(index + 1) * HEADER_LEADING + 2, line)
        canvas.restoreState()


def pdf_width(text: str) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, FONT_BOLD, HEADER_FONT_SIZE)


def legend_items() -> list[tuple[str, str]]:
    return [(rules.STATE_SYMBOLS[state], rules.STATE_LABELS[state]) for state in rules.STATES]


def _validity_text(settings: rules.ConsentSettings, on: date) -> str:
    if settings.validity == rules.SCHOOL_YEAR:
        start, end = rules.school_year(on, settings)
        return (
            f"Toestemming geldt per schooljaar (dit schooljaar: {format_date(start)} t/m "
            f"{format_date(end)})."
        )
    return "Toestemming geldt tot ze wordt ingetrokken."


def _class_table(
    rows: Sequence[tuple[pupil_store.Pupil, dict[str, rules.Status]]],
    purposes: Sequence[purpose_store.Purpose],
) -> Table:
    n = len(purposes)
    number_width = 48.0
    purpose_width = min(40.0, max(22.0, (CONTENT_WIDTH - number_width - 150) / max(n, 1)))
    name_width = CONTENT_WIDTH - number_width - n * purpose_width
    header = [
        para("Nr.", "head"),
        para("Leerling", "head"),
        *[RotatedLabel(purpose.label) for purpose in purposes],
    ]
    data: list[list[object]] = [header]
    symbols = {state: nfc(symbol) for state, symbol in rules.STATE_SYMBOLS.items()}
    fonts = {state: symbol_font(symbol) for state, symbol in symbols.items()}
    # Cells whose symbol DejaVu lacks get the symbol font through the table style.
    symbol_font_cells: list[tuple[str, int, int]] = []
    name_style = STYLES["cell"]
    allowed_counts = [0] * n
    for pupil, statuses in rows:
        # Plain text, wrapped like a cell Paragraph: a Paragraph per pupil was a fifth of the
        # report's time.
        cells: list[object] = [
            pupil.number,
            wrapped_text(clip(pupil.name), name_style, name_width),
        ]
        for index, purpose in enumerate(purposes):
            status = statuses.get(purpose.code)
            state = status.state if status else rules.NO_RECORD
            if status is not None and status.allowed:
                allowed_counts[index] += 1
            cells.append(symbols[state])
            if fonts[state] != FONT:
                symbol_font_cells.append((fonts[state], index + 2, len(data)))
        data.append(cells)
    data.append(
        [
            "",
            para("Mag in beeld (✓ en ✓!)", "head"),
            *[number_text(count) for count in allowed_counts],
        ]
    )
    table = Table(
        data,
        colWidths=[number_width, name_width, *([purpose_width] * n)],
        repeatRows=1,
        hAlign="LEFT",
    )
    last = len(data) - 1
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 1), (0, -1), FONT, 8),
                ("FONT", (1, 1), (1, last - 1), FONT, name_style.fontSize, name_style.leading),
                ("TEXTCOLOR", (1, 1), (1, last - 1), name_style.textColor),
                ("FONT", (2, 1), (-1, -1), FONT, 10),
                ("FONT", (2, last), (-1, last), FONT_BOLD, 8),
                ("ALIGN", (2, 0), (-1, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("VALIGN", (0, 0), (1, 0), "BOTTOM"),
                ("VALIGN", (2, 0), (-1, 0), "BOTTOM"),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
                ("ROWBACKGROUNDS", (0, 1), (-1, last - 1), [None, ZEBRA_FILL]),
                ("LINEBELOW", (0, 1), (-1, last - 1), 0.25, GRID),
                ("LINEBEFORE", (2, 0), (-1, -1), 0.25, GRID),
                ("LINEABOVE", (0, last), (-1, last), 0.8, INK),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                *[
                    ("FONT", (col, row), (col, row), font, 10)
                    for font, col, row in symbol_font_cells
                ],
            ]
        )
    )
    return table


def _sources(
    db: Database,
    members: Sequence[tuple[pupil_store.Pupil, dict[str, rules.Status]]],
    purposes: Sequence[purpose_store.Purpose],
) -> list[Flowable]:
    """The scanned paper forms the class's current statuses rest on: the proof the
    school can show, kept in the database with the pupil's file."""
    decision_ids = [
        status.decision.id
        for _, statuses in members
        for status in statuses.values()
        if status.decision is not None and status.decision.id is not None
    ]
    by_decision = paper_forms.scan_ids_by_decision(db, decision_ids)
    if not by_decision:
        return []
    labels = {purpose.code: purpose.label for purpose in purposes}
    scans = paper_forms.scans_of_pupils(db, [pupil.id for pupil, _ in members])
    rows = []
    for pupil, statuses in members:
        for scan in scans.get(pupil.id, []):
            resting = [
                labels.get(code, code)
                for code, status in statuses.items()
                if status.decision is not None
                and status.decision.id is not None
                and by_decision.get(status.decision.id) == scan.id
            ]
            if resting:
                rows.append(
                    [
                        pupil.number,
                        pupil.name,
                        scan.form_label,
                        format_date(scan.received_on),
                        ", ".join(resting),
                    ]
                )
    if not rows:
        return []
    return [
        spacer(8),
        heading("Bronnen: gescande papieren formulieren", 3),
        markup(
            "De stand van deze leerlingen rust (voor de genoemde doelen) op een ondertekend "
            "papieren formulier; de scan is bewaard in de database en staat in het "
            "inzageoverzicht van de leerling.",
            "small",
        ),
        spacer(3),
        data_table(
            ["Nr.", "Leerling", "Formulier", "Ontvangen", "Doelen"],
            rows,
            [0.09, 0.24, 0.15, 0.12, 0.4],
        ),
    ]


def _allowed_counts(
    rows: Sequence[tuple[pupil_store.Pupil, dict[str, rules.Status]]],
    purposes: Sequence[purpose_store.Purpose],
) -> list[int]:
    """Per purpose, how many of these pupils may appear (✓ and ✓!)."""
    return [
        sum(1 for _, statuses in rows if (s := statuses.get(p.code)) is not None and s.allowed)
        for p in purposes
    ]


def _location_summary(
    rows: Sequence[tuple[pupil_store.Pupil, dict[str, rules.Status]]],
    purposes: Sequence[purpose_store.Purpose],
    locations: Sequence[str],
) -> Table:
    """One row per location (pupils, then per purpose who may appear) and the totals."""
    n = len(purposes)
    count_width = 64.0
    purpose_width = min(40.0, max(22.0, (CONTENT_WIDTH - count_width - 120) / max(n, 1)))
    name_width = CONTENT_WIDTH - count_width - n * purpose_width
    data: list[list[object]] = [
        [
            para("Locatie", "head"),
            para("Leerlingen", "head"),
            *[RotatedLabel(purpose.label) for purpose in purposes],
        ]
    ]
    for location in locations:
        members = [row for row in rows if row[0].location == location]
        data.append(
            [
                location,
                number_text(len(members)),
                *[number_text(c) for c in _allowed_counts(members, purposes)],
            ]
        )
    data.append(
        [
            "Totaal",
            number_text(len(rows)),
            *[number_text(c) for c in _allowed_counts(rows, purposes)],
        ]
    )
    table = Table(
        data,
        colWidths=[name_width, count_width, *([purpose_width] * n)],
        repeatRows=1,
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 1), (-1, -1), FONT, 9),
                ("FONT", (0, -1), (-1, -1), FONT_BOLD, 9),
                ("ALIGN", (1, 0), (-1, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
                ("LINEBELOW", (0, 1), (-1, -2), 0.25, GRID),
                ("LINEBEFORE", (1, 0), (-1, -1), 0.25, GRID),
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, INK),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def consent_overview_story(
    db: Database, location: str | None, class_name: str | None, on: date
) -> list[Flowable]:
    """The flowables of the overview (validated location and class); `location` None: all
    locations, grouped per location after a page with the counts per location."""
    purposes = purpose_store.list_purposes(db)
    settings = settings_store.consent_settings(db)
    rows = store.register_statuses(db, on, location=location, class_name=class_name)
    intro = markup(
        f"Stand op <b>{esc(format_date(on))}</b>. {esc(_validity_text(settings, on))} "
        "Geen vastlegging betekent geen toestemming.",
        "small",
    )
    story: list[Flowable] = []
    if not rows:
        where = f"Locatie {location}" if location else "Alle locaties"
        story += [heading(where, 1), intro, spacer(8)]
        story.append(
            para(
                "Er staan geen leerlingen op deze locatie in het register."
                if location
                else "Er staan geen leerlingen in het register.",
                "body",
            )
        )
        return story
    if location is None:
        order = {name: index for index, name in enumerate(pupil_store.known_locations())}
        rows = sorted(rows, key=lambda row: order.get(row[0].location, len(order)))
        locations = list(dict.fromkeys(pupil.location for pupil, _ in rows))
        story += [
            heading("Alle locaties", 1),
            markup(
                count_text(len(rows), "1 leerling", "%1 leerlingen")
                + " · "
                + count_text(len(locations), "1 locatie", "%1 locaties")
                + (f" · klas {esc(class_name)}" if class_name else ""),
                "muted",
            ),
            intro,
            spacer(6),
            heading("Per locatie: leerlingen en wie in beeld mag (✓ en ✓!)", 2),
            _location_summary(rows, purposes, locations),
            spacer(6),
            para(
                "Daarna per locatie elke klas op een eigen pagina, met de symbolen per "
                "leerling en doel.",
                "muted",
            ),
        ]
    first = location is not None
    for (where, klass), group in groupby(
        rows, key=lambda row: (row[0].location, row[0].class_name)
    ):
        members = list(group)
        if not first:
            story.append(PageBreak())
        story.append(GroupMarker(f"Klas {klass}", where))
        story.append(heading(f"Klas {klass}", 1))
        count = len(members)
        story.append(
            markup(
                count_text(count, "1 leerling", "%1 leerlingen") + f" · locatie {esc(where)}",
                "muted",
            )
        )
        story.append(intro)
        story.append(legend(legend_items()))
        story.append(spacer(6))
        story.append(_class_table(members, purposes))
        story.extend(_sources(db, members, purposes))
        first = False
    return story


def resolve_location(location: str) -> str:
    """The location as the letterhead spells it; InputError for an unknown one."""
    known = pupil_store.normalise_location(location)
    if known is None:
        raise InputError(
            f"Onbekende locatie '{location}'; kies uit: {', '.join(pupil_store.known_locations())}."
        )
    return known


def resolve_class(db: Database, class_name: str, location: str | None = None) -> str:
    """The class as stored (case-insensitive match); InputError for an unknown one."""
    wanted = " ".join(class_name.split()).casefold()
    for known in pupil_store.list_classes(db, location):
        if known.casefold() == wanted:
            return known
    where = f" op locatie {location}" if location else ""
    raise InputError(f"Onbekende klas '{class_name}'{where}.")


def build_consent_overview(
    db: Database,
    path: str | os.PathLike[str],
    *,
    location: str | None,
    class_name: str | None = None,
    on: date | None = None,
    made_by: str | None = None,
    made_at: datetime | None = None,
) -> int:
    """Write the consent overview of `location` (None: all locations; one class if given) to
    `path`; page count.

    InputError (and no file) for an unknown location or class.
    """
    location = resolve_location(location) if location is not None else None
    if class_name:
        class_name = resolve_class(db, class_name, location)
    on = on or clock.today()
    title = TITLE if not class_name else f"{TITLE} — klas {class_name}"
    with dialect.larger_cache_when_encrypted(db):
        story = consent_overview_story(db, location, class_name, on)
    return build_pdf(
        path,
        title,
        story,
        location=location,
        made_by=made_by,
        made_at=made_at,
        subject=f"Toestemmingen {location or 'alle locaties'}",
    )
