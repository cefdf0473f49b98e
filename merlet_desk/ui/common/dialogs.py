"""Every modal dialog goes through these functions, so tests can replace them.

Tests monkeypatch e.g. `merlet_desk.ui.common.dialogs.ask_yes_no`; production code calls
`dialogs.ask_yes_no(...)` (through the module, never a `from` import) so the patch takes effect.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from merlet_desk.ui.common.screen import available_area

if TYPE_CHECKING:  # QtPrintSupport loads when printing
    from PySide6.QtPrintSupport import QPrinter


def _tr(text: str) -> str:
    return QCoreApplication.translate("dialogs", text)


Buttons = QMessageBox.StandardButton


def message_box(
    icon: QMessageBox.Icon,
    parent: QWidget | None,
    title: str,
    text: str,
    buttons: QMessageBox.StandardButton = Buttons.Ok,
    default: QMessageBox.StandardButton = Buttons.NoButton,
) -> QMessageBox:
    """A message box that shows its texts as plain text: a message that quotes a pupil
    "<b>Jan</b> & Zn" or a file name shows it literally, never as markup."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if default != Buttons.NoButton:
        box.setDefaultButton(default)
    return box


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    message_box(QMessageBox.Icon.Critical, parent, title, message).exec()


def show_info(parent: QWidget | None, title: str, message: str) -> None:
    message_box(QMessageBox.Icon.Information, parent, title, message).exec()


def show_warning(parent: QWidget | None, title: str, message: str) -> None:
    message_box(QMessageBox.Icon.Warning, parent, title, message).exec()


def ask_yes_no(parent: QWidget | None, title: str, question: str) -> bool:
    box = message_box(
        QMessageBox.Icon.Question, parent, title, question, Buttons.Yes | Buttons.No, Buttons.No
    )
    return box.exec() == Buttons.Yes


def ask_close_anyway(parent: QWidget | None, title: str, question: str) -> bool:
    """Closing a window whose work is not done (scanned pages not yet recorded): True to
    close anyway. No is the default; tests answer it through a fixture, as for Save."""
    return ask_yes_no(parent, title, question)


def ask_save_changes(parent: QWidget | None, title: str, question: str) -> str:
    """Unsaved changes: "save", "discard" or "cancel" (Escape and closing the box cancel)."""
    box = save_changes_box(parent, title, question)
    return save_changes_answer(box.exec())


def save_changes_box(parent: QWidget | None, title: str, question: str) -> QMessageBox:
    """The box `ask_save_changes` shows: Opslaan (default), Niet opslaan, Annuleren."""
    box = message_box(
        QMessageBox.Icon.Warning,
        parent,
        title,
        question,
        Buttons.Save | Buttons.Discard | Buttons.Cancel,
        Buttons.Save,
    )
    box.setEscapeButton(Buttons.Cancel)
    box.button(Buttons.Save).setText(_tr("Opslaan"))
    box.button(Buttons.Discard).setText(_tr("Niet opslaan"))
    box.button(Buttons.Cancel).setText(_tr("Annuleren"))
    return box


def save_changes_answer(result: int) -> str:
    """The box's result as "save", "discard" or "cancel" (anything else cancels)."""
    if result == Buttons.Save:
        return "save"
    if result == Buttons.Discard:
        return "discard"
    return "cancel"


def _last_folder(kind: str) -> str:
    return str(QSettings().value(f"dialogs/last_folder_{kind}", str(Path.home())))


def remembered_folder(kind: str) -> Path | None:
    """The folder last chosen for this kind of file, None when there is none yet."""
    value = QSettings().value(f"dialogs/last_folder_{kind}")
    return Path(str(value)) if value else None


def remember_folder(kind: str, path: Path) -> None:
    """Offer the folder of `path` next time a file of this kind is chosen."""
    _remember_folder(kind, str(path))


def _remember_folder(kind: str, chosen: str) -> None:
    if chosen:
        QSettings().setValue(f"dialogs/last_folder_{kind}", str(Path(chosen).parent))


def choose_open_path(
    parent: QWidget | None,
    title: str,
    file_filter: str,
    kind: str = "open",
    folder: Path | None = None,
) -> Path | None:
    """Ask for an existing file; remembers the folder per kind. None when cancelled. `folder`:
    start there instead of in the last folder of this kind (a register's backup folder)."""
    start = str(folder) if folder is not None and folder.is_dir() else _last_folder(kind)
    chosen, _ = QFileDialog.getOpenFileName(parent, title, start, file_filter)
    _remember_folder(kind, chosen)
    return Path(chosen) if chosen else None


def choose_open_paths(
    parent: QWidget | None, title: str, file_filter: str, kind: str = "open"
) -> list[Path]:
    """Ask for one or more existing files; remembers the folder per kind. [] when cancelled."""
    chosen, _ = QFileDialog.getOpenFileNames(parent, title, _last_folder(kind), file_filter)
    if chosen:
        _remember_folder(kind, chosen[0])
    return [Path(name) for name in chosen]


def choose_save_path(
    parent: QWidget | None,
    title: str,
    suggested_name: str,
    file_filter: str,
    kind: str = "export",
    folder: Path | None = None,
) -> Path | None:
    """Ask where to save; starts in the last folder used for this kind (or in `folder`, when
    given and there). None when cancelled."""
    where = folder if folder is not None and folder.is_dir() else Path(_last_folder(kind))
    start = str(where / suggested_name)
    chosen, _ = QFileDialog.getSaveFileName(parent, title, start, file_filter)
    _remember_folder(kind, chosen)
    return Path(chosen) if chosen else None


def database_of(widget: QWidget | None) -> Path | None:
    """The database file of the window around `widget` (its `db_path`), or None (also for a
    register on a server, which has no file to protect)."""
    from merlet_desk.store.server_url import ServerUrl

    while widget is not None:
        path = getattr(widget, "db_path", None)
        if isinstance(path, ServerUrl):
            return None
        if path:
            return Path(path)
        widget = widget.parentWidget()
    return None


def choose_output_path(
    parent: QWidget | None,
    title: str,
    suggested_name: str,
    file_filter: str,
    kind: str = "export",
    *,
    suffix: str | None = None,
) -> Path | None:
    """Where to save a report, export or copy: `choose_save_path`, the `suffix` added when the
    user left it off, and the same refusal as every `-o` of the command line
    (`store.outputs.refuse_unsafe_output`): never the open database, its side files, its
    backups or any SQLite file. A refused target is explained and None returned: nothing is
    written."""
    from merlet_desk.store.errors import StoreError
    from merlet_desk.store.outputs import refuse_unsafe_output

    target = choose_save_path(parent, title, suggested_name, file_filter, kind)
    if target is None:
        return None
    if suffix and target.suffix.lower() != suffix:
        target = target.with_name(target.name + suffix)
    try:
        refuse_unsafe_output(target, database_of(parent))
    except StoreError as exc:
        show_error(parent, _tr("Niet opgeslagen"), str(exc))
        return None
    return target


def choose_printer(parent: QWidget | None, printer: QPrinter) -> bool:
    """The system's print dialog for `printer` (a QPrinter); True when the user chose Print.

    Tests patch this to set e.g. `printer.setOutputFileName(...)` and return True.
    """
    from PySide6.QtPrintSupport import QPrintDialog

    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(_tr("Afdrukken"))
    return dialog.exec() == QPrintDialog.DialogCode.Accepted


def show_image(parent: QWidget | None, title: str, data: bytes) -> None:
    """Show an image full size (scrollable, at most the screen's size) until closed."""
    from PySide6.QtGui import QPixmap
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QScrollArea, QVBoxLayout

    pixmap = QPixmap()
    if not pixmap.loadFromData(data):
        show_error(parent, title, _tr("Deze afbeelding kan niet getoond worden."))
        return
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    label = QLabel()
    label.setPixmap(pixmap)
    scroll = QScrollArea()
    scroll.setWidget(label)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.button(QDialogButtonBox.StandardButton.Close).setText(_tr("&Sluiten"))
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(scroll)
    layout.addWidget(buttons)
    screen = available_area(dialog)
    dialog.resize(
        min(pixmap.width() + 40, int(screen.width() * 0.9)),
        min(pixmap.height() + 80, int(screen.height() * 0.9)),
    )
    dialog.exec()


PROBLEMS_SHOWN = 12  # the rest is under "Details"


def show_problems(parent: QWidget | None, title: str, message: str, problems: list[str]) -> None:
    """An error with a list of problems (e.g. every bad row of an import): the first few in
    the text, the full list under "Details" (it can run to hundreds of lines)."""
    problems_box(parent, title, message, problems).exec()


def problems_box(
    parent: QWidget | None, title: str, message: str, problems: list[str]
) -> QMessageBox:
    """The box `show_problems` shows."""
    box = message_box(QMessageBox.Icon.Critical, parent, title, message)
    shown = problems[:PROBLEMS_SHOWN]
    more = len(problems) - len(shown)
    text = "\n".join(f"• {problem}" for problem in shown)
    if more > 0:
        text += "\n" + _tr("… en nog %1 (zie Details)").replace("%1", str(more))
    box.setInformativeText(text)
    if more > 0:  # "Details" only when it holds more than the text already shows
        box.setDetailedText("\n".join(problems))
    return box


def choose_item(parent: QWidget | None, title: str, label: str, items: list[str]) -> str | None:
    """Pick one of `items` from a list; None when cancelled."""
    from PySide6.QtWidgets import QInputDialog

    chosen, ok = QInputDialog.getItem(parent, title, label, items, 0, False)
    return chosen if ok and chosen else None


def ask_text(
    parent: QWidget | None,
    title: str,
    label: str,
    default: str = "",
    *,
    required: bool = False,
) -> str | None:
    """One line of text; None when cancelled (or left empty while `required`)."""
    from PySide6.QtWidgets import QInputDialog

    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setTextValue(default)
    dialog.setCancelButtonText(_tr("&Annuleren"))
    dialog.resize(max(dialog.sizeHint().width(), 460), dialog.sizeHint().height())
    if dialog.exec() != QInputDialog.DialogCode.Accepted:
        return None
    text = dialog.textValue().strip()
    if required and not text:
        return None
    return text


def ask_password(parent: QWidget | None, title: str, label: str) -> str | None:
    """A password, typed unseen; None when cancelled (an empty one counts as cancelled)."""
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
    dialog.setOkButtonText(_tr("&Verbinden"))
    dialog.setCancelButtonText(_tr("&Annuleren"))
    dialog.resize(max(dialog.sizeHint().width(), 460), dialog.sizeHint().height())
    if dialog.exec() != QInputDialog.DialogCode.Accepted:
        return None
    return dialog.textValue() or None


def ask_reconnect(parent: QWidget | None, title: str, message: str) -> bool:
    """The server is gone: connect again now (True) or later (False)."""
    box = message_box(QMessageBox.Icon.Warning, parent, title, message, Buttons.NoButton)
    again = box.addButton(_tr("&Opnieuw verbinden"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_tr("&Later"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is again


def ask_date_and_note(
    parent: QWidget | None, title: str, label: str, default: date, note_label: str
) -> tuple[date, str] | None:
    """A date (shown dd-MM-yyyy, starting at `default`) and an optional note; None when
    cancelled."""
    from PySide6.QtWidgets import (
        QDialog,
        QDialogButtonBox,
        QFormLayout,
        QLineEdit,
    )

    from merlet_desk.ui.common.widgets import DateField

    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    edit = DateField(default)
    note = QLineEdit()
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_tr("&Annuleren"))
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    note.setMinimumWidth(320)
    form = QFormLayout(dialog)
    form.addRow(label, edit)
    form.addRow(note_label, note)
    form.addRow(buttons)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    chosen = edit.date()
    return date(chosen.year(), chosen.month(), chosen.day()), note.text().strip()


def open_external(path: Path) -> bool:
    """Open a file in the program the system uses for it (photo viewer, video player)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
