"""Export, preview and print a report: the one place other sections call.

    export_report(parent, title, suggested_name, build)   -> Path | None
    preview_report(parent, title, suggested_name, build)  -> ReportPreviewDialog | None
    print_report(parent, title, build)                    -> bool

`build` is a callable that writes the PDF to the path it is given, e.g.
`lambda path: build_consent_overview(window.db, path, location="Cuijk")`. It runs in a worker
thread; when it takes longer than half a second a progress dialog appears, and the window keeps
repainting meanwhile. Errors are shown to the user (dialogs.show_error), never raised.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from merlet_desk.errors import InputError
from merlet_desk.ui.common import dialogs

log = logging.getLogger(__name__)
T = TypeVar("T")
ReportBuilder = Callable[[Path], Any]

PROGRESS_DELAY_MS = 500
last_progress_shown = False  # whether the last run needed its progress dialog (for tests)


def _tr(text: str) -> str:
    return QCoreApplication.translate("export", text)


class _Relay(QObject):
    finished = Signal()


class WorkerFailed(Exception):
    """The work in the background raised; the original exception is the cause."""


def run_with_progress(parent: QWidget | None, label: str, work: Callable[[], T]) -> T:
    """Run `work` in a worker thread while the GUI stays responsive; return its result.

    A (busy) progress dialog appears only when the work takes more than half a second.
    Exceptions of `work` are re-raised here, in the GUI thread.
    """
    outcome: dict[str, Any] = {}
    loop = QEventLoop()
    relay = _Relay()
    relay.finished.connect(loop.quit, Qt.ConnectionType.QueuedConnection)

    def target() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread
            outcome["error"] = exc
        finally:
            outcome["done"] = True
            relay.finished.emit()

    progress = QProgressDialog(label, "", 0, 0, parent)
    progress.setCancelButton(None)  # reportlab cannot be interrupted halfway
    progress.setWindowTitle(_tr("Bezig…"))
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(0)
    progress.setAutoClose(False)
    progress.hide()
    timer = QTimer()
    timer.setSingleShot(True)

    def show_progress() -> None:
        outcome["progress_shown"] = True
        progress.show()

    timer.timeout.connect(show_progress)
    timer.start(PROGRESS_DELAY_MS)

    thread = threading.Thread(target=target, name="report-builder", daemon=True)
    thread.start()
    if not outcome.get("done"):
        loop.exec()
    thread.join()
    timer.stop()
    global last_progress_shown
    last_progress_shown = bool(outcome.get("progress_shown"))
    progress.hide()
    progress.deleteLater()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


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
        run_with_progress(
            parent, _tr("Rapport maken: %1").replace("%1", title), lambda: build(target)
        )
    except Exception as exc:  # noqa: BLE001 - shown to the user
        _report_error(parent, exc)
        return None
    return target


def _build_to_temp(build: ReportBuilder, suggested_name: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="merlet-rapport-"))
    path = folder / (Path(suggested_name).name or "rapport.pdf")
    try:
        build(path)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return path


def preview_report(
    parent: QWidget | None,
    title: str,
    suggested_name: str,
    build: ReportBuilder,
) -> Any:
    """Build into a temporary file and show the pages in a preview dialog (not modal-blocking).

    Returns the opened ReportPreviewDialog (None when the build failed). The temporary file
    is removed when the dialog closes.
    """
    from merlet_desk.ui.common.report_preview import ReportPreviewDialog

    try:
        path = run_with_progress(
            parent,
            _tr("Voorbeeld maken: %1").replace("%1", title),
            lambda: _build_to_temp(build, suggested_name),
        )
    except Exception as exc:  # noqa: BLE001 - shown to the user
        _report_error(parent, exc)
        return None
    dialog = ReportPreviewDialog(path, title, suggested_name, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.finished.connect(lambda _result: shutil.rmtree(path.parent, ignore_errors=True))
    dialog.open()
    return dialog


def print_report(parent: QWidget | None, title: str, build: ReportBuilder) -> bool:
    """Build the report and print it through the system's print dialog; False if cancelled."""
    from merlet_desk.ui.common.report_preview import print_pdf

    try:
        path = run_with_progress(
            parent,
            _tr("Rapport maken: %1").replace("%1", title),
            lambda: _build_to_temp(build, "rapport.pdf"),
        )
    except Exception as exc:  # noqa: BLE001 - shown to the user
        _report_error(parent, exc)
        return False
    try:
        return print_pdf(parent, path, title)
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
