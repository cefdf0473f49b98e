"""The last safety net of the GUI: an error that no part of the program handled is shown to the
user in Dutch instead of only on stderr, where nobody at a school desk would see it.

The error is also written, with its traceback, to the log file (`merlet_desk.logs`), where IT
can read it afterwards.

Every write runs in one transaction, so a failed write has changed nothing; the message says so
for database errors (a full disk, a file that became read-only, a lock held too long).
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QCoreApplication

from merlet_desk import sqlite_driver
from merlet_desk.store import StoreError
from merlet_desk.store.errors import NoPermissionError, ServerUnavailableError

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("error_hook", text)


def describe(error: BaseException) -> tuple[str, str]:
    """(title, message) for an unhandled error."""
    if isinstance(error, ServerUnavailableError):  # the line says whether anything was saved
        return (
            _tr("Server niet bereikbaar"),
            _tr(
                "%1\n\nHet venster laat zien wat het liet zien; op deze computer is niets "
                "bewaard om later te versturen. Kies Opnieuw verbinden zodra de server terug is."
            ).replace("%1", str(error)),
        )
    if isinstance(error, NoPermissionError):  # the server refused this seat: its role
        return (
            _tr("Niet toegestaan"),
            _tr(
                "%1\n\nUw rol of uw locaties op de server laten dit niet toe (misschien zijn ze "
                "net gewijzigd). Sluit het venster en open het opnieuw; vraag ICT als u dit wel "
                "zou moeten kunnen."
            ).replace("%1", str(error)),
        )
    if isinstance(error, (sqlite_driver.Error, StoreError)):
        return (
            _tr("Database niet bijgewerkt"),
            _tr(
                "De database kon niet gelezen of bijgewerkt worden: %1\n\nWat u net deed, is "
                "niet opgeslagen; de gegevens staan nog zoals ervoor. Controleer of de schijf "
                "vol is of het bestand alleen-lezen is geworden, en probeer het opnieuw."
            ).replace("%1", str(error)),
        )
    return (
        _tr("Onverwachte fout"),
        _tr(
            "Er ging iets mis dat het programma niet verwachtte: %1\n\nWat u net deed, is "
            "mogelijk niet opgeslagen. Meld dit aan ICT, met wat u aan het doen was."
        ).replace("%1", f"{type(error).__name__}: {error}"),
    )


def install(
    show_error: Callable[[str, str], None],
    server_lost: Callable[[str], object] | None = None,
) -> None:
    """Route unhandled exceptions (also those raised in Qt slots) to `show_error`; a server
    that went away also to `server_lost` (the window's reconnect bar), without a traceback:
    it is no fault of the program."""

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        if isinstance(error, ServerUnavailableError):
            print(f"merlet-desk: {error}", file=sys.stderr)
            log.warning("Server niet bereikbaar: %s", error)
            try:
                if server_lost is not None:
                    server_lost(str(error))
                show_error(*describe(error))
            except Exception:  # the hook itself must never raise
                log.exception("De foutmelding kon niet getoond worden")
            return
        if isinstance(error, NoPermissionError):  # the server did its job: no fault, one line
            print(f"merlet-desk: {error}", file=sys.stderr)
            log.warning("Geweigerd door de server: %s", error)
            try:
                show_error(*describe(error))
            except Exception:  # the hook itself must never raise
                log.exception("De foutmelding kon niet getoond worden")
            return
        traceback.print_exception(kind, error, trace, file=sys.stderr)
        if issubclass(kind, KeyboardInterrupt):
            return
        log.error("Onverwachte fout", exc_info=(kind, error, trace))
        try:
            show_error(*describe(error))
        except Exception:  # the hook itself must never raise
            log.exception("De foutmelding kon niet getoond worden")

    sys.excepthook = hook
