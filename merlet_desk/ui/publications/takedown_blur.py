"""Te verwijderen › "Leerling onherkenbaar gemaakt…" for a publication whose photo (or video)
is at hand: the same blur tool as Publiceren (`unrecognisable_panel.py`), on the original.

The officer points out the face of each pupil who may no longer appear, makes the file
unrecognisable, and records it: from then on the publication refers to the new file (the one
to put online instead of the old), and those pupils count as unrecognisable through their own
boxes. Faces hidden in the file that is out now are chosen already, linked to the same
pupils, so the new file hides them too. "Anders onherkenbaar gemaakt…" is for a pupil made
unrecognisable elsewhere (cropped, from behind): the officer's statement, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from merlet_desk.errors import InputError
from merlet_desk.store import items as item_store
from merlet_desk.store import publications as store
from merlet_desk.store.sqlite_utils_import import Database
from merlet_desk.store.takedowns import Takedown
from merlet_desk.ui.common import dialogs
from merlet_desk.ui.common.screen import fit_to_screen
from merlet_desk.ui.publications.unrecognisable_panel import UnrecognisablePanel


class TakedownBlurDialog(QDialog):
    """Make the pupils of `takedowns` (all of one publication) unrecognisable in a new file.
    `state_otherwise()` is called when the officer chooses "Anders onherkenbaar gemaakt…"."""

    def __init__(
        self,
        db: Database,
        takedowns: Sequence[Takedown],
        state_otherwise: Callable[[], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        assert len({t.publication_id for t in takedowns}) == 1
        self.db = db
        self.takedowns = list(takedowns)
        self.state_otherwise = state_otherwise
        first = self.takedowns[0]
        self.publication = store.get_publication(db, first.publication_id)
        self.item = item_store.get_item(db, first.item_id)
        self.recorded: store.Publication | None = None
        self.setWindowTitle(self.tr("Onherkenbaar maken: %1").replace("%1", first.item_title))
        heading = QLabel(f"{first.item_title} ({first.purpose_label})")
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setStyleSheet("font-size:13pt; font-weight:600; color:#1f3a5f;")
        names = ", ".join(t.pupil.name for t in self.takedowns)
        explanation = QLabel(
            self.tr(
                "%1 mag er niet (meer) op. Wijs het gezicht aan en maak het beeld onherkenbaar. "
                "Na Vastleggen verwijst de publicatie naar het nieuwe bestand: zet dat online "
                "in plaats van het oude."
            ).replace("%1", names)
        )
        explanation.setTextFormat(Qt.TextFormat.PlainText)
        explanation.setWordWrap(True)
        self.panel = UnrecognisablePanel(self.item)
        self.panel.clean_box.hide()  # the new file is made unrecognisable, never a bare copy
        self.panel.made_changed.connect(self._update)
        self.panel.view.loaded.connect(self._choose_earlier_boxes)
        self.record_button = QPushButton(self.tr("Vast&leggen"))
        self.otherwise_button = QPushButton(self.tr("&Anders onherkenbaar gemaakt…"))
        self.otherwise_button.setToolTip(
            self.tr("Buiten Merlet Desk (weggesneden, van achteren): u schrijft op hoe.")
        )
        self.buttons = QDialogButtonBox()
        self.buttons.addButton(self.record_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.otherwise_button, QDialogButtonBox.ButtonRole.ActionRole)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        if cancel is not None:
            cancel.setText(self.tr("Annuleren"))
        self.record_button.clicked.connect(self.record)
        self.otherwise_button.clicked.connect(self._otherwise)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(explanation)
        layout.addWidget(self.panel, 1)
        layout.addWidget(self.buttons)
        self._offer_pupils()
        self._update()
        fit_to_screen(self, 900, 680)

    def _offer_pupils(self) -> None:
        """Under "Gezicht van": the pupils to hide now first, then the others of the item."""
        waiting = [t.pupil.number for t in self.takedowns]
        earlier = [h.number for h in self.publication.hidden if h.regions]
        blocked = set(waiting) | set(earlier)
        self.panel.set_pupils(
            [
                (p.number, p.name, p.class_name, p.number in blocked)
                for p in item_store.item_pupils(self.db, self.item.id)
            ]
        )
        self.panel.set_waiting(waiting)

    def _choose_earlier_boxes(self) -> None:
        """The boxes of the file that is out now, with whose face each hid."""
        out = self.publication.file
        if out is None or out.kind != store.UNRECOGNISABLE_FILE:
            return
        owners = {tuple(box): h.number for h in self.publication.hidden for box in h.regions}
        self.panel.view.add_owned_boxes([(box, owners.get(tuple(box), "")) for box in out.regions])

    def _update(self) -> None:
        self.record_button.setEnabled(self.panel.made is not None)

    def record(self) -> bool:
        """Record the new file with the publication; False (after a message) when it cannot."""
        made = self.panel.made
        if made is None:
            return False
        every_face = [t.pupil.number for t in self.takedowns] if self.panel.video else []
        try:
            self.recorded = store.replace_file(
                self.db, self.publication.id, made, every_face=every_face
            )
        except InputError as exc:
            dialogs.show_error(self, self.tr("Niet vastgelegd"), str(exc))
            return False
        self.panel.published()
        self.accept()
        return True

    def _otherwise(self) -> None:
        if self.state_otherwise():
            self.panel.discard()
            self.accept()

    def reject(self) -> None:
        self.panel.discard()
        super().reject()
