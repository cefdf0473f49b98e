"""The "Herstelsleutel" sheet: the recovery key of an encrypted register, on the letterhead.

One page: which register and which key (the key ID, so that after a rotation the valid sheet
can be told from the old one), the 48 digits large and in groups, where to keep the sheet,
that whoever holds it can read the whole register, and how it is used. The digits are drawn
in two rows of four groups in a box, as BitLocker prints its recovery password.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table, TableStyle

from merlet_desk.domain.recovery_key import RecoveryKey, key_id
from merlet_desk.reports.common import STYLES, bullet_list, heading, key_value_table, para, spacer
from merlet_desk.reports.letterhead import (
    CONTENT_WIDTH,
    FONT_BOLD,
    INK,
    NAVY,
    build_pdf,
    esc,
    format_datetime,
)

TITLE = "Herstelsleutel"
BOX_FILL = HexColor("#f4f4f4")


def _digits_box(recovery: RecoveryKey) -> Table:
    groups = recovery.groups
    rows = [groups[:4], groups[4:]]
    table = Table(rows, colWidths=[CONTENT_WIDTH / 4] * 4, rowHeights=[40, 40])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT_BOLD),
                ("FONTSIZE", (0, 0), (-1, -1), 20),
                ("TEXTCOLOR", (0, 0), (-1, -1), INK),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                ("BACKGROUND", (0, 0), (-1, -1), BOX_FILL),
                ("BOX", (0, 0), (-1, -1), 1.2, NAVY),
            ]
        )
    )
    return table


def recovery_story(recovery: RecoveryKey, database: Path, made_at: datetime) -> list[Flowable]:
    """The sheet's content (the letterhead around it is `build_pdf`'s)."""
    command = f'merlet-desk key recover --db "{database}"'
    return [
        heading("Herstelsleutel van het versleutelde register", 1),
        para(
            "Het register van Merlet Desk is versleuteld. Deze herstelsleutel opent het zonder "
            "de sleutelkluis van de computer: op een nieuwe laptop, na een herinstallatie, of "
            "voor een tweede lezer."
        ),
        spacer(8),
        key_value_table(
            [
                ("Register", database.name),
                ("Map", str(database.parent)),
                ("Sleutel-ID", key_id(recovery.database_key)),
                ("Gemaakt op", format_datetime(made_at)),
            ]
        ),
        spacer(14),
        KeepTogether(
            [
                para("Herstelsleutel (48 cijfers, 8 groepen van 6):", "h3"),
                spacer(6),
                _digits_box(recovery),
                spacer(4),
                para(recovery.text, "muted"),
            ]
        ),
        spacer(12),
        heading("Wie dit blad heeft, kan het hele register lezen", 2),
        para(
            "Alle toestemmingen, de gescande formulieren met handtekeningen, de foto's en video's "
            "en het incidentenlog met de bewijsstukken. Behandel het als de sleutel van de kluis "
            "zelf."
        ),
        heading("Waar bewaart u het?", 2),
        *bullet_list(
            [
                "In de kluis van de school, in een dichte envelop met de naam van het register.",
                "Of in de kluis of het wachtwoordbeheer van IT (typ de 48 cijfers over; "
                "bewaar geen foto of scan van dit blad).",
                "Niet bij de laptop, niet in een e-mail, niet op een gedeelde schijf of USB-stick.",
            ]
        ),
        heading("Hoe gebruikt u het?", 2),
        *bullet_list(
            [
                "Merlet Desk vraagt om de herstelsleutel wanneer deze computer de sleutel niet "
                "heeft. Typ de 48 cijfers; een tikfout wordt per groep gemeld."
            ]
        ),
        Paragraph(
            f"Of op de opdrachtregel: <b>{esc(command)}</b> (de cijfers op de invoer).",
            STYLES["bullet"],
            bulletText="•",
        ),
        *bullet_list(
            [
                "Daarna bewaart de sleutelkluis van die computer de sleutel; het blad gaat "
                "terug in de kluis."
            ]
        ),
        heading("Wanneer geldt het niet meer?", 2),
        para(
            "Na het vervangen van de sleutel (merlet-desk key rotate, bijvoorbeeld wanneer een "
            "medewerker vertrekt of een laptop kwijt is) opent dit blad het register niet meer. "
            "Vernietig het dan (versnipperaar) en bewaar het nieuwe blad met de nieuwe sleutel-ID."
        ),
    ]


def build_recovery_sheet(
    path: str | os.PathLike[str],
    recovery: RecoveryKey,
    database: str | os.PathLike[str],
    *,
    made_by: str | None = None,
    made_at: datetime | None = None,
) -> int:
    """Write the recovery sheet of `database` to `path` (0600); returns the page count."""
    from merlet_desk import clock

    made_at = made_at or clock.now().replace(second=0, microsecond=0)
    database = Path(database).expanduser().absolute()
    return build_pdf(
        path,
        TITLE,
        recovery_story(recovery, database, made_at),
        made_by=made_by,
        made_at=made_at,
        subject=f"Herstelsleutel {key_id(recovery.database_key)}",
    )
