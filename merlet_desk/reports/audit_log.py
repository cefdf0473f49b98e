"""The audit log (as filtered in the viewer) as a letterhead PDF."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime

from merlet_desk.domain.text import count_text
from merlet_desk.reports.common import data_table, para, spacer
from merlet_desk.reports.letterhead import build_pdf
from merlet_desk.store.audit_query import CSV_HEADER, AuditEntry, AuditFilter, Names

TITLE = "Auditlog"


def describe_filter(audit_filter: AuditFilter, names: Names | None = None) -> str:
    """ "Periode 01-11-2026 t/m 25-11-2026 · gebruiker zofia · soort leerling · over leerling
    Zofia Łęcka (9001)"."""
    from merlet_desk.store.audit_query import KIND_LABELS

    parts = []
    start = audit_filter.start.strftime("%d-%m-%Y") if audit_filter.start else "begin"
    end = audit_filter.end.strftime("%d-%m-%Y") if audit_filter.end else "nu"
    parts.append(f"Periode {start} t/m {end}")
    parts.append(f"gebruiker {audit_filter.user}" if audit_filter.user else "alle gebruikers")
    kind = audit_filter.kind
    parts.append(f"soort {KIND_LABELS.get(kind, kind)}" if kind else "alle soorten")
    if audit_filter.pupil:
        parts.append(f"over leerling {(names or Names()).pupil(audit_filter.pupil)}")
    return " · ".join(parts)


def build_audit_pdf(
    entries: Sequence[AuditEntry],
    audit_filter: AuditFilter,
    path: str | os.PathLike[str],
    *,
    made_by: str | None = None,
    made_at: datetime | None = None,
) -> int:
    """Write the entries as a letterhead PDF; returns the page count."""
    story = [
        para(describe_filter(audit_filter, entries[0].names if entries else None), "muted"),
        para(count_text(len(entries), "1 regel.", "%1 regels, nieuwste eerst."), "muted"),
        spacer(6),
        data_table(
            CSV_HEADER,
            [entry.row() for entry in entries],
            col_widths=[0.12, 0.12, 0.12, 0.10, 0.10, 0.22, 0.22],
        ),
    ]
    return build_pdf(path, TITLE, story, made_by=made_by, made_at=made_at)
