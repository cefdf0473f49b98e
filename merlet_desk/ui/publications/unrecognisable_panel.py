"""The photo in the publish dialog, and making pupils unrecognisable in it.

The officer says whose face to hide: under "Gezicht van" the pupil (those who may not appear
first; "Iemand anders" for a face of nobody in the list), then a click on that face (or a box
dragged around a face the detector missed; with the keyboard: arrows and Space). Each box is
linked to that pupil by this click, never by recognition, and the register records which box
hid whom: a pupil counts as unrecognisable only through a box of their own. Then blur,
pixelate or a solid bar, a look at the result ("Voorbeeld") and "Onherkenbaar maken": the
program writes `<name>-onherkenbaar.jpg` beside the original (the original is never changed),
without any metadata. For a photo that goes out as it is,
"Kopie zonder metadata" writes `<name>-zonder-metadata.jpg` when publishing. Either file is
handed to the store with the publication (`outgoing()`); a file made here that does not get
published (the dialog is cancelled, the boxes change) is removed again (`discard()`).

Videos show a frame and their length; making a video unrecognisable runs with progress and a
cancel button (all faces, every frame, sound kept).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from merlet_desk.domain.publications import VIDEO
from merlet_desk.errors import InputError
from merlet_desk.store.items import Item
from merlet_desk.store.publications import CLEAN_COPY_FILE, UNRECOGNISABLE_FILE, OutgoingFile
from merlet_desk.ui.common import dialogs, tasks
from merlet_desk.ui.common.export import run_with_progress
from merlet_desk.ui.common.media import size_text
from merlet_desk.ui.common.photo_view import PhotoView

log = logging.getLogger(__name__)
STYLES = (("blur", "Vervagen"), ("pixelate", "Blokjes"), ("bar", "Zwarte balk"))
SOMEONE_ELSE = ""  # the owner of a face that is nobody's in the list of pupils

# How many waiting pupils the hint names before "en 10 anderen".
SHOWN_NAMES = 3


def _tr(text: str) -> str:
    return QCoreApplication.translate("publications", text)


class UnrecognisablePanel(QWidget):
    """Emits `made_changed` when a file was written or removed."""

    made_changed = Signal()

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.video = item.media_kind == VIDEO
        self.source = Path(item.file_path) if item.file_path else None
        self.made: OutgoingFile | None = None
        self._made_boxes: list[tuple[int, int, int, int]] = []
        self._clean: OutgoingFile | None = None
        self._names: dict[str, str] = {}  # pupil number -> name, of the pupils offered
        self._waiting: list[str] = []  # who still needs their face pointed out, in order

        self.view = PhotoView(choosing=not self.video)
        # Room for the faces of a class photo, while the table of pupils beside it keeps its
        # rows on a laptop (1024×700 with a taskbar).
        self.view.setMinimumSize(320, 170)
        self.view.setAccessibleName(_tr("De foto"))
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color:#3c4650;")
        self.style_box = QComboBox()
        for code, label in STYLES:
            self.style_box.addItem(_tr(label), code)
        self.style_box.setAccessibleName(_tr("Hoe onherkenbaar"))
        self.owner_label = QLabel(_tr("&Gezicht van:"))
        self.owner_box = QComboBox()
        self.owner_box.setAccessibleName(_tr("Gezicht van"))
        self.owner_box.setToolTip(
            _tr(
                "Van wie is het gezicht dat u nu aanklikt of omkadert? Het register legt vast "
                "welk vak welke leerling onherkenbaar maakte."
            )
        )
        self.owner_label.setBuddy(self.owner_box)
        self.owner_box.currentIndexChanged.connect(self._owner_changed)
        self.all_button = QPushButton(_tr("Alle gezichten"))
        self.none_button = QPushButton(_tr("Niets"))
        self.preview_box = QCheckBox(_tr("&Voorbeeld"))
        self.preview_box.setToolTip(_tr("Laat de foto zien zoals hij wordt opgeslagen"))
        self.make_button = QPushButton(_tr("&Onherkenbaar maken"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.clean_box = QCheckBox(_tr("&Kopie zonder metadata publiceren (EXIF en GPS eruit)"))
        self.clean_box.setToolTip(
            _tr(
                "Een foto van een telefoon bevat vaak de plek waar hij is gemaakt. Merlet Desk "
                "maakt bij het publiceren een kopie zonder die gegevens, naast het origineel."
            )
        )

        owner_row = QHBoxLayout()
        owner_row.addWidget(self.owner_label)
        owner_row.addWidget(self.owner_box, 1)
        controls = QHBoxLayout()
        controls.addWidget(self.style_box)
        controls.addWidget(self.all_button)
        controls.addWidget(self.none_button)
        controls.addWidget(self.preview_box)
        controls.addStretch(1)
        making = QHBoxLayout()
        making.addWidget(self.status, 1)
        making.addWidget(self.make_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.hint)
        layout.addLayout(owner_row)
        layout.addLayout(controls)
        layout.addLayout(making)
        layout.addWidget(self.clean_box)

        self.all_button.clicked.connect(self.view.choose_all)
        self.none_button.clicked.connect(self.view.clear_choice)
        self.preview_box.toggled.connect(self._show_preview)
        self.style_box.currentIndexChanged.connect(self._style_changed)
        self.make_button.clicked.connect(self.make_unrecognisable)
        self.view.selection_changed.connect(self._selection_changed)
        self.view.loaded.connect(self._loaded)
        self.view.failed.connect(self._failed)

        photo = not self.video and self.source is not None and self.source.is_file()
        self.clean_box.setChecked(photo)
        self.clean_box.setVisible(not self.video)
        # A video is made unrecognisable face by face in every frame: no face to point out.
        self.owner_label.setVisible(not self.video)
        self.owner_box.setVisible(not self.video)
        self.view.load(self.source, video=self.video)
        self._update()

    # -- state --------------------------------------------------------------------------------

    @property
    def chosen_style(self) -> str:
        return str(self.style_box.currentData())

    # -- whose face ---------------------------------------------------------------------------

    def set_pupils(self, pupils: list[tuple[str, str, str, bool]]) -> None:
        """The pupils in the item, as (number, name, class, may not appear), those who may not
        appear first: offered under "Gezicht van", then "Iemand anders". The pupil chosen
        stays chosen while they may not appear; else the first who may not appear is."""
        current = self.owner()
        ordered = [p for p in pupils if p[3]] + [p for p in pupils if not p[3]]
        self._names = {number: name for number, name, _class, _blocked in ordered}
        self.view.owner_labels = {number: _short(name) for number, name in self._names.items()}
        self.owner_box.blockSignals(True)
        self.owner_box.clear()
        for number, name, class_name, blocked in ordered:
            text = f"{name} ({class_name})"
            if blocked:
                text += " — " + _tr("mag er niet op")
            self.owner_box.addItem(text, number)
        self.owner_box.addItem(_tr("Iemand anders (geen leerling uit de lijst)"), SOMEONE_ELSE)
        may_not_appear = {number for number, _name, _class, may_not in ordered if may_not}
        index = self.owner_box.findData(current) if current in may_not_appear else 0
        self.owner_box.setCurrentIndex(max(index, 0))
        self.owner_box.blockSignals(False)
        self._owner_changed()

    def set_waiting(self, numbers: list[str]) -> None:
        """Who still needs their face pointed out (may not appear, nothing else said of them),
        in the order offered."""
        self._waiting = list(numbers)
        self._update()

    def owner(self) -> str:
        """The pupil (number) whose face a click now chooses; "" for someone else."""
        data = self.owner_box.currentData()
        return str(data) if data else SOMEONE_ELSE

    def set_owner(self, number: str) -> None:
        index = self.owner_box.findData(number)
        if index < 0:
            raise ValueError(f"{number} is not offered")
        self.owner_box.setCurrentIndex(index)

    def linked(self) -> dict[str, list[tuple[int, int, int, int]]]:
        """The boxes chosen now, per pupil they are linked to (not the ones of nobody)."""
        result: dict[str, list[tuple[int, int, int, int]]] = {}
        for box, owner in zip(self.view.chosen_boxes(), self.view.chosen_owners(), strict=True):
            if owner:
                result.setdefault(owner, []).append(box)
        return result

    def remaining(self) -> list[str]:
        """Who still needs their face pointed out and has no box yet."""
        linked = self.linked()
        return [number for number in self._waiting if number not in linked]

    def _owner_changed(self) -> None:
        self.view.owner = self.owner()
        self._update()

    def _next_owner(self) -> None:
        """The pupil chosen has a box now: on to the next one in the list still waiting (never
        back up: a second click on the same face must reach the same pupil)."""
        owner = self.owner()
        if not owner or owner not in self.linked():
            return
        numbers = [self.owner_box.itemData(i) for i in range(self.owner_box.count())]
        after = numbers[numbers.index(owner) + 1 :] if owner in numbers else []
        waiting = set(self.remaining())
        following = next((number for number in after if number in waiting), None)
        if following is not None:
            self.set_owner(following)

    def _loaded(self) -> None:
        self._update()

    def _failed(self) -> None:
        """Not a photo we can read (or gone): it can only go out as it is."""
        self.clean_box.setChecked(False)
        self._update()

    def _show_preview(self, on: bool) -> None:
        self.view.set_preview_style(self.chosen_style if on else None)

    def _style_changed(self) -> None:
        if self.preview_box.isChecked():
            self.view.set_preview_style(self.chosen_style)
        self._stale()

    def _selection_changed(self) -> None:
        if self.made is not None and self.view.chosen_boxes() == self._made_boxes:
            # Only whose face a box is changed: the file stays right, its links follow.
            self.made = replace(self.made, owners=tuple(self.view.chosen_owners()))
            self.made_changed.emit()
        else:
            self._stale()
        self._next_owner()
        self._update()

    def _stale(self) -> None:
        """The boxes or the style changed after a file was made: that file no longer matches."""
        if self.made is not None:
            self.discard()
            self.status.setText(_tr("De keuze is veranderd: maak de foto opnieuw onherkenbaar."))
        self._update()

    def _update(self) -> None:
        loaded = self.view.is_loaded()
        chosen = len(self.view.chosen_boxes())
        found = len(self.view.faces)
        if self.video:
            self.hint.setText(
                _tr(
                    "Onherkenbaar maken vervaagt in een video elk gezicht in elk beeld; het "
                    "geluid blijft. Dat duurt een paar keer zo lang als de video zelf; u kunt "
                    "stoppen."
                )
            )
            self.style_box.setEnabled(loaded)
            self.all_button.setVisible(False)
            self.none_button.setVisible(False)
            self.preview_box.setVisible(False)
            self.make_button.setEnabled(loaded and self.made is None)
            return
        if not loaded:
            self.hint.setText("")
        else:
            remaining = self.remaining()
            text = _tr(
                "%1 gevonden, %2 gekozen. Kies bij „Gezicht van” de leerling en klik op het "
                "gezicht (of pijltjes en spatie); sleep een vak om een gemist gezicht."
            )
            if remaining:
                # A class photo may wait for a dozen pupils: three names and how many more
                # (the table beside the photo lists each), so the photo keeps its room.
                names = [self._names.get(n, n) for n in remaining[:SHOWN_NAMES]]
                if len(remaining) > SHOWN_NAMES:
                    more = len(remaining) - SHOWN_NAMES
                    names.append(
                        _tr("nog 1 andere")
                        if more == 1
                        else _tr("%n anderen").replace("%n", str(more))
                    )
                    names = [", ".join(names[:-1]) + _tr(" en ") + names[-1]]
                text += " " + _tr("Nog aan te wijzen: %3.").replace("%3", ", ".join(names))
            self.hint.setText(
                text.replace(
                    "%1",
                    _tr("1 gezicht")
                    if found == 1
                    else _tr("%n gezichten").replace("%n", str(found)),
                ).replace("%2", str(chosen))
            )
        for widget in (
            self.style_box,
            self.all_button,
            self.none_button,
            self.preview_box,
            self.owner_box,
        ):
            widget.setEnabled(loaded)
        self.make_button.setEnabled(loaded and chosen > 0 and self.made is None)
        self.clean_box.setEnabled(self.made is None and loaded)
        if self.made is not None:
            self.clean_box.setChecked(True)

    # -- files --------------------------------------------------------------------------------

    def make_unrecognisable(self) -> OutgoingFile | None:
        """Write the new file beside the original (in a worker thread); None after a message."""
        if self.source is None:
            return None
        if self.video:
            return self._make_video()
        from merlet_desk.imaging import anonymise

        boxes = self.view.chosen_boxes()
        if not boxes:
            return None
        self.discard()
        source = self.source
        target = anonymise.target_beside(source)
        style = self.chosen_style
        try:
            written = run_with_progress(
                self,
                _tr("Onherkenbaar maken…"),
                lambda: anonymise.make_unrecognisable(source, target, boxes, style),
            )
        except (InputError, OSError) as exc:
            dialogs.show_error(self, _tr("Onherkenbaar maken"), str(exc))
            return None
        # The regions come back in the order of the boxes (each clipped to the photo).
        owners = tuple(self.view.chosen_owners())
        self.made = OutgoingFile(written.path, UNRECOGNISABLE_FILE, style, written.regions, owners)
        self._made_boxes = list(boxes)
        self._show_made(written.path, written.size)
        return self.made

    def _make_video(self) -> OutgoingFile | None:
        from merlet_desk.imaging import video

        assert self.source is not None
        self.discard()
        target = self.source.with_name(f"{self.source.stem}-onherkenbaar.mp4")
        number = 2
        while target.exists():
            target = self.source.with_name(f"{self.source.stem}-onherkenbaar-{number}.mp4")
            number += 1
        style = self.chosen_style
        source = self.source

        def work(progress: tasks.Progress, cancelled: tasks.CancelToken) -> object:
            def report(fraction: float) -> bool:
                progress(fraction)
                return not cancelled()

            return video.anonymise_video(source, target, style=style, progress=report)

        try:
            tasks.wait_with_progress(
                self,
                _tr("Video onherkenbaar maken…"),
                work,
                cancel_text=_tr("&Stoppen"),
                name="video-anonymise",
            )
        except (tasks.Cancelled, video.Cancelled):
            self.status.setText(_tr("Gestopt; er is niets geschreven."))
            return None
        except (InputError, OSError) as exc:
            dialogs.show_error(self, _tr("Onherkenbaar maken"), str(exc))
            return None
        self.made = OutgoingFile(target, UNRECOGNISABLE_FILE, self.chosen_style, ())
        self._show_made(target, target.stat().st_size)
        return self.made

    def _show_made(self, path: Path, size: int) -> None:
        self.status.setText(
            _tr("Nieuw bestand: %1 (%2), zonder metadata. Het origineel is niet veranderd.")
            .replace("%1", path.name)
            .replace("%2", size_text(size))
        )
        self.status.setStyleSheet("color:#2e7d32; font-weight:600;")
        self._update()
        self.made_changed.emit()

    def outgoing(self) -> OutgoingFile | None:
        """The file to record with the publication: the unrecognisable one, or a clean copy
        (written now) when that box is ticked; None to publish the original as it is."""
        if self.made is not None:
            return self.made
        if self.video or self.source is None or not self.clean_box.isChecked():
            return None
        from merlet_desk.imaging import anonymise

        source = self.source
        target = anonymise.target_beside(source, anonymise.CLEAN_SUFFIX)
        written = run_with_progress(
            self,
            _tr("Kopie zonder metadata maken…"),
            lambda: anonymise.clean_copy(source, target),
        )
        self._clean = OutgoingFile(written.path, CLEAN_COPY_FILE)
        return self._clean

    def discard(self) -> None:
        """Remove the files made here that were not published."""
        for made in (self.made, self._clean):
            if made is not None:
                Path(made.path).unlink(missing_ok=True)
        had = self.made is not None
        self.made = self._clean = None
        self._made_boxes = []
        self.status.setText("")
        self.status.setStyleSheet("")
        if had:
            self.made_changed.emit()

    def discard_clean_copy(self) -> None:
        """Publishing failed: the copy without metadata made for it goes again."""
        if self._clean is not None:
            Path(self._clean.path).unlink(missing_ok=True)
            self._clean = None

    def published(self) -> None:
        """The files are now the publication's: keep them."""
        self.made = self._clean = None


def _short(name: str) -> str:
    """ "Zofia Ł." for Zofia Łęcka: enough to tell the boxes apart on the photo."""
    parts = name.split()
    if len(parts) < 2:
        return name
    return f"{parts[0]} {parts[-1][0]}."
