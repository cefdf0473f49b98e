"""Evidence of a case: files stored in the database, images shown as thumbnails.

Adding goes through `dialogs.choose_open_path`, saving a copy through `dialogs.choose_output_path`,
and an image opens full size through `dialogs.show_image`, so tests can replace each.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMimeData, QSize, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QIcon,
    QImage,
    QKeySequence,
    QPixmap,
    QShortcut,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from merlet_desk import clock
from merlet_desk.domain.cases import EvidenceInfo
from merlet_desk.errors import InputError, OutputError
from merlet_desk.output_file import atomic_output
from merlet_desk.store import cases as store
from merlet_desk.store.errors import StoreError
from merlet_desk.store.sqlite_utils_import import Database
from merlet_desk.ui.cases.widgets import plain_tooltip
from merlet_desk.ui.common import dialogs

EVIDENCE_ROLE = Qt.ItemDataRole.UserRole


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
    return f"{max(1, round(size / 1024))} kB"


def _local_paths(mime: QMimeData | None) -> list[Path]:
    if mime is None or not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class EvidencePanel(QWidget):
    """Thumbnails of a case's files with add / open / save a copy / delete."""

    changed = Signal()

    def __init__(self, db: Database, read_only: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.read_only = read_only
        self.case_id: int | None = None
        heading = QLabel(self.tr("Bewijsstukken"))
        heading.setStyleSheet("font-weight:600; color:#1f3a5f;")
        self.list = QListWidget()
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(QSize(96, 96))
        self.list.setGridSize(QSize(130, 135))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(lambda _item: self.open_current())
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.list.setAccessibleName(self.tr("Bewijsstukken"))

        self.add_button = QPushButton(self.tr("Bestand bi&jvoegen…"))
        self.add_button.clicked.connect(self.choose_and_add)
        self.open_button = QPushButton(self.tr("Ware grootte"))
        self.open_button.clicked.connect(self.open_current)
        self.save_button = QPushButton(self.tr("Kopie opslaan…"))
        self.save_button.clicked.connect(self.save_copy)
        self.delete_button = QPushButton(self.tr("Verwijderen"))
        self.delete_button.setToolTip(self.tr("Bewijsstuk verwijderen"))
        self.delete_button.clicked.connect(self.delete_current)
        # These act on the file chosen in the list: Tab reaches them from there. The editor's
        # Alt-letters all go to its toolbar and fields, so these have none.
        for button in (self.open_button, self.save_button, self.delete_button):
            button.setProperty("noMnemonic", True)
        self.hint = QLabel(
            self.tr(
                "Sla het incident eerst op; daarna kunt u bestanden toevoegen (max. %1 MB)."
            ).replace("%1", str(store.MAX_EVIDENCE_BYTES // (1024 * 1024)))
        )
        self.hint.setStyleSheet("color:#5a6b80;")
        self.hint.setWordWrap(True)
        self.paste_button = QPushButton(self.tr("&Plakken"))
        self.paste_button.setToolTip(
            self.tr("Schermafbeelding of bestanden van het klembord toevoegen (Ctrl+V)")
        )
        self.paste_button.clicked.connect(self.paste)
        self.drop_hint = QLabel(self.tr("of sleep bestanden hierheen"))
        self.drop_hint.setStyleSheet("color:#5a6b80;")
        paste_shortcut = QShortcut(QKeySequence.StandardKey.Paste, self.list)
        paste_shortcut.activated.connect(self.paste)
        paste_shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        # Files dropped anywhere on the panel are added; the list itself does not take drops.
        self.list.setAcceptDrops(False)
        self.list.viewport().setAcceptDrops(False)
        self.setAcceptDrops(True)

        adding = QHBoxLayout()
        for widget in (self.add_button, self.paste_button, self.drop_hint):
            adding.addWidget(widget)
        adding.addStretch(1)
        buttons = QHBoxLayout()
        for button in (self.open_button, self.save_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading)
        layout.addWidget(self.list, 1)
        layout.addLayout(adding)
        layout.addLayout(buttons)
        layout.addWidget(self.hint)
        self.set_case(None)

    def set_case(self, case_id: int | None) -> None:
        self.case_id = case_id
        self.hint.setVisible(not self.read_only and case_id is None)
        self.reload()

    def reload(self) -> None:
        self.list.clear()
        if self.case_id is not None:
            file_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
            for info in store.list_evidence(self.db, self.case_id):
                icon = file_icon
                if info.thumbnail:
                    pixmap = QPixmap()
                    if pixmap.loadFromData(info.thumbnail):
                        icon = QIcon(pixmap)
                item = QListWidgetItem(icon, f"{info.file_name}\n{_size_text(info.size)}")
                item.setData(EVIDENCE_ROLE, info)
                item.setToolTip(
                    plain_tooltip(
                        self.tr("%1, %2, toegevoegd op %3 door %4")
                        .replace("%1", info.file_name)
                        .replace("%2", _size_text(info.size))
                        .replace("%3", info.added_at)
                        .replace("%4", info.added_by)
                    )
                )
                self.list.addItem(item)
        self._update_buttons()

    def current_info(self) -> EvidenceInfo | None:
        item = self.list.currentItem()
        return item.data(EVIDENCE_ROLE) if item else None

    def file_names(self) -> list[str]:
        return [self.list.item(i).data(EVIDENCE_ROLE).file_name for i in range(self.list.count())]

    def _update_buttons(self) -> None:
        info = self.current_info()
        editable = not self.read_only and self.case_id is not None
        for widget in (self.add_button, self.paste_button, self.drop_hint):
            widget.setVisible(editable)
        self.delete_button.setVisible(editable)
        self.delete_button.setEnabled(info is not None)
        self.open_button.setEnabled(info is not None and info.is_image)
        self.save_button.setEnabled(info is not None)

    def choose_and_add(self) -> bool:
        if self.case_id is None or self.read_only:
            return False
        path = dialogs.choose_open_path(
            self,
            self.tr("Bewijsstuk toevoegen"),
            self.tr("Afbeeldingen (*.png *.jpg *.jpeg *.gif *.webp);;Alle bestanden (*)"),
            kind="evidence",
        )
        if path is None:
            return False
        return self.add_paths([path]) == 1

    def add_paths(self, paths: list[Path]) -> int:
        """Add files; says in one message which could not be added (and why)."""
        if self.case_id is None or self.read_only:
            return 0
        added, problems = 0, []
        for path in paths:
            try:
                store.add_evidence_file(self.db, self.case_id, path)
                added += 1
            except InputError as exc:
                problems.append("\n".join(exc.problems) or exc.message)
        if added:
            self.reload()
            self.list.setCurrentRow(self.list.count() - 1)
            self.changed.emit()
        if problems:
            dialogs.show_error(self, self.tr("Bewijsstuk niet toegevoegd"), "\n\n".join(problems))
        return added

    def add_image(self, image: QImage) -> bool:
        """Add an image (a pasted screenshot) as a PNG file named after the moment."""
        if self.case_id is None or self.read_only or image.isNull():
            return False
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        # PySide takes the format as str here; its stubs say bytes (which it refuses).
        image.save(buffer, "PNG")  # type: ignore[call-overload]
        buffer.close()
        name = f"schermafbeelding-{clock.now():%Y%m%d-%H%M%S}.png"
        try:
            store.add_evidence(self.db, self.case_id, name, bytes(data.data()), "image/png")
        except InputError as exc:
            dialogs.show_error(self, self.tr("Bewijsstuk niet toegevoegd"), str(exc))
            return False
        self.reload()
        self.list.setCurrentRow(self.list.count() - 1)
        self.changed.emit()
        return True

    def paste(self) -> bool:
        """Add what the clipboard holds: an image (screenshot) or copied files."""
        if self.case_id is None or self.read_only:
            return False
        mime = QGuiApplication.clipboard().mimeData()
        paths = _local_paths(mime)
        if paths:
            return self.add_paths(paths) > 0
        if mime is not None and mime.hasImage():
            return self.add_image(QImage(mime.imageData()))
        dialogs.show_info(
            self,
            self.tr("Plakken"),
            self.tr("Het klembord bevat geen afbeelding of bestand om toe te voegen."),
        )
        return False

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt API)
        if self.case_id is not None and not self.read_only and _local_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt API)
        paths = _local_paths(event.mimeData())
        if self.case_id is None or self.read_only or not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.add_paths(paths)

    def open_current(self) -> None:
        info = self.current_info()
        if info is None:
            return
        if not info.is_image:
            self.save_copy()
            return
        dialogs.show_image(self, info.file_name, store.evidence_bytes(self.db, info.id))

    def save_copy(self) -> bool:
        info = self.current_info()
        if info is None:
            return False
        path = dialogs.choose_output_path(
            self,
            self.tr("Kopie opslaan"),
            info.file_name,
            self.tr("Alle bestanden (*)"),
            kind="evidence",
        )
        if path is None:
            return False
        try:
            with atomic_output(path) as temporary:
                temporary.write_bytes(store.evidence_bytes(self.db, info.id))
        except (OutputError, StoreError) as exc:
            dialogs.show_error(self, self.tr("Niet opgeslagen"), str(exc))
            return False
        return True

    def delete_current(self) -> bool:
        info = self.current_info()
        if info is None or self.read_only:
            return False
        if not dialogs.ask_yes_no(
            self,
            self.tr("Bewijsstuk verwijderen"),
            self.tr("%1 definitief uit dit incident verwijderen?").replace("%1", info.file_name),
        ):
            return False
        store.delete_evidence(self.db, info.id)
        self.reload()
        self.changed.emit()
        return True
