"""Export, preview and print a report: the one place other sections call.

    export_report(parent, title, suggested_name, build, source)   -> Path | None
    preview_report(parent, title, suggested_name, build, source)  -> ReportPreviewDialog | None
    print_report(parent, title, build, source)                    -> bool

`build(db, path)` writes the PDF to `path`, reading `db`, e.g.
`lambda db, path: build_consent_overview(db, path, location="Cuijk")`; `source` is the
database it reports on (the window's). It runs on a worker thread with a read-only connection
of its own to that file (`ui/common/tasks.py`), never the GUI's, so the event loop can go on
writing meanwhile; without a `source` (a report that reads no database, such
as the policy viewer's) `db` is None. When it takes longer than half a second a progress
dialog appears, and the window keeps repainting meanwhile. Errors are shown to the user
(dialogs.show_error), never raised.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QWidget

from merlet_desk.errors import InputError
from merlet_desk.store import database_path
from merlet_desk.store.sqlite_utils_import import Database
from merlet_desk.ui.common import dialogs, tasks

log = logging.getLogger(__name__)
T = TypeVar("T")
# build(db, path): `db` is the worker's read-only connection to the `source` the report was
# asked for (a builder given no source gets None and reads no database).
ReportBuilder = Callable[[Any, Path], object]


def _tr(text: str) -> str:
    return QCoreApplication.translate("export", text)


def run_reading(
    parent: QWidget | None,
    label: str,
    source: Database | None,
    work: Callable[[Database | None], T],
) -> T:
    """Run `work(db)` on a worker thread with its own read-only connection to `source`'s
    file (None: no database) while the GUI stays responsive; return its result.

    A (busy) progress dialog appears only when the work takes more than half a second.
    Exceptions of `work` are re-raised here, in the GUI thread.
    """
    path = database_path(source) if source is not None else None
    if path is None:  # no database (or one in memory): nothing for a worker to open
        return tasks.wait_with_progress(parent, label, lambda _p, _c: work(None), name="report")
    return tasks.wait_with_progress(parent, label, tasks.reading(path, work), name="report")


def run_with_progress(parent: QWidget | None, label: str, work: Callable[[], T]) -> T:
    """`run_reading` for work that reads no database (hashing a chosen file)."""
    return run_reading(parent, label, None, lambda _db: work())


def _report_error(parent: QWidget | None, exc: BaseException) -> None:
    """Tell the user why the report was not made; log it unless it was their own input."""
    if isinstance(exc, InputError):
        message = str(exc)
    else:
        log.error("Rapport niet gemaakt", exc_info=exc)
        message = _tr("Het rapport kon niet gemaakt worden: %1").replace(
            "%1", str(exc) or repr(exc)
        )
    dialogs.show_error(parent, _tr("Rapport niet gemaakt"), message)


def export_report(
    parent: QWidget | None,
    title: str,
    suggested_name: str,
    build: ReportBuilder,
    source: Database | None = None,
) -> Path | None:
    """Ask where to save (remembering the last folder), build the PDF there, return the path.

    None when the user cancelled or the build failed (the user has then been told why; no
    partial file is left behind).
    """
    target = dialogs.choose_output_path(
        parent,
        _tr("%1 opslaan als pdf").replace("%1", title),
        suggested_name,
        _tr("PDF-bestand (*.pdf)"),
        "report",
        suffix=".pdf",
    )
    if target is None:
        return None
    try:
        run_reading(
            parent,
            _tr("Rapport maken: %1").replace("%1", title),
            source,
            lambda db: build(db, target),
        )
    except Exception as exc:  # noqa: BLE001 - shown to the user
        _report_error(parent, exc)
        return None
    return target


def _build_to_temp(build: ReportBuilder, db: Database | None, suggested_name: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="merlet-rapport-"))
    path = folder / (Path(suggested_name).name or "rapport.pdf")
    try:
        build(db, path)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return path


def preview_report(
    parent: QWidget | None,
    title: str,
    suggested_name: str,
    build: ReportBuilder,
    source: Database | None = None,
) -> Any:
    """Build into a temporary file and show the pages in a preview dialog (not modal-blocking).

    Returns the opened ReportPreviewDialog (None when the build failed). The temporary file
    is removed when the dialog closes.
    """
    from merlet_desk.ui.common.report_preview import ReportPreviewDialog

    try:
        path = run_reading(
            parent,
            _tr("Voorbeeld maken: %1").replace("%1", title),
            source,
            lambda db: _build_to_temp(build, db, suggested_name),
        )
    except Exception as exc:  # noqa: BLE001 - shown to the user
        _report_error(parent, exc)
        return None
    dialog = ReportPreviewDialog(path, title, suggested_name, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.finished.connect(lambda _result: shutil.rmtree(path.parent, ignore_errors=True))
    dialog.open()
    return dialog


def print_report(
    parent: QWidget | None, title: str, build: ReportBuilder, source: Database | None = None
) -> bool:
    """Build the report and print it through the system's print dialog; False if cancelled."""
    from merlet_desk.ui.common.report_preview import print_pdf

    try:
        path = run_reading(
            parent,
            _tr("Rapport maken: %1").replace("%1", title),
            source,
            lambda db: _build_to_temp(build, db, "rapport.pdf"),
        )
    except Exception as exc:  # noqa: BLE001 - shown to the user
        _report_error(parent, exc)
        return False
    try:
        return print_pdf(parent, path, title)
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
