"""The item dialog of the publication register: a photo or video, its file, when and where it
was taken, and who appears in it.

Pupils are tagged by type-ahead (the consent check's `PupilPicker`), or a whole class at once
(a class photo) after which the absent are removed. Saving goes through
`store.items.create_item`/`update_item` and `set_item_pupils`, which check and audit;
an `InputError` is shown and nothing is changed.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from merlet_desk import clock
from merlet_desk.domain.publications import (
    IMAGE_EXTENSIONS,
    VIDEO,
    VIDEO_EXTENSIONS,
    media_kind_for,
)
from merlet_desk.domain.text import count_text
from merlet_desk.errors import InputError
from merlet_desk.store import items as store
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store.items import FileFacts, Item
from merlet_desk.store.pupils import Pupil
from merlet_desk.store.sqlite_utils_import import Database
from merlet_desk.ui.common import dialogs
from merlet_desk.ui.common.export import run_with_progress
from merlet_desk.ui.common.media import pixmap_from_bytes, size_text, thumbnail_bytes
from merlet_desk.ui.common.photo_view import PhotoView
from merlet_desk.ui.common.screen import fit_to_screen
from merlet_desk.ui.common.widgets import DateField, PupilPicker
from merlet_desk.ui.publications.items_model import kind_label

PUPIL_ROLE = Qt.ItemDataRole.UserRole
THUMB_SIDE = 240


def tagged_text(pupil: Pupil) -> str:
    """How a tagged pupil is listed: "Berkay Öztürk (4B, 1002)"."""
    return f"{pupil.name} ({pupil.class_name}, {pupil.number})"


def media_filter(tr: object) -> str:
    """The file dialog's filter: photos and videos, photos, videos, everything."""
    images = " ".join(f"*{ext}" for ext in IMAGE_EXTENSIONS)
    videos = " ".join(f"*{ext}" for ext in VIDEO_EXTENSIONS)
    return ";;".join(
        [
            tr("Foto's en video's (%1)").replace("%1", f"{images} {videos}"),  # type: ignore[operator]
            tr("Foto's (%1)").replace("%1", images),  # type: ignore[operator]
            tr("Video's (%1)").replace("%1", videos),  # type: ignore[operator]
            tr("Alle bestanden (*)"),  # type: ignore[operator]
        ]
    )


class ItemDialog(QDialog):
    """New (`item_id` None) or existing item. Emits `saved(Item)` after a successful save."""

    saved = Signal(object)

    def __init__(self, db: Database, item_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.item_id = item_id
        self.item: Item | None = store.get_item(db, item_id) if item_id is not None else None
        self._file: FileFacts | None = None
        self._file_path: str | None = None
        self._thumbnail: bytes | None = None
        self._media_kind: str | None = None
        self._date_unknown = False
        self._known = {p.number: p for p in pupil_store.list_pupils(db, include_left=True)}
        self.setWindowTitle(
            self.tr("Nieuw beeldmateriaal") if self.item is None else self.tr("Beeldmateriaal")
        )
        fit_to_screen(self, 960, 660)

        self.title = QLineEdit()
        self.title.setPlaceholderText(self.tr("Bijvoorbeeld: Sportdag 2B, estafette"))
        self.file_button = QPushButton(self.tr("Bestand kiezen…"))
        self.file_button.clicked.connect(self.choose_file)
        self.file_info = QLabel(self.tr("Nog geen bestand gekozen."))
        self.file_info.setWordWrap(True)
        self.file_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.file_info.setStyleSheet("color:#3c4650;")
        self.thumbnail = QLabel(self.tr("Geen voorbeeld"))
        self.thumbnail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumbnail.setMinimumSize(THUMB_SIDE + 8, THUMB_SIDE * 3 // 4 + 8)
        self.thumbnail.setStyleSheet("background:#f6f8fa; border:1px solid #d5dbe1; color:#5a6b80;")
        # The photo itself (a video: a frame and its length) with the faces found; the stored
        # thumbnail when the file is not where the register says.
        self.photo = PhotoView()
        self.photo.setMinimumSize(360, 250)
        self.photo.loaded.connect(self._update_faces_hint)
        self.picture = QStackedWidget()
        self.picture.addWidget(self.thumbnail)
        self.picture.addWidget(self.photo)
        self.faces_hint = QLabel()
        self.faces_hint.setWordWrap(True)
        self.faces_hint.setAccessibleName(self.tr("Gezichten en leerlingen"))
        self.taken_on = DateField(clock.today())
        self.taken_on.setMaximumDate(self.taken_on.date())  # today: no photos from the future
        self.location = QComboBox()
        self.location.setEditable(True)
        self.location.addItem("")
        self.location.addItems(list(pupil_store.known_locations()))
        self.description = QPlainTextEdit()
        self.description.setPlaceholderText(self.tr("Wat is er te zien, wie maakte de foto…"))
        self.description.setTabChangesFocus(True)
        self.description.setMinimumHeight(70)
        self.description.setMaximumHeight(110)  # the photo gets the room

        file_row = QHBoxLayout()
        file_row.setContentsMargins(0, 0, 0, 0)
        file_row.addWidget(self.file_button, 0, Qt.AlignmentFlag.AlignTop)
        file_row.addWidget(self.file_info, 1, Qt.AlignmentFlag.AlignTop)
        details = QGroupBox(self.tr("1. Het beeld"))
        form = QFormLayout(details)
        form.addRow(self.tr("&Titel:"), self.title)
        form.addRow(self.tr("Bestand:"), file_row)
        form.addRow(self.picture)
        form.addRow(self.faces_hint)
        form.addRow(self.tr("&Datum:"), self.taken_on)
        form.addRow(self.tr("&Locatie:"), self.location)
        form.addRow(self.tr("Om&schrijving:"), self.description)

        self.picker = PupilPicker(pupil_store.list_pupils(db))
        self.picker.setPlaceholderText(self.tr("Typ naam of nummer en kies (Enter)…"))
        self.picker.setAccessibleName(self.tr("Leerling zoeken"))
        self.picker.picked.connect(lambda pupil: self.add_pupil(pupil.number))
        self.class_combo = QComboBox()
        self.class_combo.addItem(self.tr("— kies een klas —"), "")
        for class_name in pupil_store.list_classes(db):
            self.class_combo.addItem(class_name, class_name)
        self.class_button = QPushButton(self.tr("Hele klas toevoegen"))
        self.class_button.clicked.connect(self._add_chosen_class)
        self.tagged = QListWidget()
        self.tagged.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.tagged.setAccessibleName(self.tr("Leerlingen in beeld"))
        self.tagged.installEventFilter(self)
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color:#3c4650;")
        self.remove_button = QPushButton(self.tr("Verwijderen"))
        self.remove_button.setToolTip(self.tr("Haal de gekozen leerlingen van de lijst (Delete)"))
        self.remove_button.clicked.connect(self.remove_selected)

        pupils_box = QGroupBox(self.tr("2. Wie staan erop?"))
        pupils_layout = QVBoxLayout(pupils_box)
        pupils_layout.addWidget(self.picker)
        class_row = QHBoxLayout()
        class_row.addWidget(self.class_combo, 1)
        class_row.addWidget(self.class_button)
        pupils_layout.addLayout(class_row)
        pupils_layout.addWidget(self.count_label)
        pupils_layout.addWidget(self.tagged, 1)
        remove_row = QHBoxLayout()
        remove_row.addWidget(self.remove_button)
        remove_row.addStretch(1)
        pupils_layout.addLayout(remove_row)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("&Opslaan"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("&Annuleren"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        columns = QHBoxLayout()
        columns.addWidget(details, 1)
        columns.addWidget(pupils_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.buttons)
        self._load()

    # -- loading ------------------------------------------------------------------------------

    def _load(self) -> None:
        item = self.item
        if item is None:
            self._update_count()
            return
        self.title.setText(item.title)
        if item.taken_on is not None:
            self.taken_on.set_value(item.taken_on)
        else:  # unknown date: stays unknown unless the officer picks one
            self._date_unknown = True
            self.taken_on.dateChanged.connect(self._date_picked)
        self.location.setCurrentText(item.location)
        self.description.setPlainText(item.description)
        self._media_kind = item.media_kind
        if item.file_name:
            facts = FileFacts(item.file_name, item.file_size or 0, item.file_hash)
            self._show_file(facts, item.file_path, item.media_kind)
        self._show_thumbnail(store.item_thumbnail(self.db, item.id) if item.has_thumbnail else None)
        self._show_photo(item.file_path, item.media_kind)
        for pupil in store.item_pupils(self.db, item.id):
            self._known.setdefault(pupil.number, pupil)
            self._append(pupil)
        self._update_count()

    # -- file ---------------------------------------------------------------------------------

    def choose_file(self) -> bool:
        path = dialogs.choose_open_path(
            self, self.tr("Bestand kiezen"), media_filter(self.tr), kind="media"
        )
        return self.set_file(path) if path is not None else False

    def set_file(self, path: Path) -> bool:
        """Read the file's name, size and hash and make a thumbnail; False (with a message)
        when the file cannot be read."""
        path = Path(path)
        try:
            # In a worker thread: hashing a video of a few GB takes seconds.
            facts, thumbnail = run_with_progress(
                self,
                self.tr("Bestand lezen…"),
                lambda: (store.file_facts(path), thumbnail_bytes(path)),
            )
        except (InputError, OSError) as exc:
            dialogs.show_error(self, self.tr("Bestand"), str(exc))
            return False
        self._file, self._file_path, self._thumbnail = facts, str(path), thumbnail
        self._media_kind = media_kind_for(facts.name)
        self._show_file(facts, str(path), self._media_kind)
        self._show_thumbnail(thumbnail)
        self._show_photo(str(path), self._media_kind)
        if not self.title.text().strip():
            self.title.setText(path.stem.replace("_", " "))
        return True

    def _show_file(self, facts: FileFacts, file_path: str, media_kind: str) -> None:
        lines = [
            f"<b>{_escape(facts.name)}</b> — {kind_label(media_kind)}, {size_text(facts.size)}",
            self.tr("Controlegetal: %1…").replace("%1", facts.sha256[:12]),
        ]
        if file_path:
            lines.append(f"<span style='color:#5a6b80'>{_escape(file_path)}</span>")
        self.file_info.setText("<br>".join(lines))
        self.file_info.setToolTip(facts.sha256)

    def _show_thumbnail(self, data: bytes | None) -> None:
        pixmap = pixmap_from_bytes(data)
        if pixmap is None:
            self.thumbnail.setPixmap(QPixmap())
            self.thumbnail.setText(self.tr("Geen voorbeeld"))
            return
        self.thumbnail.setPixmap(
            pixmap.scaled(
                THUMB_SIDE,
                THUMB_SIDE * 3 // 4,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

    def _show_photo(self, file_path: str, media_kind: str) -> None:
        """The photo itself when the file is there, else the stored thumbnail."""
        if file_path and Path(file_path).is_file():
            self.picture.setCurrentWidget(self.photo)
            self.photo.load(file_path, video=media_kind == VIDEO)
        else:
            self.picture.setCurrentWidget(self.thumbnail)
            self.photo.load(None)
        self._update_faces_hint()

    def _update_faces_hint(self) -> None:
        """ "7 gezichten gevonden, 5 leerlingen gekoppeld": a nudge when the counts differ.
        Only where faces are is known; who they are is the officer's tagging."""
        if not self.photo.is_loaded():
            self.faces_hint.setText("")
            return
        found, tagged = len(self.photo.faces), self.tagged.count()
        faces = (
            self.tr("1 gezicht gevonden")
            if found == 1
            else self.tr("%1 gezichten gevonden").replace("%1", str(found))
        )
        pupils = (
            self.tr("1 leerling gekoppeld")
            if tagged == 1
            else self.tr("%1 leerlingen gekoppeld").replace("%1", str(tagged))
        )
        text = f"{faces}, {pupils}"
        if found != tagged:
            text += " — " + self.tr("kijk of iedereen op de foto gekoppeld is.")
        self.faces_hint.setText(text)
        colour = "#8a5300" if found != tagged else "#2e7d32"
        self.faces_hint.setStyleSheet(f"color:{colour}; font-weight:600;")

    def has_thumbnail(self) -> bool:
        pixmap = self.thumbnail.pixmap()
        return pixmap is not None and not pixmap.isNull()

    # -- pupils -------------------------------------------------------------------------------

    def pupil_numbers(self) -> list[str]:
        return [self.tagged.item(i).data(PUPIL_ROLE) for i in range(self.tagged.count())]

    def _append(self, pupil: Pupil) -> None:
        entry = QListWidgetItem(tagged_text(pupil))
        entry.setData(PUPIL_ROLE, pupil.number)
        self.tagged.addItem(entry)

    def add_pupils(self, numbers: Iterable[str]) -> int:
        """Tag pupils by number (known ones, once each); returns how many were added."""
        present = set(self.pupil_numbers())
        added = 0
        for number in numbers:
            pupil = self._known.get(number)
            if pupil is not None and number not in present:
                self._append(pupil)
                present.add(number)
                added += 1
        self.picker.clear()
        self._update_count()
        return added

    def add_pupil(self, number: str) -> bool:
        return self.add_pupils([number]) == 1

    def add_class(self, class_name: str) -> int:
        return self.add_pupils(pupil_store.class_numbers(self.db, class_name))

    def _add_chosen_class(self) -> None:
        class_name = self.class_combo.currentData()
        if class_name:
            self.add_class(class_name)

    def remove_pupils(self, numbers: Iterable[str]) -> None:
        gone = set(numbers)
        for row in reversed(range(self.tagged.count())):
            if self.tagged.item(row).data(PUPIL_ROLE) in gone:
                self.tagged.takeItem(row)
        self._update_count()

    def remove_selected(self) -> None:
        self.remove_pupils(item.data(PUPIL_ROLE) for item in self.tagged.selectedItems())

    def _update_count(self) -> None:
        count = self.tagged.count()
        self.count_label.setText(
            count_text(count, self.tr("In beeld: 1 leerling"), self.tr("In beeld: %1 leerlingen"))
        )
        self._update_faces_hint()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """Delete or Backspace in the list of tagged pupils removes the chosen ones."""
        if (
            watched is self.tagged
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
        ):
            self.remove_selected()
            return True
        return False  # not super(): see consent_check.PublicationCheckDialog.eventFilter

    def _date_picked(self) -> None:
        self._date_unknown = False

    # -- saving -------------------------------------------------------------------------------

    def save(self) -> Item | None:
        """Create or update the item and its pupils (all or nothing); None after an error."""
        title = self.title.text()
        taken_on = None if self._date_unknown else self.taken_on.value()
        location = self.location.currentText().strip()
        description = self.description.toPlainText()
        numbers = self.pupil_numbers()
        try:
            with self.db.atomic():
                if self.item is None:
                    item = store.create_item(
                        self.db,
                        title,
                        pupil_numbers=numbers,
                        media_kind=self._media_kind,
                        file=self._file,
                        file_path=self._file_path or "",
                        thumbnail=self._thumbnail,
                        taken_on=taken_on,
                        location=location,
                        description=description,
                    )
                else:
                    item = store.update_item(
                        self.db,
                        self.item.id,
                        title=title,
                        taken_on=taken_on,
                        location=location,
                        description=description,
                        file=self._file,
                        file_path=self._file_path,
                        thumbnail=self._thumbnail,
                        media_kind=self._media_kind if self._file is not None else None,
                    )
                    store.set_item_pupils(self.db, item.id, numbers)
        except InputError as exc:
            message = str(exc)
            if exc.problems:
                message += "\n\n" + "\n".join(f"• {problem}" for problem in exc.problems)
            dialogs.show_error(self, self.tr("Niet opgeslagen"), message)
            return None
        self.item, self.item_id = item, item.id
        self.saved.emit(item)
        return item

    def accept(self) -> None:
        if self.save() is not None:
            super().accept()


def _escape(text: str) -> str:
    return html.escape(text, quote=False)
