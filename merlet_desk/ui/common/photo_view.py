"""The photo itself (or a frame of a video, with its length) where decisions are made, with the
faces that were found drawn on it.

`PhotoView` loads in a worker thread (`imaging.preview.load_preview`: a screen-sized copy and
the face boxes; a 12-MP photo takes about half a second) and shows "Foto laden…" meanwhile.
It draws the faces as boxes. With `choosing=True` a click on a face chooses it (to be made
unrecognisable) or un-chooses it, and dragging draws a box around a face the detector missed
(a click on a drawn box removes it). The keyboard does the same for the faces found: the
arrows walk them from left to right, Space or Enter is the click. `set_preview_style(style)`
shows what the result will look like, computed on the screen copy with the same
`imaging.anonymise.hide` the file gets.

Each chosen box has an owner: whose face it is, as the caller names it (a pupil's number), set
by the caller in `owner` before the click; "" for nobody named. A click on a box of another
owner gives it to the current one; a click on a box of the current owner lets it go. The
owners' `owner_labels` are drawn on the boxes. The owner is the officer's word, by a click:
only where faces are is known, and nothing here says who anyone is.

Boxes are always in the original's pixels.
"""

from __future__ import annotations

import itertools
import logging
import weakref
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from merlet_desk.ui.common import tasks

if TYPE_CHECKING:
    from merlet_desk.imaging.preview import Preview

log = logging.getLogger(__name__)
Box = tuple[int, int, int, int]
FACE_COLOUR = QColor("#f5c400")  # found, not chosen
CHOSEN_COLOUR = QColor("#d32f2f")  # to be made unrecognisable
FOCUS_COLOUR = QColor("#1565c0")  # the face the keyboard is on
MIN_DRAG = 6  # screen pixels: less is a click
# One worker loads every view's photo; a view that asks for another photo replaces its older
# request (clicking through a list of items loads only the one that stays chosen).
PREVIEWS = tasks.Lane("photo-preview")
_VIEW_NUMBERS = itertools.count(1)


def _tr(text: str) -> str:
    return QCoreApplication.translate("photos", text)


def qimage_from_bgr(pixels: object) -> QImage:
    """A QImage (its own copy) of BGR numpy pixels."""
    import numpy as np

    array = np.ascontiguousarray(pixels)
    height, width = array.shape[:2]
    image = QImage(array.data, width, height, 3 * width, QImage.Format.Format_BGR888)
    return image.copy()


class PhotoView(QWidget):
    """Shows one photo or video frame with its faces; emits `loaded` when the preview is in,
    `failed(message)` when the file cannot be read, `selection_changed` when the chosen boxes
    change."""

    loaded = Signal()
    failed = Signal(str)
    selection_changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, choosing: bool = False) -> None:
        super().__init__(parent)
        self.choosing = choosing
        self.preview: Preview | None = None
        self.image: QImage | None = None
        self.result_image: QImage | None = None
        self.preview_style: str | None = None
        self.message = _tr("Geen foto")
        self.caption = ""
        self.show_faces = True
        self.chosen: set[int] = set()  # indexes into preview.faces
        self.drawn: list[Box] = []
        # Whose face each chosen box is (see the module docstring): per chosen face index,
        # and per drawn box in the order of `drawn`.
        self.owners: dict[int, str] = {}
        self.drawn_owners: list[str] = []
        self.owner = ""  # given to the next box chosen or drawn
        self.owner_labels: dict[str, str] = {}
        self.focused: int | None = None  # the face the keyboard is on (index into faces)
        self._drag_from: QPoint | None = None
        self._drag_to: QPoint | None = None
        self._generation = 0
        self._lane_key = next(_VIEW_NUMBERS)  # this view's requests in the preview lane
        self.setMinimumSize(240, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(choosing)
        if choosing:
            self.setCursor(Qt.CursorShape.CrossCursor)
            self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self.setAccessibleDescription(
                _tr("Pijltjes: volgend gezicht; spatie: kiezen of niet meer kiezen")
            )
        self.setAccessibleName(_tr("Foto"))

    # -- loading ------------------------------------------------------------------------------

    def load(self, path: Path | str | None, *, video: bool = False, detect: bool = True) -> None:
        """Load the file in a worker thread; None or an empty path shows "Geen foto"."""
        self._generation += 1
        self.preview = self.image = self.result_image = None
        self.chosen.clear()
        self.drawn.clear()
        self.owners.clear()
        self.drawn_owners.clear()
        self.focused = None
        self.caption = ""
        if not path:
            self.message = _tr("Geen bestand")
            self.update()
            return
        path = Path(path)
        if not path.is_file():
            self.message = _tr("Bestand niet gevonden")
            self.update()
            return
        self.message = _tr("Video laden…") if video else _tr("Foto laden…")
        self.update()
        generation = self._generation
        # The lane holds the request by weak reference only: a view closed meanwhile must not
        # be kept alive by a worker (its wrapper would outlive the widgets around it).
        view = weakref.ref(self)

        def work(_progress: tasks.Progress, _cancelled: tasks.CancelToken) -> Preview:
            from merlet_desk.imaging.preview import load_preview

            return load_preview(path, video=video, detect=detect)

        def loaded(preview: Preview) -> None:
            shown = view()
            if shown is not None:
                shown._on_loaded(generation, preview)

        def failed(exc: BaseException) -> None:
            from merlet_desk.errors import InputError

            shown = view()
            if shown is None:
                return
            if isinstance(exc, InputError):
                shown._on_failed(generation, str(exc))
                return
            # A damaged file must not crash the GUI: say what it is, log the rest.
            log.warning("cannot show %s", path.name, exc_info=exc)
            shown._on_failed(generation, f"{path.name}: {exc}")

        PREVIEWS.submit(self._lane_key, work, context=self, on_result=loaded, on_error=failed)

    def set_preview(self, preview: Preview) -> None:
        """Show an already loaded preview (tests, or a second view of the same photo)."""
        self._generation += 1
        self._on_loaded(self._generation, preview)

    def _on_loaded(self, generation: int, preview: Preview) -> None:
        if generation != self._generation:
            return  # another file was chosen meanwhile
        self.preview = preview
        self.image = qimage_from_bgr(preview.pixels)
        if preview.seconds is not None:
            from merlet_desk.imaging.video import length_text

            self.caption = _tr("Video, %1").replace("%1", length_text(preview.seconds))
        self._update_result()
        self.update()
        self.loaded.emit()

    def _on_failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self.message = message
        self.update()
        self.failed.emit(message)

    def is_loaded(self) -> bool:
        return self.preview is not None

    @property
    def faces(self) -> list[Box]:
        return [face.box for face in self.preview.faces] if self.preview else []

    # -- choosing -----------------------------------------------------------------------------

    def chosen_boxes(self) -> list[Box]:
        """The boxes to make unrecognisable: chosen faces (widened a little) and drawn ones."""
        if self.preview is None:
            return []
        from merlet_desk.imaging.anonymise import widen

        width, height = self.preview.full
        faces = [widen(self.faces[i], width, height) for i in sorted(self.chosen)]
        return faces + list(self.drawn)

    def chosen_owners(self) -> list[str]:
        """Whose face each of `chosen_boxes()` is, in the same order ("" for nobody named)."""
        if self.preview is None:
            return []
        return [self.owners.get(i, "") for i in sorted(self.chosen)] + list(self.drawn_owners)

    def choose_face(self, index: int, chosen: bool = True) -> None:
        """Choose a face for the current `owner` (or let it go)."""
        if chosen:
            self.chosen.add(index)
            self.owners[index] = self.owner
        else:
            self.chosen.discard(index)
            self.owners.pop(index, None)
        self._selection_changed()

    def choose_all(self) -> None:
        """Every face found; those not chosen yet for nobody named."""
        for index in range(len(self.faces)):
            if index not in self.chosen:
                self.chosen.add(index)
                self.owners[index] = ""
        self._selection_changed()

    def clear_choice(self) -> None:
        self.chosen.clear()
        self.owners.clear()
        self.drawn.clear()
        self.drawn_owners.clear()
        self._selection_changed()

    def add_box(self, box: Box) -> None:
        """A box drawn around a face the detector missed (original's pixels), for `owner`."""
        self.drawn.append(box)
        self.drawn_owners.append(self.owner)
        self._selection_changed()

    def add_owned_boxes(self, boxes: list[tuple[Box, str]]) -> None:
        """Boxes already decided (a file made before: its boxes and whose face each hid),
        chosen as they were."""
        for box, owner in boxes:
            self.drawn.append(box)
            self.drawn_owners.append(owner)
        self._selection_changed()

    def toggle_face(self, index: int) -> None:
        """A click on a face: choose it for the current owner, give it to the current owner
        when it is someone else's, or let it go when it is the current owner's already."""
        if index in self.chosen and self.owners.get(index, "") != self.owner:
            self.owners[index] = self.owner
            self._selection_changed()
        else:
            self.choose_face(index, index not in self.chosen)

    def _toggle_drawn(self, index: int) -> None:
        """A click on a drawn box: the same, except that letting it go removes it."""
        if self.drawn_owners[index] != self.owner:
            self.drawn_owners[index] = self.owner
        else:
            del self.drawn[index]
            del self.drawn_owners[index]
        self._selection_changed()

    def faces_left_to_right(self) -> list[int]:
        """The indexes of the faces found, in reading order: left to right, then top down."""
        faces = self.faces
        return sorted(range(len(faces)), key=lambda i: (faces[i][0], faces[i][1]))

    def set_preview_style(self, style: str | None) -> None:
        """Show the photo as it will be written in `style` (None: as it is)."""
        self.preview_style = style
        self._update_result()
        self.update()

    def _selection_changed(self) -> None:
        self._update_result()
        self.update()
        self.selection_changed.emit()

    def _update_result(self) -> None:
        self.result_image = None
        if self.preview_style is None or self.preview is None:
            return
        boxes = self.chosen_boxes()
        if not boxes:
            return
        from merlet_desk.imaging.anonymise import hide

        scale = self.preview.scale
        small = [
            (int(x * scale), int(y * scale), max(1, int(w * scale)), max(1, int(h * scale)))
            for x, y, w, h in boxes
        ]
        self.result_image = qimage_from_bgr(hide(self.preview.pixels, small, self.preview_style))

    # -- geometry -----------------------------------------------------------------------------

    def image_rect(self) -> QRect:
        """Where the image is drawn: as large as fits, centred, never enlarged past 2×."""
        if self.image is None:
            return QRect()
        room = self.rect().adjusted(0, 0, 0, -self._caption_height())
        size = self.image.size().scaled(room.size(), Qt.AspectRatioMode.KeepAspectRatio)
        if size.width() > self.image.width() * 2:
            size = QSize(self.image.width() * 2, self.image.height() * 2)
        return QRect(
            room.x() + (room.width() - size.width()) // 2,
            room.y() + (room.height() - size.height()) // 2,
            size.width(),
            size.height(),
        )

    def _caption_height(self) -> int:
        return self.fontMetrics().height() + 6 if self.caption else 0

    def to_screen(self, box: Box) -> QRectF:
        area = self.image_rect()
        assert self.preview is not None
        factor = area.width() / self.preview.full[0]
        x, y, w, h = box
        return QRectF(area.x() + x * factor, area.y() + y * factor, w * factor, h * factor)

    def to_photo(self, point: QPoint) -> tuple[int, int]:
        area = self.image_rect()
        assert self.preview is not None
        factor = self.preview.full[0] / max(1, area.width())
        x = min(max(point.x() - area.x(), 0), area.width())
        y = min(max(point.y() - area.y(), 0), area.height())
        return int(x * factor), int(y * factor)

    def face_at(self, point: QPoint) -> int | None:
        """The index of the face under a screen point (the smallest, when boxes overlap)."""
        hits = [
            (w * h, index)
            for index, (x, y, w, h) in enumerate(self.faces)
            if self.to_screen((x, y, w, h)).contains(point.toPointF())
        ]
        return min(hits)[1] if hits else None

    # -- painting -----------------------------------------------------------------------------

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(480, 360)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#f6f8fa"))
        if self.image is None or self.preview is None:
            painter.setPen(QColor("#5a6b80"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.message)
            return
        area = self.image_rect()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(area, self.result_image or self.image)
        if self.show_faces:
            from merlet_desk.imaging.anonymise import widen

            width, height = self.preview.full
            for index, box in enumerate(self.faces):
                chosen = index in self.chosen
                pen = QPen(CHOSEN_COLOUR if chosen else FACE_COLOUR, 3 if chosen else 2)
                if not chosen:
                    pen.setStyle(Qt.PenStyle.DashLine)
                painter.setPen(pen)
                shown = self.to_screen(widen(box, width, height) if chosen else box)
                painter.drawRect(shown)
                if chosen:
                    self._draw_owner(painter, shown, self.owners.get(index, ""))
                if index == self.focused and self.hasFocus():
                    painter.setPen(QPen(FOCUS_COLOUR, 2, Qt.PenStyle.DotLine))
                    painter.drawRect(shown.adjusted(-4, -4, 4, 4))
        for box, owner in zip(self.drawn, self.drawn_owners, strict=True):
            painter.setPen(QPen(CHOSEN_COLOUR, 3))
            shown = self.to_screen(box)
            painter.drawRect(shown)
            self._draw_owner(painter, shown, owner)
        if self._drag_from is not None and self._drag_to is not None:
            painter.setPen(QPen(CHOSEN_COLOUR, 2, Qt.PenStyle.DotLine))
            painter.drawRect(QRect(self._drag_from, self._drag_to).normalized())
        if self.caption:
            painter.setPen(QColor("#1f3a5f"))
            painter.drawText(
                QRect(0, area.bottom() + 3, self.width(), self._caption_height()),
                Qt.AlignmentFlag.AlignHCenter,
                self.caption,
            )

    def _draw_owner(self, painter: QPainter, shown: QRectF, owner: str) -> None:
        """The owner's label on a tag above the box (below it at the top edge)."""
        label = self.owner_labels.get(owner, "")
        if not label:
            return
        metrics = self.fontMetrics()
        tag = QRectF(0, 0, metrics.horizontalAdvance(label) + 8, metrics.height() + 2)
        top = shown.top() - tag.height() if shown.top() >= tag.height() else shown.bottom()
        tag.moveTo(shown.left(), top)
        painter.fillRect(tag, CHOSEN_COLOUR)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, label)

    # -- keyboard -----------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        order = self.faces_left_to_right() if self.choosing and self.preview else []
        key = event.key()
        if order and key in (Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Up):
            step = 1 if key in (Qt.Key.Key_Right, Qt.Key.Key_Down) else -1
            if self.focused not in order:
                position = 0 if step == 1 else len(order) - 1
            else:
                position = (order.index(self.focused) + step) % len(order)
            self.focused = order[position]
            self.update()
            return
        if (
            self.focused is not None
            and self.focused in order
            and key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.toggle_face(self.focused)
            return
        super().keyPressEvent(event)

    # -- mouse --------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if (
            self.choosing
            and self.preview is not None
            and event.button() == Qt.MouseButton.LeftButton
        ):
            self._drag_from = self._drag_to = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if self._drag_from is not None:
            self._drag_to = event.position().toPoint()
            self.update()
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        start, self._drag_from = self._drag_from, None
        self._drag_to = None
        if start is None or self.preview is None:
            return
        end = event.position().toPoint()
        if (end - start).manhattanLength() < MIN_DRAG:
            self.click(end)
        else:
            x1, y1 = self.to_photo(start)
            x2, y2 = self.to_photo(end)
            if abs(x2 - x1) > 2 and abs(y2 - y1) > 2:
                self.add_box((min(x1, x2), min(y1, y2), abs(x2 - x1), abs(y2 - y1)))
        self.update()

    def click(self, point: QPoint) -> None:
        """A click on a drawn box or a face: see `toggle_face`."""
        for index in reversed(range(len(self.drawn))):
            if self.to_screen(self.drawn[index]).contains(point.toPointF()):
                self._toggle_drawn(index)
                return
        face = self.face_at(point)
        if face is not None:
            self.focused = face
            self.toggle_face(face)
