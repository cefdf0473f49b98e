"""The window follows the seat's role on a register on a server (`store.engine.access`):
the sections and actions a role may not use are absent (not merely disabled), a reader gets
the read-only window, and the title says whose window it is ("Alleen lezen — locatie Grave").

The server enforces the roles regardless; this only keeps the window from offering what the
server would refuse. A file has no seat: everything stays as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from merlet_desk.ui.context import SectionKey

if TYPE_CHECKING:
    from merlet_desk.store.engine.access import Seat
    from merlet_desk.store.sqlite_utils_import import Database

OWNER_ONLY_ACTIONS = ("purge", "backup")  # the retention purge, a backup of the whole register


def _tr(text: str) -> str:
    return QCoreApplication.translate("roles", text)


def seat_of(db: Database) -> Seat | None:
    """The seat of the window's connection, or None (a file, the owner, the server away: the
    server still refuses what the seat may not do)."""
    from merlet_desk.store.engine.access import current_seat
    from merlet_desk.store.errors import StoreError

    try:
        return current_seat(db)
    except StoreError:
        return None


def hidden_sections(seat: Seat | None) -> set[SectionKey]:
    """The sections a seat has no rights to: absent from its window."""
    if seat is None:
        return set()
    hidden = set()
    if not seat.sees_cases:
        hidden.add(SectionKey.CASES)
    if not seat.sees_consents:
        hidden |= {SectionKey.CONSENT, SectionKey.PUBLICATIONS}
    return hidden


def hidden_actions(seat: Seat | None) -> tuple[str, ...]:
    """The Extra menu's actions that are the owner's (IT's) on a server."""
    return () if seat is None else OWNER_ONLY_ACTIONS


def title_suffix(seat: Seat | None) -> str:
    """ " — Alleen lezen — locatie Grave" for a reader; " — locaties Cuijk, Grave" for an
    incidents seat; "" otherwise."""
    if seat is None or not seat.locations:
        return ""
    places = ", ".join(seat.locations)
    where = (_tr("locatie %1") if len(seat.locations) == 1 else _tr("locaties %1")).replace(
        "%1", places
    )
    if seat.reads_only:
        return " — " + _tr("Alleen lezen — %1").replace("%1", where)
    return " — " + where
