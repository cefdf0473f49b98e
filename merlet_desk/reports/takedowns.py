"""Te verwijderen publicaties: the open takedown list on the letterhead.

One table, in the order of `store.takedowns.open_takedowns` (oldest first) with the pupils
of one publication together under it: the item (with the file that went out: the cleaned
file Merlet Desk made, else the original), the channel, the link, then per pupil the
number, name and class, the reason and the date it arose; under a publication's pupils, which
box of its file hid whom (the pupils already unrecognisable in it). With none open, one
sentence says so. `merlet-desk report takedowns` and the Rapporten section use this.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date, datetime

from reportlab.lib.colors import white
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, TableStyle

from merlet_desk import clock
from merlet_desk.domain.text import count_text
from merlet_desk.reports.common import (
    CELL_PADDING,
    STYLES,
    data_table,
    heading,
    key_value_table,
    markup,
    para,
    spacer,
)
from merlet_desk.reports.letterhead import CONTENT_WIDTH, INK, build_pdf, esc, format_date, nfc
from merlet_desk.store import takedowns as store
from merlet_desk.store.attention import count_takedowns
from merlet_desk.store.sqlite_utils_import import Database

TITLE = "Te verwijderen publicaties"
EXPLANATION = (
    "Publicaties waarop een leerling staat die er niet (meer) op mag. Haal ze weg, maak de "
    "leerling onherkenbaar, of leg in Merlet Desk vast waarom ze blijven staan (bijvoorbeeld: "
    "een gedrukt jaarboek kan niet worden teruggehaald)."
)
EMPTY = (
    "Er hoeft niets verwijderd te worden: geen enkele publicatie toont een leerling die er "
    "niet (meer) op mag."
)
COLUMNS = ("Item", "Doel", "Link", "Leerling", "Reden", "Sinds")
WIDTHS = (0.18, 0.13, 0.20, 0.19, 0.18, 0.12)
_BREAK_AFTER = "/?&=-._#"


def break_long_words(text: str, width: float) -> str:
    """`text` with line breaks inside words too long for a column of `width` points (a URL
    has no spaces): after a '/', '?', '&', ... when possible, else anywhere. Line breaks
    already in `text` stay."""
    if "\n" in text:
        return "\n".join(break_long_words(line, width) for line in text.split("\n"))
    style = STYLES["cell"]
    room = width - 2 * CELL_PADDING
    words = []
    for word in nfc(text).split():
        if stringWidth(word, style.fontName, style.fontSize) <= room:
            words.append(word)
            continue
        lines, line, last_break = [], "", -1
        for ch in word:
            if line and stringWidth(line + ch, style.fontName, style.fontSize) > room:
                if last_break > 0:
                    lines.append(line[:last_break])
                    line = line[last_break:]
                else:
                    lines.append(line)
                    line = ""
                last_break = -1
            line += ch
            if ch in _BREAK_AFTER:
                last_break = len(line)
        lines.append(line)
        words.append("\n".join(lines))
    return " ".join(words)


def pupil_text(takedown: store.Takedown) -> str:
    """ "230017 Joëlle van den Broek (2A)"."""
    pupil = takedown.pupil
    return f"{pupil.number} {pupil.name} ({pupil.class_name})"


HIDDEN_HEADING = "Al onherkenbaar in dit bestand"


def hidden_cell(takedown: store.Takedown) -> Flowable | None:
    """Which box of the publication's file hid whom, as one paragraph; None when nothing
    was made unrecognisable in it."""
    lines = takedown.faces.lines()
    if not lines:
        return None
    return markup(
        f"<i>{HIDDEN_HEADING}:</i><br/>" + "<br/>".join(esc(line) for line in lines), "cell"
    )


def takedown_rows(
    takedowns: Sequence[store.Takedown],
) -> tuple[list[list[object]], list[int], list[int]]:
    """The table rows (item, channel, link, pupil, reason, since), the indexes of the rows
    that start a publication (its later pupils leave item, channel and link blank), and the
    indexes of the rows across the whole width that say which box hid whom."""
    widths = [CONTENT_WIDTH * fraction for fraction in WIDTHS]
    rows: list[list[object]] = []
    starts: list[int] = []
    spans: list[int] = []
    previous: store.Takedown | None = None
    for t in takedowns:
        first = previous is None or t.publication_id != previous.publication_id
        if first and previous is not None:
            _add_hidden(rows, spans, previous)
        previous = t
        if first:
            starts.append(len(rows))
        item = f"{t.item_title}\nbestand: {t.file_name}" if t.file_name else t.item_title
        texts = [
            item if first else "",
            t.purpose_label if first else "",
            t.link if first else "",
            pupil_text(t),
            t.reason_label,
            format_date(t.since),
        ]
        rows.append(
            [break_long_words(text, width) for text, width in zip(texts, widths, strict=True)]
        )
    if previous is not None:
        _add_hidden(rows, spans, previous)
    return rows, starts, spans


def _add_hidden(rows: list[list[object]], spans: list[int], takedown: store.Takedown) -> None:
    cell = hidden_cell(takedown)
    if cell is not None:
        spans.append(len(rows))
        rows.append([cell, "", "", "", "", ""])


def grouped(takedowns: Sequence[store.Takedown]) -> list[store.Takedown]:
    """The takedowns with those of one publication together, in the order of the first one."""
    order: dict[int, int] = {}
    for index, t in enumerate(takedowns):
        order.setdefault(t.publication_id, index)
    return sorted(takedowns, key=lambda t: order[t.publication_id])


def counts_text(takedowns: Sequence[store.Takedown]) -> str:
    """What is open, in Start's words: "30 publicaties, met samen 76 leerlingen die er niet
    (meer) op mogen" (the rows of the table are publication × pupil, not a count to head with)."""
    counts = count_takedowns(takedowns)
    if not counts.publications:
        return "niets"
    return count_text(
        counts.publications, "1 publicatie, met %2", "%1 publicaties, met samen %2"
    ).replace(
        "%2",
        count_text(
            counts.pupils,
            "1 leerling die er niet (meer) op mag",
            "%1 leerlingen die er niet (meer) op mogen",
        ),
    )


def takedowns_story(takedowns: Sequence[store.Takedown], on: date) -> list[Flowable]:
    """The flowables of the report for the takedowns open on `on`."""
    story: list[Flowable] = [heading(TITLE, 1)]
    story.append(
        key_value_table([("Stand op", format_date(on)), ("Te verwijderen", counts_text(takedowns))])
    )
    story.append(spacer(6))
    if not takedowns:
        story.append(para(EMPTY, "body"))
        return story
    story.append(para(EXPLANATION, "body"))
    story.append(spacer(6))
    rows, starts, spans = takedown_rows(grouped(takedowns))
    table = data_table(COLUMNS, rows, WIDTHS, zebra=False)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 1), (-1, -1), "TOP"),
                # no rules under the blank item cells of a publication's later pupils
                ("LINEBELOW", (0, 1), (2, -1), 0.25, white),
                *[("LINEABOVE", (0, i + 1), (-1, i + 1), 0.7, INK) for i in starts[1:]],
                *[("SPAN", (0, i + 1), (-1, i + 1)) for i in spans],
            ]
        )
    )
    story.append(table)
    return story


def build_takedowns_report(
    db: Database,
    path: str | os.PathLike[str],
    *,
    on: date | None = None,
    made_by: str | None = None,
    made_at: datetime | None = None,
) -> int:
    """Write the open takedowns on `on` (default today) as a letterhead PDF; the page count."""
    on = on or clock.today()
    takedowns = store.open_takedowns(db, on)
    return build_pdf(
        path,
        TITLE,
        takedowns_story(takedowns, on),
        made_by=made_by,
        made_at=made_at,
        subject=TITLE,
    )
